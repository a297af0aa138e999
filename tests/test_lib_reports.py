"""mango.lib.reports without Django: the report's numbers are lib.analysis's, the counts path
equals the per-story path, and the outputs are what they claim to be."""

import io
import sys
from datetime import date
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

from mango.lib import analysis, reports
from mango.lib.reports import counts, output, wording

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import analysis as generated  # noqa: E402  (benchmarks/analysis.py: seeded stories)

DIMS = list(generated.DIMENSIONS)


def frame(n=800, seed=1):
    stories = generated.stories(n, seed=seed).drop(columns=["respondent_group"])
    return stories.assign(organisation=np.where(np.arange(n) % 3, "AZ Noord", "WZC Zuid"))


def report_input(stories, language="en", **kwargs):
    return reports.ReportInput(
        collection=reports.Collection(
            campaign="Campagne",
            opens_on=date(2018, 2, 1),
            received=len(stories) + 7,
            no_research_consent=5,
            erased=2,
        ),
        stories=stories,
        dimensions={k: "" for k in DIMS},
        language=language,
        **kwargs,
    )


def test_the_dimension_tables_hold_lib_analysis_numbers():
    stories = frame()
    report = reports.build_report(report_input(stories))
    base = stories[stories["screening"] == "included"]
    expected = analysis.dimension_by_group(
        base.assign(g=analysis.respondent_group(base)),
        "g",
        DIMS,
        groups=list(reports.build.RESPONDENT_GROUPS),
    )
    table = report.table("dimensions")
    for i, key in enumerate(DIMS):
        row = table.rows[i]
        assert row[1::2][:3] == expected.counts.loc[key].tolist()
        assert row[-2] == expected.counts.loc[key].sum()
    tests = report.table("tests")
    assert tests.column("p (Holm)") == [t.p_holm for t in expected.tests]
    assert tests.column("Cramér's V") == [t.cramers_v for t in expected.tests]


def test_methods_state_the_counts_in_both_languages():
    stories = frame()
    s = analysis.screening(stories)
    en = " ".join(reports.build_report(report_input(stories)).methods)
    assert f"In all, {len(stories) + 7:,} stories were received" in en
    assert "5 without (or with withdrawn) consent for research and 2 erased" in en
    assert f"{s.included:,} ({100 * s.share:.1f}%) were Mangomoments" in en
    assert "No double-coded round is recorded" in en
    nl = " ".join(reports.build_report(report_input(stories, "nl")).methods)
    assert f"In totaal kwamen {wording.number(len(stories) + 7, 'nl')} verhalen binnen" in nl
    with pytest.raises(ValueError, match="nl, fr or en"):
        reports.build_report(report_input(stories, "de"))


def test_agreement_is_written_with_its_interval():
    agreement = {
        "round": "R1",
        "units": 50,
        "coders": 2,
        "overall": {"cohen_kappa": {"value": 0.8123, "ci95": [0.7, 0.9]}},
    }
    text = " ".join(reports.build_report(report_input(frame(), agreement=agreement)).methods)
    assert "In coding round ‘R1’, 2 coders coded 50 stories" in text
    assert "Cohen's κ 0.81 (95% CI 0.70–0.90)" in text


def test_the_counts_path_equals_the_per_story_path():
    stories = frame(1500, seed=4)
    base = stories[stories["screening"] == "included"]
    base = base.assign(g=analysis.respondent_group(base))
    groups = list(reports.build.RESPONDENT_GROUPS)
    expected = analysis.dimension_by_group(base, "g", DIMS, groups=groups)
    kept = base[base["g"].notna()]
    totals = kept["g"].value_counts().to_dict()
    carried = {(k, g): int(kept.loc[kept["g"] == g, k].sum()) for k in DIMS for g in groups}
    none = kept[DIMS].sum(axis=1) == 0
    unlabelled = kept.loc[none, "g"].value_counts().to_dict()
    got = counts.comparison(
        "g", groups, DIMS, totals, carried, unlabelled, multi_label=True, left_out=expected.left_out
    )
    assert got.counts.equals(expected.counts)
    assert got.unlabelled.tolist() == expected.unlabelled.tolist()
    for a, b in zip(got.tests, expected.tests, strict=True):
        assert (a.test, a.statistic, a.p, a.p_holm, a.cramers_v) == (
            b.test,
            b.statistic,
            b.p,
            b.p_holm,
            b.cramers_v,
        )


def test_small_groups_use_the_same_monte_carlo_p_on_both_paths():
    stories = frame(60, seed=9)
    base = stories[stories["screening"] == "included"]
    base = base.assign(g=analysis.respondent_group(base))
    groups = list(reports.build.RESPONDENT_GROUPS)
    expected = analysis.dimension_by_group(base, "g", DIMS, groups=groups)
    assert analysis.MONTE_CARLO in {t.test for t in expected.tests}
    kept = base[base["g"].notna()]
    got = counts.comparison(
        "g",
        groups,
        DIMS,
        kept["g"].value_counts().to_dict(),
        {(k, g): int(kept.loc[kept["g"] == g, k].sum()) for k in DIMS for g in groups},
        {},
        multi_label=True,
    )
    assert [t.p for t in got.tests] == [t.p for t in expected.tests]


def test_months_from_counts_fill_the_gaps():
    trend = counts.months({("2018-01", None): 2, ("2018-04", None): 1})
    assert trend.counts["stories"].tolist() == [2, 0, 0, 1]
    assert list(trend.counts.index) == ["2018-01", "2018-02", "2018-03", "2018-04"]


def test_outputs():
    report = reports.build_report(report_input(frame()))
    html = output.to_html(report)
    assert html.count("data:image/svg+xml;base64,") == 2
    book = openpyxl.load_workbook(io.BytesIO(output.to_xlsx(report)))
    assert book.sheetnames[0] == "methods"
    assert len(book.sheetnames) == 1 + len(report.tables)
    assert output.to_pdf(report).startswith(b"%PDF")


def test_names_that_look_like_formulas_stay_text():
    table = reports.Table(
        key="units",
        title="t",
        columns=[reports.Column("unit", "text"), reports.Column("n")],
        rows=[["=HYPERLINK(1)", 3]],
    )
    book = openpyxl.load_workbook(io.BytesIO(output.tables_to_xlsx([table])))
    cell = book["units"]["A3"]
    assert cell.value == "=HYPERLINK(1)" and cell.data_type == "s"
    assert "'=HYPERLINK(1)" in output.tables_to_csv([table], "en")


def test_numbers_are_written_the_dutch_and_the_english_way():
    assert wording.number(1234.5, "nl", 1) == "1.234,5"
    assert wording.number(1234.5, "en", 1) == "1,234.5"
    assert wording.p_value(0.0004, "en") == "< 0.001"
    assert wording.p_value(None, "nl") == "–"
    assert pd.isna(np.nan)


def test_holm_equals_statsmodels_without_its_gc_collect():
    from statsmodels.stats.multitest import multipletests

    from mango.lib.analysis.significance import holm

    pvalues = [0.01, None, 0.04, 0.03, 0.0004, 0.2, 0.04, 1.0]
    tested = [p for p in pvalues if p is not None]
    expected = iter(multipletests(tested, method="holm")[1])
    got = holm(pvalues)
    assert got[1] is None
    for value, p in zip(got, pvalues, strict=True):
        if p is not None:
            assert value == next(expected)
    assert holm([None, None]) == [None, None]
