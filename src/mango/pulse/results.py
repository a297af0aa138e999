"""Reading pulse results under the k-anonymity rule, and the process measures per month.

Every figure is built from the tallies of the cells (a team in a period) that
``mango.lib.anonymity`` releases for that period in that organisation: a team's point when the
team's cell is shown, an organisation's or the network's point from the members of its
selection (shown cells, and whole pools). No view reads answers otherwise.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from mango.lib import anonymity

from . import measures
from .models import Answer, Item, PulseSettings, Tally


@dataclass(frozen=True)
class Point:
    when: date
    n: int  # answers counted (0 when not shown)
    mean: float | None
    favourable: int
    shown: bool

    @property
    def share(self) -> float | None:
        return self.favourable / self.n if self.n else None


def k_by_org(organisation_ids) -> dict:
    found = dict(
        PulseSettings.objects.filter(organisation_id__in=list(organisation_ids)).values_list(
            "organisation_id", "k"
        )
    )
    return {org: anonymity.effective_k(found.get(org)) for org in organisation_ids}


def _cells(item: Item, **filters):
    """Tally rows of ``item``: (organisation, period, unit, opens_on, respondents, counts)."""
    return list(
        Tally.objects.filter(item=item, **filters).values_list(
            "organisation_id", "period_id", "unit_id", "opens_on", "respondents", "counts"
        )
    )


def _releases(rows) -> dict:
    """One release per (organisation, period), each with the organisation's k."""
    counts = defaultdict(dict)
    for org, period, unit, _opens, respondents, _c in rows:
        counts[(org, period)][unit] = respondents
    ks = k_by_org({org for org, _p in counts})
    return {key: anonymity.plan(cells, ks[key[0]]) for key, cells in counts.items()}


def releases(rows) -> dict:
    """The releases of tally rows ``(organisation, period, unit, opens_on, respondents,
    counts)``, per (organisation, period)."""
    return _releases(rows)


def team_series(unit, item: Item) -> list[Point]:
    """The team's points, one per period of its pulses (hidden where under k)."""
    periods = list(Tally.objects.filter(unit=unit, item=item).values_list("period_id", flat=True))
    rows = _cells(item, period_id__in=periods)
    releases = _releases(rows)
    out = []
    for org, period, cell_unit, opens_on, _respondents, counts in sorted(rows, key=lambda r: r[3]):
        if cell_unit != unit.pk:
            continue
        if releases[(org, period)].is_shown(unit.pk):
            s = measures.summarise(counts, item.scale_min, item.favourable_from)
            out.append(Point(opens_on, s.n, s.mean, s.favourable, True))
        else:
            out.append(Point(opens_on, 0, None, 0, False))
    return out


def releases_for(*, organisation=None) -> dict:
    """The releases of every (organisation, period) from each instrument's first scale item
    (a cell's people are the same for all its scale items): for ``group_series`` over
    several items, computed once."""
    from .network import first_scale_items

    tallies = Tally.objects.filter(item_id__in=first_scale_items())
    if organisation is not None:
        tallies = tallies.filter(organisation=organisation)
    rows = tallies.values_list(
        "organisation_id", "period_id", "unit_id", "opens_on", "respondents", "counts"
    )
    return _releases(list(rows))


def group_series(item: Item, *, organisation=None, units=None, releases=None) -> list[Point]:
    """Per month: an organisation's (or, without one, the network's) combined answers from
    the released cells of the selected teams (``units``: ids; None for all)."""
    filters = {"organisation": organisation} if organisation is not None else {}
    rows = _cells(item, **filters)
    if releases is None:
        releases = _releases(rows)
    by_key = defaultdict(list)
    for row in rows:
        by_key[(row[0], row[1])].append(row)
    months = defaultdict(list)
    first = {}
    for key, cell_rows in by_key.items():
        selected = {r[2] for r in cell_rows if units is None or r[2] in units}
        release = releases.get(key) or _releases(cell_rows)[key]
        allowed = anonymity.members(release, selected)
        month = measures.month_start(cell_rows[0][3])
        first.setdefault(month, True)
        months[month] += [r[5] for r in cell_rows if r[2] in allowed]
    out = []
    for month in sorted(first):
        s = measures.summarise(
            measures.combine(months[month]), item.scale_min, item.favourable_from
        )
        out.append(Point(month, s.n, s.mean, s.favourable, s.n > 0))
    return out


