"""A table wider than A4 is split in the PDF into parts of columns that fit, each repeating the
row labels: read off the laid-out pages (WeasyPrint's document), no text runs past the page's
right margin and the last column's heading is on a page."""

import sys
from pathlib import Path

import pytest

from mango.lib import reports
from mango.lib.reports import output

sys.path.insert(0, str(Path(__file__).resolve().parent))
from test_lib_reports import frame, report_input  # noqa: E402

weasyprint = pytest.importorskip("weasyprint")
from weasyprint.formatting_structure import boxes  # noqa: E402

GROUPS = [f"Woonzorgcentrum Sint-Elisabeth {i:02d}" for i in range(12)]
MARGIN_PX = 16 / 25.4 * 96  # the @page side margin of output.CSS


@pytest.fixture(scope="module")
def wide_report():
    n = 1200
    stories = frame(n).assign(organisation=[GROUPS[i % len(GROUPS)] for i in range(n)])
    return reports.build_report(report_input(stories, language="fr", group="organisation"))


def texts(document):
    """(page number, text, left, right) of every run of text laid out."""
    out = []
    for number, page in enumerate(document.pages, start=1):
        for box in page._page_box.descendants():
            if isinstance(box, boxes.TextBox) and box.text.strip():
                left = box.position_x
                out.append((number, box.text, left, left + box.width))
    return out


def test_the_wide_table_is_split_into_parts_that_repeat_the_row_labels(wide_report):
    table = wide_report.table("dimensions")
    assert len(table.columns) == 1 + 2 * len(GROUPS) + 2  # n and % per group, and the total
    parts = output.column_parts(table, "fr")
    assert len(parts) >= 2
    assert all(part[0] == 0 for part in parts)  # every part has the row labels
    assert sorted(j for part in parts for j in part[1:]) == list(range(1, len(table.columns)))
    html = output.table_html(table, "fr", 5, paged=True)
    assert html.count("<table>") == len(parts)
    assert html.count("(suite)") == len(parts) - 1
    # A group's n and % stay together under its heading.
    for name in GROUPS:
        assert f'<th colspan="2" class="span" scope="colgroup">{name}</th>' in html
    # On screen the table stays whole (it scrolls in its box).
    assert output.table_html(table, "fr", 5).count("<table>") == 1


def test_every_column_is_on_an_a4_page_within_the_margins(wide_report):
    document = weasyprint.HTML(string=output.to_html(wide_report, "svg", paged=True)).render()
    a4 = (210 / 25.4 * 96, 297 / 25.4 * 96)
    assert all((p.width, p.height) == pytest.approx(a4) for p in document.pages)
    runs = texts(document)
    right_edge = a4[0] - MARGIN_PX + 0.5
    beyond = [(page, text, right) for page, text, _, right in runs if right > right_edge]
    assert beyond == []
    last_group = GROUPS[-1]
    assert any(last_group in text for _, text, _, _ in runs)
    # The total's heading, the table's last column group, is on a page too.
    headings = [text for _, text, _, _ in runs]
    assert headings.count("Total") >= 2


def test_without_the_split_the_last_columns_were_cut_off(wide_report):
    """What the split fixes: the same report laid out as one table per table runs off the
    page (the PDF of before)."""
    document = weasyprint.HTML(string=output.to_html(wide_report, "svg")).render()
    right_edge = document.pages[0].width - MARGIN_PX + 0.5
    assert any(right > right_edge for *_, right in texts(document))


def test_the_pdf_is_written(wide_report):
    pdf = output.to_pdf(wide_report)
    assert pdf.startswith(b"%PDF")
