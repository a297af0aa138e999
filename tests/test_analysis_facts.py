"""The analysis tables (facts and tallies) kept up to date by every change equal a rebuild
from scratch: after new stories, final codes settled and changed by adjudication, consent
withdrawn, erasure, deletion and an import; and a story that leaves the analysis leaves the
dashboard's counts at once."""

import pytest
from django.core.management import call_command

from mango.analysis import aggregate, data, facts
from mango.analysis.models import StoryFact, Tally
from mango.lib.access import StoryScope
from mango.lifecycle import actions
from mango.stories.models import Story
from tests.conftest import make_story, make_user, story_values
from tests.test_analysis_data import DIMENSIONS, build_coded_campaign, settle

# Upserts, row locks and the packed frame read differ by database: run on PostgreSQL too.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

FIELDS = [f.attname for f in StoryFact._meta.concrete_fields]


def snapshot():
    stored = sorted(StoryFact.objects.values_list(*FIELDS))
    tallies = {
        row[: len(facts.KEY)]: row[len(facts.KEY) :]
        for row in Tally.objects.values_list(*facts.KEY, *facts.MEASURES)
        if any(row[len(facts.KEY) :])  # an incremental update may leave rows at zero
    }
    return stored, tallies


def assert_equals_rebuild():
    incremental = snapshot()
    assert incremental[0], "no facts at all"
    facts.rebuild()
    rebuilt = snapshot()
    assert incremental[0] == rebuilt[0]
    assert incremental[1] == rebuilt[1]


def analysed_total(coded):
    parts, _ = aggregate.parts(
        aggregate.Selection(campaign=coded.campaign.pk),
        group="respondent_group",
        dimensions=DIMENSIONS,
        reasons=[],
        units_of_organisation=False,
        language="en",
    )
    return parts.stories, parts.coded


@pytest.fixture
def coded(org, other_org):
    return build_coded_campaign(org, other_org, n=60, seed=3)


def test_a_coded_campaign_equals_a_rebuild(coded):
    assert StoryFact.objects.filter(analysable=True, campaign_id=coded.campaign.pk).count() == 60
    assert analysed_total(coded)[0] == 60
    assert_equals_rebuild()


def test_a_new_story_and_its_codes(coded):
    story = make_story(coded.org, campaign=coded.campaign, teller_role="professional")
    assert analysed_total(coded)[0] == 61
    before = analysed_total(coded)[1]
    settle(story, "screening", ["mangomoment"])
    settle(story, "dimensions", ["respect", "access"])
    assert analysed_total(coded)[1] == before + 1
    assert_equals_rebuild()


def told_story(coded, role: str) -> Story:
    """A story as ``submit_story`` stores it: its facts left to the de-identification step
    (its job is not run here)."""
    return Story.objects.create(
        **story_values(teller_role=role), organisation=coded.org, campaign=coded.campaign
    )


def test_a_told_story_is_counted_when_it_is_deidentified(coded):
    """The form's and API's new story leaves its facts to the de-identification step."""
    story = told_story(coded, "family")
    assert not StoryFact.objects.filter(story_id=story.pk).exists()
    assert analysed_total(coded)[0] == 60
    actions.deidentify_story(story.pk)
    assert StoryFact.objects.get(story_id=story.pk).analysable
    assert analysed_total(coded)[0] == 61
    assert_equals_rebuild()


def test_catching_up_counts_stories_whose_job_never_ran(coded):
    for role in ("patient", "professional", "family"):
        told_story(coded, role)
    assert analysed_total(coded)[0] == 60
    assert facts.catch_up(batch=2) == 3
    assert analysed_total(coded)[0] == 63
    assert facts.catch_up() == 0
    assert_equals_rebuild()


def test_adjudication_changes_the_final_codes(coded):
    adjudicator = make_user("adjudicator", "researcher")
    coded_story = next(
        s
        for s in coded.analysed
        if StoryFact.objects.get(story_id=s.pk).settled
        and StoryFact.objects.get(story_id=s.pk).included
    )
    actions.adjudicate(adjudicator, coded.round, coded_story, ["information"], "recoded")
    fact = StoryFact.objects.get(story_id=coded_story.pk)
    assert [
        k
        for k in DIMENSIONS
        if data.story_frame(StoryFact.objects.filter(story_id=coded_story.pk), DIMENSIONS).iloc[0][
            k
        ]
    ] == ["information"]
    assert fact.settled
    assert_equals_rebuild()


def test_withdrawing_research_consent_drops_the_story_at_once(coded):
    story = coded.analysed[0]
    stories, _ = analysed_total(coded)
    actions.withdraw_consent(story, research=True)
    assert analysed_total(coded)[0] == stories - 1
    assert not StoryFact.objects.get(story_id=story.pk).analysable
    assert data.collection_counts(coded.campaign)["no_research_consent"] == 3
    assert_equals_rebuild()


def test_erasure_drops_the_story_at_once(coded):
    story = coded.analysed[1]
    stories, _ = analysed_total(coded)
    actions.erase_story(story)
    assert analysed_total(coded)[0] == stories - 1
    assert data.collection_counts(coded.campaign)["erased"] == 2
    assert_equals_rebuild()


def test_a_deleted_story_leaves_no_fact(coded):
    story = coded.analysed[2]
    stories, _ = analysed_total(coded)
    actions.delete_stories(Story.objects.filter(pk=story.pk))
    assert not StoryFact.objects.filter(story_id=story.pk).exists()
    assert analysed_total(coded)[0] == stories - 1
    assert_equals_rebuild()


def test_a_manager_sees_only_shared_stories_of_the_organisation(coded):
    make_story(coded.org, campaign=coded.campaign, consent_sharing=False)
    scope_manager = aggregate.Selection(scope=StoryScope(sharing_orgs=frozenset({coded.org.pk})))
    expected = Story.objects.filter(
        organisation=coded.org, consent_research=True, consent_sharing=True, erased_at=None
    ).count()
    parts, _ = aggregate.parts(
        scope_manager,
        group="respondent_group",
        dimensions=DIMENSIONS,
        reasons=[],
        units_of_organisation=True,
        language="en",
    )
    assert parts.stories == expected


def test_the_rebuild_command(coded, capsys):
    Tally.objects.all().delete()
    StoryFact.objects.all().delete()
    call_command("analysis", "rebuild")
    assert "Rebuilt the analysis tables" in capsys.readouterr().out
    assert analysed_total(coded)[0] == 60
