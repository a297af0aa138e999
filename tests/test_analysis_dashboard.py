"""The dashboard: scoped to the stories each user may analyse, filters, htmx partial, charts
and exports."""

import csv
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import translation

from mango.stories.models import Story
from tests.conftest import make_user
from tests.test_analysis_data import build_coded_campaign

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def coded(org, other_org):
    return build_coded_campaign(org, other_org, n=60, seed=3)


def url(route="analysis:dashboard", **kwargs):
    with translation.override("en"):
        return reverse(route, kwargs=kwargs or None)


def count(response) -> int:
    text = response.content.decode()
    marker = 'data-testid="dashboard-count">'
    return int(text.split(marker, 1)[1].split(" ", 1)[0].replace(",", ""))


def test_a_researcher_sees_every_story_with_consent_for_research(client, coded):
    client.force_login(make_user("rita", "researcher"))
    response = client.get(url())
    assert response.status_code == 200
    expected = Story.objects.filter(consent_research=True, erased_at__isnull=True).count()
    assert count(response) == expected
    assert "Dimensions of patient-centred care by group" in response.content.decode()


def test_a_manager_sees_their_organisation_s_shared_research_stories_only(client, coded, manager):
    story = coded.analysed[0]
    Story.objects.filter(pk=story.pk).update(consent_sharing=False)
    client.force_login(manager)
    response = client.get(url())
    assert response.status_code == 200
    expected = Story.objects.filter(
        organisation=coded.org, consent_research=True, consent_sharing=True, erased_at=None
    ).count()
    assert count(response) == expected
    # The other organisation is not offered as a filter.
    assert coded.other_org.name not in response.content.decode()


def test_outsiders_asking_for_another_organisation_get_404(client, coded, outsider):
    client.force_login(outsider)
    assert client.get(url(), {"organisation": coded.org.pk}).status_code == 404
    assert client.get(url(), {"unit": coded.units[0].pk}).status_code == 404
    response = client.get(url("analysis:chart", chart="months"), {"organisation": coded.org.pk})
    assert response.status_code == 404
    own = client.get(url(), {"organisation": coded.other_org.pk})
    assert own.status_code == 200


def test_team_members_get_403_and_strangers_the_sign_in_page(client, coded, member):
    assert client.get(url()).status_code == 302
    client.force_login(member)
    assert client.get(url()).status_code == 403
    assert client.get(url("analysis:chart", chart="months")).status_code == 403


def test_a_filter_change_returns_the_results_partial(client, coded):
    client.force_login(make_user("rita", "researcher"))
    response = client.get(
        url(),
        {"organisation": coded.other_org.pk, "group": "setting"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="dashboard-results",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body
    expected = Story.objects.filter(
        organisation=coded.other_org, consent_research=True, erased_at=None
    ).count()
    assert count(response) == expected
    assert "Care setting" in body or "Setting" in body


def test_a_period_filter_narrows_the_stories(client, coded):
    client.force_login(make_user("rita", "researcher"))
    response = client.get(url(), {"start": "2018-03", "end": "2018-04"})
    months = {s.submitted_at.astimezone().strftime("%Y-%m") for s in coded.analysed}
    assert months - {"2018-03", "2018-04"}  # the filter has something to leave out
    from django.utils import timezone

    expected = sum(
        timezone.localtime(s.submitted_at).strftime("%Y-%m") in ("2018-03", "2018-04")
        for s in coded.analysed
    )
    assert count(response) == expected
    bad = client.get(url(), {"start": "2018-05", "end": "2018-04"})
    assert (
        bad.status_code == 200 and "The last month comes before the first." in bad.content.decode()
    )


def test_exports_hold_the_tables_shown(client, coded):
    client.force_login(make_user("rita", "researcher"))
    query = {"organisation": coded.org.pk}
    response = client.get(url(), {**query, "export": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    titles = [r[0] for r in rows if r]
    assert "Screening" in titles
    response = client.get(url(), {**query, "export": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert "screening" in book.sheetnames and "dimensions" in book.sheetnames
    screening = {r[0]: r[1] for r in book["screening"].iter_rows(values_only=True)}
    shown = client.get(url(), query)
    assert screening["Screened"] + screening["Not screened yet"] == count(shown)


def test_charts_are_svg(client, coded):
    client.force_login(make_user("rita", "researcher"))
    for name in ("dimensions", "months"):
        response = client.get(url("analysis:chart", chart=name))
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml"
        assert b"<svg" in response.content
    assert client.get(url("analysis:chart", chart="pie")).status_code == 404


def test_no_story_text_on_the_dashboard(client, coded):
    client.force_login(make_user("rita", "researcher"))
    body = client.get(url()).content.decode()
    for story in coded.analysed[:10]:
        assert story.text not in body
        assert story.receipt not in body
