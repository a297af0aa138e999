"""Results: per item and round, n, median, quartiles, thirds and the rule's status, for the
panel and each stakeholder group; exports; accepted items into a codebook."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from mango.research.access import can_edit_codebooks

from . import actions, results, rules
from .access import get_study_to_manage
from .forms import CodebookForm


def _rounds(study):
    return list(study.rounds.exclude(status="draft").order_by("number"))


def result_rows(study, rounds):
    """The table: one row per round, item and criterion, with each group's figures."""
    groups = study.group_choices()
    rows = []
    for cell in results.cells(study, rounds):
        figures = cell.groups
        rows.append(
            {
                "round": cell.round,
                "cell": cell,
                "status_label": rules.STATUS_LABELS.get(cell.status, ""),
                "groups": [
                    {
                        "key": g,
                        "label": label,
                        "summary": figures[g],
                        "status": cell.group_status(g),
                        "status_label": rules.STATUS_LABELS.get(cell.group_status(g), ""),
                    }
                    for g, label in groups
                    if g in figures
                ],
            }
        )
    return rows


@login_required
def result_table(request, pk):
    study = get_study_to_manage(request.user, pk)
    rounds = _rounds(study)
    chosen = request.GET.get("round")
    shown = [r for r in rounds if str(r.number) == chosen] if chosen else rounds
    return render(
        request,
        "consensus/results.html",
        {
            "study": study,
            "rounds": rounds,
            "chosen": chosen,
            "rows": result_rows(study, shown),
            "groups": study.group_choices(),
            "rule_name": rules.name(study),
            "rule_text": rules.describe(study),
            "charts": charts(study, shown),
            "matrix": results.matrix(study, shown[-1]) if shown else [],
            "several_criteria": study.criteria.count() > 1,
            "stability": _stability(study, rounds),
            "attrition": _attrition(study, rounds),
            "can_codebook": can_edit_codebooks(request.user),
        },
    )


def _stability(study, rounds):
    first = study.criteria.first()
    if first is None or len(rounds) < 2:
        return []
    labels = dict(study.group_choices())
    out = []
    for change in results.stability(study, rounds, first):
        out.append(
            {
                **asdict(change),
                "group": labels.get(change.group, change.group)
                if change.group
                else _("Whole panel"),
            }
        )
    return out


def _titles(criterion):
    from mango.lib.consensus import report

    scale = rules.scale_of(criterion)
    titles = report.headers(scale, str(_("Whole panel")))
    titles.update(
        {
            "item": _("Item"),
            "round": _("Round"),
            "group": _("Group"),
            "unable": _("Unable to judge"),
            "median": _("Median"),
            "status": _("Status"),
        }
    )
    return titles


def _group_labels(study, rows):
    labels = dict(study.group_choices())
    for row in rows:
        if row["group"]:
            row["group"] = labels.get(row["group"], row["group"])
    return rows


def _export_rows(study, rounds):
    """Rows of all criteria in one table: the criterion joins the item's key when the study
    has more than one."""
    parts = results.report_rows(study, rounds)
    rows = []
    for criterion, part in parts:
        for row in _group_labels(study, part):
            if len(parts) > 1:
                row["item"] = f"{row['item']} ({criterion.label_text()})"
            rows.append(row)
    return rows, (parts[0][0] if parts else None)


