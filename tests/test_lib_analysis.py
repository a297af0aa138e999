"""mango.lib.analysis: tables and tests of the story analysis, without Django.

Reference values come from scipy and statsmodels on fixed data (to 1e-9), from published
examples (Agresti 2007; Fisher 1935; scipy's documentation) and from cases worked by hand in
the comments next to them.
"""

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from scipy.stats.contingency import association
from statsmodels.stats.contingency_tables import Table
from statsmodels.stats.multitest import multipletests

from mango.lib import analysis
from mango.lib.analysis import significance

TOL = 1e-9

# Agresti, An Introduction to Categorical Data Analysis, 2nd ed. (Wiley 2007), Table 2.5:
# party identification by gender, 2000 General Social Survey. Section 2.4.3 gives
# X² = 30.07 with df = 2; Table 2.6 the standardised residuals 4.50, 0.70, -5.32 (females).
AGRESTI_GENDER_PARTY = np.array([[762, 327, 468], [484, 239, 477]])  # Dem, Ind, Rep

# A fixed 2 x 4 table with all expected counts well above 5.
FIXED = np.array([[38, 52, 17, 44], [112, 98, 61, 70]])


def frame_from_table(table, label="x", group="g"):
    """One row per story from a 2 x k table: row 0 carries the label, row 1 does not."""
    rows = []
    for j in range(table.shape[1]):
        rows += [{group: f"g{j}", label: 1}] * int(table[0, j])
        rows += [{group: f"g{j}", label: 0}] * int(table[1, j])
    return pd.DataFrame(rows)


# ----- equal to scipy and statsmodels ---------------------------------------------------------


def test_chi_square_equals_scipy_without_correction():
    result = analysis.independence_test(FIXED)
    ref = stats.chi2_contingency(FIXED, correction=False)

    assert result.test == "chi2"
    assert result.statistic == pytest.approx(ref.statistic, abs=TOL)
    assert result.p == pytest.approx(ref.pvalue, abs=TOL)
    assert result.dof == ref.dof == 3


def test_a_2x2_chi_square_is_not_yates_corrected():
    table = np.array([[30, 20], [20, 30]])
    result = analysis.independence_test(table)

    assert result.test == "chi2"
    assert result.statistic == pytest.approx(
        stats.chi2_contingency(table, correction=False).statistic, abs=TOL
    )
    assert result.statistic != pytest.approx(stats.chi2_contingency(table).statistic)


def test_cramers_v_equals_scipy():
    result = analysis.independence_test(FIXED)

    assert result.cramers_v == pytest.approx(association(FIXED, method="cramer"), abs=TOL)
    assert result.cramers_v == pytest.approx(math.sqrt(result.statistic / FIXED.sum()), abs=TOL)


def test_adjusted_residuals_equal_statsmodels():
    residuals = analysis.adjusted_residuals(FIXED)

    np.testing.assert_allclose(residuals, Table(FIXED).standardized_resids, rtol=0, atol=TOL)


def test_holm_equals_statsmodels():
    pvalues = [0.0021, 0.3, 0.012, 0.049, 0.5, 0.0004]

    expected = multipletests(pvalues, method="holm")[1]

    np.testing.assert_allclose(analysis.holm(pvalues), expected, rtol=0, atol=TOL)


def test_fisher_p_equals_scipy():
    table = np.array([[1, 7], [9, 3]])
    result = analysis.independence_test(table)

    assert result.test == "fisher"
    assert result.p == pytest.approx(stats.fisher_exact(table).pvalue, abs=TOL)


def test_monte_carlo_p_equals_scipy_with_the_same_seed():
    table = np.array([[3, 0, 1], [2, 6, 4]])
    method = stats.MonteCarloMethod(n_resamples=2000, rng=np.random.default_rng(7))
    ref = stats.chi2_contingency(table, correction=False, method=method)

    result = analysis.independence_test(table, resamples=2000, rng=7)

    assert result.test == "monte_carlo"
    assert result.p == pytest.approx(ref.pvalue, abs=TOL)
    assert result.statistic == pytest.approx(ref.statistic, abs=TOL)
    assert result.dof is None


