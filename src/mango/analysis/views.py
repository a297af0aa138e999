"""The dashboard: the report's tables and charts for the stories a user may analyse, with
filters (htmx swaps the results), charts as SVG and exports of what is shown.

Who sees what: the stories of ``stories.access.visible_stories`` whose teller consented to
research and did not erase them, counted from the analysis tallies (``aggregate.Selection``
applies the same rules to them) (researchers: their research scope; organisation managers and
ambassadors: their organisation's shared stories). Team members get 403; a campaign,
organisation or unit outside the user's stories answers 404. Under the total, the page says how
many stories were told, how many are analysed (the report's total) and why the rest are not
counted here (``aggregate.collection``).
"""

from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from mango.accounts.models import scope_for
from mango.audit.log import record
from mango.lib.reports import assemble, figures, wording
from mango.lib.reports import output as report_render
from mango.organisations.models import Organisation
from mango.research.exports import excel_decimal_comma, for_excel
from mango.stories.access import require_story_reader

from . import aggregate, data, report_jobs
from .forms import DashboardFilter, ReportRequest

# "excel": the CSV as Excel opens it in the reader's locale (research.exports.for_excel).
EXPORTS = ("csv", "excel", "xlsx")
CHARTS = ("dimensions", "months")


def _language() -> str:
    """The page's language: the report's words exist in Dutch, French and English."""
    language = translation.get_language() or "nl"
    return language if language in wording.LANGUAGES else "en"


def _selection(request):
    """(filter form, selection or None when the filters are wrong) for the request's query;
    403 for users who read no stories, 404 for ids outside the user's stories."""
    require_story_reader(request.user)
    selection = aggregate.Selection(scope=scope_for(request.user))
    filters = DashboardFilter(request.GET or None, selection=selection)
    if request.GET and not filters.is_valid():
        if filters.out_of_scope():
            raise Http404
        return filters, None
    if request.GET:
        selection = filters.apply(selection)
    return filters, selection


def _dashboard(request):
    """(filter form, report, selection) for the request; 404 for ids outside the user's
    stories."""
    filters, selection = _selection(request)
    if selection is None:
        return filters, None, aggregate.Selection(scope=scope_for(request.user))
    group = filters.chosen_group
    language = _language()
    dimensions = data.dimension_keys()
    reasons = data.reason_keys()
    parts, names = aggregate.parts(
        selection,
        group=group,
        dimensions=list(dimensions),
        reasons=list(reasons),
        units_of_organisation=bool(request.GET and filters.cleaned_data.get("organisation")),
        language=language,
    )
    group_names = {g: wording.code_name(group, g, language, names) for g in names}
    report = assemble(
        parts,
        language=language,
        dimensions=dimensions,
        reasons=reasons,
        group=group,
        group_names=group_names,
    )
    return filters, report, selection


@login_required
@require_GET
def dashboard(request):
    filters, report, selection = _dashboard(request)
    export = request.GET.get("export")
    if export in EXPORTS and report is not None:
        return _export(report, export)
    query = request.GET.copy()
    query.pop("export", None)
    context = {
        "filters": filters,
        "report": report,
        "tables": [
            mark_safe(report_render.table_html(t, report.language, level=2))  # noqa: S308 (escapes every cell)
            for t in report.tables
        ]
        if report
        else [],
        "charts": CHARTS if report and report.comparison is not None else CHARTS[1:],
        # How this total compares with what was told and with the report's total.
        "collected": aggregate.collection(selection, report.screening.stories) if report else None,
        "query": query.urlencode(),
        "report_form": ReportRequest(initial={"language": _language()}),
    }
    if (
        request.headers.get("HX-Request")
        and request.headers.get("HX-Target") == "dashboard-results"
    ):
        return render(request, "analysis/_dashboard_results.html", context)
    return render(request, "analysis/dashboard.html", context)


def _export(report, kind: str) -> HttpResponse:
    if kind in ("csv", "excel"):
        body = report_render.tables_to_csv(report.tables, report.language)
        if kind == "excel":
            body = for_excel(body, decimal_comma=excel_decimal_comma())
        response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            report_render.tables_to_xlsx(report.tables),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    name = "mango-dashboard-excel.csv" if kind == "excel" else f"mango-dashboard.{kind}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def chart(request, chart):
    name = chart
    if name not in CHARTS:
        raise Http404
    _, report, _ = _dashboard(request)
    if report is None:
        raise Http404
    drawn = {key: image for key, _, image in figures.report_figures(report, "svg", only=name)}
    if name not in drawn:
        raise Http404
    response = HttpResponse(drawn[name], content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=60"
    return response


# --- The report of what the dashboard shows -------------------------------------------------


@login_required
@require_POST
def report(request):
    """The report of the dashboard's selection (its filters in the query string) in the
    format and language chosen: HTML and XLSX at once, a PDF by a background job with a
    progress page. Audited."""
    filters, selection = _selection(request)
    form = ReportRequest(request.POST)
    if selection is None or not form.is_valid():
        return HttpResponse(
            _("Choose a format and a language, and correct the filters."), status=400
        )
    fmt, language = form.cleaned_data["format"], form.cleaned_data["language"]
    group = filters.chosen_group
    with transaction.atomic():
        record(
            request.user,
            "data.exported",
            None,
            organisation=Organisation.objects.filter(pk=selection.organisation).first()
            if selection.organisation
            else None,
            new={
                "report": fmt,
                "language": language,
                "group": group,
                **{
                    k: getattr(selection, k)
                    for k in report_jobs.SELECTION_FIELDS
                    if getattr(selection, k)
                },
            },
            note="analysis report",
        )
    if fmt in report_jobs.IN_BACKGROUND:
        job = report_jobs.start(request.user, selection, fmt=fmt, language=language, group=group)
        return redirect("analysis:report_status", token=job.token)
    content = report_jobs.build(selection, fmt=fmt, language=language, group=group)
    response = HttpResponse(content, content_type=report_jobs.CONTENT_TYPES[fmt])
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="mango-report-{day}.{fmt}"'
    return response


@login_required
@require_GET
def report_status(request, token):
    """The progress page of a report job; htmx asks again every two seconds until the file
    is ready (the partial alone for htmx)."""
    require_story_reader(request.user)
    job = report_jobs.load(token, request.user)
    if job is None:
        raise Http404
    context = {"job": job, "ready": job.status == report_jobs.READY}
    if request.headers.get("HX-Request"):
        return render(request, "analysis/_report_status.html", context)
    return render(request, "analysis/report_status.html", context)


@login_required
@require_GET
def report_file(request, token):
    """The finished report, to the user who asked for it only."""
    require_story_reader(request.user)
    job = report_jobs.load(token, request.user)
    if job is None or job.status != report_jobs.READY:
        raise Http404
    path = report_jobs.file_of(job)
    if not path.is_file():
        raise Http404
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=job.filename,
        content_type=report_jobs.CONTENT_TYPES[job.format],
    )
