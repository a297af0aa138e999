"""A story's lifecycle: every step that moves a story on is one function here.

    submit_story / import_stories       a story arrives (form, API; or a file, all rows or none)
        -> deidentify_story             names, numbers, places redacted (a job, after the commit)
        -> add_redaction, undo_redaction, review_story
                                        a moderator checks the redactions, shares it or not
        -> close_round, adjudicate      coded in a round; agreed or adjudicated codes settle it
    at any time:
        withdraw_consent, erase_story   the teller's rights

Each step, in one transaction:
1. changes the story through the app that owns the data (``stories.privacy``,
   ``stories.importer``, ``research.actions``), which writes its audit row;
2. brings the analysis facts of exactly the stories it touched up to date
   (``analysis.facts.update``, once per step, however many stories);
3. and, after the commit, queues what follows by name (``jobs``).

A told story is counted when it is de-identified, not in the teller's request: it has no
codes yet, so the dashboards lose only the seconds before the job runs (the facts' catch-up
sweep in ``jobs`` counts any story whose job was lost). Nothing else writes these steps:
views, the API, commands and the demo call these functions.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from mango.analysis import facts
from mango.culture import teams
from mango.recognition import notes
from mango.research import actions as coding
from mango.stories import importer, privacy
from mango.stories.models import Story
from mango.stories.placement import Placement

from . import jobs

log = logging.getLogger("mango.lifecycle")


# --- arrival -----------------------------------------------------------------------------


def submit_story(values: dict, placement: Placement, *, source: str = "form") -> Story:
    """Store a validated story. It is committed before this returns, so the receipt we hand
    out always names a stored story; de-identification (and with it the facts) follows in a
    job."""
    with transaction.atomic():
        story = Story(
            **values,
            organisation=placement.organisation,
            unit=placement.unit,
            campaign=placement.campaign,
            source=source,
        )
        story.save(force_insert=True)
        # Told through a unit's QR link: the story belongs to that unit's team.
        teams.link_placed([story])
    log.info("story received id=%s source=%s", story.pk, source)
    jobs.queue_deidentification(story.pk)
    return story


def import_stories(prepared: importer.Prepared, *, skip_invalid: bool = False) -> int:
    """Store the valid rows of a checked file, all or none, counted in the analysis tables
    in the same transaction; their de-identification is queued after the commit."""
    with transaction.atomic():
        stories = importer.import_stories(prepared, skip_invalid=skip_invalid)
        teams.link_placed(stories)
        facts.update(story.pk for story in stories)
    jobs.queue_waiting_deidentification()
    return len(stories)


def add_stories(stories: list[Story]) -> list[Story]:
    """Store stories made in bulk (the demo), counted in the same transaction; they wait for
    de-identification like imported ones."""
    with transaction.atomic():
        Story.objects.bulk_create(stories, batch_size=2000)
        teams.link_placed(stories)
        facts.update(story.pk for story in stories)
    jobs.queue_waiting_deidentification()
    return stories


def delete_stories(stories) -> int:
    """Delete stories outright (the demo's own, before a reload; never a teller's story,
    which is erased instead); they leave the analysis tables in the same transaction."""
    with transaction.atomic():
        ids = list(stories.values_list("pk", flat=True))
        stories.filter(pk__in=ids).delete()
        facts.update(ids)
    return len(ids)


# --- de-identification -------------------------------------------------------------------


# Stories de-identified per transaction when many wait (an import of thousands).
DEIDENTIFY_BATCH = 200


def deidentify_story(story_id: int) -> Story | None:
    """De-identify a newly arrived story (run as a job). Idempotent: a story already past this
    step, withdrawn or erased is left alone and None is returned."""
    done = _deidentify([story_id])
    return done[0] if done else None


def deidentify_waiting(limit: int | None = None, *, older_than: timedelta | None = None) -> int:
    """De-identify every story still waiting (imports, or arrivals whose job was lost), a
    batch per transaction; ``older_than``: only those that arrived at least that long ago
    (the sweep leaves fresh arrivals to their own job)."""
    waiting = Story.objects.filter(status="received").exclude(text="")
    if older_than is not None:
        waiting = waiting.filter(submitted_at__lte=timezone.now() - older_than)
    ids = list(waiting.order_by("pk").values_list("pk", flat=True))
    ids = ids[:limit] if limit else ids
    done = 0
    for start in range(0, len(ids), DEIDENTIFY_BATCH):
        done += len(_deidentify(ids[start : start + DEIDENTIFY_BATCH]))
    return done


def _deidentify(story_ids: list[int]) -> list[Story]:
    stories = Story.objects.select_related("organisation").filter(
        pk__in=story_ids, status="received"
    )
    # The de-identifier is the slow part: run it outside the transaction.
    results = [(story.pk, privacy.redact(story)) for story in stories if story.text]
    with transaction.atomic():
        done = [privacy.save_deidentified(pk, result) for pk, result in results]
        done = [story for story in done if story is not None]
        facts.update(story.pk for story in done)
    jobs.queue_suggestions([story.pk for story in done])
    return done


# --- moderation --------------------------------------------------------------------------


def _moderated(change, *args, **kwargs) -> Story:
    """Run a moderator's change (``stories.privacy``) and update the story's facts with it."""
    with transaction.atomic():
        story = change(*args, **kwargs)
        facts.update([story.pk])
    return story


def set_redactions(actor, story: Story, redactions: list[dict], note: str = "") -> Story:
    return _moderated(privacy.set_redactions, actor, story, redactions, note=note)


def add_redaction(actor, story: Story, start: int, end: int, kind: str) -> Story:
    return _moderated(privacy.add_redaction, actor, story, start, end, kind)


def undo_redaction(actor, story: Story, index: int) -> Story:
    return _moderated(privacy.undo_redaction, actor, story, index)


def review_story(actor, story: Story, *, shareable: bool, reason: str) -> Story:
    return _moderated(privacy.review_story, actor, story, shareable=shareable, reason=reason)


def set_story_teams(actor, story: Story, units) -> tuple[list[int], list[int]]:
    """A moderator sets the teams (units) a story belongs to; a shared story appears in
    their team feeds. Audited; the analysis facts do not depend on it."""
    with transaction.atomic():
        return teams.set_units(actor, story, units)


# --- coding settled ----------------------------------------------------------------------


def close_round(actor, round) -> dict:
    """Close a coding round; the stories its coders agree on are settled and counted."""
    with transaction.atomic():
        summary, settled = coding.close_round(actor, round)
        facts.update(settled)
    return summary


def adjudicate(actor, round, story: Story, code_keys: list[str], comment: str):
    """An adjudicator settles a story's final codes in a round."""
    with transaction.atomic():
        decision = coding.adjudicate(actor, round, story, code_keys, comment)
        facts.update([story.pk])
    return decision


# --- the teller's rights -----------------------------------------------------------------


def withdraw_consent(story: Story, *, research: bool = False, sharing: bool = False) -> Story:
    """The teller withdraws one or both consents; without research consent a story leaves
    every count at once."""
    with transaction.atomic():
        story = privacy.withdraw_consent(story, research=research, sharing=sharing)
        facts.update([story.pk])
    return story


def erase_story(story: Story, *, actor=None, by: str = "teller") -> Story:
    """Erase the text and personal data; the anonymous tombstone stays in the collection
    counts only."""
    with transaction.atomic():
        story = privacy.erase_story(story, actor=actor, by=by)
        notes.forget_story(story)  # a staff member's reply may quote the story
        facts.update([story.pk])
    return story
