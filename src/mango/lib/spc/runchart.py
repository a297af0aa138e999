"""Run charts: the median and the Anhøj rules for non-random variation.

A run chart plots a measure over time with its median as the centre line. Two rules, as
qicharts2 implements them (Anhøj and Olesen 2014; Anhøj 2015), say whether the points vary
more than chance alone would make them:

* **Shift (unusually long run).** Points exactly on the median are not *useful* and are
  skipped. A run is a sequence of consecutive useful points on the same side of the median;
  the rule signals when the longest run is longer than ``round(log2(n_useful) + 3)``
  (Schilling 2012).
* **Unusually few crossings.** A crossing is a pair of consecutive useful points on opposite
  sides of the median (a point on the median in between is skipped, it neither crosses nor
  breaks a run). The rule signals when there are fewer crossings than the 5th percentile of
  Binomial(n_useful - 1, 0.5), i.e. R's ``qbinom(0.05, n_useful - 1, 0.5)`` (Chen 2010).

qicharts2 writes the first limit as ``round(log2(n)) + 3``; the two agree for every whole
``n`` because ``log2(n)`` is never a half (``2**(k + 0.5)`` is irrational), so R's
round-half-to-even never comes into play.

Both rules keep the false-signal rate near 5% whatever the number of points; with fewer
than about 10 useful points they can hardly signal at all.

Few points. ``analyse`` needs at least one value. With fewer than 2 useful points (one
value, or every value equal to the median) there is no run to judge: ``longest_run`` is
``n_useful`` (0 or 1), ``crossings`` is 0, the limits are those for one useful point
(``longest_run_max`` 3, ``crossings_min`` 0, as qicharts2 gives for one point) and neither
rule signals.

Missing values (``None`` or NaN) are left out: they count neither in ``n`` nor in the
median. Plotting code keeps their place on the time axis itself.

References: Anhøj J, Olesen AV (2014) Run charts revisited: a simulation study of run chart
rules for detection of non-random variation in health care processes. PLoS ONE 9(11):
e113825. Anhøj J (2015) Diagnostic value of run chart analysis. PLoS ONE 10(3): e0121349.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.stats import binom

FIELDS = (
    "n",
    "n_useful",
    "median",
    "longest_run",
    "longest_run_max",
    "crossings",
    "crossings_min",
    "runs_signal",
    "crossings_signal",
)

RULES_TEXT = (
    "Anhøj rules: points on the median are skipped; a shift is a run of consecutive points on "
    "the same side of the median longer than round(log2(n) + 3), n being the number of points "
    "not on the median; too few crossings is fewer crossings of the median than the 5th "
    "percentile of Binomial(n - 1, 0.5)."
)


@dataclass(frozen=True)
class RunChart:
    """The runs analysis of one series (see the module docstring for each figure)."""

    n: int  # values analysed (missing values left out)
    n_useful: int  # values not on the median
    median: float  # the centre line: the series' median, or the frozen baseline median given
    longest_run: int
    longest_run_max: int  # the longest run chance alone allows
    crossings: int
    crossings_min: int  # the fewest crossings chance alone allows
    runs_signal: bool  # longest_run > longest_run_max
    crossings_signal: bool  # crossings < crossings_min

    @property
    def signal(self) -> bool:
        """Either rule signals: the series varies more than by chance."""
        return self.runs_signal or self.crossings_signal

    def as_dict(self) -> dict:
        """The nine figures, in ``FIELDS`` order, as JSON types (int, float, bool)."""
        return {
            "n": int(self.n),
            "n_useful": int(self.n_useful),
            "median": float(self.median),
            "longest_run": int(self.longest_run),
            "longest_run_max": int(self.longest_run_max),
            "crossings": int(self.crossings),
            "crossings_min": int(self.crossings_min),
            "runs_signal": bool(self.runs_signal),
            "crossings_signal": bool(self.crossings_signal),
        }


def longest_run_max(n_useful: int) -> int:
    """The upper limit for the longest run: ``round(log2(n_useful) + 3)`` (3 below 2 points)."""
    if n_useful < 2:
        return 3
    return int(math.floor(math.log2(n_useful) + 3 + 0.5))  # never a tie, see module docstring


def crossings_min(n_useful: int) -> int:
    """The lower limit for the number of crossings: the 5th percentile of
    Binomial(n_useful - 1, 0.5), as R's ``qbinom(0.05, n_useful - 1, 0.5)``."""
    if n_useful < 2:
        return 0
    return int(binom.ppf(0.05, n_useful - 1, 0.5))