def test_more_resamples_than_a_batch_still_equal_scipy():
    table = np.array([[3, 0, 1], [2, 6, 4]])
    method = stats.MonteCarloMethod(
        n_resamples=12_000, batch=significance.MONTE_CARLO_BATCH, rng=np.random.default_rng(7)
    )
    ref = stats.chi2_contingency(table, correction=False, method=method)

    assert significance.monte_carlo_p(table, 12_000, 7) == pytest.approx(ref.pvalue, abs=TOL)


def test_the_table_of_stories_tests_what_scipy_tests_on_a_crosstab():
    stories = frame_from_table(FIXED)
    crosstab = pd.crosstab(stories["x"], stories["g"]).loc[[1, 0]].to_numpy()
    ref = stats.chi2_contingency(crosstab, correction=False)

    [test] = analysis.dimension_by_group(stories, "g", ["x"]).tests

    np.testing.assert_array_equal(crosstab, FIXED)
    assert test.statistic == pytest.approx(ref.statistic, abs=TOL)
    assert test.p == pytest.approx(ref.pvalue, abs=TOL)
    assert test.cramers_v == pytest.approx(association(crosstab, method="cramer"), abs=TOL)


# ----- published examples ---------------------------------------------------------------------


def test_agrestis_gender_and_party_example():
    result = analysis.independence_test(AGRESTI_GENDER_PARTY)
    residuals = analysis.adjusted_residuals(AGRESTI_GENDER_PARTY)

    assert result.test == "chi2"
    assert result.dof == 2
    assert result.statistic == pytest.approx(30.07, abs=0.005)
    assert result.p < 0.001
    np.testing.assert_allclose(residuals[0], [4.50, 0.70, -5.32], atol=0.005)
    np.testing.assert_allclose(residuals[1], [-4.50, -0.70, 5.32], atol=0.005)
    # V = sqrt(X² / n) with n = 2757.
    assert result.cramers_v == pytest.approx(math.sqrt(result.statistic / 2757), abs=TOL)


def test_scipys_documented_2x3_example():
    # scipy.stats.chi2_contingency's docstring: obs = [[10, 10, 20], [20, 20, 20]] gives
    # statistic 2.7777777777777777 and p 0.24935220877729619 with dof 2.
    result = analysis.independence_test(np.array([[10, 10, 20], [20, 20, 20]]))

    assert result.test == "chi2"
    assert result.statistic == pytest.approx(2.7777777777777777, abs=TOL)
    assert result.p == pytest.approx(0.24935220877729619, abs=TOL)
    assert result.dof == 2


def test_fishers_tea_tasting_lady():
    # Fisher (1935), Agresti (2007) Table 2.8: 3 of 4 milk-first cups guessed right. Tables
    # with these margins have n11 = 0..4 with probabilities 1, 16, 36, 16, 1 (/ 70); the
    # two-sided p sums those no more likely than the observed 16/70: 34/70 = 0.486.
    result = analysis.independence_test(np.array([[3, 1], [1, 3]]))

    assert result.test == "fisher"
    assert result.p == pytest.approx(34 / 70, abs=1e-12)


# ----- Cramér's V -----------------------------------------------------------------------------


def test_cramers_v_known_values():
    # [[20, 10], [10, 20]]: every E = 15, X² = 4 x 5² / 15 = 20/3, V = sqrt((20/3) / 60) = 1/3
    # (= phi = (20·20 - 10·10) / sqrt(30·30·30·30)).
    assert analysis.independence_test(np.array([[20, 10], [10, 20]])).cramers_v == pytest.approx(
        1 / 3, abs=TOL
    )
    assert analysis.independence_test(np.array([[10, 0], [0, 10]])).cramers_v == pytest.approx(1)
    assert analysis.independence_test(np.array([[8, 8], [8, 8]])).cramers_v == 0


# ----- multi-label counting and Holm, by hand -------------------------------------------------

