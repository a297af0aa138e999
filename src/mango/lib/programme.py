"""The Mangomoment programme's rules, free of Django: what an organisation still lacks to run
it, roughly when a shared story happened, and the window that counts as recent activity.

An organisation in the learning network names at least one Mangomoment ambassador and at
least three pilot teams, at least one of them in oncological care and at least one not.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

MIN_PILOT_TEAMS = 3
# Activity on the network page counts what happened in this many months up to today.
ACTIVITY_MONTHS = 3

# The checklist's items, in the order the pages show them.
AMBASSADOR = "ambassador"
THREE_PILOTS = "three_pilot_teams"
ONCOLOGICAL_PILOT = "oncological_pilot"
OTHER_PILOT = "non_oncological_pilot"
CHECKS = (AMBASSADOR, THREE_PILOTS, ONCOLOGICAL_PILOT, OTHER_PILOT)


@dataclass(frozen=True)
class Check:
    key: str
    done: bool


@dataclass(frozen=True)
class Checklist:
    checks: tuple[Check, ...]

    @property
    def complete(self) -> bool:
        return all(check.done for check in self.checks)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(check.key for check in self.checks if not check.done)

    @property
    def done_count(self) -> int:
        return sum(check.done for check in self.checks)


def checklist(ambassadors: int, pilot_oncological: Iterable[bool]) -> Checklist:
    """The checklist of one organisation.

    ``ambassadors``: how many users hold the ambassador role there; ``pilot_oncological``:
    for each pilot team, whether it gives oncological care.
    """
    if ambassadors < 0:
        raise ValueError("ambassadors cannot be negative")
    pilots = [bool(flag) for flag in pilot_oncological]
    done = {
        AMBASSADOR: ambassadors >= 1,
        THREE_PILOTS: len(pilots) >= MIN_PILOT_TEAMS,
        ONCOLOGICAL_PILOT: any(pilots),
        OTHER_PILOT: not all(pilots) if pilots else False,
    }
    return Checklist(tuple(Check(key, done[key]) for key in CHECKS))


# --- when a story happened -----------------------------------------------------------------

# A teller says roughly when it happened, relative to telling it: the middle of that span.
HAPPENED_BEFORE_TELLING = {"week": timedelta(days=3), "month": timedelta(days=15)}


@dataclass(frozen=True)
class StoryMonth:
    """The month a story happened; ``told`` when only the month it was told is known (the
    teller said "in the past year", "more than a year ago" or did not remember)."""

    year: int
    month: int
    told: bool

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)


def story_month(submitted: date, happened: str) -> StoryMonth:
    """The month a story happened, from the day it was told and the teller's "when"."""
    offset = HAPPENED_BEFORE_TELLING.get(happened)
    if offset is None:
        return StoryMonth(submitted.year, submitted.month, told=True)
    day = submitted - offset
    return StoryMonth(day.year, day.month, told=False)


def months_back(today: date, months: int = ACTIVITY_MONTHS) -> date:
    """The same day ``months`` calendar months before ``today`` (clamped to the month's end):
    the start of the activity window."""
    if months < 0:
        raise ValueError("months cannot be negative")
    index = today.year * 12 + (today.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(today.day, calendar.monthrange(year, month)[1]))


# --- what teams name in their reflections --------------------------------------------------


def most_named(counts: Mapping[str, int], limit: int | None = None) -> list[tuple[str, int]]:
    """Codes by how often teams named them, most first (ties by key, so the order is
    stable); codes never named are left out."""
    ranked = sorted(
        ((key, n) for key, n in counts.items() if n > 0), key=lambda item: (-item[1], item[0])
    )
    return ranked[:limit] if limit is not None else ranked
