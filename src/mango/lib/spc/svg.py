"""Run charts and control charts as standalone SVG, and the same series as CSV.

The SVG is self-contained (no script, no ``style`` attribute or element, so it may be
inlined under a strict Content-Security-Policy), has an accessible name and description
(``role="img"`` with ``<title>`` and ``<desc>``), and prints in black and white: nothing
depends on colour alone. Ordinary points are circles; points in a run longer than the Anhøj
limit are squares; points above the upper control limit are upward triangles, below the
lower limit downward triangles; the median or centre line is solid, control limits dashed,
actions dotted vertical lines numbered in the order given, with their labels listed under the
chart. A legend names every mark that appears.

All words on the chart come from ``texts`` (English defaults in ``TEXTS``), so the app can
pass its translations; numbers are formatted by ``number`` (default: up to 3 significant
digits, or a percentage for p-charts).
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

from ..spreadsheets import csv_cell
from . import runchart
from .shewhart import ControlChart

TEXTS = {
    "median": "Median",
    "centre": "Centre line",
    "limits": "Control limits (3 sigma)",
    "point": "Value",
    "run_signal": "Shift: run longer than expected",
    "above": "Above the upper control limit",
    "below": "Below the lower control limit",
    "action": "Action",
    "actions": "Actions",
    "no_signal": "No signal of non-random variation.",
    "limit_signals": "Points outside the control limits: {count}.",
    "crossings_signal": "Too few crossings of the median.",
    "missing": "no value",
    # CSV column names
    "period": "period",
    "value": "value",
    "lcl": "lower_limit",
    "ucl": "upper_limit",
    "signal": "signal",
}

WIDTH, HEIGHT = 720, 360
_MARGIN = {"left": 64, "right": 24, "top": 48, "bottom": 64}
_INK = "#1a1a1a"
_GREY = "#6b6b6b"
_SIGNAL = "#b3261e"  # dark red, also distinguishable by shape and in grey print


@dataclass(frozen=True)
class Annotation:
    """An action (or any event) drawn at position ``x`` (a point index; fractions fall
    between points) with a short ``label``."""

    x: float
    label: str


def _default_number(value: float) -> str:
    if value == 0:
        return "0"
    return f"{value:.3g}"


def _percent(value: float) -> str:
    return f"{value * 100:.3g}%"


def _ids(prefix: str | None, payload: str) -> str:
    if prefix:
        return prefix
    return "spc-" + hashlib.sha1(payload.encode(), usedforsecurity=False).hexdigest()[:10]


def _nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    if high <= low:
        high = low + 1.0
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(s * power for s in (1, 2, 2.5, 5, 10) if s * power >= raw)
    first = math.ceil(low / step - 1e-9) * step
    ticks = []
    value = first
    while value <= high + step * 1e-9:
        ticks.append(round(value, 12))
        value += step
    return ticks


def _marker(kind: str, x: float, y: float, label: str) -> str:
    """One point: circle (ordinary), square (run signal), triangles (outside the limits)."""
    tip = f"<title>{escape(label)}</title>"
    if kind == "point":
        return (
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{_INK}" class="point">{tip}</circle>'
        )
    if kind == "run":
        return (
            f'<rect x="{x - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" fill="{_SIGNAL}" '
            f'stroke="{_INK}" stroke-width="1" class="signal run">{tip}</rect>'
        )
    if kind == "above":
        pts = f"{x:.1f},{y - 7:.1f} {x - 6:.1f},{y + 4:.1f} {x + 6:.1f},{y + 4:.1f}"
    else:
        pts = f"{x:.1f},{y + 7:.1f} {x - 6:.1f},{y - 4:.1f} {x + 6:.1f},{y - 4:.1f}"
    return (
        f'<polygon points="{pts}" fill="{_SIGNAL}" stroke="{_INK}" stroke-width="1" '
        f'class="signal {kind}">{tip}</polygon>'
    )


def _step_path(xs, ys, breaks=frozenset()) -> str:
    """A line that steps at each point (limits that vary with the denominator); a new piece
    starts at each index in ``breaks`` (a new phase) instead of a vertical connector."""
    parts = []
    half = (xs[1] - xs[0]) / 2 if len(xs) > 1 else 10
    pen_up = True
    for i, (x, y) in enumerate(zip(xs, ys, strict=True)):
        if y is None:
            pen_up = True
            continue
        move = "M" if pen_up or i in breaks else "L"
        parts.append(f"{move}{x - half:.1f},{y:.1f} L{x + half:.1f},{y:.1f}")
        pen_up = False
    return " ".join(parts)


def _render(
    *,
    labels: Sequence[str],
    values: Sequence[float | None],
    centre: Sequence[float],
    centre_name: str,
    lcl: Sequence[float] | None,
    ucl: Sequence[float] | None,
    marks: dict[int, str],
    breaks: frozenset[int] = frozenset(),
    title: str,
    summary: list[str],
    subtitle: str,
    annotations: Sequence[Annotation],
    texts: dict,
    number: Callable[[float], str],
    y_label: str,
    y_range: tuple[float, float] | None,
    width: int,
    height: int,
    id_prefix: str | None,
) -> str:
    n = len(values)
    if n == 0:
        raise ValueError("a chart needs at least one point")
    if len(labels) != n:
        raise ValueError(f"{len(labels)} labels for {n} values")
    ml, mr, mt, mb = (_MARGIN[k] for k in ("left", "right", "top", "bottom"))
    plot_w, plot_h = width - ml - mr, height - mt - mb
    # Title and subtitle wrap (estimated glyph widths); the plot moves down, the SVG grows.
    title_lines = textwrap.wrap(title, max(16, int((width - 16) / 8.6))) or [""]
    sub_lines = textwrap.wrap(subtitle, max(20, int((width - 16) / 6.4)))
    top = 20 + 19 * (len(title_lines) - 1) + 16 * len(sub_lines) + 10
    shift = max(0, top - mt)
    mt += shift
    present = [v for v in values if v is not None]
    candidates = present + list(centre)
    for limits in (lcl, ucl):
        if limits is not None:
            candidates += [v for v in limits if v is not None]
    low, high = (min(candidates), max(candidates)) if candidates else (0.0, 1.0)
    if y_range is not None:
        low, high = min(low, y_range[0]), max(high, y_range[1])
    if high == low:
        low, high = low - 1, high + 1
    pad = (high - low) * 0.05
    ticks = _nice_ticks(low - pad, high + pad)
    y0, y1 = min(ticks[0], low - pad), max(ticks[-1], high + pad)

    def sx(i: float) -> float:
        return ml + (plot_w * (i + 0.5) / n)

    def sy(v: float) -> float:
        return mt + plot_h * (1 - (v - y0) / (y1 - y0))

    payload = repr((labels, values, centre, title, annotations))
    base = _ids(id_prefix, payload)
    description = " ".join(summary)
    out = []
    for number_, line in enumerate(title_lines):
        out.append(
            f'<text x="8" y="{20 + 19 * number_}" font-size="15" font-weight="bold" '
            f'fill="{_INK}">{escape(line)}</text>'
        )
    for number_, line in enumerate(sub_lines):
        y = 20 + 19 * (len(title_lines) - 1) + 16 * (number_ + 1)
        out.append(f'<text x="8" y="{y}" fill="{_INK}">{escape(line)}</text>')
    # axes and grid
    out.append(f'<g class="axes" stroke="{_GREY}" stroke-width="1">')
    out.append(f'<line x1="{ml}" y1="{mt}" x2="{ml}" y2="{mt + plot_h}"/>')
    out.append(f'<line x1="{ml}" y1="{mt + plot_h}" x2="{ml + plot_w}" y2="{mt + plot_h}"/>')
    out.append("</g>")
    out.append(f'<g class="y-ticks" fill="{_INK}" text-anchor="end">')
    for t in ticks:
        y = sy(t)
        out.append(
            f'<line x1="{ml - 4}" y1="{y:.1f}" x2="{ml + plot_w}" y2="{y:.1f}" stroke="#e0e0e0" '
            'stroke-width="1"/>'
        )
        out.append(f'<text x="{ml - 7}" y="{y + 4:.1f}">{escape(number(t))}</text>')
    out.append("</g>")
    if y_label:
        out.append(
            f'<text transform="translate(14 {mt + plot_h / 2:.1f}) rotate(-90)" '
            f'text-anchor="middle" fill="{_INK}">{escape(y_label)}</text>'
        )
    every = max(1, math.ceil(n / max(1, plot_w // 48)))
    out.append(f'<g class="x-ticks" fill="{_INK}" text-anchor="end">')
    for i, label in enumerate(labels):
        if i % every and i != n - 1:
            continue
        x = sx(i)
        out.append(
            f'<line x1="{x:.1f}" y1="{mt + plot_h}" x2="{x:.1f}" y2="{mt + plot_h + 4}" '
            f'stroke="{_GREY}"/>'
        )
        out.append(
            f'<text transform="translate({x + 3:.1f} {mt + plot_h + 14}) rotate(-35)">'
            f"{escape(str(label))}</text>"
        )
    out.append("</g>")
    xs = [sx(i) for i in range(n)]
    # centre line(s), limits
    if lcl is not None and ucl is not None:
        for name, limits in (("lcl", lcl), ("ucl", ucl)):
            path = _step_path(xs, [None if v is None else sy(v) for v in limits], breaks)
            out.append(
                f'<path d="{path}" fill="none" stroke="{_INK}" stroke-width="1" '
                f'stroke-dasharray="6 4" class="{name}"/>'
            )
    path = _step_path(xs, [sy(v) for v in centre], breaks)
    out.append(f'<path d="{path}" fill="none" stroke="{_GREY}" stroke-width="2" class="centre"/>')
    # annotations
    out.append(f'<g class="annotations" fill="{_INK}">')
    for k, note in enumerate(annotations, start=1):
        if not -0.5 <= note.x <= n - 0.5:
            continue
        x = sx(note.x)
        out.append(
            f'<line x1="{x:.1f}" y1="{mt}" x2="{x:.1f}" y2="{mt + plot_h}" stroke="{_INK}" '
            f'stroke-width="1" stroke-dasharray="1 3"><title>{escape(note.label)}</title></line>'
        )
        out.append(
            f'<text x="{x + 3:.1f}" y="{mt + 10 + 12 * ((k - 1) % 3)}" font-weight="bold">'
            f"{k}</text>"
        )
    out.append("</g>")
    # the data line and points
    segments, current = [], []
    for x, v in zip(xs, values, strict=True):
        if v is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append(f"{x:.1f},{sy(v):.1f}")
    if current:
        segments.append(current)
    for seg in segments:
        out.append(
            f'<polyline points="{" ".join(seg)}" fill="none" stroke="{_INK}" '
            'stroke-width="1.5" class="series"/>'
        )
    out.append('<g class="points">')
    for i, v in enumerate(values):
        if v is None:
            continue
        kind = marks.get(i, "point")
        tip = f"{labels[i]}: {number(v)}"
        if kind != "point":
            tip += f" ({texts[{'run': 'run_signal', 'above': 'above', 'below': 'below'}[kind]]})"
        out.append(_marker(kind, xs[i], sy(v), tip))
    out.append("</g>")
    # legend
    legend = [("line-centre", centre_name)]
    if lcl is not None:
        legend.append(("line-limits", texts["limits"]))
    legend.append(("point", texts["point"]))
    for kind, key in (("run", "run_signal"), ("above", "above"), ("below", "below")):
        if kind in marks.values():
            legend.append((kind, texts[key]))
    if annotations:
        legend.append(("line-action", texts["actions"]))
    # legend rows: items wrap to a new row (pushing the chart's height) when the row is full
    placed, lx, row = [], ml, 0
    for kind, text in legend:
        item_width = 24 + 6.5 * len(text) + 16
        if lx > ml and lx + item_width > width - mr:
            lx, row = ml, row + 1
        placed.append((kind, text, lx, row))
        lx += item_width
    extra = 18 * row
    out.append(f'<g class="legend" fill="{_INK}">')
    for kind, text, lx, row in placed:
        ly = height + shift - 14 + 18 * row
        if kind == "line-centre":
            out.append(
                f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 18}" y2="{ly - 4}" stroke="{_GREY}" '
                'stroke-width="2"/>'
            )
        elif kind == "line-limits":
            out.append(
                f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 18}" y2="{ly - 4}" stroke="{_INK}" '
                'stroke-dasharray="6 4"/>'
            )
        elif kind == "line-action":
            out.append(
                f'<line x1="{lx + 9}" y1="{ly - 12}" x2="{lx + 9}" y2="{ly + 4}" stroke="{_INK}" '
                'stroke-dasharray="1 3"/>'
            )
        else:
            out.append(_marker(kind, lx + 9, ly - 4, text))
        out.append(f'<text x="{lx + 24}" y="{ly}">{escape(text)}</text>')
    out.append("</g>")
    if annotations:
        out.append(f'<g class="action-list" fill="{_INK}">')
        for k, note in enumerate(annotations, start=1):
            where = labels[int(round(note.x))] if 0 <= round(note.x) < n else texts["missing"]
            out.append(
                f'<text x="{ml}" y="{height + shift + extra + 6 + 18 * k}">'
                f'<tspan font-weight="bold">{k}</tspan> '
                f"{escape(str(where))}: {escape(note.label)}</text>"
            )
        out.append("</g>")
    out.append("</svg>")
    total = height + shift + extra + (18 * len(annotations) + 10 if annotations else 0)
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{total}" '
        f'viewBox="0 0 {width} {total}" role="img" '
        f'aria-labelledby="{base}-title {base}-desc" font-family="sans-serif" font-size="12" '
        f'class="spc-chart">',
        f'<title id="{base}-title">{escape(title)}</title>',
        f'<desc id="{base}-desc">{escape(description)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{total}" fill="#ffffff"/>',
    ]
    return "\n".join(head + out)


def run_chart_svg(
    labels: Sequence[str],
    values: Sequence,
    *,
    title: str,
    median: float | None = None,
    annotations: Sequence[Annotation] = (),
    texts: dict | None = None,
    number: Callable[[float], str] = _default_number,
    y_label: str = "",
    y_range: tuple[float, float] | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
    id_prefix: str | None = None,
) -> str:
    """A run chart: the series (``None`` for a period without a value), its median (or the
    frozen ``median`` given), points in a too-long run marked as squares, and a summary of the
    Anhøj analysis in the description."""
    words = {**TEXTS, **(texts or {})}
    numbers = runchart.clean(values)
    chart = runchart.analyse(numbers, median=median)
    marks = {}
    if chart.runs_signal:
        for run in runchart.long_runs(numbers, median=chart.median):
            marks.update(dict.fromkeys(run, "run"))
    found = _run_summary(chart, words, number)
    summary = [title, *found]
    return _render(
        subtitle=" ".join(found),
        labels=[str(label) for label in labels],
        values=numbers,
        centre=[chart.median] * len(numbers),
        centre_name=f"{words['median']} ({number(chart.median)})",
        lcl=None,
        ucl=None,
        marks=marks,
        title=title,
        summary=summary,
        annotations=annotations,
        texts=words,
        number=number,
        y_label=y_label,
        y_range=y_range,
        width=width,
        height=height,
        id_prefix=id_prefix,
    )


def _run_summary(chart: runchart.RunChart, words: dict, number) -> list[str]:
    out = []
    if chart.runs_signal:
        out.append(f"{words['run_signal']}: {chart.longest_run} > {chart.longest_run_max}.")
    if chart.crossings_signal:
        out.append(f"{words['crossings_signal']} {chart.crossings} < {chart.crossings_min}.")
    if not out:
        out.append(words["no_signal"])
    return out


def control_chart_svg(
    labels: Sequence[str],
    chart: ControlChart,
    *,
    title: str,
    annotations: Sequence[Annotation] = (),
    texts: dict | None = None,
    number: Callable[[float], str] | None = None,
    y_label: str = "",
    y_range: tuple[float, float] | None = None,
    width: int = WIDTH,
    height: int = HEIGHT,
    id_prefix: str | None = None,
) -> str:
    """A control chart: values, centre line and 3-sigma limits per point (stepping where the
    denominator or the phase changes), points outside the limits as triangles; each signal's
    explanation is in the description."""
    words = {**TEXTS, **(texts or {})}
    fmt = number or (_percent if chart.kind == "p" else _default_number)
    marks = {s.index: ("above" if s.rule == "above_ucl" else "below") for s in chart.signals}
    summary = [title] + ([s.text for s in chart.signals] or [words["no_signal"]])
    if chart.signals:
        subtitle = words["limit_signals"].format(count=len(chart.signals))
    else:
        subtitle = words["no_signal"]
    return _render(
        subtitle=subtitle,
        labels=[str(label) for label in labels],
        values=list(chart.values),
        centre=list(chart.centre),
        centre_name=words["centre"],
        lcl=list(chart.lcl),
        ucl=list(chart.ucl),
        marks=marks,
        breaks=frozenset(chart.phases[1:]),
        title=title,
        summary=summary,
        annotations=annotations,
        texts=words,
        number=fmt,
        y_label=y_label,
        y_range=y_range,
        width=width,
        height=height,
        id_prefix=id_prefix,
    )


def run_chart_csv(
    labels: Sequence[str],
    values: Sequence,
    *,
    median: float | None = None,
    annotations: Sequence[Annotation] = (),
    texts: dict | None = None,
) -> str:
    """The run chart's series as CSV: period, value, median, signal (the run signal's words on
    the points of a too-long run), action (labels of the actions at that period)."""
    words = {**TEXTS, **(texts or {})}
    numbers = runchart.clean(values)
    chart = runchart.analyse(numbers, median=median)
    flagged = set()
    if chart.runs_signal:
        flagged = {i for run in runchart.long_runs(numbers, median=chart.median) for i in run}
    rows = []
    for i, (label, value) in enumerate(zip(labels, numbers, strict=True)):
        rows.append(
            [
                label,
                "" if value is None else value,
                chart.median,
                words["run_signal"] if i in flagged else "",
                _actions_at(annotations, i),
            ]
        )
    header = [
        words["period"],
        words["value"],
        words["median"].lower(),
        words["signal"],
        words["action"].lower(),
    ]
    return _csv(header, rows)


def control_chart_csv(
    labels: Sequence[str],
    chart: ControlChart,
    *,
    annotations: Sequence[Annotation] = (),
    texts: dict | None = None,
) -> str:
    """The control chart's series as CSV: period, numerator, denominator (p and u), value,
    centre, lower and upper limit, signal (its explanation), action."""
    if len(labels) != chart.n:
        raise ValueError(f"{len(labels)} labels for {chart.n} points")
    words = {**TEXTS, **(texts or {})}
    reasons = {s.index: s.text for s in chart.signals}
    ratio = chart.denominators is not None
    header = [words["period"]]
    if ratio:
        header += ["numerator", "denominator"]
    header += [words["value"], "centre", words["lcl"], words["ucl"], words["signal"], "action"]
    rows = []
    for i, label in enumerate(labels):
        row = [label]
        if ratio:
            row += [chart.numerators[i], chart.denominators[i]]
        row += [
            chart.values[i],
            chart.centre[i],
            chart.lcl[i],
            chart.ucl[i],
            reasons.get(i, ""),
            _actions_at(annotations, i),
        ]
        rows.append(row)
    return _csv(header, rows)


def _actions_at(annotations: Sequence[Annotation], i: int) -> str:
    return "; ".join(a.label for a in annotations if int(round(a.x)) == i)


def _csv(header: list, rows: list[list]) -> str:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([csv_cell(h) for h in header])
    for row in rows:
        writer.writerow([csv_cell(_cell(v)) for v in row])
    return buffer.getvalue()


def _cell(value):
    if isinstance(value, float):
        return repr(value) if math.isfinite(value) else ""
    return value


__all__ = [
    "TEXTS",
    "Annotation",
    "control_chart_csv",
    "control_chart_svg",
    "run_chart_csv",
    "run_chart_svg",
]