@login_required
def export(request, pk, fmt):
    """The result table as XLSX, CSV, HTML or PDF (A4 landscape), with the rule stated."""
    import io

    from django.http import HttpResponse
    from django.template.loader import render_to_string
    from django.utils.text import slugify

    from mango.audit.log import record
    from mango.lib.consensus import report

    study = get_study_to_manage(request.user, pk)
    if fmt not in ("xlsx", "csv", "html", "pdf"):
        raise Http404
    rounds = _rounds(study)
    rows, first = _export_rows(study, rounds)
    titles = _titles(first) if first else report.headers()
    rule_text = rules.describe(study, first)
    name = f"consensus-{slugify(study.title)[:40] or study.pk}"
    if fmt == "xlsx":
        out = io.BytesIO()
        report.write_xlsx(rows, out, rule_text=rule_text, titles=titles, sheet_title=_("Results"))
        body = out.getvalue()
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    elif fmt == "csv":
        out = io.StringIO()
        report.write_csv(rows, out, titles)
        body = out.getvalue().encode("utf-8-sig")
        content_type = "text/csv; charset=utf-8"
    else:
        context = {
            "study": study,
            "rounds": rounds,
            "rule_name": rules.name(study),
            "rule_text": rule_text,
            "table": report.html_table(
                rows,
                titles,
                caption=str(_("Per item and round: the whole panel, then each group")),
                status_labels={k: str(v) for k, v in rules.STATUS_LABELS.items()},
            ),
            "charts": charts(study, rounds),
            "attrition": _attrition(study, rounds),
            "stability": _stability(study, rounds),
            "pdf": fmt == "pdf",
        }
        if fmt == "pdf":
            # Imported here: WeasyPrint loads Pango and fonts. The report is self-contained
            # (CSS inlined, charts as SVG): the fetcher refuses every URL but data: ones.
            import weasyprint

            context["css"] = _pdf_css()
            html = render_to_string("consensus/report.html", context, request=request)
            fetcher = weasyprint.URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
            body = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
            content_type = "application/pdf"
        else:
            body = render_to_string("consensus/report.html", context, request=request).encode()
            content_type = "text/html; charset=utf-8"
    with transaction.atomic():
        record(
            request.user,
            "consensus.exported",
            study,
            organisation=study.organisation,
            new={"format": fmt, "rows": len(rows)},
        )
    response = HttpResponse(body, content_type=content_type)
    if fmt != "html":
        response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _pdf_css() -> str:
    from django.contrib.staticfiles import finders

    path = finders.find("consensus/consensus.css")
    css = open(path, encoding="utf-8").read() if path else ""
    return css + PDF_CSS


PDF_CSS = """
@page { size: A4 landscape; margin: 12mm; }
body { font-family: sans-serif; font-size: 8.5pt; }
table.consensus-results { border-collapse: collapse; width: 100%; }
table.consensus-results th, table.consensus-results td { border-bottom: 1px solid #ccc;
  padding: 1.5pt 3pt; text-align: left; }
table.consensus-results td.num { text-align: right; }
table.consensus-results tr.group-row td { color: #444; }
table.consensus-results thead { display: table-header-group; }
tr { page-break-inside: avoid; }
.charts { display: block; }
.charts figure { display: inline-block; width: 30%; vertical-align: top; }
"""


def charts(study, rounds):
    """The panel's distribution of each item on the first criterion in the last round."""
    if not rounds:
        return []
    first = study.criteria.first()
    return [
        {"summary": c.summary, "label": f"{c.item.key}: {c.item.text_text()[:60]}"}
        for c in results.cells(study, rounds[-1:], criteria=[first] if first else None)
    ]


def _attrition(study, rounds):
    labels = dict(study.group_choices())
    rows = results.attrition(study, rounds)
    return [
        {
            "group": labels.get(a.group, a.group) if a.group else _("Whole panel"),
            "round": a.round,
            "base": a.base,
            "answered": a.answered,
            "pct_answered": a.pct_answered,
            "lost": a.lost,
        }
        for a in rows
    ]


@login_required
def to_codebook(request, pk):
    from mango.research.models import Codebook

    study = get_study_to_manage(request.user, pk)
    if not can_edit_codebooks(request.user):
        raise PermissionDenied
    rounds = _rounds(study)
    accepted = set()
    if rounds:
        for round in rounds:
            accepted |= {i for i, s in results.primary_status(round).items() if s == "in"}
        decided = study.items.filter(decisions__decision="in").values_list("pk", flat=True)
        accepted |= set(decided)
    items = study.items.filter(pk__in=accepted, became_code=None)
    form = CodebookForm(request.POST or None, codebooks=Codebook.objects.all(), items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        n = actions.items_to_codebook(
            request.user, study, list(data["items"]), data["codebook"], parent_key=data["parent"]
        )
        messages.success(request, _("%(n)s codes added in a new version.") % {"n": n})
        return redirect("research:codebook", slug=data["codebook"].slug)
    return render(
        request,
        "consensus/codebook.html",
        {
            "study": study,
            "form": form,
            "done": study.items.exclude(became_code=None).select_related("became_code__codebook"),
        },
    )
