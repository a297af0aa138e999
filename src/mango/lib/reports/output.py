"""A built report as a self-contained HTML page, a PDF (WeasyPrint) or a workbook (openpyxl).

The HTML carries its style and its figures (SVG data URIs): one file to mail or archive. The
PDF is that page printed on A4 with page numbers; a table wider than the page is split into
parts of columns that fit, each repeating the row labels (``column_parts``), so that no column
is cut off and the type stays the size of the other tables. The workbook has one sheet per
table, the numbers as numbers, plus a sheet with the methods text.
"""

from __future__ import annotations

import io
from html import escape

from .. import spreadsheets
from . import figures, wording
from .tables import TEXT, XLSX_FORMATS, Table, cell_text

CSS = """
@page { size: A4; margin: 18mm 16mm 20mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 8pt; color: #555; } }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10pt;
  line-height: 1.45; color: #111; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 18pt; margin: 0 0 .2rem; }
h2 { font-size: 13pt; margin: 1.6rem 0 .5rem; border-bottom: 1px solid #999; }
h3 { font-size: 10.5pt; margin: 1.2rem 0 .3rem; }
.subtitle { color: #444; margin: 0 0 1rem; }
p { margin: 0 0 .6rem; }
table { border-collapse: collapse; margin: .3rem 0 .3rem; font-size: 8.5pt;
  font-variant-numeric: tabular-nums; page-break-inside: auto; }
th, td { padding: 2px 6px; text-align: right; vertical-align: top; }
th:first-child, td:first-child { text-align: left; }
tbody th { font-weight: normal; }
td { white-space: nowrap; }
td.text { text-align: left; white-space: normal; }
thead th { border-bottom: 1px solid #111; font-weight: 600; }
thead tr:first-child th { border-top: 1.5px solid #111; }
tbody tr:last-child td { border-bottom: 1.5px solid #111; }
tr.total td { border-top: 1px solid #111; font-weight: 600; }
tr.sub td:first-child { padding-left: 1.4rem; }
th.span { text-align: center; border-bottom: 1px solid #777; }
tr { page-break-inside: avoid; }
.notes { font-size: 8pt; color: #333; margin: 0 0 1rem; }
.notes p { margin: 0 0 .2rem; text-align: left; }
figure { margin: 1rem 0; page-break-inside: avoid; }
figure img { width: 100%; height: auto; }
figcaption { font-size: 9pt; margin-top: .2rem; }
.table-block { page-break-inside: auto; }
p.continued { font-size: 8.5pt; font-style: italic; margin: .6rem 0 0; page-break-after: avoid; }
@media screen { .table-block { overflow-x: auto; } }
"""


# The PDF's page: A4 portrait less the margins of ``CSS`` (16 mm each side), in millimetres.
PAGE_WIDTH_MM = 210 - 2 * 16
# Width of a character at the tables' 8.5 pt (DejaVu Sans runs wide: about 0.6 em), and the
# cells' padding (2 x 6 px). Estimates on the safe side: a part may end a little narrow.
CHAR_MM = 0.6 * 8.5 * 0.3528
HEADING_CHAR_MM = 0.75 * 8.5 * 0.3528  # headings are bold: wider
PADDING_MM = 12 * 0.2646
ROW_LABEL_MAX_MM = 50  # the row labels wrap beyond this


def _column_widths(table: Table, language: str) -> list[float]:
    """Each column's estimated width in the PDF (mm): the longest cell (cells do not wrap) or
    the longest word of the heading (headings wrap), whichever is wider."""
    widths = []
    for j, column in enumerate(table.columns):
        cells = [len(cell_text(row[j], column.kind, language)) for row in table.rows]
        word = max((len(w) for w in column.heading.split()), default=1)
        width = max(max(cells, default=1) * CHAR_MM, word * HEADING_CHAR_MM) + PADDING_MM
        widths.append(min(width, ROW_LABEL_MAX_MM) if j == 0 else width)
    return widths


def column_parts(table: Table, language: str, page_mm: float = PAGE_WIDTH_MM) -> list[list[int]]:
    """The table's columns in parts that each fit the page's width, every part repeating the
    row labels (column 0); one part when the table fits. A spanned heading (a group's n and
    %) is never split between parts."""
    widths = _column_widths(table, language)
    blocks: list[tuple[list[int], float]] = []  # (columns, their width)
    if table.spans:
        start = 0
        for heading, width in table.spans:
            block = [j for j in range(start, start + width) if j > 0]
            if block:
                # A spanned heading wraps at spaces: its longest word may widen its columns.
                word = max((len(w) for w in heading.split()), default=0)
                need = max(sum(widths[j] for j in block), word * HEADING_CHAR_MM + PADDING_MM)
                blocks.append((block, need))
            start += width
    else:
        blocks = [([j], widths[j]) for j in range(1, len(table.columns))]
    room = page_mm - widths[0]
    parts: list[list[int]] = []
    used = 0.0
    for block, need in blocks:
        if parts and used + need <= room:
            parts[-1].extend(block)
            used += need
        else:
            parts.append(list(block))
            used = need
    return [[0, *part] for part in parts] or [[0]]