SIX_STORIES = pd.DataFrame(
    {
        "teller": ["patient", "patient", "patient", "professional", "professional", "professional"],
        "respect": [1, 1, 0, 1, 0, 0],
        "emotional": [1, 0, 1, 1, 1, 0],
        "comfort": [0, 0, 0, 0, 1, 0],
    }
)


def test_multi_label_counting_by_hand():
    # Story 1 (patient) and stories 4 and 5 (professionals) carry two labels each, story 6
    # none: 7 codings on 6 stories. Per group 3 stories, whatever the codings.
    # respect: patients 2 of 3 (66.7%), professionals 1 of 3 (33.3%)
    # emotional: patients 2 of 3, professionals 2 of 3; comfort: 0 of 3 and 1 of 3.
    table = analysis.dimension_by_group(SIX_STORIES, "teller", ["respect", "emotional", "comfort"])

    assert table.totals.to_dict() == {"patient": 3, "professional": 3}
    assert table.counts.to_dict(orient="index") == {
        "respect": {"patient": 2, "professional": 1},
        "emotional": {"patient": 2, "professional": 2},
        "comfort": {"patient": 0, "professional": 1},
    }
    assert table.percentages.loc["respect", "patient"] == pytest.approx(200 / 3)
    assert table.percentages.loc["respect", "professional"] == pytest.approx(100 / 3)
    # Professionals: 33.3 + 66.7 + 33.3 = 133.3%: more than 100, and the note says why.
    assert table.percentages["professional"].sum() == pytest.approx(400 / 3)
    assert table.multi_label
    assert "more than 100%" in table.note
    assert "stories (not of codings)" in table.note
    assert table.unlabelled.to_dict() == {"patient": 0, "professional": 1}
    assert table.stories == 6


def test_holm_by_hand():
    # p = 0.01, 0.04, 0.03; m = 3. Sorted: 0.01 x 3 = 0.03; 0.03 x 2 = 0.06; 0.04 x 1 = 0.04,
    # raised to 0.06 so that adjusted p-values keep the order of the raw ones.
    assert analysis.holm([0.01, 0.04, 0.03]) == pytest.approx([0.03, 0.06, 0.06], abs=1e-15)
    assert analysis.holm([0.5, 0.9]) == [1.0, 1.0]  # capped at 1


def test_holm_leaves_untested_labels_out_of_the_family():
    assert analysis.holm([0.01, None, 0.04]) == pytest.approx([0.02, None, 0.04], abs=1e-15)


def test_per_label_p_values_are_holm_adjusted_together():
    rng = np.random.default_rng(3)
    n = 600
    group = rng.choice(["a", "b", "c"], n)
    stories = pd.DataFrame(
        {
            "g": group,
            "strong": (rng.random(n) < np.where(group == "a", 0.6, 0.3)).astype(int),
            "weak": (rng.random(n) < np.where(group == "b", 0.45, 0.35)).astype(int),
            "none": (rng.random(n) < 0.4).astype(int),
            "never": 0,
        }
    )
    table = analysis.dimension_by_group(stories, "g", ["strong", "weak", "none", "never"])
    raw = [t.p for t in table.tests[:3]]

    assert [t.p_holm for t in table.tests[:3]] == pytest.approx(
        multipletests(raw, method="holm")[1].tolist(), abs=TOL
    )
    never = table.tests[3]
    assert (never.test, never.p, never.p_holm, never.cramers_v) == (None, None, None, None)


# ----- choosing the test ----------------------------------------------------------------------


def test_small_expected_counts_in_a_2x2_table_switch_to_fisher():
    # Row totals 8 and 72, columns 40 and 40: E = 4 in the first row, below 5.
    table = np.array([[7, 1], [33, 39]])
    result = analysis.independence_test(table)

    assert result.test == "fisher"
    assert result.dof is None
    assert result.small_expected == 2
    assert result.p == pytest.approx(stats.fisher_exact(table).pvalue, abs=TOL)
    # The statistic stays Pearson's X², for V.
    assert result.statistic == pytest.approx(
        stats.chi2_contingency(table, correction=False).statistic, abs=TOL
    )


