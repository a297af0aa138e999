"""The story lifecycle (``mango.lifecycle``): each step keeps the analysis tables equal to a
rebuild, lost jobs are taken over by the sweep, and closing a round settles in bulk."""

from datetime import timedelta

import pytest
from django.utils import timezone

from mango.analysis.models import StoryFact
from mango.lifecycle import actions, jobs
from mango.research import actions as research_actions
from mango.research.models import Code, Codebook, Decision, FinalCode
from mango.stories.models import Story
from tests.conftest import make_story, make_user, story_values
from tests.test_analysis_facts import assert_equals_rebuild

# Upserts, row locks and the packed frame read differ by database: run on PostgreSQL too.
pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def received(org, minutes_ago: int) -> Story:
    story = Story.objects.create(organisation=org, **story_values())
    Story.objects.filter(pk=story.pk).update(
        submitted_at=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return story


def test_the_sweep_takes_over_a_story_whose_job_was_lost(org):
    lost = received(org, minutes_ago=3)
    fresh = received(org, minutes_ago=0)
    jobs.deidentify_waiting_sweep()
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == "deidentified"
    assert StoryFact.objects.filter(story_id=lost.pk).exists()
    assert fresh.status == "received"  # left to its own job


def test_submitting_queues_deidentification_which_counts_the_story(org, monkeypatch):
    queued = []
    monkeypatch.setattr(jobs, "deidentify_story_job", queued.append)
    from mango.stories.placement import place

    story = actions.submit_story(story_values(), place(org), source="form")
    assert queued == [story.pk]
    assert not StoryFact.objects.filter(story_id=story.pk).exists()
    assert actions.deidentify_story(story.pk).status == "deidentified"
    assert StoryFact.objects.get(story_id=story.pk).analysable
    assert actions.deidentify_story(story.pk) is None  # idempotent
    assert_equals_rebuild()


@pytest.fixture
def coded_round(org):
    """A round of six stories, double-coded: four agreed, two not."""
    book = Codebook.objects.get(slug="dimensions")
    codes = {c.key: c for c in Code.objects.filter(codebook=book)}
    stories = [make_story(org) for _ in range(6)]
    lead = make_user("lead", "researcher")
    coders = [make_user("c1", "researcher"), make_user("c2", "researcher")]
    round = research_actions.create_round(
        lead,
        name="R",
        codebook=book,
        stories=[s.pk for s in stories],
        coders=coders,
        coders_per_story=2,
    )
    for i, story in enumerate(stories):
        for n, coder in enumerate(coders):
            a = round.assignments.get(story=story, coder=coder)
            keys = ["respect"] if n == 0 or i < 4 else ["family"]
            for key in keys:
                research_actions.toggle_code(a, codes[key])
    return round, lead, stories


def test_closing_a_round_settles_the_agreed_stories_and_counts_them(coded_round):
    round, lead, stories = coded_round
    summary = actions.close_round(lead, round)
    assert (summary["agreed"], summary["to_adjudicate"]) == (4, 2)
    settled = set(Decision.objects.filter(round=round).values_list("story_id", flat=True))
    assert settled == {s.pk for s in stories[:4]}
    assert set(FinalCode.objects.filter(round=round).values_list("story_id", "code__key")) == {
        (s.pk, "respect") for s in stories[:4]
    }
    assert StoryFact.objects.filter(settled=True).count() == 4
    assert_equals_rebuild()


def test_a_later_round_does_not_overwrite_an_adjudication(coded_round, org):
    round, lead, stories = coded_round
    actions.close_round(lead, round)
    actions.adjudicate(lead, round, stories[0], ["access"], "recoded")
    again = research_actions.create_round(
        lead,
        name="R2",
        codebook=round.codebook,
        stories=[stories[0].pk],
        coders=[make_user("c3", "researcher")],
        coders_per_story=1,
    )
    a = again.assignments.get()
    research_actions.toggle_code(a, Code.objects.get(codebook=round.codebook, key="family"))
    actions.close_round(lead, again)
    assert list(FinalCode.objects.filter(story=stories[0]).values_list("code__key", flat=True)) == [
        "access"
    ]
    assert_equals_rebuild()


def test_closing_writes_the_decisions_in_a_few_queries(coded_round, django_assert_max_num_queries):
    round, lead, _ = coded_round
    # Not one query per story: the count stays the same however many stories settle.
    with django_assert_max_num_queries(40):
        actions.close_round(lead, round)


def test_the_hourly_sweep_forgets_expired_submission_keys(org):
    from mango.stories import submissions
    from mango.stories.models import SubmissionKey

    story = make_story(org)
    old, _ = submissions.submit_once("api", "old-key", "x", lambda: story)
    fresh, _ = submissions.submit_once("api", "fresh-key", "y", lambda: story)
    SubmissionKey.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - submissions.WINDOW - timedelta(minutes=1)
    )
    jobs.forget_submission_keys_sweep()
    assert list(SubmissionKey.objects.values_list("pk", flat=True)) == [fresh.pk]
    # An expired key may be used again at once, before the sweep.
    SubmissionKey.objects.filter(pk=fresh.pk).update(
        created_at=timezone.now() - submissions.WINDOW - timedelta(minutes=1)
    )
    again, stored = submissions.submit_once("api", "fresh-key", "z", lambda: story)
    assert stored and again.pk != fresh.pk
