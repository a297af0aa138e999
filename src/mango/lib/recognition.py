"""Recognition without Django: digest periods and how praise spreads over professions and teams.

Fair recognition (issue 14, point 7) asks whether cleaners, porters and night staff are
recognised as often as nurses and doctors. The answer is a table of counts per category with
its share of the total; it never names or ranks people. Digest periods are calendar weeks
(ISO, Monday to Sunday) and calendar months: a digest covers the last complete one, and its
key (``2026-W49``, ``2026-11``) is what makes a digest unique per person.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

FREQUENCIES = ("weekly", "monthly", "never")


@dataclass(frozen=True)
class Period:
    """A digest's period: ``start`` included, ``end`` excluded (both dates)."""

    frequency: str
    key: str
    start: date
    end: date

    def __contains__(self, day: date) -> bool:
        return self.start <= day < self.end


def last_complete_period(frequency: str, today: date) -> Period:
    """The last calendar week (Monday to Sunday) or month that ended before ``today``."""
    if frequency == "weekly":
        this_monday = today - timedelta(days=today.weekday())
        start = this_monday - timedelta(days=7)
        year, week, _ = start.isocalendar()
        return Period("weekly", f"{year}-W{week:02d}", start, this_monday)
    if frequency == "monthly":
        end = today.replace(day=1)
        start = (end - timedelta(days=1)).replace(day=1)
        return Period("monthly", f"{start:%Y-%m}", start, end)
    raise ValueError(f"No digest period for {frequency!r}: use weekly or monthly.")


def period_from_key(key: str) -> Period:
    """The period a key stands for: ``2026-W48`` (a week) or ``2026-11`` (a month)."""
    if "-W" in key:
        try:
            year, week = (int(part) for part in key.split("-W"))
            start = date.fromisocalendar(year, week, 1)
        except ValueError:
            raise ValueError(f"A week is written YYYY-Www, like 2026-W48, not {key!r}.") from None
        return Period("weekly", key, start, start + timedelta(days=7))
    start, end = month_bounds(key)
    return Period("monthly", key, start, end)


def month_bounds(text: str) -> tuple[date, date]:
    """``"2026-11"`` -> (1 November 2026, 1 December 2026). Raises ValueError on bad input."""
    try:
        year, month = (int(part) for part in text.split("-"))
        start = date(year, month, 1)
    except (TypeError, ValueError):
        raise ValueError(f"A month is written YYYY-MM, like 2026-11, not {text!r}.") from None
    end = date(year + (month == 12), month % 12 + 1, 1)
    return start, end


@dataclass(frozen=True)
class Share:
    """One category's count and its share of the total, in whole percent."""

    code: str
    count: int
    percent: int


def spread(counts: Mapping[str, int], categories: Sequence[str] = ()) -> list[Share]:
    """Counts per category with percentages that add up to 100 (largest remainders), the
    ``categories`` first in their order (zero counts included: a profession nobody thanks
    shows up as 0), then any other category by count. An empty total gives all zeros."""
    if any(value < 0 for value in counts.values()):
        raise ValueError("Counts cannot be negative.")
    order = list(dict.fromkeys(categories))
    order += sorted((c for c in counts if c not in order), key=lambda c: (-counts[c], c))
    values = [int(counts.get(code, 0)) for code in order]
    total = sum(values)
    if total == 0:
        return [Share(code, 0, 0) for code in order]
    exact = [100 * value / total for value in values]
    whole = [int(x) for x in exact]
    left = 100 - sum(whole)
    by_remainder = sorted(range(len(order)), key=lambda i: (-(exact[i] - whole[i]), i))
    for i in by_remainder[:left]:
        whole[i] += 1
    return [Share(code, value, pct) for code, value, pct in zip(order, values, whole, strict=True)]


def count(codes: Iterable[str]) -> dict[str, int]:
    """How often each code occurs (blank codes count as ``"other"``)."""
    out: dict[str, int] = {}
    for code in codes:
        key = code or "other"
        out[key] = out.get(key, 0) + 1
    return out


def never_recognised(shares: Sequence[Share]) -> list[str]:
    """The categories with no count at all, in table order."""
    return [share.code for share in shares if share.count == 0]


@dataclass(frozen=True)
class TeamRow:
    """A team's shared stories and thank-you notes (counts only)."""

    team: str
    stories: int
    notes: int


def team_table(stories: Mapping[str, int], notes: Mapping[str, int]) -> list[TeamRow]:
    """One row per team that has stories or notes, most stories first, then by name."""
    teams = set(stories) | set(notes)
    rows = [TeamRow(t, int(stories.get(t, 0)), int(notes.get(t, 0))) for t in teams]
    return sorted(rows, key=lambda r: (-r.stories, -r.notes, r.team))