def test_small_expected_counts_in_a_2x3_table_switch_to_monte_carlo():
    # Present 12 of 60; groups of 10, 10, 40: E = 2, 2, 8 in the first row: 2 of 6 cells
    # (33%) below 5.
    table = np.array([[5, 1, 6], [5, 9, 34]])
    result = analysis.independence_test(table, resamples=999, rng=1)

    assert analysis.choose_test(table) == "monte_carlo"
    assert result.test == "monte_carlo"
    assert result.dof is None
    assert 0 < result.p <= 1


def test_one_small_cell_in_six_keeps_chi_square_by_cochrans_rule():
    # Present 12 of 60; groups of 10, 25, 25: E = 2, 5, 5: 1 of 6 cells (17%) below 5, none
    # below 1.
    table = np.array([[4, 4, 4], [6, 21, 21]])
    np.testing.assert_allclose(significance.expected_counts(table)[0], [2, 5, 5])

    assert analysis.choose_test(table) == "chi2"


def test_an_expected_count_below_one_rules_out_chi_square():
    # 2 x 5: 20% of 10 cells may be below 5, and only 2 are; but E = 40 x 4 / 204 = 0.78 < 1.
    table = np.array([[1, 10, 9, 10, 10], [3, 40, 41, 40, 40]])
    expected = significance.expected_counts(table)
    assert expected.min() < 1
    assert np.count_nonzero(expected < 5) == 2

    assert analysis.choose_test(table) == "monte_carlo"


def test_small_groups_in_the_story_table_pick_the_exact_tests():
    two = analysis.dimension_by_group(SIX_STORIES, "teller", ["respect"])
    stories = SIX_STORIES.assign(teller=["a", "a", "b", "b", "c", "c"])
    three = analysis.dimension_by_group(stories, "teller", ["respect"], resamples=500)

    assert two.tests[0].test == "fisher"
    assert three.tests[0].test == "monte_carlo"
    assert three.resamples == 500


def test_monte_carlo_is_reproducible_and_each_label_keeps_its_stream():
    stories = SIX_STORIES.assign(teller=["a", "a", "b", "b", "c", "c"])
    once = analysis.dimension_by_group(stories, "teller", ["respect"], seed=5, resamples=300)
    again = analysis.dimension_by_group(
        stories, "teller", ["respect", "emotional"], seed=5, resamples=300
    )

    assert once.tests[0].p == again.tests[0].p
    assert once.seed == 5


def test_without_a_seed_one_is_drawn_and_recorded():
    stories = SIX_STORIES.assign(teller=["a", "a", "b", "b", "c", "c"])
    first = analysis.dimension_by_group(stories, "teller", ["respect"], seed=None, resamples=300)
    repeat = analysis.dimension_by_group(
        stories, "teller", ["respect"], seed=first.seed, resamples=300
    )

    assert isinstance(first.seed, int)
    assert repeat.tests[0].p == first.tests[0].p


# ----- residuals ------------------------------------------------------------------------------


def test_residual_signs_point_to_the_group_that_differs():
    # Professionals carry the label in 40 of 50 stories, the others in 10 of 50.
    table = np.array([[10, 10, 40], [40, 40, 10]])
    stories = frame_from_table(table)

    result = analysis.dimension_by_group(stories, "g", ["x"])
    residuals = result.residuals.loc["x"]

    assert residuals["g2"] > 1.96
    assert residuals["g0"] < -1.96 and residuals["g1"] < -1.96
    assert residuals["g0"] == pytest.approx(residuals["g1"])


# ----- JSON -----------------------------------------------------------------------------------


def test_results_are_json_without_nan():
    stories = SIX_STORIES.assign(never=0)
    table = analysis.dimension_by_group(stories, "teller", ["respect", "never"])

    data = json.loads(json.dumps(table.to_dict(), allow_nan=False))
    never = data["labels"][1]

    assert never["residuals"] == {"patient": None, "professional": None}
    assert never["test"] is None and never["p_holm"] is None
    assert data["totals"] == {"patient": 3, "professional": 3}
    assert data["method"]["seed"] == analysis.DEFAULT_SEED
    json.dumps(table.records(), allow_nan=False)


