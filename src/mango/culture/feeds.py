"""What a feed or a wall shows of a shared story: its de-identified text, the month it
happened, and (in feeds) how many colleagues it touched. Never who touched it."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.utils import dateformat, timezone
from django.utils.translation import gettext as _

from mango.lib import programme

from .models import Reflection, StoryUnit, Touch

# Fields a feed or wall reads: nothing personal beyond the de-identified text.
FEED_FIELDS = ("pk", "text_redacted", "language", "submitted_at", "happened", "organisation_id")


def month_label(story) -> str:
    """ "March 2026", or "Told in March 2026" when the teller did not say the month."""
    month = programme.story_month(timezone.localdate(story.submitted_at), story.happened)
    label = dateformat.format(month.first_day, "F Y")
    if month.told:
        return _("Told in %(month)s") % {"month": label}
    return label


@dataclass
class Item:
    story: object
    month: str
    touches: int = 0
    touched: bool = False
    reflections: int = 0
    units: tuple = ()


def items(stories, user=None, *, with_units: bool = False) -> list[Item]:
    """Feed items for one page of stories: three grouped queries, whatever the page size."""
    stories = list(stories)
    ids = [s.pk for s in stories]
    touches = dict(
        Touch.objects.filter(story_id__in=ids)
        .values("story_id")
        .annotate(n=Count("id"))
        .values_list("story_id", "n")
    )
    mine = set()
    if user is not None and user.is_authenticated:
        mine = set(
            Touch.objects.filter(story_id__in=ids, user=user).values_list("story_id", flat=True)
        )
    reflections = dict(
        Reflection.objects.filter(story_id__in=ids)
        .values("story_id")
        .annotate(n=Count("id"))
        .values_list("story_id", "n")
    )
    units: dict[int, list[str]] = {}
    if with_units:
        for story_id, name in (
            StoryUnit.objects.filter(story_id__in=ids)
            .order_by("unit__name")
            .values_list("story_id", "unit__name")
        ):
            units.setdefault(story_id, []).append(name)
    return [
        Item(
            story=s,
            month=month_label(s),
            touches=touches.get(s.pk, 0),
            touched=s.pk in mine,
            reflections=reflections.get(s.pk, 0),
            units=tuple(units.get(s.pk, ())),
        )
        for s in stories
    ]
