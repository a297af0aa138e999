"""The report's figures with matplotlib: dimensions by group (grouped bars with their counts)
and stories per month (a line per group and the total).

Drawn on matplotlib's object API (``Figure`` and a canvas, no pyplot), so nothing global
changes and figures can be drawn from several threads of a web server. Made for print: a
palette that stays distinct for colour-blind readers, hatching that survives a grey-scale
printer, text at 9 points or more. SVG output is reproducible (no date, fixed ids).
"""

from __future__ import annotations

import base64
import io
import textwrap

import matplotlib
from matplotlib.figure import Figure

from . import wording

# Okabe & Ito's colour-blind-safe palette, and hatches for grey-scale prints.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000")
HATCHES = ("", "///", "...", "xx", "\\\\\\", "++", "oo", "--")
STYLE = {
    "font.size": 9,
    "axes.titlesize": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "svg.fonttype": "none",  # text stays text: searchable, small, crisp
    "svg.hashsalt": "mango",
    "hatch.linewidth": 0.6,
}


def _save(figure: Figure, fmt: str) -> bytes:
    buffer = io.BytesIO()
    metadata = {"Date": None} if fmt == "svg" else {}
    figure.savefig(buffer, format=fmt, bbox_inches="tight", metadata=metadata, dpi=200)
    return buffer.getvalue()


def data_uri(content: bytes, fmt: str) -> str:
    mime = "image/svg+xml" if fmt == "svg" else "image/png"
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def dimension_chart(
    percentages: list[list[float]],
    counts: list[list[int]],
    dimensions: list[str],
    groups: list[str],
    language: str,
    fmt: str = "svg",
) -> bytes:
    """Horizontal grouped bars: per dimension (rows) one bar per group, its length the
    percentage of the group's stories, its count written at its end.

    ``percentages[i][j]`` and ``counts[i][j]``: dimension i, group j."""
    with matplotlib.rc_context(STYLE):
        k = max(len(groups), 1)
        height = max(2.2, 0.28 * k * len(dimensions) + 1.2)
        figure = Figure(figsize=(7.0, height))
        ax = figure.add_subplot()
        bar = 0.8 / k
        top = 0.0
        for j, group in enumerate(groups):
            ys = [i + (j - (k - 1) / 2) * bar for i in range(len(dimensions))]
            values = [row[j] if row[j] == row[j] else 0.0 for row in percentages]
            bars = ax.barh(
                ys,
                values,
                height=bar * 0.95,
                color=PALETTE[j % len(PALETTE)],
                hatch=HATCHES[j % len(HATCHES)],
                edgecolor="white" if not HATCHES[j % len(HATCHES)] else "#333333",
                linewidth=0.4,
                label=group,
            )
            labels = [wording.number(row[j], language) for row in counts]
            ax.bar_label(bars, labels=labels, padding=2, fontsize=8)
            top = max([top, *values])
        ax.set_yticks(range(len(dimensions)))
        ax.set_yticklabels([textwrap.fill(d, 34) for d in dimensions])
        ax.invert_yaxis()
        ax.set_xlim(0, max(10.0, top * 1.18))
        ax.set_xlabel(wording.text("axis_percent", language))
        ax.xaxis.grid(True, color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        if not dimensions:
            ax.text(0.5, 0.5, wording.text("empty_figure", language), transform=ax.transAxes)
        ax.legend(loc="lower right", frameon=False, fontsize=8)
        return _save(figure, fmt)


def month_chart(
    months: list[str],
    series: dict[str, list[int]],
    total: list[int] | None,
    language: str,
    fmt: str = "svg",
) -> bytes:
    """Stories per month: a line per series (group) and, when given, the total in black."""
    with matplotlib.rc_context(STYLE):
        figure = Figure(figsize=(7.0, 3.0))
        ax = figure.add_subplot()
        x = list(range(len(months)))
        markers = ("o", "s", "^", "D", "v", "P", "X", "*")
        for j, (name, values) in enumerate(series.items()):
            ax.plot(
                x,
                values,
                color=PALETTE[j % len(PALETTE)],
                marker=markers[j % len(markers)] if len(x) <= 36 else None,
                markersize=3.5,
                linewidth=1.4,
                label=name,
            )
        if total is not None:
            ax.plot(
                x, total, color="#000000", linewidth=2.0, label=wording.text("c_total", language)
            )
        step = max(1, len(months) // 12)
        ax.set_xticks(x[::step])
        ax.set_xticklabels(months[::step], rotation=45, ha="right")
        ax.set_ylabel(wording.text("axis_stories", language))
        ax.set_ylim(bottom=0)
        ax.yaxis.grid(True, color="#dddddd", linewidth=0.6)
        ax.set_axisbelow(True)
        if not months:
            ax.text(0.5, 0.5, wording.text("empty_figure", language), transform=ax.transAxes)
        if series or total is not None:
            ax.legend(loc="upper left", frameon=False, fontsize=8)
        return _save(figure, fmt)


def report_figures(
    report, fmt: str = "svg", only: str | None = None
) -> list[tuple[str, str, bytes]]:
    """(key, caption, image) for each figure of a built report (just ``only``, if given)."""
    lang = report.language
    out = []
    c = report.comparison
    if c is not None and only in (None, "dimensions"):
        out.append(
            (
                "dimensions",
                wording.text("f_dimensions", lang),
                dimension_chart(
                    [[float(c.percentages.loc[k, g]) for g in c.groups] for k in c.labels],
                    [[int(c.counts.loc[k, g]) for g in c.groups] for k in c.labels],
                    [report.dimension_names[k] for k in c.labels],
                    [report.group_names.get(g, str(g)) for g in c.groups],
                    lang,
                    fmt,
                ),
            )
        )
    if only not in (None, "months"):
        return out
    m = report.months
    grouped = m.group is not None
    series = (
        {report.group_names.get(g, str(g)): m.counts[g].tolist() for g in m.counts.columns}
        if grouped
        else {}
    )
    out.append(
        (
            "months",
            wording.text("f_months", lang),
            month_chart(list(m.counts.index), series, m.total.tolist(), lang, fmt),
        )
    )
    return out