def test_records_have_the_keys_of_the_command_in_order():
    [record] = analysis.dimension_by_group(SIX_STORIES, "teller", ["respect"]).records()

    assert list(record) == [
        "label",
        "counts",
        "totals",
        "test",
        "statistic",
        "dof",
        "p",
        "p_holm",
        "cramers_v",
    ]
    assert record["counts"] == {"patient": 2, "professional": 1}


def test_numeric_groups_become_text_keys():
    stories = SIX_STORIES.assign(unit=[1.0, 1.0, 1.0, 2.0, 2.0, 2.0])

    [record] = analysis.dimension_by_group(stories, "unit", ["respect"]).records()

    assert record["totals"] == {"1": 3, "2": 3}


# ----- groups ---------------------------------------------------------------------------------


def test_stories_without_a_group_are_left_out_and_counted():
    stories = pd.concat(
        [SIX_STORIES, pd.DataFrame({"teller": [None, " "], "respect": [1, 1]})],
        ignore_index=True,
    ).fillna({"emotional": 0, "comfort": 0})

    table = analysis.dimension_by_group(stories, "teller", ["respect"])

    assert table.left_out == 2
    assert table.stories == 6


def test_groups_can_be_chosen_and_ordered():
    stories = SIX_STORIES.assign(teller=["a", "a", "b", "b", "c", "c"])

    table = analysis.dimension_by_group(stories, "teller", ["respect"], groups=["c", "a"])

    assert table.groups == ["c", "a"]
    assert table.left_out == 2
    assert table.totals.to_dict() == {"c": 2, "a": 2}


def test_boolean_labels_are_accepted():
    stories = SIX_STORIES.assign(respect=SIX_STORIES["respect"].astype(bool))

    table = analysis.dimension_by_group(stories, "teller", ["respect"])

    assert table.counts.loc["respect"].tolist() == [2, 1]


# ----- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "kwargs", "message"),
    [
        (lambda s: s, {"group": "role", "labels": ["respect"]}, "Missing column(s): role."),
        (lambda s: s, {"labels": ["respect", "dignity"]}, "Missing column(s): dignity."),
        (
            lambda s: s.assign(respect=[1, 2, 0, 1, 0, "yes"]),
            {"labels": ["respect"]},
            "Label 'respect' must hold 0 or 1; found 2, 'yes' in 2 row(s), first at row 1.",
        ),
        (
            lambda s: s.assign(respect=[1, None, 0, 1, 0, 0]),
            {"labels": ["respect"]},
            "Label 'respect' has 1 missing value(s), first at row 1",
        ),
        (
            lambda s: s,
            {"labels": ["respect"], "groups": ["patient", "professional", "family"]},
            "Group(s) without stories in column 'teller': family.",
        ),
        (
            lambda s: s.assign(teller="patient"),
            {"labels": ["respect"]},
            "Comparing needs at least 2 groups; column 'teller' has 1 ('patient').",
        ),
        (lambda s: s, {"labels": []}, "Name at least one label column to compare."),
        (
            lambda s: s,
            {"labels": ["respect", "respect"]},
            "Label(s) named more than once: respect.",
        ),
        (
            lambda s: s,
            {"labels": ["teller"]},
            "Column 'teller' cannot be both the group and a label.",
        ),
        (
            lambda s: s,
            {"labels": ["respect"], "resamples": 0},
            "resamples must be at least 1, not 0.",
        ),
    ],
)
def test_bad_input_is_a_clear_value_error(change, kwargs, message):
    kwargs = {"group": "teller", **kwargs}
    with pytest.raises(ValueError) as caught:
        analysis.dimension_by_group(change(SIX_STORIES), kwargs.pop("group"), **kwargs)
    assert message in str(caught.value)


def test_a_table_with_an_empty_group_is_refused():
    with pytest.raises(ValueError, match="has no stories"):
        analysis.independence_test(np.array([[1, 0], [3, 0]]))