def clean(values: Iterable) -> list[float | None]:
    """The values as floats, ``None`` where missing (``None`` or NaN); a ``ValueError`` names
    the position (0-based) of anything that is not a number."""
    out: list[float | None] = []
    for position, value in enumerate(values):
        if value is None:
            out.append(None)
            continue
        if isinstance(value, bool):
            raise ValueError(f"value {position} is {value!r}, not a number")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"value {position} is {value!r}, not a number") from None
        if math.isinf(number):
            raise ValueError(f"value {position} is infinite")
        out.append(None if math.isnan(number) else number)
    return out


def sides(values: Sequence[float | None], median: float) -> list[int]:
    """Per value: +1 above the median, -1 below, 0 on it or missing."""
    return [0 if v is None or v == median else (1 if v > median else -1) for v in values]


def runs(values: Iterable, *, median: float | None = None) -> list[list[int]]:
    """The runs of the series: each a list of the positions (into ``values``) of its useful
    points, in order. Points on the median and missing values belong to no run."""
    numbers = clean(values)
    centre = _median(numbers) if median is None else float(median)
    out: list[list[int]] = []
    last = 0
    for position, side in enumerate(sides(numbers, centre)):
        if side == 0:
            continue
        if side != last:
            out.append([])
            last = side
        out[-1].append(position)
    return out


def long_runs(values: Iterable, *, median: float | None = None) -> list[list[int]]:
    """The runs longer than the limit (those that make ``runs_signal`` true), as positions."""
    found = runs(values, median=median)
    limit = longest_run_max(sum(len(run) for run in found))
    return [run for run in found if len(run) > limit]


def _median(numbers: Sequence[float | None]) -> float:
    present = [v for v in numbers if v is not None]
    if not present:
        raise ValueError("a run chart needs at least one value")
    return float(np.median(present))


def analyse(values: Iterable, *, median: float | None = None) -> RunChart:
    """The runs analysis of ``values`` (in time order) around their median, or around
    ``median`` when given (the median of a frozen baseline period).

    >>> analyse([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).as_dict()["longest_run"]
    5
    """
    numbers = clean(values)
    present = [v for v in numbers if v is not None]
    if median is None:
        centre = _median(numbers)
    else:
        centre = float(median)
        if not math.isfinite(centre):
            raise ValueError("the median must be a finite number")
        if not present:
            raise ValueError("a run chart needs at least one value")
    found = runs(numbers, median=centre)
    n_useful = sum(len(run) for run in found)
    longest = max((len(run) for run in found), default=0)
    crossings = max(len(found) - 1, 0)
    run_limit, cross_limit = longest_run_max(n_useful), crossings_min(n_useful)
    return RunChart(
        n=len(present),
        n_useful=n_useful,
        median=centre,
        longest_run=longest,
        longest_run_max=run_limit,
        crossings=crossings,
        crossings_min=cross_limit,
        runs_signal=n_useful >= 2 and longest > run_limit,
        crossings_signal=n_useful >= 2 and crossings < cross_limit,
    )


def explain(chart: RunChart) -> list[str]:
    """The result in plain words, one sentence per finding (English; the app translates its
    own wording from the figures)."""
    lines = [
        f"{chart.n_useful} of {chart.n} points are not on the median ({chart.median:g}) and "
        "count for the rules."
    ]
    if chart.n_useful < 10:
        lines.append("With fewer than 10 such points the rules can hardly signal.")
    if chart.runs_signal:
        lines.append(
            f"Shift: {chart.longest_run} points in a row on one side of the median, more than "
            f"the {chart.longest_run_max} that chance alone allows."
        )
    if chart.crossings_signal:
        lines.append(
            f"Too few crossings: {chart.crossings} crossings of the median, fewer than the "
            f"{chart.crossings_min} that chance alone allows."
        )
    if not chart.signal:
        lines.append(
            f"No signal: the longest run is {chart.longest_run} points (at most "
            f"{chart.longest_run_max} expected) and there are {chart.crossings} crossings of "
            f"the median (at least {chart.crossings_min} expected)."
        )
    return lines