def _table_part(table: Table, language: str, keep: list[int]) -> list[str]:
    """One ``<table>`` of the columns ``keep`` (positions, in order)."""
    out = ["<table><thead>"]
    kept = set(keep)
    if table.spans:
        out.append("<tr>")
        start = 0
        for heading, width in table.spans:
            shown = len([j for j in range(start, start + width) if j in kept])
            start += width
            if shown:
                css = ' class="span"' if heading else ""
                out.append(f'<th colspan="{shown}"{css} scope="colgroup">{escape(heading)}</th>')
        out.append("</tr>")
    out.append("<tr>")
    for j in keep:
        out.append(f'<th scope="col">{escape(table.columns[j].heading)}</th>')
    out.append("</tr></thead><tbody>")
    for i, row in enumerate(table.rows):
        css = "total" if i in table.total_rows else "sub" if i in table.sub_rows else ""
        out.append(f'<tr class="{css}">' if css else "<tr>")
        for j in keep:
            column = table.columns[j]
            text = escape(cell_text(row[j], column.kind, language))
            if j == 0:
                out.append(f'<th scope="row" class="text">{text}</th>')
            else:
                css = ' class="text"' if column.kind == TEXT else ""
                out.append(f"<td{css}>{text}</td>")
        out.append("</tr>")
    out.append("</tbody></table>")
    return out


def table_html(
    table: Table,
    language: str,
    number: int | None = None,
    level: int = 3,
    *,
    paged: bool = False,
) -> str:
    """One table with its caption heading and notes, as an HTML fragment.

    ``paged`` (the PDF): a table wider than the A4 page is split into parts of columns that
    fit, each repeating the row labels and marked "(continued)"; on screen the table scrolls
    inside its box instead."""
    out = [f'<div class="table-block" id="{escape(table.key)}">']
    label = f"{wording.text('table', language)} {number}. " if number is not None else ""
    out.append(f"<h{level}>{escape(label + table.title)}</h{level}>")
    parts = column_parts(table, language) if paged else [list(range(len(table.columns)))]
    for k, keep in enumerate(parts):
        if k:
            more = f"{label}{table.title} ({wording.text('continued', language)})"
            out.append(f'<p class="continued">{escape(more)}</p>')
        out.extend(_table_part(table, language, keep))
    if table.notes:
        out.append('<div class="notes">')
        out.extend(f"<p>{escape(note)}</p>" for note in table.notes)
        out.append("</div>")
    out.append("</div>")
    return "".join(out)


def to_html(report, fmt: str = "svg", *, paged: bool = False) -> str:
    """The whole report as one HTML document; figures embedded as ``fmt`` data URIs.
    ``paged``: laid out for the A4 PDF (wide tables split into parts that fit)."""
    lang = report.language
    out = [
        "<!doctype html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(report.title)}</title><style>{CSS}</style></head><body>",
        f"<h1>{escape(report.title)}</h1>",
        f'<p class="subtitle">{escape(report.subtitle)}</p>',
        f"<h2>{escape(wording.text('methods', lang))}</h2>",
    ]
    out.extend(f"<p>{escape(p)}</p>" for p in report.methods)
    out.append(f"<h2>{escape(wording.text('results', lang))}</h2>")
    for number, table in enumerate(report.tables, start=1):
        out.append(table_html(table, lang, number, paged=paged))
    out.append(f"<h2>{escape(wording.text('figures', lang))}</h2>")
    for number, (key, caption, image) in enumerate(figures.report_figures(report, fmt), start=1):
        label = f"{wording.text('figure', lang)} {number}. {caption}"
        out.append(
            f'<figure id="figure-{escape(key)}"><img src="{figures.data_uri(image, fmt)}" '
            f'alt="{escape(caption)}"><figcaption>{escape(label)}</figcaption></figure>'
        )
    out.append("</body></html>")
    return "\n".join(out)


def to_pdf(report) -> bytes:
    """The HTML report printed to PDF (A4) by WeasyPrint."""
    from weasyprint import HTML  # imported here: it loads Pango, slow to start

    return HTML(string=to_html(report, "svg", paged=True)).write_pdf()


