"""Fair recognition for one organisation: how shared stories and thank-you notes spread over
professions and teams. Counts only (``lib.recognition``): no names, no ranking of people."""

from __future__ import annotations

from django.db.models import Count

from mango import labels as mango_labels
from mango.culture import visible
from mango.culture.models import StoryUnit
from mango.lib import recognition, vocab

from . import labels
from .models import ThankYouNote


def _labelled(shares, names):
    return [
        {"code": s.code, "label": names.get(s.code, s.code), "count": s.count, "percent": s.percent}
        for s in shares
    ]


def summary(organisation) -> dict:
    stories = visible.shared_stories_for_organisation(organisation)
    by_gesture = dict(
        stories.order_by()
        .values("gesture_by")
        .annotate(n=Count("pk"))
        .values_list("gesture_by", "n")
    )
    notes = ThankYouNote.objects.filter(story__organisation=organisation)
    by_profession = recognition.count(notes.values_list("profession", flat=True))
    story_teams = dict(
        StoryUnit.objects.filter(story__in=stories.order_by().values("pk"))
        .order_by()
        .values("unit__name")
        .annotate(n=Count("story", distinct=True))
        .values_list("unit__name", "n")
    )
    note_teams = dict(
        notes.exclude(unit=None)
        .order_by()
        .values("unit__name")
        .annotate(n=Count("pk"))
        .values_list("unit__name", "n")
    )
    professions = recognition.spread(by_profession, vocab.PROFESSIONS)
    return {
        "story_total": stories.count(),
        "note_total": notes.count(),
        "gestures": _labelled(
            recognition.spread(by_gesture, vocab.GESTURE_BY), mango_labels.GESTURE_BY
        ),
        "professions": _labelled(professions, labels.PROFESSION),
        "never_thanked": [
            labels.PROFESSION.get(code, code) for code in recognition.never_recognised(professions)
        ],
        "teams": recognition.team_table(story_teams, note_teams),
    }
