"""Pulse measures from value counts, the pulse's calendar, and the network's medians.

Framework-free (no Django): the app passes plain numbers in. A tally is a list of counts, one
per value of the scale (``counts[i]`` people answered ``scale_min + i``).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Summary:
    n: int
    mean: float | None
    favourable: int  # answers at or above ``favourable_from``

    @property
    def share_favourable(self) -> float | None:
        return self.favourable / self.n if self.n else None


def add(a: Sequence[int], b: Sequence[int]) -> list[int]:
    """Two tallies of the same scale added value by value."""
    size = max(len(a), len(b))
    return [(a[i] if i < len(a) else 0) + (b[i] if i < len(b) else 0) for i in range(size)]


def combine(tallies: Iterable[Sequence[int]]) -> list[int]:
    total: list[int] = []
    for tally in tallies:
        total = add(total, tally)
    return total


def summarise(counts: Sequence[int], scale_min: int, favourable_from: int) -> Summary:
    n = sum(counts)
    if not n:
        return Summary(0, None, 0)
    mean = sum((scale_min + i) * c for i, c in enumerate(counts)) / n
    favourable = sum(c for i, c in enumerate(counts) if scale_min + i >= favourable_from)
    return Summary(n, mean, favourable)


def values(counts: Sequence[int], scale_min: int) -> list[int]:
    """The individual answers a tally stands for (for rank tests)."""
    return [scale_min + i for i, c in enumerate(counts) for _ in range(c)]


def schedule(starts_on: date, every_weeks: int, open_days: int, until: date) -> list[tuple]:
    """The periods ``(number, opens_on, closes_on)`` that have opened by ``until``."""
    if every_weeks < 1:
        raise ValueError("A pulse repeats every 1 week or more.")
    if not 1 <= open_days <= every_weeks * 7:
        raise ValueError("A period stays open between 1 day and the time to the next one.")
    out = []
    number, opens = 1, starts_on
    while opens <= until:
        out.append((number, opens, opens + timedelta(days=open_days - 1)))
        number += 1
        opens = starts_on + timedelta(weeks=every_weeks * (number - 1))
    return out


def month_start(day: date) -> date:
    return day.replace(day=1)


def months(first: date, last: date) -> list[date]:
    """The first day of every month from ``first``'s month to ``last``'s, inclusive."""
    out, current = [], month_start(first)
    while current <= last:
        out.append(current)
        current = (current + timedelta(days=32)).replace(day=1)
    return out


def median(numbers: Iterable[float | None]) -> float | None:
    present = [x for x in numbers if x is not None]
    return statistics.median(present) if present else None