def sheet_title(key: str, used: set) -> str:
    """A valid, unique sheet name (31 characters, none of []:*?/\\)."""
    name = "".join("_" if ch in "[]:*?/\\" else ch for ch in key)[:31] or "table"
    base, i = name, 2
    while name.lower() in used:
        suffix = f"_{i}"
        name = base[: 31 - len(suffix)] + suffix
        i += 1
    used.add(name.lower())
    return name


def write_table(sheet, table: Table) -> None:
    """A table on a sheet: title, header rows, values as numbers, notes below."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    bold = Font(bold=True)
    sheet.append([table.title])
    sheet.cell(row=1, column=1).font = Font(bold=True, size=12)
    if table.spans:
        row, col = sheet.max_row + 1, 1
        for heading, width in table.spans:
            sheet.cell(row=row, column=col, value=heading or None).font = bold
            if width > 1:
                sheet.merge_cells(
                    start_row=row, start_column=col, end_row=row, end_column=col + width - 1
                )
                sheet.cell(row=row, column=col).alignment = Alignment(horizontal="center")
            col += width
    sheet.append([c.heading for c in table.columns])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    header_rows = sheet.max_row
    for i, values in enumerate(table.rows):
        sheet.append([_plain(v) for v in values])
        row = sheet[sheet.max_row]
        for cell, column in zip(row, table.columns, strict=True):
            if column.kind in XLSX_FORMATS:
                cell.number_format = XLSX_FORMATS[column.kind]
            if i in table.total_rows:
                cell.font = bold
    sheet.freeze_panes = f"B{header_rows + 1}"
    if table.notes:
        sheet.append([])
        for note in table.notes:
            sheet.append([note])
    for j, column in enumerate(table.columns, start=1):
        width = max([len(column.heading), *(len(str(r[j - 1] or "")) for r in table.rows[:200])])
        sheet.column_dimensions[get_column_letter(j)].width = min(max(8, width + 2), 48)


def _plain(value):
    if value is None or (isinstance(value, float) and value != value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def to_xlsx(report) -> bytes:
    """A workbook: a "methods" sheet, then one sheet per table named by its key."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    methods = book.active
    methods.title = "methods"
    methods.append([report.title])
    methods["A1"].font = Font(bold=True, size=12)
    methods.append([report.subtitle])
    methods.append([])
    for paragraph in report.methods:
        methods.append([paragraph])
        methods.cell(row=methods.max_row, column=1).alignment = Alignment(wrap_text=True)
    methods.column_dimensions["A"].width = 120
    used = {"methods"}
    for table in report.tables:
        write_table(book.create_sheet(sheet_title(table.key, used)), table)
    buffer = io.BytesIO()
    spreadsheets.workbook_text_only(book)  # names and notes are text, never formulas
    book.save(buffer)
    return buffer.getvalue()


def tables_to_xlsx(tables: list[Table]) -> bytes:
    """Just these tables, one sheet each (the dashboard's export)."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    used: set = set()
    for table in tables:
        write_table(book.create_sheet(sheet_title(table.key, used)), table)
    buffer = io.BytesIO()
    spreadsheets.workbook_text_only(book)  # names and notes are text, never formulas
    book.save(buffer)
    return buffer.getvalue()


def tables_to_csv(tables: list[Table], language: str) -> str:
    """These tables one after another in one CSV: title, header, rows, a blank line.

    Numbers are written plainly (a dot for decimals) so any program reads them back."""
    import csv

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for table in tables:
        writer.writerow(spreadsheets.csv_row([table.title]))
        writer.writerow(spreadsheets.csv_row(c.heading for c in table.columns))
        for row in table.rows:
            writer.writerow(["" if _plain(v) is None else _csv_value(v) for v in row])
        for note in table.notes:
            writer.writerow(spreadsheets.csv_row([note]))
        writer.writerow([])
    return buffer.getvalue()


def _csv_value(value):
    value = spreadsheets.csv_cell(_plain(value))  # never a formula (CSV injection)
    if isinstance(value, float):
        return f"{value:.6g}" if abs(value) < 1e-3 else round(value, 4)
    return value


def render(report, fmt: str) -> bytes:
    """The report in ``fmt`` (html, pdf or xlsx) as bytes."""
    if fmt == "html":
        return to_html(report).encode("utf-8")
    if fmt == "pdf":
        return to_pdf(report)
    if fmt == "xlsx":
        return to_xlsx(report)
    raise ValueError(f"A report is html, pdf or xlsx, not {fmt!r}.")
