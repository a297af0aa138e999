"""The charts of a team, an organisation or the network: each measure as a run chart (median,
Anhøj rules) and a Shewhart chart (p for shares, u for counts per team, I otherwise), with the
team's actions as annotations, signals explained in words, SVG and CSV.

The statistics are ``mango.lib.spc``'s; this module only chooses the series and the words.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, field, replace
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from mango.lib.spc import runchart, shewhart, svg

from . import measures, results
from .models import Action, Item

PROCESS_TITLES = {
    "told": lambda: _("Stories told per month"),
    "shared": lambda: _("Stories shared per month"),
    "thanks": lambda: _("Thank-you notes sent per month"),
    "reflections": lambda: _("Team reflections held per month"),
}


@dataclass
class Series:
    key: str
    title: str
    kind: str  # the Shewhart chart that fits: "p", "u" or "i"
    dates: list[date]
    values: list[float | None]  # None: not shown (under k) or nothing to count
    numerators: list[float] = field(default_factory=list)
    denominators: list[float] = field(default_factory=list)
    percent: bool = False
    y_range: tuple[float, float] | None = None
    hidden: int = 0  # points not shown because too few answered


@dataclass
class Chart:
    series: Series
    run_svg: str = ""
    control_svg: str = ""
    lines: list[tuple[str, bool]] = field(default_factory=list)  # (sentence, is a signal)
    enough: bool = True


def texts() -> dict:
    return {
        "median": _("Median"),
        "centre": _("Centre line"),
        "limits": _("Control limits (3 sigma)"),
        "point": _("Value"),
        "run_signal": _("Shift: run longer than expected"),
        "above": _("Above the upper control limit"),
        "below": _("Below the lower control limit"),
        "action": _("Action"),
        "actions": _("Actions"),
        "no_signal": _("No signal of non-random variation."),
        "crossings_signal": _("Too few crossings of the median."),
        "missing": _("not shown"),
        "period": _("period"),
        "value": _("value"),
        "lcl": _("lower_limit"),
        "ucl": _("upper_limit"),
        "signal": _("signal"),
    }


def label(day: date, monthly: bool) -> str:
    return date_format(day, "M Y" if monthly else "j M Y")


# ----- series ---------------------------------------------------------------------------------


def pulse_series(points: list[results.Point], item: Item, what: str) -> Series:
    dates = [p.when for p in points]
    hidden = sum(1 for p in points if not p.shown)
    if what == "mean":
        return Series(
            f"{item.key}-mean",
            _("%(question)s: mean") % {"question": item.short()},
            "i",
            dates,
            [p.mean if p.shown else None for p in points],
            y_range=(item.scale_min, item.scale_max),
            hidden=hidden,
        )
    return Series(
        f"{item.key}-share",
        _("%(question)s: share favourable (%(from)s or more)")
        % {"question": item.short(), "from": item.favourable_from},
        "p",
        dates,
        [p.share if p.shown else None for p in points],
        numerators=[p.favourable for p in points],
        denominators=[p.n for p in points],
        percent=True,
        y_range=(0.0, 1.0),
        hidden=hidden,
    )


def process_series(key: str, counts: dict[date, int], first: date, last: date, teams: int):
    months = measures.months(first, last)
    values = [float(counts.get(m, 0)) for m in months]
    if teams > 1:
        return Series(
            key,
            PROCESS_TITLES[key]() + " " + _("(per team, %(n)s teams)") % {"n": teams},
            "u",
            months,
            [v / teams for v in values],
            numerators=values,
            denominators=[float(teams)] * len(values),
        )
    return Series(key, PROCESS_TITLES[key](), "i", months, values)


# ----- annotations ----------------------------------------------------------------------------


def positions(dates: list[date], actions: list[Action]) -> list[svg.Annotation]:
    """Each action at its place between the points (a fraction between two periods)."""
    out = []
    for action in actions:
        if not dates or action.date < dates[0]:
            continue
        x = float(len(dates) - 1)
        for i in range(len(dates) - 1):
            if dates[i] <= action.date < dates[i + 1]:
                span = (dates[i + 1] - dates[i]).days or 1
                x = i + (action.date - dates[i]).days / span
                break
        out.append(svg.Annotation(round(x, 3), f"{action.title} ({action.get_kind_display()})"))
    return out


# ----- the charts -----------------------------------------------------------------------------


def _number(series: Series):
    if series.percent:
        return lambda v: f"{v * 100:.0f}%"
    return lambda v: f"{v:.2f}".rstrip("0").rstrip(".") if v % 1 else f"{v:.0f}"


def build(series: Series, *, monthly: bool, actions=(), baseline=None, recompute=False) -> Chart:
    """Both charts of a series, with the explanation in words. ``baseline``: freeze the centre
    on the first that many shown points; ``recompute``: a new centre from a sustained shift."""
    chart = Chart(series)
    labels = [label(d, monthly) for d in series.dates]
    present = [i for i, v in enumerate(series.values) if v is not None]
    words = texts()
    number = _number(series)
    if len(present) < 2:
        chart.enough = False
        chart.lines.append((_("Too few points to draw a chart yet."), False))
        return chart
    if baseline is not None:
        baseline = max(2, min(int(baseline), len(present)))
    notes = positions(series.dates, list(actions))
    frozen = None
    if baseline:
        frozen = statistics.median([series.values[i] for i in present[:baseline]])
    run = runchart.analyse(series.values, median=frozen)
    chart.run_svg = svg.run_chart_svg(
        labels,
        series.values,
        title=series.title,
        median=frozen,
        annotations=notes,
        texts=words,
        number=number,
        y_range=series.y_range,
        id_prefix=f"run-{series.key}",
    )
    chart.lines += explain_run(run, number)
    # The control chart uses the shown points only.
    shown_labels = [labels[i] for i in present]
    shown_dates = [series.dates[i] for i in present]
    try:
        control = _control(series, present, baseline)
        if recompute:
            control = shewhart.recompute_after_shift(control)
    except ValueError as problem:
        chart.lines.append((_("No control chart: %(reason)s") % {"reason": problem}, False))
        return chart
    control = replace(
        control,
        signals=tuple(
            replace(s, text=explain_signal(s, control, shown_labels, number))
            for s in control.signals
        ),
    )
    chart.control_svg = svg.control_chart_svg(
        shown_labels,
        control,
        title=series.title + " — " + KIND_NAMES[series.kind](),
        annotations=positions(shown_dates, list(actions)),
        texts=words,
        number=number,
        y_range=series.y_range,
        id_prefix=f"ctl-{series.key}",
    )
    chart.control = control
    chart.control_labels = shown_labels
    for s in control.signals:
        chart.lines.append((s.text, True))
    if len(control.phases) > 1:
        starts = ", ".join(shown_labels[p] for p in control.phases[1:])
        chart.lines.append(
            (
                _("The centre line was recomputed after a sustained shift, from %(when)s.")
                % {"when": starts},
                False,
            )
        )
    if not control.signals:
        chart.lines.append((_("Control chart: every point lies within the limits."), False))
    return chart


KIND_NAMES = {
    "p": lambda: _("p-chart"),
    "u": lambda: _("u-chart"),
    "i": lambda: _("I-chart"),
}


def _control(series: Series, present: list[int], baseline):
    if series.kind == "p":
        return shewhart.p_chart(
            [series.numerators[i] for i in present],
            [series.denominators[i] for i in present],
            baseline=baseline,
        )
    if series.kind == "u":
        return shewhart.u_chart(
            [series.numerators[i] for i in present],
            [series.denominators[i] for i in present],
            baseline=baseline,
        )
    return shewhart.i_chart([series.values[i] for i in present], baseline=baseline)


def explain_run(run: runchart.RunChart, number) -> list[tuple[str, bool]]:
    lines = [
        (
            _(
                "Run chart: %(useful)s of %(n)s points are not on the median (%(median)s) and "
                "count for the rules."
            )
            % {"useful": run.n_useful, "n": run.n, "median": number(run.median)},
            False,
        )
    ]
    if run.n_useful < 10:
        lines.append((_("With fewer than 10 such points the rules can hardly signal."), False))
    if run.runs_signal:
        lines.append(
            (
                _(
                    "Shift: %(run)s points in a row on one side of the median, more than the "
                    "%(max)s that chance alone allows."
                )
                % {"run": run.longest_run, "max": run.longest_run_max},
                True,
            )
        )
    if run.crossings_signal:
        lines.append(
            (
                _(
                    "Too few crossings: the line crosses the median %(crossings)s times, fewer "
                    "than the %(min)s that chance alone allows."
                )
                % {"crossings": run.crossings, "min": run.crossings_min},
                True,
            )
        )
    if not (run.runs_signal or run.crossings_signal):
        lines.append(
            (
                _(
                    "No signal: the longest run is %(run)s (at most %(max)s expected) and the "
                    "line crosses the median %(crossings)s times (at least %(min)s expected)."
                )
                % {
                    "run": run.longest_run,
                    "max": run.longest_run_max,
                    "crossings": run.crossings,
                    "min": run.crossings_min,
                },
                False,
            )
        )
    return lines


def explain_signal(signal, control, labels, number) -> str:
    i = signal.index
    values = {"when": labels[i], "value": number(control.values[i])}
    if signal.rule == "above_ucl":
        values["limit"] = number(control.ucl[i])
        return (
            _(
                "%(when)s (%(value)s) lies above the upper control limit (%(limit)s): more than "
                "chance variation would give; look for a special cause."
            )
            % values
        )
    values["limit"] = number(control.lcl[i])
    return (
        _(
            "%(when)s (%(value)s) lies below the lower control limit (%(limit)s): more than "
            "chance variation would give; look for a special cause."
        )
        % values
    )


def run_csv(series: Series, actions=(), monthly=True) -> str:
    labels = [label(d, monthly) for d in series.dates]
    notes = positions(series.dates, list(actions))
    if any(v is not None for v in series.values):
        return svg.run_chart_csv(labels, series.values, annotations=notes, texts=texts())
    # Nothing shown (every point under k): the periods, without values or a median.
    import csv
    import io

    from mango.lib.spreadsheets import csv_cell

    words = texts()
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([words["period"], words["value"], words["median"].lower(), words["signal"]])
    for name in labels:
        writer.writerow([csv_cell(name), "", "", ""])
    return out.getvalue()
