"""The result table: per item and round, the panel's figures and each stakeholder group's.

``result_rows(results, rule)`` gives one row (a dict with the keys in ``COLUMNS``, plus
``status_code``) for the panel and one per group, item by item and round by round: n,
"unable to judge" answers, median, q1, q3, the share in each third (0-100, None when n = 0)
and the status: for the panel row the item's status under the rule's scope, for a group row
the rule applied within that group. RAND/UCLA statuses are in its words (appropriate,
uncertain, inappropriate); ``status_code`` is always in, out or undecided.

``write_csv``, ``write_xlsx`` and ``html_table`` write those rows; ``headers(scale)`` gives
the column titles (English; pass your own, translated, to any writer: missing keys fall back
to English). Text cells are written so that no spreadsheet runs them as formulas
(``mango.lib.spreadsheets``); the HTML is escaped and has no inline styles (classes only:
``consensus-results``, ``status-in``, ``status-out``, ``status-undecided``, ``group-row``,
``num``).
"""

from __future__ import annotations

import csv
import html
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import IO, Any

from mango.lib.spreadsheets import csv_row, text_not_formulas

from .engine import ItemRound
from .rules import Rule
from .scale import NINE_POINT, Scale
from .summary import Summary

PANEL = ""  # the "group" of the whole panel's row
COLUMNS = (
    "item",
    "round",
    "group",
    "n",
    "unable",
    "median",
    "q1",
    "q3",
    "pct_bottom",
    "pct_middle",
    "pct_top",
    "status",
)


def headers(scale: Scale = NINE_POINT, panel_label: str = "whole panel") -> dict[str, str]:
    """English column titles for ``COLUMNS`` (``"% 7-9"`` for pct_top on 1-9)."""
    return {
        "item": "Item",
        "round": "Round",
        "group": "Group",
        "n": "n",
        "unable": "Unable to judge",
        "median": "Median",
        "q1": "Q1",
        "q3": "Q3",
        "pct_bottom": f"% {scale.label('bottom')}",
        "pct_middle": f"% {scale.label('middle')}",
        "pct_top": f"% {scale.label('top')}",
        "status": "Status",
        "_panel": panel_label,
    }


def _row(
    item: str, round: str, group: str, summary: Summary, status: str, code: str
) -> dict[str, Any]:
    return {
        "item": item,
        "round": round,
        "group": group,
        "n": summary.n,
        "unable": summary.unable,
        "median": summary.median,
        "q1": summary.q1,
        "q3": summary.q3,
        "pct_bottom": summary.pct_bottom,
        "pct_middle": summary.pct_middle,
        "pct_top": summary.pct_top,
        "status": status,
        "status_code": code,
    }


def result_rows(
    results: Iterable[ItemRound], rule: Rule | None = None, *, groups: bool = True
) -> list[dict[str, Any]]:
    """The table's rows: per item and round the panel's (group ``PANEL``, status under the
    rule's scope) and, with ``groups``, one per stakeholder group (its own status). With a
    RAND/UCLA rule the status is in its own words (appropriate, uncertain, inappropriate)."""

    def word(status: str) -> str:
        return rule.label(status) if rule is not None else status

    rows = []
    for r in results:
        rows.append(_row(r.item, r.round, PANEL, r.panel, word(r.status), r.status))
        if groups:
            for name, g in r.groups.items():
                rows.append(_row(r.item, r.round, name, g.summary, word(g.status), g.status))
    return rows


def number(value: float | None, digits: int = 2) -> str:
    """A figure as short text: 7 -> "7", 6.75 -> "6.75", 66.666 -> "66.67", None -> "-"."""
    if value is None:
        return "-"
    text = f"{value:.{digits}f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _titles(titles: Mapping[str, Any] | None) -> dict[str, str]:
    """Column titles as plain text (a caller may pass lazily translated strings)."""
    return {k: str(v) for k, v in {**headers(), **(titles or {})}.items()}


def _cells(row: Mapping[str, Any], panel_label: str) -> list[Any]:
    return [(panel_label if key == "group" and row[key] == PANEL else row[key]) for key in COLUMNS]


def write_csv(
    rows: Iterable[Mapping[str, Any]],
    out: IO[str],
    titles: Mapping[str, str] | None = None,
) -> None:
    """The rows as CSV (a header row of titles, then figures unrounded; empty where None)."""
    titles = _titles(titles)
    writer = csv.writer(out)
    writer.writerow(csv_row(titles[k] for k in COLUMNS))
    for row in rows:
        writer.writerow(csv_row("" if v is None else v for v in _cells(row, titles["_panel"])))


