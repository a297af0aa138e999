"""Ratings: one panellist's score for one item in one round.

A ``Rating`` is (item, panellist, round, score, group). ``score`` is ``None`` for "unable to
judge": the panellist answered but gave no score, so they count as having taken part in the
round (attrition) but not in ``n`` or any percentage. ``group`` is the panellist's stakeholder
group, or ``None`` (counted in the whole panel, in no group).

``ratings_from_rows`` reads text rows (a CSV file's ``csv.DictReader`` rows, a form's answers)
and raises ``RatingError`` naming the row (numbered as a spreadsheet shows it: the header is
row 1) for anything it cannot take: a missing column (with the columns there are), an empty
item, panellist or round, a score that is not a whole number or is off the scale, the same
panellist twice for an item and round, or one panellist in two groups. ``check_ratings``
runs the same checks on ``Rating`` objects built elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import NamedTuple

from .scale import NINE_POINT, Scale


class RatingError(ValueError):
    """Ratings that cannot be summarised; the message says which and why."""


class Rating(NamedTuple):
    """One answer (a named tuple: immutable, cheap to make by the hundred thousand)."""

    item: str
    panellist: str
    round: str
    score: int | None  # None: "unable to judge"
    group: str | None = None


_DIGITS = {str(i): i for i in range(10)}


def parse_score(text: str | None, scale: Scale = NINE_POINT) -> int | None:
    """A score cell as a whole number on the scale; empty means "unable to judge" (None).

    "7", " 7 " and "7.0" are 7; "7.5", "seven" and "10" (on 1-9) raise ``ValueError``.
    """
    if text is None:
        return None
    quick = _DIGITS.get(text)
    if quick is not None and scale.contains(quick):
        return quick
    text = str(text).strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise ValueError(
            f"score {text!r} is not a whole number from {scale.low} to {scale.high}"
        ) from None
    if value != value or value in (float("inf"), float("-inf")) or value != int(value):
        raise ValueError(f"score {text!r} is not a whole number from {scale.low} to {scale.high}")
    score = int(value)
    if not scale.contains(score):
        raise ValueError(f"score {text!r} is outside the scale {scale.low}-{scale.high}")
    return score


def ratings_from_rows(
    rows: Iterable[Mapping[str, str | None]],
    *,
    item: str,
    panellist: str,
    round: str,
    score: str,
    group: str | None = None,
    scale: Scale = NINE_POINT,
    columns: Iterable[str] | None = None,
    first_row: int = 2,
    row_numbers: Sequence[int] | None = None,
) -> list[Rating]:
    """``Rating`` objects from text rows keyed by column name, checked.

    ``columns`` are the file's columns (a CSV header), checked before any row is read;
    without it the first row's keys are used. Messages give row numbers as a spreadsheet shows
    them: the header is row 1, so the first rating is row ``first_row`` (2); ``row_numbers``
    gives each row's number instead (a file with blank lines between rows).
    """
    wanted = {"item": item, "panellist": panellist, "round": round, "score": score}
    if group is not None:
        wanted["group"] = group
    rows = iter(rows)
    first = None
    if columns is None:
        first = next(rows, None)
        columns = list(first) if first is not None else []
    columns = [c for c in columns if c is not None]
    missing = [f"{col!r} (--{role})" for role, col in wanted.items() if col not in columns]
    if missing:
        raise RatingError(
            f"Column{'s' if len(missing) > 1 else ''} {', '.join(missing)} not found; the "
            f"columns are: {', '.join(repr(c) for c in columns) or '(none)'}."
        )

    def chained():
        if first is not None:
            yield first
        yield from rows

    numbers = row_numbers if row_numbers is not None else range(first_row, first_row + 10**12)
    out = []
    append = out.append
    for line, row in zip(numbers, chained(), strict=False):  # numbers: unbounded by default
        item_value = (row.get(item) or "").strip()
        who = (row.get(panellist) or "").strip()
        round_value = (row.get(round) or "").strip()
        if not (item_value and who and round_value):
            role = next(
                r
                for r, v in (("item", item_value), ("panellist", who), ("round", round_value))
                if not v
            )
            raise RatingError(f"Row {line}: the {role} ({wanted[role]!r}) is empty.")
        try:
            value = parse_score(row.get(score), scale)
        except ValueError as err:
            raise RatingError(f"Row {line}: {err} (column {score!r}).") from None
        group_value = (row.get(group) or "").strip() or None if group is not None else None
        append(Rating(item_value, who, round_value, value, group_value))
    _check_unique(out, lines=numbers[: len(out)])
    return out


def check_ratings(ratings: Iterable[Rating], scale: Scale = NINE_POINT) -> list[Rating]:
    """The ratings as a list, after the checks ``ratings_from_rows`` makes (rows counted from 1)."""
    ratings = list(ratings)
    for number, r in enumerate(ratings, start=1):
        for role in ("item", "panellist", "round"):
            if not str(getattr(r, role) or "").strip():
                raise RatingError(f"Rating {number}: the {role} is empty.")
        if r.score is not None and (
            isinstance(r.score, bool) or not isinstance(r.score, int) or not scale.contains(r.score)
        ):
            raise RatingError(
                f"Rating {number} ({r.panellist}, {r.item}, round {r.round}): score "
                f"{r.score!r} is not a whole number from {scale.low} to {scale.high}."
            )
    _check_unique(ratings, lines=None)
    return ratings


def _check_unique(ratings: list[Rating], lines: Sequence[int] | None) -> None:
    where = "row" if lines is not None else "rating"
    numbers = lines if lines is not None else range(1, len(ratings) + 1)
    seen: dict[tuple[str, str, str], int] = {}
    groups: dict[str, tuple[str | None, int]] = {}
    for number, r in zip(numbers, ratings, strict=True):
        key = (r.item, r.round, r.panellist)
        if key in seen:
            raise RatingError(
                f"Panellist {r.panellist!r} rated item {r.item!r} in round {r.round!r} twice "
                f"({where}s {seen[key]} and {number}); keep one of them."
            )
        seen[key] = number
        known = groups.setdefault(r.panellist, (r.group, number))
        if known[0] != r.group:
            raise RatingError(
                f"Panellist {r.panellist!r} is in group {known[0]!r} ({where} {known[1]}) and "
                f"in group {r.group!r} ({where} {number}); a panellist has one group."
            )
