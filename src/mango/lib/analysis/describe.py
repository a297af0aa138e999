"""Who told the stories and what screening kept: frequency tables and the screening summary.

Percentages here are of all stories given (missing values included, shown as a row with
value None), so a table's percentages add up to 100 apart from rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import vocab
from .common import factorize, jsonable, missing_values, ordered_groups, positions, require_columns

# The respondent tables and the order of their values (codes absent from the data still get
# a row with 0 stories, so tables of two campaigns line up).
RESPONDENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "teller_role": vocab.TELLER_ROLES,
    "setting": vocab.SETTINGS,
    "oncological": vocab.ONCOLOGICAL,
}

# The three analysis groups of the story campaign (BMJ Open 2020;10:e034543).
PROFESSIONALS = "professional"
ONCOLOGICAL_PATIENTS = "oncological_patient_family"
OTHER_PATIENTS = "non_oncological_patient_family"
PATIENT_ROLES = ("patient", "resident", "family")


@dataclass
class Frequencies:
    column: str
    table: pd.DataFrame  # value, n, percent (of all stories)

    @property
    def stories(self) -> int:
        return int(self.table["n"].sum())

    def to_dict(self) -> dict:
        return jsonable({"column": self.column, "stories": self.stories, "rows": self.table})


def frequencies(stories: pd.DataFrame, column: str, order: Sequence | None = None) -> Frequencies:
    """Stories per value of ``column``: the values of ``order`` first (0 when absent), then
    any others sorted, then missing values as value None."""
    require_columns(stories, [column])
    codes, values = factorize(stories[column])
    counts = dict(zip(values, np.bincount(codes[codes >= 0], minlength=len(values)), strict=True))
    known = list(order or [])
    others = ordered_groups([v for v in values if v not in set(known)], None)
    rows = [(value, int(counts.get(value, 0))) for value in known + others]
    missing = int(np.count_nonzero(codes < 0))
    if missing:
        rows.append((None, missing))
    table = pd.DataFrame(
        {
            "value": pd.Series([value for value, _ in rows], dtype=object),
            "n": pd.Series([n for _, n in rows], dtype=np.int64),
        }
    )
    total = len(stories)
    table["percent"] = 100 * table["n"] / total if total else np.nan
    return Frequencies(column, table)


def respondents(
    stories: pd.DataFrame, columns: Sequence[str] = tuple(RESPONDENT_COLUMNS)
) -> dict[str, Frequencies]:
    """Stories by respondent type, setting and oncological care (or other ``columns``)."""
    require_columns(stories, columns)
    return {name: frequencies(stories, name, RESPONDENT_COLUMNS.get(name)) for name in columns}


def respondent_group(
    stories: pd.DataFrame, role: str = "teller_role", oncological: str = "oncological"
) -> pd.Series:
    """The campaign's analysis group of each story: healthcare professionals, oncological
    patients & family, non-oncological patients & family; None for other tellers and for
    patients and family who did not say whether the care was oncological."""
    require_columns(stories, [role, oncological])
    teller, onco = stories[role], stories[oncological]
    patients = teller.isin(PATIENT_ROLES)
    out = np.full(len(stories), None, dtype=object)
    out[teller.eq(PROFESSIONALS).to_numpy(dtype=bool)] = PROFESSIONALS
    out[(patients & onco.eq("yes")).to_numpy(dtype=bool)] = ONCOLOGICAL_PATIENTS
    out[(patients & onco.eq("no")).to_numpy(dtype=bool)] = OTHER_PATIENTS
    return pd.Series(out, index=stories.index, dtype=object, name="respondent_group")


@dataclass
class CrossTable:
    row: str
    column: str
    counts: pd.DataFrame  # row values x column values
    percentages: pd.DataFrame  # column percentages
    left_out: int  # stories with a missing value in either column

    def to_dict(self) -> dict:
        return jsonable(
            {
                "row": self.row,
                "column": self.column,
                "left_out": self.left_out,
                "counts": self.counts.reset_index(),
                "percentages": self.percentages.reset_index(),
            }
        )


def crosstab(
    stories: pd.DataFrame,
    row: str,
    column: str,
    *,
    row_order: Sequence | None = None,
    column_order: Sequence | None = None,
) -> CrossTable:
    """Stories by two columns (e.g. respondent type by setting), with column percentages.

    Orders default to the respondent vocabularies for their columns, else sorted values;
    values in an order but not in the data get zeros. A column without stories has
    percentages None."""
    require_columns(stories, [row, column])
    missing = missing_values(stories[row]) | missing_values(stories[column])
    kept = stories.loc[~missing, [row, column]]
    orders = []
    for name, order in ((row, row_order), (column, column_order)):
        order = list(order or RESPONDENT_COLUMNS.get(name, ()))
        extra = [v for v in pd.unique(kept[name]) if v not in set(order)]
        orders.append(order + ordered_groups(extra, None))
    counts = pd.crosstab(kept[row], kept[column]).reindex(
        index=orders[0], columns=orders[1], fill_value=0
    )
    counts.index.name, counts.columns.name = row, column
    totals = counts.sum(axis=0).replace(0, np.nan)
    return CrossTable(row, column, counts, 100 * counts / totals, int(missing.sum()))


@dataclass
class Screening:
    """Screening's outcome. ``share`` is included / screened (None before any screening);
    ``reasons`` has reason, n and percent of the excluded stories."""

    stories: int
    included: int
    excluded: int
    pending: int  # not screened yet
    reasons: pd.DataFrame

    @property
    def screened(self) -> int:
        return self.included + self.excluded

    @property
    def share(self) -> float | None:
        return self.included / self.screened if self.screened else None

    def to_dict(self) -> dict:
        return jsonable(
            {
                "stories": self.stories,
                "screened": self.screened,
                "included": self.included,
                "excluded": self.excluded,
                "pending": self.pending,
                "share": self.share,
                "reasons": self.reasons,
            }
        )


def screening(
    stories: pd.DataFrame,
    decision: str = "screening",
    reason: str = "exclusion_reason",
    *,
    included: str = "included",
    excluded: str = "excluded",
    reasons: Sequence[str] = (),
) -> Screening:
    """Included, excluded by reason, and the share that are Mangomoments.

    ``decision`` holds ``included``, ``excluded`` or nothing (not screened yet); ``reason``
    the exclusion reason of excluded stories (``reasons`` first and always shown, then any
    others sorted, then excluded stories without a reason as None).
    """
    require_columns(stories, [decision, reason])
    factorized = factorize(stories[decision])
    unknown = [v for v in factorized[1] if v not in (included, excluded)]
    if unknown:
        found = ", ".join(repr(v) for v in unknown[:3])
        raise ValueError(
            f"Column {decision!r} must hold {included!r}, {excluded!r} or nothing; found {found}."
        )
    codes = positions(stories[decision], [included, excluded], factorized)
    is_excluded = codes == 1
    table = frequencies(stories.loc[is_excluded], reason, reasons).table
    table = table.rename(columns={"value": "reason"})
    total = int(is_excluded.sum())
    table["percent"] = 100 * table["n"] / total if total else np.nan
    return Screening(
        stories=len(stories),
        included=int(np.count_nonzero(codes == 0)),
        excluded=total,
        pending=int(np.count_nonzero(codes < 0)),
        reasons=table,
    )
