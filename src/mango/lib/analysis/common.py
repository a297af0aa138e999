"""What every table builder shares: checking the stories frame, ordering groups, JSON values.

Input errors are ``ValueError`` with a sentence a researcher can act on; rows are named by the
frame's index, so a caller that reads a spreadsheet can index the frame by spreadsheet row
number and get messages that point at the right row.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from datetime import date, datetime

import numpy as np
import pandas as pd


def require_columns(stories: pd.DataFrame, columns: Iterable[str]) -> None:
    """ValueError naming every column that ``stories`` lacks."""
    missing = [name for name in columns if name not in stories.columns]
    if missing:
        present = ", ".join(map(str, stories.columns)) or "none"
        raise ValueError(
            f"Missing column(s): {', '.join(missing)}. The data has these columns: {present}."
        )


def factorize(column: pd.Series) -> tuple[np.ndarray, list]:
    """(codes, values): the distinct values present and each row's position among them, -1
    where the value is missing (NA, or text that is empty after trimming).

    Hashing once and looking at the few distinct values is what keeps a million stories fast.
    """
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    codes = np.asarray(codes, dtype=np.int64)
    values = list(uniques)
    blank = np.array([isinstance(v, str) and not v.strip() for v in values], dtype=bool)
    if blank.any():
        # Renumber the other values; the extra last slot maps code -1 (and blanks) to -1.
        remap = np.full(len(values) + 1, -1, dtype=np.int64)
        remap[np.flatnonzero(~blank)] = np.arange(np.count_nonzero(~blank))
        codes = remap[codes]
        values = [v for v, empty in zip(values, blank, strict=True) if not empty]
    return codes, values


def positions(column: pd.Series, order: Sequence, factorized=None) -> np.ndarray:
    """Each row's position in ``order``; -1 where missing or not in ``order``.
    ``factorized``: ``factorize(column)`` when the caller has it already."""
    codes, values = factorized or factorize(column)
    if not values or not len(order):
        return np.full(len(column), -1, dtype=np.int64)
    where = pd.Index(list(order), dtype=object).get_indexer(pd.Index(values, dtype=object))
    return np.where(codes >= 0, where[codes], -1).astype(np.int64)


def missing_values(column: pd.Series) -> np.ndarray:
    """True where a value is missing: NA, or text that is empty after trimming."""
    if column.dtype == object or pd.api.types.is_string_dtype(column):
        return factorize(column)[0] < 0
    return column.isna().to_numpy()


def _examples(values: Iterable, limit: int = 3) -> str:
    shown = [repr(v.item() if isinstance(v, np.generic) else v) for v in list(values)[:limit]]
    return ", ".join(shown)


def label_matrix(stories: pd.DataFrame, labels: Sequence[str]) -> np.ndarray:
    """The label columns as an int8 matrix (stories x labels), after checking they hold 0/1.

    Accepted per cell: 0 and 1 as integers, floats or booleans. A missing value or anything
    else is a ValueError naming the label, the offending values and the first row.
    """
    labels = list(labels)
    if not labels:
        raise ValueError("Name at least one label column to compare.")
    duplicated = sorted({name for name in labels if labels.count(name) > 1})
    if duplicated:
        raise ValueError(f"Label(s) named more than once: {', '.join(duplicated)}.")
    require_columns(stories, labels)
    matrix = np.empty((len(stories), len(labels)), dtype=np.int8)
    for j, name in enumerate(labels):
        column = stories[name]
        missing = column.isna().to_numpy()
        if missing.any():
            first = column.index[missing.argmax()]
            raise ValueError(
                f"Label {name!r} has {int(missing.sum())} missing value(s), first at row "
                f"{first}: every story needs 0 or 1."
            )
        values = column.to_numpy()
        if values.dtype.kind in "biuf":
            bad = (values != 0) & (values != 1)
        else:  # text or mixed columns: 0/1 numbers or booleans among anything else
            values = values.astype(object)
            bad = np.fromiter((not _is_zero_one(v) for v in values), bool, len(values))
        if bad.any():
            first = column.index[bad.argmax()]
            found = _examples(pd.unique(values[bad]))
            raise ValueError(
                f"Label {name!r} must hold 0 or 1; found {found} in {int(bad.sum())} row(s), "
                f"first at row {first}."
            )
        matrix[:, j] = np.asarray(values == 1, dtype=np.int8)
    return matrix


def _is_zero_one(value) -> bool:
    if isinstance(value, bool | np.bool_):
        return True
    if isinstance(value, int | float | np.integer | np.floating):
        return value == 0 or value == 1
    return False


def ordered_groups(present: Iterable, groups: Sequence | None) -> list:
    """The groups to show, in order: ``groups`` as given, else the values present, sorted."""
    present = list(present)
    if groups is not None:
        groups = list(groups)
        if len(set(groups)) != len(groups):
            raise ValueError("A group is named more than once.")
        return groups
    try:
        return sorted(present)
    except TypeError:  # mixed types, e.g. numbers and text: sort by their text
        return sorted(present, key=str)


def group_key(value) -> str:
    """A group value as a JSON object key."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def jsonable(value):
    """``value`` with numpy and pandas scalars made plain and NaN or infinity made None.

    ``json.dumps(jsonable(x), allow_nan=False)`` then never fails on a number.
    """
    if isinstance(value, dict):
        return {
            group_key(k) if not isinstance(k, str) else k: jsonable(v) for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [jsonable(v) for v in value]
    if isinstance(value, pd.DataFrame):
        return [jsonable(record) for record in value.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return {group_key(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        value = value.item()
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, pd.Timestamp | datetime | date):
        return value.isoformat()
    if isinstance(value, pd.Period):
        return str(value)
    return value
