"""Importance against feasibility: each item in one of four quadrants (a 2 x 2 picture).

An item's importance and feasibility are the medians of its scores on the two criteria (from
``Summary`` objects or plain numbers); a median is *high* when it is at least ``cutoff`` (7
by default: the top third of 1-9). Quadrants: ``important_feasible`` (high, high: do first),
``important_not_feasible`` (high importance, low feasibility), ``feasible_not_important``
(low importance, high feasibility) and ``neither``; ``unknown`` when either median is missing
(nobody scored it on that criterion).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from .summary import Summary

QUADRANTS = {
    "important_feasible": "important and feasible",
    "important_not_feasible": "important, less feasible",
    "feasible_not_important": "feasible, less important",
    "neither": "less important, less feasible",
    "unknown": "not enough scores",
}


@dataclass(frozen=True)
class Placed:
    item: str
    importance: float | None
    feasibility: float | None
    quadrant: str


def _median(value: Summary | float | int | None) -> Fraction | None:
    if isinstance(value, Summary):
        return value.median_exact
    return None if value is None else Fraction(str(value))


def quadrant(importance, feasibility, cutoff: float = 7) -> str:
    """The quadrant for one item's two medians (``Summary``, number or None)."""
    imp, feas = _median(importance), _median(feasibility)
    if imp is None or feas is None:
        return "unknown"
    limit = Fraction(str(cutoff))
    return {
        (True, True): "important_feasible",
        (True, False): "important_not_feasible",
        (False, True): "feasible_not_important",
        (False, False): "neither",
    }[(imp >= limit, feas >= limit)]


def classify(
    importance: Mapping[str, Summary | float | None],
    feasibility: Mapping[str, Summary | float | None],
    cutoff: float = 7,
) -> list[Placed]:
    """Every item of either mapping (importance's order first) with its medians and quadrant."""
    out = []
    for item in dict.fromkeys([*importance, *feasibility]):
        imp, feas = _median(importance.get(item)), _median(feasibility.get(item))
        out.append(
            Placed(
                item,
                None if imp is None else float(imp),
                None if feas is None else float(feas),
                quadrant(imp, feas, cutoff),
            )
        )
    return out
