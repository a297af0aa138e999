"""Which teams (units) a story belongs to: set from the unit's QR link when it arrives, or by a
moderator. Writes here are called by ``lifecycle`` (arrival) and the moderation page, each in
the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from mango.audit.log import record
from mango.organisations.models import Unit

from .models import StoryUnit

SAVED = _("The story's teams were saved.")


def link_placed(stories: Iterable) -> int:
    """Link each new story that arrived with a unit (its QR link, a form or import field) to
    that unit. Runs inside the arrival's transaction."""
    rows = [
        StoryUnit(story_id=story.pk, unit_id=story.unit_id)
        for story in stories
        if story.unit_id is not None
    ]
    StoryUnit.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)


def unit_ids(story) -> list[int]:
    return sorted(StoryUnit.objects.filter(story=story).values_list("unit_id", flat=True))


def set_units(actor, story, units: Iterable[Unit]) -> tuple[list[int], list[int]]:
    """A moderator sets the teams of a story (replacing the previous ones), audited. Units
    must belong to the story's organisation. Returns (added, removed) unit ids."""
    units = list(units)
    if any(unit.organisation_id != story.organisation_id for unit in units):
        raise ValueError("A story's teams belong to the story's organisation.")
    wanted = {unit.pk for unit in units}
    with transaction.atomic():
        current = set(
            StoryUnit.objects.select_for_update()
            .filter(story=story)
            .values_list("unit_id", flat=True)
        )
        added, removed = sorted(wanted - current), sorted(current - wanted)
        if not added and not removed:
            return [], []
        StoryUnit.objects.filter(story=story, unit_id__in=removed).delete()
        StoryUnit.objects.bulk_create(
            [StoryUnit(story=story, unit_id=pk, added_by=actor) for pk in added]
        )
        record(
            actor,
            "story.teams_changed",
            story,
            organisation=story.organisation,
            old={"units": sorted(current)},
            new={"units": sorted(wanted)},
        )
    return added, removed
