"""Which stories may be shown to teams: the one place that decides it.

Team feeds, the organisation's feed, story walls and posters here, and the recognition app's
notes, cards and digests, all start from these querysets. A story is shown only once a
moderator shared it (status ``shared``), while the teller's consent to sharing holds and the
story is not erased; only its de-identified text (``Story.text_redacted``) is ever displayed.
Withdrawing consent or erasure changes the status (``lifecycle.actions``), so a story leaves
every page built on these at the next request.

Plain access rules (who may open a team's feed) live in ``culture.access``; these functions
check no user.
"""

from __future__ import annotations

from collections.abc import Iterable

from mango.stories.models import Story

from .models import StoryUnit


def shared_stories():
    """Every story that may be shown to staff, network-wide (callers narrow it down)."""
    return Story.objects.filter(
        status="shared", consent_sharing=True, erased_at__isnull=True
    ).exclude(text_redacted="")


def shared_stories_for_units(unit_ids: Iterable[int]):
    """Shared stories linked to any of these units (``culture.StoryUnit``), each once."""
    ids = [int(pk) for pk in unit_ids]
    linked = StoryUnit.objects.filter(unit_id__in=ids).values("story_id")
    return shared_stories().filter(pk__in=linked)


def shared_stories_for_organisation(organisation):
    """Shared stories of one organisation (an Organisation or its id)."""
    org_id = getattr(organisation, "pk", organisation)
    return shared_stories().filter(organisation_id=org_id)


def is_shown(story: Story) -> bool:
    """Whether one story (as loaded) may be shown; pages still query through the sets above
    so that a story withdrawn a moment ago is gone."""
    return (
        story.status == "shared"
        and story.consent_sharing
        and story.erased_at is None
        and bool(story.text_redacted)
    )
