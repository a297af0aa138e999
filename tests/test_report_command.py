"""``mango report``: the campaign report as HTML, PDF and XLSX, with the numbers of
``mango.lib.analysis`` on the same stories."""

import subprocess
from io import StringIO

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from mango.analysis import data
from mango.lib import analysis
from tests.test_analysis_data import DIMENSIONS, build_coded_campaign

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


@pytest.fixture
def coded(org, other_org):
    return build_coded_campaign(org, other_org)


def run(*args) -> str:
    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


def expected_tables(campaign, organisation=None):
    """The tables computed straight from lib.analysis on the data layer's frame."""
    frame = data.report_input(campaign, organisation).stories
    base = frame[(frame["screening"] == "included") & frame["coded"]]
    base = base.assign(g=analysis.respondent_group(base))
    groups = [
        g
        for g in ("professional", "oncological_patient_family", "non_oncological_patient_family")
        if (base["g"] == g).any()
    ]
    return (
        frame,
        analysis.screening(frame),
        analysis.dimension_by_group(base, "g", DIMENSIONS, groups=groups),
    )


def test_the_xlsx_report_has_one_sheet_per_table_with_lib_analysis_numbers(coded, tmp_path):
    out = tmp_path / "report.xlsx"
    message = run("--campaign", coded.campaign.slug, "--format", "xlsx", "--out", str(out))
    frame, screening, table = expected_tables(coded.campaign)
    assert f"{len(frame):,} stories analysed" in message
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == [
        "methods",
        "respondents_teller_role",
        "respondents_setting",
        "respondents_oncological",
        "screening",
        "dimensions",
        "tests",
        "months",
        "units",
    ]
    rows = list(book["dimensions"].iter_rows(values_only=True))
    body = rows[3 : 3 + len(DIMENSIONS)]  # title, group names, headings, then one per dimension
    for key, row in zip(DIMENSIONS, body, strict=True):
        for j, group in enumerate(table.groups):
            assert row[1 + 2 * j] == table.counts.loc[key, group]
            assert row[2 + 2 * j] == pytest.approx(table.percentages.loc[key, group])
    stories_row = next(r for r in rows if r[0] == "Verhalen (n)")
    assert [stories_row[1 + 2 * j] for j in range(len(table.groups))] == table.totals.tolist()

    tests = list(book["tests"].iter_rows(values_only=True))[2 : 2 + len(DIMENSIONS)]
    for test, row in zip(table.tests, tests, strict=True):
        assert row[2] == pytest.approx(test.statistic)
        assert row[4] == pytest.approx(test.p)
        assert row[5] == pytest.approx(test.p_holm)
        assert row[6] == pytest.approx(test.cramers_v)

    screening_rows = {r[0]: r[1] for r in book["screening"].iter_rows(values_only=True)}
    assert screening_rows["Mangomoment (opgenomen)"] == screening.included
    assert screening_rows["Uitgesloten"] == screening.excluded
    assert screening_rows["Nog niet gescreend"] == screening.pending


def test_the_pdf_report_states_collection_screening_and_agreement(coded, tmp_path):
    out = tmp_path / "report.pdf"
    run("--campaign", coded.campaign.slug, "--language", "en", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    frame, screening, table = expected_tables(coded.campaign)
    flat = " ".join(text.split())
    assert "Mangomomenten 2018" in flat
    assert "from 2018-02-01 to 2018-12-31" in flat
    received = len(coded.analysed) + 3
    assert f"In all, {received} stories were received" in flat
    assert "Not analysed: 2 without (or with withdrawn) consent for research and 1 erased" in flat
    assert f"The analysis covers {len(frame)} stories" in flat
    assert f"{screening.included} ({100 * screening.share:.1f}%) were Mangomoments" in flat
    assert "In coding round ‘Ronde 1’, 2 coders" in flat
    assert "Cohen's κ" in flat
    assert "Dimensions of patient-centred care by group" in flat
    assert "Difference between the groups per dimension" in flat
    assert "A story may carry several dimensions" in flat
    assert "Figure 1." in flat and "Figure 2." in flat


def test_the_html_report_is_self_contained_in_dutch(coded, tmp_path):
    out = tmp_path / "rapport.html"
    run("--campaign", coded.campaign.slug, "--out", str(out))
    html = out.read_text()
    assert html.startswith("<!doctype html>")
    assert '<html lang="nl">' in html
    assert "Methode" in html and "Resultaten" in html
    assert html.count('src="data:image/svg+xml;base64,') == 2
    assert "http://" not in html and "https://" not in html  # nothing fetched from elsewhere
    # No story text, ever: reports hold counts.
    assert coded.analysed[0].text not in html


def test_an_organisation_report_counts_its_units(coded, tmp_path):
    out = tmp_path / "org.xlsx"
    run(
        "--campaign",
        coded.campaign.slug,
        "--organisation",
        coded.org.slug,
        "--out",
        str(out),
    )
    frame, _, _ = expected_tables(coded.campaign, coded.org)
    book = openpyxl.load_workbook(out)
    rows = list(book["units"].iter_rows(values_only=True))
    base = frame[(frame["screening"] == "included") & frame["coded"]]
    counted = {r[0]: r[1] for r in rows[2:] if r and isinstance(r[1], int)}
    assert counted == base["unit"].value_counts().to_dict()


def test_bad_arguments_are_clear_errors(coded, tmp_path):
    with pytest.raises(CommandError, match="No campaign 'nope'"):
        run("--campaign", "nope", "--out", str(tmp_path / "x.html"))
    with pytest.raises(CommandError, match="No organisation"):
        run(
            "--campaign",
            coded.campaign.slug,
            "--organisation",
            "nope",
            "--out",
            str(tmp_path / "x.html"),
        )
    with pytest.raises(CommandError, match="--format"):
        run("--campaign", coded.campaign.slug, "--out", str(tmp_path / "x.doc"))
    with pytest.raises(CommandError, match="does not exist"):
        run("--campaign", coded.campaign.slug, "--out", str(tmp_path / "missing" / "x.pdf"))
    assert list(tmp_path.iterdir()) == []  # nothing half-written