# ----- respondents and screening --------------------------------------------------------------

RESPONDENTS = pd.DataFrame(
    {
        "teller_role": ["patient", "family", "professional", "professional", "resident", None],
        "setting": ["hospital", "hospital", "residential", "hospital", "residential", "primary"],
        "oncological": ["yes", "no", "yes", "unknown", "no", "yes"],
    }
)


def test_respondents_by_type_setting_and_oncological_care():
    tables = analysis.respondents(RESPONDENTS)
    roles = tables["teller_role"].table

    assert list(tables) == ["teller_role", "setting", "oncological"]
    assert roles["value"].tolist() == [
        "patient",
        "resident",
        "family",
        "professional",
        "other",
        None,
    ]
    assert roles["n"].tolist() == [1, 1, 1, 2, 0, 1]
    assert roles["percent"].sum() == pytest.approx(100)
    assert tables["oncological"].table.set_index("value")["n"].to_dict() == {
        "yes": 3,
        "no": 2,
        "unknown": 1,
    }
    json.dumps(tables["teller_role"].to_dict(), allow_nan=False)


def test_the_campaigns_three_respondent_groups():
    groups = analysis.respondent_group(RESPONDENTS)

    assert groups.tolist() == [
        "oncological_patient_family",
        "non_oncological_patient_family",
        "professional",
        "professional",
        "non_oncological_patient_family",
        None,
    ]


def test_crosstab_of_type_by_setting_has_column_percentages():
    table = analysis.crosstab(RESPONDENTS, "teller_role", "setting")

    assert table.left_out == 1
    assert table.counts.loc["professional", "hospital"] == 1
    assert table.percentages.loc["professional", "hospital"] == pytest.approx(100 / 3)
    assert table.percentages["rehabilitation"].isna().all()  # no stories in that setting
    json.dumps(table.to_dict(), allow_nan=False)


def test_screening_summary_of_the_story_campaign():
    # The campaign: 1,045 stories, 983 (94%) Mangomoments, 62 excluded.
    reasons = ["organised_event"] * 20 + ["not_normal_care"] * 30 + [None] * 12
    stories = pd.DataFrame(
        {
            "screening": ["included"] * 983 + ["excluded"] * 62 + [None] * 5,
            "exclusion_reason": [None] * 983 + reasons + [None] * 5,
        }
    )

    result = analysis.screening(stories, reasons=["organised_event", "celebrity_visit"])
    table = result.reasons.set_index("reason")

    assert (result.stories, result.screened, result.included, result.excluded) == (
        1050,
        1045,
        983,
        62,
    )
    assert result.pending == 5
    assert round(100 * result.share) == 94
    assert table["n"].to_dict() == {
        "organised_event": 20,
        "celebrity_visit": 0,
        "not_normal_care": 30,
        None: 12,
    }
    assert table["percent"].sum() == pytest.approx(100)
    assert json.loads(json.dumps(result.to_dict(), allow_nan=False))["share"] == 983 / 1045


def test_screening_before_any_decision_has_no_share():
    stories = pd.DataFrame({"screening": [None, None], "exclusion_reason": [None, None]})

    result = analysis.screening(stories)

    assert result.share is None
    assert json.loads(json.dumps(result.to_dict(), allow_nan=False))["share"] is None


def test_screening_refuses_unknown_decisions():
    stories = pd.DataFrame({"screening": ["included", "maybe"], "exclusion_reason": [None, None]})

    with pytest.raises(
        ValueError, match="must hold 'included', 'excluded' or nothing; found 'maybe'"
    ):
        analysis.screening(stories)


# ----- trends ---------------------------------------------------------------------------------


