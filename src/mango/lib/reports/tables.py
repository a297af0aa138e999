"""A table of the report, ready for any output: headings, raw values, how to show each column.

Values stay numbers (so the spreadsheet can compute with them); each column says how it is
written in HTML and PDF (``kind``) and formatted in the spreadsheet.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import wording

TEXT = "text"
COUNT = "count"
PERCENT = "percent"
STATISTIC = "statistic"  # X², V: three decimals
P = "p"
RESIDUAL = "residual"  # two decimals, sign shown


@dataclass
class Column:
    heading: str
    kind: str = COUNT


@dataclass
class Table:
    key: str  # short name: the spreadsheet's sheet and the HTML anchor
    title: str
    columns: list[Column]
    rows: list[list]
    notes: list[str] = field(default_factory=list)
    # An optional first header row: (heading, columns spanned), covering every column.
    spans: list[tuple[str, int]] | None = None
    # Rows (by position) shown as totals or sub-rows.
    total_rows: set[int] = field(default_factory=set)
    sub_rows: set[int] = field(default_factory=set)

    def column(self, heading: str) -> list:
        """The values of the (first) column with this heading."""
        j = next(i for i, c in enumerate(self.columns) if c.heading == heading)
        return [row[j] for row in self.rows]


def cell_text(value, kind: str, language: str) -> str:
    """A value as the report prints it."""
    if kind == TEXT:
        return "" if value is None else str(value)
    if value is None or (isinstance(value, float) and value != value):
        return "–"
    if kind == COUNT:
        return wording.number(value, language)
    if kind == PERCENT:
        return wording.percent(value, language)
    if kind == STATISTIC:
        return wording.number(value, language, 3)
    if kind == P:
        return wording.p_value(value, language)
    if kind == RESIDUAL:
        out = wording.number(value, language, 2)
        return out if value < 0 else "+" + out
    raise ValueError(f"Unknown column kind {kind!r}.")


# Spreadsheet number formats per kind (percentages stay 0-100 numbers, as in the tables).
XLSX_FORMATS = {
    COUNT: "#,##0",
    PERCENT: "0.0",
    STATISTIC: "0.000",
    P: "0.0000",
    RESIDUAL: "+0.00;-0.00;0.00",
}
