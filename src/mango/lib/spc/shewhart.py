"""Shewhart control charts: p-chart (shares), u-chart (counts per exposure), I-chart.

Each chart gives, per point, the plotted value, the centre line and the 3-sigma limits, and
the points outside the limits as signals with an explanation in words.

* **p-chart** (proportions, e.g. the share of favourable pulse answers): numerators ``x_i``
  of denominators ``n_i``. Centre ``p̄ = Σx / Σn``; limits ``p̄ ± 3·sqrt(p̄(1 - p̄) / n_i)``,
  clipped to [0, 1], so they vary with each point's denominator.
* **u-chart** (counts per unit of exposure, e.g. thank-you notes per 10 staff): counts
  ``c_i`` over exposures ``n_i``. Centre ``ū = Σc / Σn``; limits ``ū ± 3·sqrt(ū / n_i)``, the
  lower one clipped at 0.
* **I-chart** (individual values, e.g. a mean score per period): centre the mean; sigma the
  mean moving range (of consecutive points) divided by d2 = 1.128 (the constant for ranges of
  two); limits centre ± 3 sigma, not clipped.

**Baseline.** ``baseline=k`` computes the centre and sigma from the first ``k`` points only
and extends them over the later points (a frozen baseline), so that later points are judged
against it. Without it, all points are used.

**Phases.** ``recompute_after_shift`` starts a new centre line where a sustained shift began
(the first run around the current centre longer than the Anhøj limit, see ``runchart``) or at
a position you give: points before it keep their limits, points from it get a centre and
limits computed from that phase alone. A chart is a list of phases; each phase computes its
centre from its own first ``baseline`` points (all its points when ``baseline`` is None).

Reference values from Montgomery, Introduction to Statistical Quality Control (6th ed.,
2009) are reproduced in tests/test_lib_spc.py: the p-chart of Example 7.1 (orange-juice
cans), the u-chart of section 7.3 (personal computers) and the individuals chart of section
6.4 (loan processing costs).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from . import runchart

D2 = 1.128  # E[range of two normal values] / sigma
KINDS = ("p", "u", "i")
KIND_NAMES = {"p": "p-chart", "u": "u-chart", "i": "I-chart"}


@dataclass(frozen=True)
class Signal:
    index: int  # position of the point (0-based)
    rule: str  # "above_ucl" or "below_lcl"
    text: str  # the signal in plain words (English)


@dataclass(frozen=True)
class ControlChart:
    kind: str  # "p", "u" or "i"
    values: list[float]  # the plotted statistic per point: x/n, c/n or x
    centre: list[float]  # per point
    lcl: list[float]  # per point (p: >= 0; u: >= 0; i: unclipped)
    ucl: list[float]  # per point (p: <= 1)
    signals: list[Signal]  # the points outside the limits, in order
    phases: tuple[int, ...] = (0,)  # the position where each phase starts
    baseline: int | None = None  # points of each phase its centre comes from; None: all
    # The input, kept so that a chart can be recomputed in phases.
    numerators: list[float] = field(default_factory=list, repr=False)
    denominators: list[float] | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return KIND_NAMES[self.kind]

    @property
    def n(self) -> int:
        return len(self.values)

    def signal_indices(self) -> list[int]:
        return [s.index for s in self.signals]

    def as_dict(self) -> dict:
        return {
            "kind": self.kind,
            "values": list(self.values),
            "centre": list(self.centre),
            "lcl": list(self.lcl),
            "ucl": list(self.ucl),
            "phases": list(self.phases),
            "baseline": self.baseline,
            "signals": [{"index": s.index, "rule": s.rule, "text": s.text} for s in self.signals],
        }


# ----- the three charts ----------------------------------------------------------------------


def p_chart(
    numerators: Iterable, denominators: Iterable, *, baseline: int | None = None
) -> ControlChart:
    """A p-chart of ``numerators[i] / denominators[i]``; ``baseline``: see module docstring."""
    x, n = _pairs(numerators, denominators, "p")
    return _build("p", x, n, (0,), baseline)


def u_chart(counts: Iterable, exposures: Iterable, *, baseline: int | None = None) -> ControlChart:
    """A u-chart of ``counts[i] / exposures[i]``."""
    c, n = _pairs(counts, exposures, "u")
    return _build("u", c, n, (0,), baseline)


def i_chart(values: Iterable, *, baseline: int | None = None) -> ControlChart:
    """An individuals chart (I-chart, X-chart) of ``values``."""
    x = _numbers(values, "value")
    if len(x) < 2:
        raise ValueError("an I-chart needs at least 2 values (a moving range)")
    return _build("i", x, None, (0,), baseline)


def recompute_after_shift(chart: ControlChart, *, at: int | None = None) -> ControlChart:
    """The chart with a new phase from position ``at``, or, when ``at`` is None, from where a
    sustained shift began: the first point of the first run around the last phase's centre
    that is longer than the Anhøj limit. Returns the chart unchanged when there is no such run
    (or ``at`` is already a phase start). The new phase uses the chart's ``baseline``."""
    if at is None:
        at = find_shift(chart)
        if at is None:
            return chart
    if not 0 < at < chart.n:
        raise ValueError(f"a new phase must start between point 1 and {chart.n - 1}; got {at}")
    if at in chart.phases:
        return chart
    if chart.kind == "i" and chart.n - at < 2:
        raise ValueError("an I-chart phase needs at least 2 points (a moving range)")
    phases = tuple(sorted({*chart.phases, at}))
    return _build(chart.kind, chart.numerators, chart.denominators, phases, chart.baseline)


