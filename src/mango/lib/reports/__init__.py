"""Publication-ready reports of the story analysis, without Django.

``build_report(ReportInput(...))`` runs ``mango.lib.analysis`` on the stories and returns a
``Report``: the methods text (Dutch, French or English), the tables as data and the figures' data;
``render(report, "html" | "pdf" | "xlsx")`` writes it out.

- ``build``: the input, the choice of tables, and the ``Report``.
- ``methods``: the methods section in words.
- ``tables``: a table as headings, raw values and how to show each column.
- ``figures``: matplotlib charts (grouped bars with counts, a trend line) as SVG or PNG.
- ``output``: HTML (self-contained), PDF (WeasyPrint), XLSX (openpyxl) and CSV.
- ``wording``: the report's words in Dutch, French and English.
"""

from .build import Collection, Parts, Report, ReportInput, assemble, build_report
from .output import render, tables_to_csv, tables_to_xlsx, to_html, to_pdf, to_xlsx
from .tables import Column, Table

__all__ = [
    "Collection",
    "Column",
    "Parts",
    "Report",
    "ReportInput",
    "Table",
    "assemble",
    "build_report",
    "render",
    "tables_to_csv",
    "tables_to_xlsx",
    "to_html",
    "to_pdf",
    "to_xlsx",
]
