"""One time series read from a table: a period column and a value column.

Used by ``mango runchart`` (and anything else that takes a series from a file): the rows
(from ``mango.lib.importing.read_table``) become (period label, sort key, value) in time
order, or a ``SeriesError`` says in a sentence what is wrong and where.

Periods. ISO dates (``2024-03-15``) and date-times (``2024-03-15T10:00``), and the plain
period labels ``2024`` (a year), ``2024-03`` (a month), ``2024-Q2`` (a quarter) and
``2024-W05`` (an ISO week) all sort by the day they start on, so they may be mixed. Dates
written day first (``15/03/2024``, ``15-03-2024``, ``15.03.2024``), as Excel writes them in
Belgium, are read day first, never month first. Anything else is refused with its row. Two
rows for the same period are refused: one row a period.

Values. A decimal point always works. A decimal comma (``3,5``) is read as such in a file
separated by semicolons or tabs (what Excel writes where the comma is the decimal separator)
and in an Excel file; in a comma-separated file a comma inside a value is refused, because
there it more likely separates thousands (``1,234``). Thousands separators are never read.
An empty value cell leaves the period out (counted in ``skipped``); text, NaN and infinity
are refused with their row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$", re.IGNORECASE)
_WEEK = re.compile(r"^(\d{4})-?W(\d{2})$", re.IGNORECASE)
_DAY_FIRST = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
_COMMA_NUMBER = re.compile(r"^[+-]?\d*,\d+$")


class SeriesError(ValueError):
    """The table cannot be read as one series; ``str()`` says why, naming row or column."""


@dataclass
class Series:
    labels: list[str]  # the period cells as written, in time order
    keys: list[date]  # the day each period starts
    values: list[float]
    rows: list[int]  # the file's row number of each period
    skipped: list[int] = field(default_factory=list)  # rows left out: no value


def period_key(text: str) -> date:
    """The day a period label starts on; ``ValueError`` when it is not a period."""
    text = text.strip()
    if match := _YEAR.match(text):
        return date(int(match[1]), 1, 1)
    if match := _MONTH.match(text):
        return date(int(match[1]), int(match[2]), 1)
    if match := _QUARTER.match(text):
        return date(int(match[1]), 3 * int(match[2]) - 2, 1)
    if match := _WEEK.match(text):
        return date.fromisocalendar(int(match[1]), int(match[2]), 1)
    if match := _DAY_FIRST.match(text):
        return date(int(match[3]), int(match[2]), int(match[1]))
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    return datetime.fromisoformat(text).date() if "T" in text or " " in text else _fail(text)


def _fail(text: str) -> date:
    raise ValueError(text)


def parse_number(text: str, *, decimal_comma: bool) -> float:
    """A number from a cell; ``ValueError`` with the reason in words."""
    cell = text.strip().replace("\u00a0", "")
    if _NUMBER.match(cell):
        return float(cell)
    if _COMMA_NUMBER.match(cell):
        if decimal_comma:
            return float(cell.replace(",", "."))
        raise ValueError("has a comma; in a comma-separated file write decimals with a point")
    raise ValueError("is not a number")


def _find_column(columns: list[str], name: str, role: str) -> int:
    exact = [i for i, column in enumerate(columns) if column == name]
    if not exact:
        folded = name.strip().casefold()
        exact = [i for i, column in enumerate(columns) if column.strip().casefold() == folded]
    if len(exact) > 1:
        raise SeriesError(f"The column {name!r} appears more than once in the header.")
    if not exact:
        available = ", ".join(repr(c) for c in columns if c) or "none"
        raise SeriesError(
            f"The {role} column {name!r} is not in the file. Its columns are: {available}."
        )
    return exact[0]


def read_series(
    columns: list[str],
    records: list[tuple[int, list[str]]],
    *,
    date_column: str,
    value_column: str,
    decimal_comma: bool,
    minimum: int = 2,
) -> Series:
    """The series in time order from a table's header and ``(row number, cells)`` records."""
    at_date = _find_column(columns, date_column, "date")
    at_value = _find_column(columns, value_column, "value")
    found: list[tuple[date, str, float, int]] = []
    skipped: list[int] = []
    for row, cells in records:
        label = cells[at_date].strip() if at_date < len(cells) else ""
        raw = cells[at_value].strip() if at_value < len(cells) else ""
        if not label:
            raise SeriesError(f"Row {row}: the date column {date_column!r} is empty.")
        try:
            key = period_key(label)
        except ValueError:
            raise SeriesError(
                f"Row {row}: {label!r} in column {date_column!r} is not a date or period; "
                "use e.g. 2024-03-15 (a day), 2024-03 (a month), 2024-Q1, 2024-W05 or 2024."
            ) from None
        if not raw:
            skipped.append(row)
            continue
        try:
            value = parse_number(raw, decimal_comma=decimal_comma)
        except ValueError as err:
            raise SeriesError(f"Row {row}: {raw!r} in column {value_column!r} {err}.") from None
        found.append((key, label, value, row))
    found.sort(key=lambda item: (item[0], item[3]))
    for (key_a, label_a, _, row_a), (key_b, label_b, _, row_b) in zip(
        found, found[1:], strict=False
    ):
        if key_a == key_b:
            raise SeriesError(
                f"Rows {row_a} and {row_b} are the same period ({label_a!r} and {label_b!r}); "
                "the file needs one row a period."
            )
    if len(found) < minimum:
        raise SeriesError(
            f"A run chart needs at least {minimum} values; the column {value_column!r} has "
            f"{len(found)}."
        )
    return Series(
        labels=[label for _, label, _, _ in found],
        keys=[key for key, _, _, _ in found],
        values=[value for _, _, value, _ in found],
        rows=[row for _, _, _, row in found],
        skipped=skipped,
    )