def find_shift(chart: ControlChart) -> int | None:
    """Where a sustained shift began in the chart's last phase, or None.

    The runs around the phase's centre line longer than the Anhøj limit (round(log2(n) + 3)
    useful points) mark a shift. The first such run that starts after the phase's first point
    is where the new level began. When the only long run opens the phase (the phase began at
    the old level and its centre was computed from all its points), the new level began with
    the first useful point after that run.
    """
    start = chart.phases[-1]
    values = chart.values[start:]
    found = runchart.runs(values, median=chart.centre[start])
    limit = runchart.longest_run_max(sum(len(run) for run in found))
    for number, run in enumerate(found):
        if len(run) <= limit:
            continue
        if run[0] > 0 and number > 0:
            return start + run[0]
        if number + 1 < len(found):
            return start + found[number + 1][0]
    return None


# ----- computing -----------------------------------------------------------------------------


def _numbers(values: Iterable, what: str) -> tuple[float, ...]:
    out = []
    for position, value in enumerate(values):
        if value is None or isinstance(value, bool):
            raise ValueError(f"{what} {position} is {value!r}, not a number")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{what} {position} is {value!r}, not a number") from None
        if not math.isfinite(number):
            raise ValueError(f"{what} {position} is not a finite number")
        out.append(number)
    return tuple(out)


def _pairs(top: Iterable, bottom: Iterable, kind: str):
    x, n = _numbers(top, "numerator"), _numbers(bottom, "denominator")
    if len(x) != len(n):
        raise ValueError(f"{len(x)} numerators but {len(n)} denominators")
    if not x:
        raise ValueError("a control chart needs at least one point")
    for i, (a, b) in enumerate(zip(x, n, strict=True)):
        if b <= 0:
            raise ValueError(f"denominator {i} is {b:g}; it must be above 0")
        if a < 0:
            raise ValueError(f"numerator {i} is {a:g}; it must not be negative")
        if kind == "p" and a > b:
            raise ValueError(f"numerator {i} ({a:g}) is larger than its denominator ({b:g})")
    return x, n


def _build(kind, x, n, phases, baseline) -> ControlChart:
    if baseline is not None:
        if isinstance(baseline, bool) or not isinstance(baseline, int) or baseline < 1:
            raise ValueError(f"baseline must be a number of points (1 or more); got {baseline!r}")
        if kind == "i" and baseline < 2:
            raise ValueError("an I-chart baseline needs at least 2 points (a moving range)")
    size = len(x)
    values = list(x) if n is None else [a / b for a, b in zip(x, n, strict=True)]
    centre: list[float] = []
    lcl: list[float] = []
    ucl: list[float] = []
    bounds = [*phases, size]
    for start, end in zip(bounds, bounds[1:], strict=False):
        stop = end if baseline is None else min(end, start + baseline)
        if kind == "i":
            base = values[start:stop]
            mean = math.fsum(base) / len(base)
            moving = [abs(b - a) for a, b in zip(base, base[1:], strict=False)]
            sigma = (math.fsum(moving) / len(moving)) / D2
            for _ in range(start, end):
                centre.append(mean)
                lcl.append(mean - 3 * sigma)
                ucl.append(mean + 3 * sigma)
            continue
        bar = math.fsum(x[start:stop]) / math.fsum(n[start:stop])
        for i in range(start, end):
            if kind == "p":
                half = 3 * math.sqrt(bar * (1 - bar) / n[i])
                low, high = max(0.0, bar - half), min(1.0, bar + half)
            else:
                half = 3 * math.sqrt(bar / n[i])
                low, high = max(0.0, bar - half), bar + half
            centre.append(bar)
            lcl.append(low)
            ucl.append(high)
    chart = ControlChart(
        kind=kind,
        values=values,
        centre=centre,
        lcl=lcl,
        ucl=ucl,
        signals=[],
        phases=tuple(phases),
        baseline=baseline,
        numerators=list(x),
        denominators=None if n is None else list(n),
    )
    return replace(chart, signals=_signals(chart))


def _fmt(value: float, kind: str) -> str:
    if kind == "p":
        return f"{value:.1%}"
    return f"{value:.3g}"


def _signals(chart: ControlChart) -> list[Signal]:
    out = []
    for i, (v, low, high) in enumerate(zip(chart.values, chart.lcl, chart.ucl, strict=True)):
        if v > high:
            out.append(
                Signal(
                    i,
                    "above_ucl",
                    f"Point {i + 1} ({_fmt(v, chart.kind)}) lies above the upper control limit "
                    f"({_fmt(high, chart.kind)}): more than chance variation would give; look "
                    "for a special cause.",
                )
            )
        elif v < low:
            out.append(
                Signal(
                    i,
                    "below_lcl",
                    f"Point {i + 1} ({_fmt(v, chart.kind)}) lies below the lower control limit "
                    f"({_fmt(low, chart.kind)}): more than chance variation would give; look "
                    "for a special cause.",
                )
            )
    return out


def chart_for(kind: str, numerators: Sequence, denominators: Sequence | None = None, **kw):
    """Build a chart by kind name ("p", "u", "i"), for callers that store the kind."""
    if kind == "p":
        return p_chart(numerators, denominators, **kw)
    if kind == "u":
        return u_chart(numerators, denominators, **kw)
    if kind == "i":
        return i_chart(numerators, **kw)
    raise ValueError(f"unknown chart kind {kind!r}; use one of {', '.join(KINDS)}")
