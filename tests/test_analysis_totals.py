"""The dashboard's total and the report's: why they differ, said on both.

The report counts every story told (received), analyses those whose teller consents to
research and did not erase them, and says how many it left out. An organisation manager's or
ambassador's dashboard counts fewer: of the analysable stories they read only those the
teller shared with staff. Both say so, with the numbers."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from mango.analysis import aggregate, data, facts
from mango.lib import reports
from mango.stories.models import Story
from tests.conftest import make_user
from tests.test_analysis_data import build_coded_campaign

pytestmark = pytest.mark.django_db


@pytest.fixture
def coded(org, other_org):
    coded = build_coded_campaign(org, other_org, n=40, seed=5)
    # Some tellers of the organisation consented to research but not to sharing with staff.
    private = [s.pk for s in coded.analysed if s.organisation_id == org.pk][:4]
    Story.objects.filter(pk__in=private).update(consent_sharing=False)
    facts.update(private)
    coded.private = private
    return coded


def url():
    with translation.override("en"):
        return reverse("analysis:dashboard")


def note(response) -> str:
    body = response.content.decode()
    found = re.search(r'data-testid="dashboard-collection">(.*?)</p>', body, re.S)
    assert found, "no collection note on the dashboard"
    return " ".join(found.group(1).split())


def shown(response) -> int:
    body = response.content.decode()
    return int(body.split('data-testid="dashboard-count">', 1)[1].split(" ", 1)[0])


def test_a_manager_s_dashboard_says_why_it_counts_fewer_stories_than_the_report(
    client, coded, manager
):
    campaign, org = coded.campaign, coded.org
    client.force_login(manager)
    response = client.get(url(), {"campaign": campaign.pk, "organisation": org.pk})
    assert response.status_code == 200
    stories = Story.objects.filter(campaign=campaign, organisation=org)
    told = stories.count()
    analysable = stories.filter(consent_research=True, erased_at=None)
    left = told - analysable.count()
    assert left == 3 and len(coded.private) == 4  # the fixture leaves these out
    assert shown(response) == analysable.filter(consent_sharing=True).count()

    text = note(response)
    assert f"Stories told: {told}." in text
    assert (
        f"Analysed, with the teller's consent to research: {analysable.count()} "
        "(the total of the report)." in text
    )
    assert "gave no consent to research, withdrew it or erased the story: 3." in text
    assert (
        "Not shown here: 4 analysed stories whose tellers did not consent to sharing with "
        "staff; you read only shared stories, the report includes them." in text
    )

    # The report for the same organisation: the same numbers, and the same reason.
    source = data.report_input(campaign, org, language="en")
    assert source.collection.received == told
    assert len(source.stories) == analysable.count()
    assert source.collection.no_research_consent + source.collection.erased == left
    assert source.collection.not_shared == 4
    methods = " ".join(reports.build_report(source).methods)
    assert f"In all, {told} stories were received" in methods
    assert (
        "Of the stories analysed, 4 were not shared by their tellers with staff: they are in "
        "this report but not on the dashboard of organisation managers and ambassadors, which "
        "counts only shared stories." in methods
    )
    dutch = " ".join(reports.build_report(data.report_input(campaign, org)).methods)
    assert "deelde de verteller er 4 niet met de medewerkers" in dutch


def test_a_researcher_s_dashboard_has_the_report_s_total(client, coded):
    client.force_login(make_user("rita", "researcher"))
    response = client.get(url(), {"campaign": coded.campaign.pk})
    source = data.report_input(coded.campaign, language="en")
    assert shown(response) == len(source.stories)
    text = note(response)
    assert f"Stories told: {source.collection.received}." in text
    assert f"consent to research: {len(source.stories)} (the total of the report)" in text
    assert "Not shown here" not in text


def test_with_a_period_the_dashboard_says_where_the_counts_are(client, coded, manager):
    client.force_login(manager)
    response = client.get(url(), {"start": "2018-03", "end": "2018-05"})
    assert "Choose no period to see how many stories were told" in note(response)


def test_the_collection_counts_only_the_user_s_organisations(coded, manager):
    from mango.accounts.models import scope_for

    mine = aggregate.collection(aggregate.Selection(scope=scope_for(manager)), shown=0)
    assert mine.told == Story.objects.filter(organisation=coded.org).count()
    assert mine.not_shown == mine.analysable
    everything = aggregate.collection(aggregate.Selection(), shown=0)
    assert everything.told == Story.objects.count()


def test_a_report_without_unshared_stories_does_not_mention_them():
    import pandas as pd

    source = reports.ReportInput(
        collection=reports.Collection(campaign="C", received=3),
        stories=pd.DataFrame(
            {
                "teller_role": ["patient"] * 3,
                "setting": ["hospital"] * 3,
                "oncological": ["no"] * 3,
                "organisation": ["A"] * 3,
                "unit": [None] * 3,
                "submitted_at": pd.to_datetime(["2018-03-01"] * 3, utc=True),
                "screening": ["included"] * 3,
                "exclusion_reason": [None] * 3,
                "respect": [1, 0, 1],
            }
        ),
        dimensions={"respect": ""},
        language="en",
    )
    assert "not shared by their tellers" not in " ".join(reports.build_report(source).methods)