def test_trend_by_month_keeps_a_month_without_stories():
    stories = pd.DataFrame(
        {
            "submitted_at": pd.to_datetime(
                ["2018-01-05", "2018-01-20", "2018-03-02", "2018-03-30", None]
            ),
            "unit": ["onco", "geri", "onco", "onco", "onco"],
        }
    )

    trend = analysis.by_month(stories, group="unit")

    assert trend.counts.index.tolist() == ["2018-01", "2018-02", "2018-03"]
    assert trend.counts.to_dict(orient="index") == {
        "2018-01": {"geri": 1, "onco": 1},
        "2018-02": {"geri": 0, "onco": 0},
        "2018-03": {"geri": 0, "onco": 2},
    }
    assert trend.total.tolist() == [2, 0, 2]
    assert trend.left_out == 1
    data = json.loads(json.dumps(trend.to_dict(), allow_nan=False))
    assert data["series"][1] == {"group": "onco", "counts": [1, 0, 2]}


def test_trend_range_and_units_can_be_fixed():
    stories = pd.DataFrame({"submitted_at": ["2018-02-10", "2018-05-01"], "unit": ["onco", "onco"]})

    trend = analysis.by_month(
        stories, group="unit", groups=["onco", "pal"], start="2018-01", end="2018-03"
    )

    assert trend.counts.index.tolist() == ["2018-01", "2018-02", "2018-03"]
    assert trend.counts["pal"].tolist() == [0, 0, 0]
    assert trend.counts["onco"].tolist() == [0, 1, 0]
    assert trend.left_out == 1


def test_months_are_counted_in_local_time():
    # 23:30 UTC on 28 February is 00:30 on 1 March in Brussels.
    stories = pd.DataFrame({"submitted_at": pd.to_datetime(["2018-02-28 23:30"], utc=True)})

    assert analysis.by_month(stories, tz="Europe/Brussels").counts.index.tolist() == ["2018-03"]
    assert analysis.by_month(stories).counts.index.tolist() == ["2018-02"]


def test_a_trend_without_dated_stories_is_empty():
    stories = pd.DataFrame({"submitted_at": [None, None]})

    trend = analysis.by_month(stories)

    assert trend.counts.empty
    assert trend.to_dict()["months"] == []


def test_bad_dates_are_refused():
    stories = pd.DataFrame({"submitted_at": ["2018-02-10", "soon"]})

    with pytest.raises(ValueError, match="not dates: 'soon' in 1 row"):
        analysis.by_month(stories)
    with pytest.raises(ValueError, match="start must be a month"):
        analysis.by_month(stories.iloc[:1], start="someday")


def test_periods_to_group_by():
    stories = pd.DataFrame({"submitted_at": ["2018-02-10", "2019-11-30", None]})

    assert analysis.period(stories).tolist() == ["2018-02", "2019-11", None]
    assert analysis.period(stories, unit="quarter").tolist() == ["2018Q1", "2019Q4", None]
    assert analysis.period(stories, unit="year").tolist() == ["2018", "2019", None]
    with pytest.raises(ValueError, match="month, quarter, year"):
        analysis.period(stories, unit="week")


def test_labels_by_unit():
    stories = pd.DataFrame(
        {
            "unit": ["onco", "onco", "geri", None],
            "respect": [1, 0, 1, 1],
            "emotional": [1, 1, 0, 0],
        }
    )

    table = analysis.by_unit(stories, labels=["respect", "emotional"], units=["pal", "onco"])
    rows = table.table.set_index("unit")

    assert table.table["unit"].tolist() == ["pal", "onco", "geri", None]
    assert rows["stories"].tolist() == [0, 2, 1, 1]
    assert rows.loc["onco", "respect %"] == 50
    assert rows.loc["onco", "emotional %"] == 100
    assert math.isnan(rows.loc["pal", "respect %"])
    assert json.loads(json.dumps(table.to_dict(), allow_nan=False))["rows"][0]["respect %"] is None


def test_holm_equals_statsmodels_on_random_p_values_with_ties():
    rng = np.random.default_rng(7)
    for size in (1, 2, 5, 8, 30):
        pvalues = rng.choice([0.001, 0.02, 0.04, 0.3, 0.7, 1.0], size=size).tolist()
        expected = multipletests(pvalues, method="holm")[1]
        assert analysis.holm(pvalues) == expected.tolist()
