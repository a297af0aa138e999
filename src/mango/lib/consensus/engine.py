"""Summaries per item and round, for the whole panel and per stakeholder group, under a rule.

``tabulate(ratings, scale)`` counts the scores once: a ``Table`` with a ``Summary`` per item
and round for the panel and for every stakeholder group. ``apply(table, rule)`` gives each item
and round its status under a rule (``ItemRound`` rows); several rules can be applied to one
table. ``summarise(ratings, rule)`` does both.

Order: items in the order they first appear in the ratings; rounds in natural order when
every round label holds a number ("1" < "2" < "10", "R2" < "R10"), otherwise in the order
they first appear; groups in the order they first appear. An item appears in a round when it
has at least one rating in that round (a score or "unable to judge"); when all of them are
"unable to judge" it has n = 0, no median, quartiles or percentages, and status undecided.
Every group of the study is listed for every item and round, with n = 0 where none of its
panellists rated it, so that a group that stopped answering stays visible.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from .ratings import Rating
from .rules import Rule, Verdict, evaluate, scoped_status
from .scale import NINE_POINT, Scale
from .summary import Summary

_DIGITS = re.compile(r"(\d+)")


def natural_key(label: str) -> tuple:
    return tuple(int(part) if part.isdigit() else part for part in _DIGITS.split(label))


def order_rounds(labels: Iterable[str]) -> list[str]:
    """Round labels in natural order when all hold a number, else as given (first seen first)."""
    labels = list(dict.fromkeys(labels))
    if labels and all(_DIGITS.search(label) for label in labels):
        return sorted(labels, key=natural_key)
    return labels


@dataclass(frozen=True)
class Cell:
    """One item in one round: the panel's summary and each group's (n = 0 where none)."""

    item: str
    round: str
    panel: Summary
    groups: dict[str, Summary]


@dataclass(frozen=True)
class Table:
    scale: Scale
    items: list[str]
    rounds: list[str]
    groups: list[str]
    cells: list[Cell]  # item by item (first seen), each item's rounds in order

    def cell(self, item: str, round: str) -> Cell | None:
        for cell in self.cells:
            if cell.item == item and cell.round == round:
                return cell
        return None


def tabulate(ratings: Iterable[Rating], scale: Scale = NINE_POINT) -> Table:
    """Count the scores per item, round and group (ratings already checked: ``check_ratings``)."""
    points, low = scale.points, scale.low
    items: dict[str, None] = {}
    rounds: dict[str, None] = {}
    groups: dict[str, None] = {}
    panel: dict[tuple[str, str], list[int]] = {}  # counts per score, then "unable" last
    per_group: dict[tuple[str, str, str], list[int]] = {}
    for r in ratings:
        key = (r.item, r.round)
        counts = panel.get(key)
        if counts is None:
            counts = panel[key] = [0] * (points + 1)
            items.setdefault(r.item)
            rounds.setdefault(r.round)
        index = points if r.score is None else r.score - low
        if not 0 <= index <= points:
            raise ValueError(f"Score {r.score!r} is outside the scale {scale}.")
        counts[index] += 1
        if r.group is not None:
            groups.setdefault(r.group)
            gkey = (r.item, r.round, r.group)
            gcounts = per_group.get(gkey)
            if gcounts is None:
                gcounts = per_group[gkey] = [0] * (points + 1)
            gcounts[index] += 1
    round_order = order_rounds(rounds)
    empty = [0] * (points + 1)
    cells = []
    for item in items:
        for round in round_order:
            counts = panel.get((item, round))
            if counts is None:
                continue
            cells.append(
                Cell(
                    item,
                    round,
                    Summary(scale, tuple(counts[:points]), counts[points]),
                    {
                        g: Summary(scale, tuple(c[:points]), c[points])
                        for g in groups
                        for c in [per_group.get((item, round, g), empty)]
                    },
                )
            )
    return Table(scale, list(items), round_order, list(groups), cells)


@dataclass(frozen=True)
class GroupResult:
    summary: Summary
    verdict: Verdict

    @property
    def status(self) -> str:
        return self.verdict.status


@dataclass(frozen=True)
class ItemRound:
    """One item in one round under a rule: the figures, the panel's and each group's status,
    and the item's status under the rule's scope (``status``)."""

    item: str
    round: str
    panel: Summary
    panel_verdict: Verdict
    groups: dict[str, GroupResult] = field(default_factory=dict)
    status: str = "undecided"

    def as_json(self) -> dict[str, Any]:
        """The CLI's JSON shape: item, round, n, median, q1, q3, pct_7_9, pct_1_3, status and
        groups (each with the same fields but "groups", and its own status under the rule)."""
        return {
            "item": self.item,
            "round": self.round,
            **figures(self.panel),
            "status": self.status,
            "groups": {
                name: {**figures(g.summary), "status": g.status} for name, g in self.groups.items()
            },
        }


def figures(summary: Summary) -> dict[str, Any]:
    """n, median, q1, q3, pct_7_9, pct_1_3 (top and bottom third on any scale)."""
    return {
        "n": summary.n,
        "median": summary.median,
        "q1": summary.q1,
        "q3": summary.q3,
        "pct_7_9": summary.pct_top,
        "pct_1_3": summary.pct_bottom,
    }


def apply(table: Table, rule: Rule) -> list[ItemRound]:
    """Each item and round of the table with its status under ``rule``."""
    out = []
    for cell in table.cells:
        verdict = evaluate(rule, cell.panel)
        groups = {g: GroupResult(s, evaluate(rule, s)) for g, s in cell.groups.items()}
        status = scoped_status(
            rule, verdict, {g: (r.summary, r.verdict) for g, r in groups.items()}
        )
        out.append(ItemRound(cell.item, cell.round, cell.panel, verdict, groups, status))
    return out


def summarise(ratings: Iterable[Rating], rule: Rule, scale: Scale = NINE_POINT) -> list[ItemRound]:
    """``apply(tabulate(ratings, scale), rule)``."""
    return apply(tabulate(ratings, scale), rule)