def write_xlsx(
    rows: Iterable[Mapping[str, Any]],
    out: Any,
    *,
    rule_text: str = "",
    titles: Mapping[str, str] | None = None,
    sheet_title: str = "Results",
) -> None:
    """The rows as an XLSX workbook (``out``: a path or a binary file): a results sheet with a
    frozen header row, percentages and quartiles as numbers, and a "Rule" sheet stating the
    rule (``rule_text``, e.g. ``rule.describe()``)."""
    from openpyxl import Workbook

    titles = _titles(titles)
    book = Workbook()
    sheet = book.active
    sheet.title = str(sheet_title)[:31]
    sheet.append([titles[k] for k in COLUMNS])
    for row in rows:
        sheet.append(_cells(row, titles["_panel"]))
    for cells in sheet.iter_rows():
        text_not_formulas(cells)
    for index, key in enumerate(COLUMNS, start=1):
        if key in ("median", "q1", "q3"):
            fmt = "0.##"
        elif key.startswith("pct_"):
            fmt = "0.0"
        else:
            continue
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = fmt
    sheet.freeze_panes = "A2"
    if rule_text:
        notes = book.create_sheet("Rule")
        notes.append([str(rule_text)])
        text_not_formulas(notes[1])
    book.save(out)


def html_table(
    rows: Iterable[Mapping[str, Any]],
    titles: Mapping[str, str] | None = None,
    *,
    caption: str = "",
    status_labels: Mapping[str, str] | None = None,
    columns: Sequence[str] = COLUMNS,
) -> str:
    """The rows as an escaped HTML ``<table>`` fragment (for a page or a PDF). Group rows get
    the class ``group-row``; status cells ``status-in``, ``status-out`` or
    ``status-undecided`` (``status_code``, whatever the rule's words) and show
    ``status_labels[status]`` when given (keys: in, out, undecided, or the RAND/UCLA words)."""
    titles = _titles(titles)
    status_labels = {k: str(v) for k, v in (status_labels or {}).items()}
    esc = html.escape
    out = ['<table class="consensus-results">']
    if caption:
        out.append(f"<caption>{esc(str(caption))}</caption>")
    out.append(
        "<thead><tr>"
        + "".join(f'<th scope="col">{esc(titles[k])}</th>' for k in columns)
        + "</tr></thead>"
    )
    out.append("<tbody>")
    for row in rows:
        cells = []
        for key in columns:
            value = row[key]
            if key == "group" and value == PANEL:
                cells.append(f"<td>{esc(titles['_panel'])}</td>")
            elif key == "status":
                css = esc(str(row.get("status_code", value)).replace(" ", "-"))
                shown = status_labels.get(value, value)
                cells.append(f'<td class="status-{css}">{esc(str(shown))}</td>')
            elif key in ("median", "q1", "q3"):
                cells.append(f'<td class="num">{number(value)}</td>')
            elif key.startswith("pct_"):
                cells.append(f'<td class="num">{number(value, 1)}</td>')
            elif key in ("n", "unable"):
                cells.append(f'<td class="num">{value}</td>')
            else:
                cells.append(f"<td>{esc(str(value))}</td>")
        css = ' class="group-row"' if row["group"] != PANEL else ""
        out.append(f"<tr{css}>{''.join(cells)}</tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def text_table(results: Iterable[ItemRound], rule: Rule, scale: Scale = NINE_POINT) -> str:
    """A fixed-width table for a terminal: the rule in words, then one line per item, round
    and group (group lines indented under the panel's)."""
    rows = result_rows(results, rule)
    titles = headers(scale)
    keys = [k for k in COLUMNS if k != "unable"]
    lines = [[titles[k] for k in keys]]
    for row in rows:
        line = []
        for key in keys:
            value = row[key]
            if key == "group":
                value = "  " + value if value != PANEL else "(panel)"
            elif key in ("median", "q1", "q3"):
                value = number(value)
            elif key.startswith("pct_"):
                value = number(value, 1)
            line.append(str(value))
        lines.append(line)
    widths = [max(len(line[i]) for line in lines) for i in range(len(keys))]
    left = {"item", "round", "group", "status"}

    def fmt(line: list[str]) -> str:
        return "  ".join(
            cell.ljust(w) if key in left else cell.rjust(w)
            for key, cell, w in zip(keys, line, widths, strict=True)
        ).rstrip()

    text = [
        *textwrap.wrap(f"Rule: {rule.describe(scale)}", width=100, subsequent_indent="  "),
        "n: panellists who gave a score; percentages over n; '-': nobody scored.",
        "",
        fmt(lines[0]),
        *(fmt(line) for line in lines[1:]),
    ]
    return "\n".join(text)
