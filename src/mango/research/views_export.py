"""Exports of a round: codings and final codes as CSV, XLSX, SPSS .sav, and a wide CSV for
Stata and R with its data dictionary. Every download goes in the audit trail."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.utils.text import slugify

from mango.lib import coding_export

from . import actions
from .access import get_round_to_manage
from .exports import excel_decimal_comma, for_excel, round_data

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"

# name -> (file suffix, content type, builder)
FORMATS = {
    "codings.csv": (CSV, lambda d: coding_export.long_csv(d, "codings")),
    "final.csv": (CSV, lambda d: coding_export.long_csv(d, "final")),
    # The same two files as Excel opens them in the reader's locale (see exports.for_excel).
    "final-excel.csv": (CSV, lambda d: coding_export.long_csv(d, "final")),
    "codings-excel.csv": (CSV, lambda d: coding_export.long_csv(d, "codings")),
    "round.xlsx": (XLSX, coding_export.to_xlsx),
    "final.sav": ("application/x-spss-sav", lambda d: coding_export.to_sav(d, "final")),
    "codings.sav": ("application/x-spss-sav", lambda d: coding_export.to_sav(d, "codings")),
    "final-wide.csv": (CSV, lambda d: coding_export.wide_csv(d, "final")),
    "codings-wide.csv": (CSV, lambda d: coding_export.wide_csv(d, "codings")),
    "final-dictionary.csv": (CSV, lambda d: coding_export.dictionary_csv(d, "final")),
    "codings-dictionary.csv": (CSV, lambda d: coding_export.dictionary_csv(d, "codings")),
}


@login_required
def export(request, pk, filename):
    name = filename
    round = get_round_to_manage(request.user, pk)
    if name not in FORMATS:
        raise Http404
    content_type, build = FORMATS[name]
    data = round_data(round)
    body = build(data)
    if name.endswith("-excel.csv"):
        body = for_excel(body, decimal_comma=excel_decimal_comma())
    rows = len(data.finals) if name.startswith("final") else len(data.codings)
    actions.note_export(request.user, round, name, rows)
    response = HttpResponse(body, content_type=content_type)
    filename = f"{slugify(round.name) or 'round'}-{round.pk}-{name}"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
