"""The analysis results built from counts a database already aggregated.

A dashboard cannot load a million stories per request; it asks the database for grouped
counts (stories per value, per group and label, per month) and builds the same result objects
``mango.lib.analysis`` builds from one row per story, so the same tables, tests and charts
follow. The tests per label depend on the label's 2 x k table only, which counts determine
completely; they run through ``mango.lib.analysis.significance`` with the seeds that
``dimension_by_group`` uses, so both paths give the same p-values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from mango.lib.analysis import describe, significance, trends
from mango.lib.analysis.common import ordered_groups
from mango.lib.analysis.dimensions import DimensionTable, label_tests


def frequencies(column: str, counts: Mapping, total: int | None = None) -> describe.Frequencies:
    """Stories per value (None: missing), ordered as ``describe.frequencies`` orders them."""
    order = list(describe.RESPONDENT_COLUMNS.get(column, ()))
    present = [v for v in counts if v is not None and v != ""]
    others = ordered_groups([v for v in present if v not in set(order)], None)
    rows = [(v, int(counts.get(v, 0))) for v in order + others]
    missing = int(counts.get(None, 0)) + int(counts.get("", 0))
    if missing:
        rows.append((None, missing))
    table = pd.DataFrame(
        {
            "value": pd.Series([v for v, _ in rows], dtype=object),
            "n": pd.Series([n for _, n in rows], dtype=np.int64),
        }
    )
    total = int(table["n"].sum()) if total is None else total
    table["percent"] = 100 * table["n"] / total if total else np.nan
    return describe.Frequencies(column, table)


def screening(
    stories: int, included: int, excluded: Mapping, reasons: Sequence[str] = ()
) -> describe.Screening:
    """``excluded``: excluded stories per reason key."""
    listed = list(reasons)
    others = ordered_groups([r for r in excluded if r not in set(listed) and r], None)
    rows = [(r, int(excluded.get(r, 0))) for r in listed + others]
    if excluded.get(None):
        rows.append((None, int(excluded[None])))
    total = sum(n for _, n in rows)
    table = pd.DataFrame(
        {
            "reason": pd.Series([r for r, _ in rows], dtype=object),
            "n": pd.Series([n for _, n in rows], dtype=np.int64),
        }
    )
    table["percent"] = 100 * table["n"] / total if total else np.nan
    return describe.Screening(
        stories=stories,
        included=included,
        excluded=total,
        pending=stories - included - total,
        reasons=table,
    )


def comparison(
    group: str,
    groups: Sequence,
    labels: Sequence[str],
    totals: Mapping,
    counts: Mapping,
    unlabelled: Mapping,
    *,
    multi_label: bool,
    left_out: int = 0,
    seed: int = significance.DEFAULT_SEED,
    resamples: int = significance.DEFAULT_RESAMPLES,
) -> DimensionTable:
    """A ``DimensionTable`` from ``totals[g]`` (stories per group), ``counts[(label, g)]``
    (stories of group g carrying the label) and ``unlabelled[g]``. ValueError for fewer than
    two groups or a group without stories, as ``dimension_by_group``."""
    groups, labels = list(groups), list(labels)
    if len(groups) < 2:
        raise ValueError(f"Comparing needs at least 2 groups; there are {len(groups)}.")
    sizes = np.array([int(totals.get(g, 0)) for g in groups], dtype=np.int64)
    if (sizes == 0).any():
        empty = [str(g) for g, n in zip(groups, sizes, strict=True) if n == 0]
        raise ValueError(f"Group(s) without stories in column {group!r}: {', '.join(empty)}.")
    k = len(groups)
    matrix = np.array(
        [[int(counts.get((label, g), 0)) for g in groups] for label in labels], dtype=np.int64
    ).reshape(len(labels), k)
    tests, residuals = label_tests(matrix, sizes, labels, np.random.SeedSequence(seed), resamples)
    columns = pd.Index(groups, name=group)
    index = pd.Index(labels, name="label")
    return DimensionTable(
        group=group,
        groups=groups,
        labels=labels,
        totals=pd.Series(sizes, index=columns, name="stories"),
        counts=pd.DataFrame(matrix, index=index, columns=columns),
        percentages=pd.DataFrame(100 * matrix / sizes, index=index, columns=columns),
        residuals=pd.DataFrame(residuals, index=index, columns=columns),
        tests=tests,
        unlabelled=pd.Series(
            [int(unlabelled.get(g, 0)) for g in groups], index=columns, name="unlabelled"
        ),
        multi_label=multi_label,
        left_out=left_out,
        seed=seed,
        resamples=resamples,
    )


def months(counts: Mapping, group: str | None = None, groups: Sequence | None = None):
    """A ``Trend`` from ``counts[(month "YYYY-MM", group value or None)]``: every month from
    the first to the last, zeros where none came in."""
    keys = [m for m, _ in counts if m]
    names = list(groups) if group is not None else ["stories"]
    if not keys:
        frame = pd.DataFrame(
            np.zeros((0, len(names)), dtype=np.int64),
            index=pd.Index([], dtype=object, name="month"),
            columns=pd.Index(names, dtype=object, name=group),
        )
        return trends.Trend(group, frame, 0)
    first, last = pd.Period(min(keys), "M"), pd.Period(max(keys), "M")
    index = [str(p) for p in pd.period_range(first, last, freq="M")]
    rows = {m: i for i, m in enumerate(index)}
    columns = {c: j for j, c in enumerate(names)}
    cells = np.zeros((len(index), len(names)), dtype=np.int64)
    left_out = 0
    for (month, value), n in counts.items():
        column = value if group is not None else "stories"
        if not month or column not in columns:
            left_out += int(n)
            continue
        cells[rows[month], columns[column]] += int(n)
    frame = pd.DataFrame(
        cells,
        index=pd.Index(index, dtype=object, name="month"),
        columns=pd.Index(names, dtype=object, name=group),
    )
    return trends.Trend(group, frame, left_out)


def units(column: str, totals: Mapping, counts: Mapping, labels: Sequence[str]) -> trends.UnitTable:
    """A ``UnitTable`` from ``totals[unit]`` and ``counts[(label, unit)]``; unit None: none."""
    names = ordered_groups([u for u in totals if u is not None], None)
    all_names = names + ([None] if totals.get(None) else [])
    stories = np.array([int(totals.get(u, 0)) for u in all_names], dtype=np.int64)
    rows = pd.DataFrame({column: pd.Series(all_names, dtype=object), "stories": stories})
    total = int(stories.sum())
    rows["percent"] = 100 * stories / total if total else np.nan
    with np.errstate(divide="ignore", invalid="ignore"):
        for label in labels:
            n = np.array([int(counts.get((label, u), 0)) for u in all_names], dtype=np.int64)
            rows[label] = n
            rows[f"{label} %"] = np.where(stories > 0, 100 * n / stories, np.nan)
    return trends.UnitTable(column, rows)
