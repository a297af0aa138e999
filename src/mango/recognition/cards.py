"""Printable thank-you cards: A6, the story on one side and the team on the other, for one
story or a month's stories in one PDF (WeasyPrint; nl, fr, en).

Cards are made from the stories that may be shown at the moment of printing
(``culture.visible``): a story whose teller withdrew consent, or that was erased, is not
printed any more. Only the de-identified text is printed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.template.loader import get_template
from django.utils import timezone
from django.utils.translation import override as language_override

from mango.culture import visible
from mango.culture.models import StoryUnit
from mango.stories.models import Story

TEMPLATE = "recognition/card.html"
# Longer stories get smaller type so that a card's front stays one A6 page.
SIZES = ((450, "large"), (900, "medium"), (1800, "small"))


@dataclass(frozen=True)
class Card:
    text: str
    language: str
    month: datetime
    team: str
    organisation: str
    size: str


def _size(text: str) -> str:
    for limit, name in SIZES:
        if len(text) <= limit:
            return name
    return "tiny"


def _team_names(stories: list[Story]) -> dict[int, str]:
    names: dict[int, list[str]] = {}
    links = (
        StoryUnit.objects.filter(story__in=stories).select_related("unit").order_by("unit__name")
    )
    for link in links:
        names.setdefault(link.story_id, []).append(link.unit.name)
    return {pk: ", ".join(units) for pk, units in names.items()}


def cards_for(stories, *, team: str = "") -> list[Card]:
    stories = list(stories.select_related("organisation", "unit"))
    teams = _team_names(stories) if not team else {}
    return [
        Card(
            text=story.text_redacted,
            language=story.language,
            month=story.shared_at or story.submitted_at,
            team=team or teams.get(story.pk) or (story.unit.name if story.unit_id else ""),
            organisation=story.organisation.name if story.organisation_id else "",
            size=_size(story.text_redacted),
        )
        for story in stories
    ]


def story_cards(story_id: int) -> list[Card]:
    """One story's card, or none when it may not be shown (any more)."""
    return cards_for(visible.shared_stories().filter(pk=story_id))


def month_cards(start: date, end: date, *, organisation=None, unit=None) -> list[Card]:
    """The cards of the stories shared between ``start`` and ``end`` (a month) of a unit or
    an organisation, oldest first."""
    begin = timezone.make_aware(datetime.combine(start, time.min))
    until = timezone.make_aware(datetime.combine(end, time.min))
    if unit is not None:
        stories = visible.shared_stories_for_units([unit.pk])
    else:
        stories = visible.shared_stories_for_organisation(organisation)
    stories = stories.filter(shared_at__gte=begin, shared_at__lt=until).order_by("shared_at", "pk")
    return cards_for(stories, team=unit.name if unit is not None else "")


def render(cards: list[Card], language: str) -> bytes:
    """The cards as one PDF: each card's front (the story) on a right-hand page and its back
    (the team) on the following left-hand page, for double-sided printing."""
    import weasyprint  # loads Pango and fonts: only card downloads need it

    with language_override(language):
        html = get_template(TEMPLATE).render({"cards": cards, "language": language})
    fetcher = weasyprint.URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
