"""Stories over time and per unit, for an organisation's own reports.

Months run from the first to the last month with a story (or from ``start`` to ``end``), and
every month in between has a row, with zeros where no story came in: a gap in a chart is then
a real gap, not a missing row. Timestamps with a time zone are first converted to ``tz``
(e.g. "Europe/Brussels"), so a story sent at 00:30 on 1 March counts in March there.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .common import (
    factorize,
    group_key,
    jsonable,
    label_matrix,
    missing_values,
    ordered_groups,
    positions,
    require_columns,
)

PERIODS = {"month": "M", "quarter": "Q", "year": "Y"}


def local_dates(stories: pd.DataFrame, column: str, tz: str | None = None) -> pd.Series:
    """``column`` as naive local datetimes (NaT where missing).

    Aware values are converted to ``tz`` first, when given; otherwise they keep their own
    wall-clock time. ValueError for values that are not dates, naming the first one.
    """
    require_columns(stories, [column])
    raw = stories[column]
    missing = missing_values(raw)
    try:
        parsed = pd.to_datetime(raw, errors="coerce")
    except ValueError:  # offsets that differ, e.g. summer and winter time: go through UTC
        parsed = pd.to_datetime(raw, errors="coerce", utc=True)
    bad = parsed.isna().to_numpy() & ~missing
    if bad.any():
        first = raw.index[bad.argmax()]
        raise ValueError(
            f"Column {column!r} holds values that are not dates: {raw[first]!r} in "
            f"{int(bad.sum())} row(s), first at row {first}."
        )
    if parsed.dt.tz is not None:
        if tz is not None:
            parsed = parsed.dt.tz_convert(tz)
        parsed = parsed.dt.tz_localize(None)
    return parsed


def period(
    stories: pd.DataFrame, date: str = "submitted_at", unit: str = "month", tz: str | None = None
) -> pd.Series:
    """Each story's month ("2018-02"), quarter ("2018Q1") or year ("2018") as text: a column
    to group by (``dimension_by_group(stories.assign(period=period(stories)), "period", ...)``).
    None where the date is missing."""
    if unit not in PERIODS:
        raise ValueError(f"A period is one of {', '.join(PERIODS)}, not {unit!r}.")
    dates = local_dates(stories, date, tz)
    out = dates.dt.to_period(PERIODS[unit]).astype("string").astype(object)
    return out.where(dates.notna(), None).rename("period")


@dataclass
class Trend:
    """Stories per month (rows, "YYYY-MM") and group (columns; one column "stories" when
    there is no group)."""

    group: str | None
    counts: pd.DataFrame
    left_out: int  # stories without a date or group, or outside start..end

    @property
    def total(self) -> pd.Series:
        return self.counts.sum(axis=1)

    def to_dict(self) -> dict:
        return jsonable(
            {
                "group": self.group,
                "months": list(self.counts.index),
                "series": [
                    {"group": group_key(g), "counts": self.counts[g].tolist()}
                    for g in self.counts.columns
                ],
                "total": self.total.tolist(),
                "left_out": self.left_out,
            }
        )


def _month(value, name: str) -> int:
    """A month as months since January 1970."""
    try:
        month = pd.Period(value, freq="M")
    except (ValueError, TypeError):
        raise ValueError(f"{name} must be a month such as '2018-02', not {value!r}.") from None
    return (month.year - 1970) * 12 + month.month - 1


def by_month(
    stories: pd.DataFrame,
    date: str = "submitted_at",
    group: str | None = None,
    *,
    groups: Sequence | None = None,
    start=None,
    end=None,
    tz: str | None = None,
) -> Trend:
    """Stories per month, per group when ``group`` is given (e.g. "unit" for one
    organisation). ``groups`` fixes the groups and their order, with zeros for a group
    without stories; stories in other groups are left out. ``start``/``end`` (a month, date
    or "YYYY-MM") fix the range; stories outside it are left out."""
    dates = local_dates(stories, date, tz).to_numpy(dtype="datetime64[ns]")
    keep = ~np.isnat(dates)
    months = dates.astype("datetime64[M]").astype(np.int64)  # months since January 1970
    if group is None:
        names: list = ["stories"]
        codes = np.zeros(len(stories), dtype=np.int64)
    else:
        require_columns(stories, [group])
        factorized = factorize(stories[group])
        names = ordered_groups(factorized[1], groups)
        codes = positions(stories[group], names, factorized)
        keep &= codes >= 0
    first = _month(start, "start") if start is not None else None
    last = _month(end, "end") if end is not None else None
    if first is not None and last is not None and first > last:
        raise ValueError(f"start ({start}) comes after end ({end}).")
    if first is not None:
        keep &= months >= first
    if last is not None:
        keep &= months <= last
    kept = months[keep]
    if first is None:
        first = int(kept.min()) if len(kept) else 0
    if last is None:
        last = int(kept.max()) if len(kept) else -1
    span, k = last - first + 1, len(names)
    counts = np.bincount((kept - first) * k + codes[keep], minlength=span * k).reshape(span, k)
    index = np.arange(first, last + 1).astype("datetime64[M]").astype(str)
    frame = pd.DataFrame(
        counts.astype(np.int64),
        index=pd.Index(index, dtype=object, name="month"),
        columns=pd.Index(names, dtype=object, name=group),
    )
    return Trend(group, frame, int(np.count_nonzero(~keep)))


@dataclass
class UnitTable:
    """Per unit: stories, their percentage of all stories given, and per label the stories
    that carry it (``LABEL``) and their percentage of the unit's stories (``LABEL %``). The
    unit None holds stories without a unit."""

    unit: str
    table: pd.DataFrame

    def to_dict(self) -> dict:
        return jsonable({"unit": self.unit, "rows": self.table})


def by_unit(
    stories: pd.DataFrame,
    unit: str = "unit",
    labels: Sequence[str] = (),
    *,
    units: Sequence | None = None,
) -> UnitTable:
    """Stories and labels per unit of one organisation (filter the stories first).

    ``units``: every unit to show, in order, with zeros for those without stories; units
    found in the stories but not listed follow, sorted."""
    require_columns(stories, [unit, *labels])
    matrix = label_matrix(stories, labels) if labels else np.zeros((len(stories), 0), np.int8)
    factorized = factorize(stories[unit])
    listed = list(units or [])
    names = listed + ordered_groups([u for u in factorized[1] if u not in set(listed)], None)
    codes = positions(stories[unit], names, factorized)
    missing = codes < 0
    codes[missing] = len(names)  # the "no unit" row
    size = len(names) + 1
    totals = np.bincount(codes, minlength=size)
    rows = pd.DataFrame({unit: pd.Series([*names, None], dtype=object), "stories": totals})
    rows["percent"] = 100 * totals / len(stories) if len(stories) else np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        for j, name in enumerate(labels):
            n = np.bincount(codes, weights=matrix[:, j], minlength=size).astype(np.int64)
            rows[name] = n
            rows[f"{name} %"] = np.where(totals > 0, 100 * n / totals, np.nan)
    if not missing.any():
        rows = rows.iloc[:-1]
    return UnitTable(unit, rows.reset_index(drop=True))
