"""Values written to CSV and XLSX files that people open in a spreadsheet.

A cell that starts with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return) is run as a
formula by Excel, LibreOffice and Google Sheets when a CSV file is opened, so a round named
``=HYPERLINK(...)`` or a story that begins with ``=`` would become a live formula (CSV or
formula injection). CSV cells get a leading apostrophe, which spreadsheets show as text; XLSX
cells are stored as text, never as formulas. Every export of names, labels or text uses these.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: Any) -> Any:
    """``value`` as a CSV cell that no spreadsheet runs as a formula (numbers unchanged)."""
    if isinstance(value, str) and value[:1] in FORMULA_STARTS:
        return "'" + value
    return value


def from_csv_cell(text: str) -> str:
    """Undo ``csv_cell`` on a cell read back (a rejected-rows file imported again)."""
    if text[:1] == "'" and text[1:2] in FORMULA_STARTS and text[1:2]:
        return text[1:]
    return text


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_cell(v) for v in values]


def csv_frame(frame):
    """A copy of a pandas DataFrame whose text cells and column names are safe CSV cells."""
    from pandas.api.types import is_numeric_dtype

    out = frame.copy()
    for column in out.columns:
        if not is_numeric_dtype(out[column].dtype):
            out[column] = out[column].map(csv_cell, na_action="ignore")
    out.columns = [csv_cell(c) for c in out.columns]
    return out


def text_not_formulas(cells: Iterable[Any]) -> None:
    """Store openpyxl cells whose text openpyxl took for a formula as plain text."""
    for cell in cells:
        if isinstance(cell.value, str) and cell.data_type == "f":
            cell.data_type = "s"


def workbook_text_only(book) -> None:
    """Every cell of an openpyxl workbook (not read-only) as text where it looked like a
    formula: the workbook holds data, never formulas."""
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            text_not_formulas(row)