def team_texts(unit, period_ids=None) -> list[str]:
    """De-identified free-text answers of the team's periods whose results are shown, in
    alphabetical order (never in the order they came in)."""
    from .network import first_scale_items

    first = first_scale_items()
    periods = Tally.objects.filter(unit=unit, item_id__in=first).values("period_id")
    if period_ids is not None:
        periods = periods.filter(period_id__in=period_ids)
    rows = list(
        Tally.objects.filter(period_id__in=periods, item_id__in=first).values_list(
            "organisation_id", "period_id", "unit_id", "opens_on", "respondents", "counts"
        )
    )
    shown = {
        period for (_org, period), release in _releases(rows).items() if release.is_shown(unit.pk)
    }
    texts = Answer.objects.filter(
        response__unit=unit,
        response__period_id__in=shown,
        item__kind="text",
        deidentified=True,
    ).values_list("text_redacted", flat=True)
    return sorted(texts, key=str.casefold)


# ----- process measures per month -------------------------------------------------------------

PROCESS = ("told", "shared", "thanks", "reflections")


def process_counts(*, units=None, organisation=None) -> dict[str, dict[date, int]]:
    """Per measure, per month: stories told and shared about the teams, thank-you notes
    sent, reflections held. ``units``: a queryset or list of unit ids; else the
    organisation's, else the network's."""
    from mango.culture.models import Reflection
    from mango.recognition.models import ThankYouNote
    from mango.stories.models import Story

    def by_month(queryset, field):
        rows = (
            queryset.exclude(**{f"{field}__isnull": True})
            .annotate(month=TruncMonth(field))
            .values("month")
            .annotate(n=Count("pk", distinct=True))
        )
        out = {}
        for row in rows:
            month = row["month"]
            month = month.date() if hasattr(month, "date") else month
            out[month] = row["n"]
        return out

    stories = Story.objects.filter(erased_at=None)
    notes = ThankYouNote.objects.all()
    reflections = Reflection.objects.all()
    if units is not None:
        stories = stories.filter(Q(unit__in=units) | Q(team_links__unit__in=units))
        notes = notes.filter(unit__in=units)
        reflections = reflections.filter(unit__in=units)
    elif organisation is not None:
        stories = stories.filter(organisation=organisation)
        notes = notes.filter(unit__organisation=organisation)
        reflections = reflections.filter(unit__organisation=organisation)
    return {
        "told": by_month(stories, "submitted_at"),
        "shared": by_month(stories.filter(status="shared"), "shared_at"),
        "thanks": by_month(notes, "sent_at"),
        "reflections": by_month(reflections, "created_at"),
    }


def pooled_counts(item: Item, start: date, end: date, *, unit=None, organisation=None, units=None):
    """The combined tally of the released cells whose period opened between ``start`` and
    ``end``: of one team (its shown cells), or of an organisation's selected teams."""
    filters = {"opens_on__gte": start, "opens_on__lte": end}
    if unit is not None:
        periods = Tally.objects.filter(unit=unit, item=item, **filters).values("period_id")
        rows = _cells(item, period_id__in=periods)
    else:
        rows = _cells(item, organisation=organisation, **filters)
    releases = _releases(rows)
    tallies = []
    for org, period, cell_unit, _opens, _n, counts in rows:
        release = releases[(org, period)]
        if unit is not None:
            if cell_unit == unit.pk and release.is_shown(unit.pk):
                tallies.append(counts)
            continue
        selected = {r[2] for r in rows if r[1] == period and (units is None or r[2] in units)}
        if cell_unit in anonymity.members(release, selected):
            tallies.append(counts)
    return measures.combine(tallies)
