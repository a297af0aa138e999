"""The report from the web: the dashboard's selection as HTML, XLSX (at once) or PDF (a
background job with a progress page), scoped as the dashboard is, audited, and served to the
user who asked for it only."""

import io
import json
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from mango.analysis import report_jobs
from mango.audit.models import AuditEvent
from mango.stories.models import Story
from tests.conftest import make_user
from tests.test_analysis_data import build_coded_campaign

pytestmark = [pytest.mark.django_db]


@pytest.fixture
def coded(org, other_org):
    return build_coded_campaign(org, other_org, n=60, seed=3)


@pytest.fixture(autouse=True)
def _data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path


def url(route="analysis:report", **kwargs):
    with translation.override("en"):
        return reverse(route, kwargs=kwargs or None)


def shared_research(org) -> int:
    return Story.objects.filter(
        organisation=org, consent_research=True, consent_sharing=True, erased_at=None
    ).count()


def test_the_dashboard_offers_the_report_form(client, coded, manager):
    client.force_login(manager)
    page = client.get(url("analysis:dashboard"), {"group": "setting"}).content.decode()
    assert 'data-testid="report-form"' in page
    assert f'action="{url()}?group=setting"' in page
    for fmt in ("html", "pdf", "xlsx"):
        assert f'value="{fmt}"' in page


def test_a_manager_downloads_the_html_report_of_their_organisation(client, coded, manager):
    hidden = coded.analysed[0]
    Story.objects.filter(pk=hidden.pk).update(consent_sharing=False)
    client.force_login(manager)
    response = client.post(
        url() + f"?organisation={coded.org.pk}", {"format": "html", "language": "fr"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert response["Content-Disposition"].startswith('attachment; filename="mango-report-')
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "<h2>Méthode</h2>" in html
    assert f"Ce rapport se limite aux histoires concernant {coded.org.name}." in html
    # Scoped as the dashboard: the organisation's shared research stories, nothing else.
    assert f"L’analyse porte sur {shared_research(coded.org)} histoires" in html
    assert coded.other_org.name not in html
    assert "n’ont pas été partagées" not in html  # unshared stories are not even counted
    event = AuditEvent.objects.get(action="data.exported", actor=manager)
    assert event.new["report"] == "html"
    assert event.new["language"] == "fr"
    assert event.new["organisation"] == coded.org.pk
    assert event.organisation == coded.org


def test_a_manager_downloads_the_xlsx_report(client, coded, manager):
    client.force_login(manager)
    response = client.post(url(), {"format": "xlsx", "language": "nl"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[:5] == [
        "methods",
        "respondents_teller_role",
        "respondents_setting",
        "respondents_oncological",
        "screening",
    ]
    rows = list(book["respondents_teller_role"].iter_rows(values_only=True))
    total = next(r for r in rows if r[0] == "Totaal")
    assert total[1] == shared_research(coded.org)
    methods = " ".join(str(r[0]) for r in book["methods"].iter_rows(values_only=True) if r[0])
    assert coded.other_org.name not in methods
    assert AuditEvent.objects.filter(action="data.exported", actor=manager).count() == 1


def test_another_organisation_s_manager_cannot_get_it(client, coded, outsider, member):
    client.force_login(outsider)
    response = client.post(
        url() + f"?organisation={coded.org.pk}", {"format": "html", "language": "nl"}
    )
    assert response.status_code == 404
    response = client.post(
        url() + f"?unit={coded.units[0].pk}", {"format": "xlsx", "language": "nl"}
    )
    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="data.exported").exists()
    client.force_login(member)
    assert client.post(url(), {"format": "html", "language": "nl"}).status_code == 403


def test_a_bad_choice_is_refused_with_a_message(client, coded, manager):
    client.force_login(manager)
    response = client.post(url(), {"format": "docx", "language": "nl"})
    assert response.status_code == 400
    assert b"Choose a format and a language" in response.content
    assert client.get(url()).status_code == 405  # a report is asked for with the form (POST)


def test_the_pdf_is_built_by_a_job_and_served_to_its_owner_only(client, coded, manager, outsider):
    colleague = make_user("colleague", "manager", coded.org)
    client.force_login(manager)
    response = client.post(url(), {"format": "pdf", "language": "en"})
    assert response.status_code == 302
    token = response["Location"].rstrip("/").rsplit("/", 1)[1]
    assert response["Location"] == url("analysis:report_status", token=token)
    # huey runs at once in tests: the job is done when the request returns.
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="ready"' in page
    assert "hx-trigger" not in page.split('id="report-status"', 1)[1].split(">", 1)[0]
    assert url("analysis:report_file", token=token) in page
    download = client.get(url("analysis:report_file", token=token))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert 'attachment; filename="mango-report-' in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    stored = report_jobs.folder() / token
    assert (stored / "report.pdf").is_file()
    assert json.loads((stored / "state.json").read_text())["user"] == manager.pk
    event = AuditEvent.objects.get(action="data.exported", actor=manager)
    assert event.new["report"] == "pdf"

    for other in (outsider, colleague):  # not even a colleague of the same organisation
        client.force_login(other)
        assert client.get(url("analysis:report_status", token=token)).status_code == 404
        assert client.get(url("analysis:report_file", token=token)).status_code == 404
    client.force_login(manager)
    assert client.get(url("analysis:report_file", token="x" * 32)).status_code == 404


def test_the_progress_page_polls_until_the_file_is_ready(client, coded, manager):
    """A job still running: the page asks again every two seconds (htmx, no inline script)."""
    job = report_jobs.Job(
        token="t" * 32,
        user=manager.pk,
        format="pdf",
        language="nl",
        group="respondent_group",
        selection={},
        created=datetime.now(UTC).isoformat(timespec="seconds"),
        status=report_jobs.RUNNING,
    )
    report_jobs._path(job.token).mkdir(parents=True)
    report_jobs._save(job)
    client.force_login(manager)
    status = url("analysis:report_status", token=job.token)
    page = client.get(status).content.decode()
    assert f'hx-get="{status}" hx-trigger="every 2s"' in page
    assert "<script" not in page.split('id="report-status"', 1)[1]
    partial = client.get(status, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="report-status"')
    assert client.get(url("analysis:report_file", token=job.token)).status_code == 404


def test_reports_are_forgotten_after_a_day(client, coded, manager):
    client.force_login(manager)
    token = client.post(url(), {"format": "pdf", "language": "nl"})["Location"].rstrip("/")
    token = token.rsplit("/", 1)[1]
    assert client.get(url("analysis:report_file", token=token)).status_code == 200
    assert report_jobs.forget_expired() == 0
    later = datetime.now(UTC) + report_jobs.KEEP + timedelta(minutes=1)
    assert report_jobs.forget_expired(now=later) == 1
    assert not (report_jobs.folder() / token).exists()
    assert client.get(url("analysis:report_file", token=token)).status_code == 404


def test_a_job_that_fails_says_so_and_stops_asking(client, coded, manager):
    from mango.accounts.models import scope_for
    from mango.analysis.aggregate import Selection

    job = report_jobs.start(
        manager, Selection(scope=scope_for(manager)), fmt="pdf", language="nl", group="nonsense"
    )
    client.force_login(manager)
    with translation.override("en"):
        page = client.get(url("analysis:report_status", token=job.token)).content.decode()
    assert 'data-status="failed"' in page
    assert "The report could not be made" in page
    assert "hx-trigger" not in page
    assert client.get(url("analysis:report_file", token=job.token)).status_code == 404
