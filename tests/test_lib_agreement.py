"""Agreement statistics against published reference values, edge cases and the bootstrap."""

import json
import math

import krippendorff
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa

from mango.lib import agreement as ag

nan = np.nan
TOL = 0.001

# Krippendorff's alpha, worked example of 3 coders (A, B, C) x 15 units, values 1-4, "*"
# missing, from the Wikipedia article "Krippendorff's alpha" (section "A computational
# example"), also the example in the krippendorff package's docstring: nominal 0.691, interval
# 0.811 (the values the domain note quotes). Rows are coders here, as in the source.
WIKIPEDIA_CODERS_X_UNITS = [
    [nan, nan, nan, nan, nan, 3, 4, 1, 2, 1, 1, 3, 3, nan, 3],
    [1, nan, 2, 1, 3, 3, 4, 3, nan, nan, nan, nan, nan, nan, nan],
    [nan, nan, 2, 1, 3, 4, 4, nan, 2, 1, 1, 3, 3, nan, 4],
]

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
# Communication, Departmental Papers 43, example C: 4 observers (A-D) x 12 units, values 1-5
# with missing data: nominal 0.743, ordinal 0.815, interval 0.849 (ratio 0.797, not offered).
# Not the data behind 0.691/0.811: that is the 3 x 15 example above.
KRIPPENDORFF_2011_CODERS_X_UNITS = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan],
]

# Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological
# Bulletin 76(5), 378-382: 30 patients, 6 psychiatrists each, 5 diagnoses (1 depression,
# 2 personality disorder, 3 schizophrenia, 4 neurosis, 5 other). Fleiss printed the counts
# per patient and diagnosis; this rater-by-rater layout of them is R's irr::diagnoses (also in
# statsmodels' tests). Overall kappa 0.430; per diagnosis 0.245, 0.245, 0.520, 0.471, 0.566.
FLEISS_1971 = [
    [4, 4, 4, 4, 4, 4],
    [2, 2, 2, 5, 5, 5],
    [2, 3, 3, 3, 3, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4],
    [1, 1, 3, 3, 3, 3],
    [3, 3, 3, 3, 5, 5],
    [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4],
    [5, 5, 5, 5, 5, 5],
    [1, 4, 4, 4, 4, 4],
    [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3],
    [1, 4, 4, 4, 4, 4],
    [2, 2, 4, 4, 4, 5],
    [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5],
    [1, 1, 1, 1, 1, 2],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 4, 4, 4, 4, 4],
    [2, 2, 4, 5, 5, 5],
    [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5],
    [2, 2, 2, 2, 2, 4],
    [1, 1, 1, 1, 5, 5],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3],
    [5, 5, 5, 5, 5, 5],
]
FLEISS_1971_PER_DIAGNOSIS = {1: 0.245, 2: 0.245, 3: 0.520, 4: 0.471, 5: 0.566}


def units_from_table(table):
    """Two coders' ratings, one row per unit, from a contingency table of counts."""
    rows = []
    for i, row in enumerate(table):
        for j, count in enumerate(row):
            rows += [[i, j]] * count
    return np.array(rows)


def tidy(matrix, codes=None):
    """A units x coders matrix as the tidy table round_agreement takes (code "c")."""
    rows = [
        {"unit": u, "coder": f"coder{c}", "code": "c", "value": v}
        for u, row in enumerate(matrix)
        for c, v in enumerate(row)
        if not (v is None or (isinstance(v, float) and math.isnan(v)))
    ]
    return pd.DataFrame(rows)


# --- published reference values -------------------------------------------------------------


def test_krippendorff_wikipedia_example_nominal_is_0_691():
    result = ag.agreement(np.array(WIKIPEDIA_CODERS_X_UNITS).T, level="nominal", seed=1)
    assert result.krippendorff_alpha.value == pytest.approx(0.691, abs=TOL)
    assert result.krippendorff_alpha.n == 12  # units 2 and 14 have fewer than two values


def test_krippendorff_wikipedia_example_interval_is_0_811():
    result = ag.agreement(np.array(WIKIPEDIA_CODERS_X_UNITS).T, level="interval", seed=1)
    assert result.krippendorff_alpha.value == pytest.approx(0.811, abs=TOL)


@pytest.mark.parametrize(
    "level, expected", [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849)]
)
def test_krippendorff_2011_example_c(level, expected):
    result = ag.agreement(np.array(KRIPPENDORFF_2011_CODERS_X_UNITS).T, level=level, seed=1)
    assert result.krippendorff_alpha.value == pytest.approx(expected, abs=TOL)


def test_cohen_1960_example_kappa_is_0_492():
    # Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and
    # Psychological Measurement 20(1), 37-46, Table 1: two judges, 200 items, 3 categories;
    # p_o = .70, p_c = .41, kappa = .492. Kappa depends only on the diagonal and the margins
    # (judge A .50/.30/.20, judge B .60/.30/.10), which this table of counts reproduces.
    table = [[88, 14, 18], [10, 40, 10], [2, 6, 12]]
    result = ag.agreement(units_from_table(table), seed=1)
    assert result.cohen_kappa.value == pytest.approx(0.492, abs=TOL)
    assert result.percent_agreement.value == pytest.approx(0.70, abs=TOL)


def test_sas_skin_condition_example_kappa_and_its_interval():
    # SAS/STAT User's Guide, The FREQ Procedure, Getting Started: Agreement Study (skin
    # condition rated terrible/poor/marginal/clear by two dermatologists, 88 patients):
    # simple kappa 0.3449, ASE 0.0724, 95% confidence limits 0.2030 and 0.4868.
    table = [[10, 4, 1, 0], [5, 10, 12, 2], [2, 4, 12, 5], [0, 2, 6, 13]]
    result = ag.agreement(units_from_table(table), seed=1)
    assert result.cohen_kappa.value == pytest.approx(0.3449, abs=TOL)
    assert result.cohen_kappa.ci95 == pytest.approx((0.2030, 0.4868), abs=TOL)


def test_fleiss_1971_kappa_is_0_430():
    result = ag.agreement(FLEISS_1971, seed=1)
    assert result.fleiss_kappa.value == pytest.approx(0.430, abs=TOL)
    assert result.fleiss_kappa.n == 30


def test_fleiss_1971_per_diagnosis_kappas_match_the_present_absent_reading():
    # Each diagnosis read as present/absent per psychiatrist: what round_agreement does with a
    # multi-label code. Fleiss's per-category kappas are exactly these.
    rows = [
        {"unit": u, "coder": c, "code": str(d), "value": int(v == d)}
        for u, ratings in enumerate(FLEISS_1971)
        for c, v in enumerate(ratings)
        for d in FLEISS_1971_PER_DIAGNOSIS
    ]
    result = ag.round_agreement(pd.DataFrame(rows), seed=1)
    for diagnosis, kappa in FLEISS_1971_PER_DIAGNOSIS.items():
        assert result.per_code[str(diagnosis)].fleiss_kappa.value == pytest.approx(kappa, abs=TOL)
    assert result.units == 30 and result.coders == 6
    assert result.overall.cohen_kappa.value is None  # six coders


# --- the numpy sums the bootstrap uses equal the libraries ----------------------------------


@pytest.mark.parametrize("level", ag.LEVELS)
def test_vectorised_alpha_equals_krippendorff_alpha_on_random_data(level):
    rng = np.random.default_rng(2024)
    for _ in range(20):
        data = rng.integers(1, 6, size=(4, 50)).astype(float)
        data[rng.random(data.shape) < 0.3] = nan
        expected = krippendorff.alpha(reliability_data=data, level_of_measurement=level)
        counts = (data.T[..., None] == np.arange(1, 6)).sum(axis=1)
        assert ag.alpha_from_counts(counts, np.arange(1.0, 6.0), level) == pytest.approx(
            expected, abs=1e-12
        )
        assert ag.agreement(data.T, level=level, resamples=0).krippendorff_alpha.value == (
            pytest.approx(expected, abs=1e-12)
        )


@pytest.mark.parametrize("level", ag.LEVELS)
@pytest.mark.parametrize("coders", [2, 3])
def test_the_bootstrap_sums_give_the_library_values_on_the_original_data(level, coders):
    rng = np.random.default_rng(7)
    matrix = rng.integers(0, 4, size=(200, coders)).astype(float)
    matrix[rng.random(matrix.shape) < 0.2] = nan
    codes, values = ag._encode(matrix, level)
    var = ag._Variable(codes, np.arange(len(codes)), values, level)
    sums = {k: v.sum(axis=0, keepdims=True) for k, v in ag._item_sums(var).items()}
    fast = {k: float(v[0]) for k, v in ag._from_sums(sums, var).items()}
    point = ag.agreement(matrix, level=level, resamples=0)
    for name in ag.STATISTICS:
        if getattr(point, name).value is not None:
            assert fast[name] == pytest.approx(getattr(point, name).value, abs=1e-12), name


def test_cohen_and_fleiss_values_come_from_sklearn_and_statsmodels():
    rng = np.random.default_rng(3)
    a = rng.integers(0, 3, 300)
    b = np.where(rng.random(300) < 0.7, a, rng.integers(0, 3, 300))
    result = ag.agreement(np.column_stack([a, b]), resamples=0)
    assert result.cohen_kappa.value == pytest.approx(cohen_kappa_score(a, b), abs=1e-12)
    counts = np.stack([(a == k).astype(int) + (b == k).astype(int) for k in range(3)], axis=1)
    assert result.fleiss_kappa.value == pytest.approx(fleiss_kappa(counts), abs=1e-12)


# --- edge cases -----------------------------------------------------------------------------


def test_perfect_agreement_gives_one_everywhere():
    result = ag.agreement([[1, 1], [0, 0], [1, 1], [0, 0], [1, 1]], seed=1)
    for name in ag.STATISTICS:
        estimate = getattr(result, name)
        assert estimate.value == 1.0, name
        assert estimate.ci95 == (1.0, 1.0), name


def test_one_category_only_leaves_kappa_and_alpha_undefined_with_a_reason():
    result = ag.agreement([[1, 1], [1, 1], [1, 1]], seed=1)
    assert result.percent_agreement.value == 1.0
    for name in ("cohen_kappa", "fleiss_kappa", "krippendorff_alpha"):
        estimate = getattr(result, name)
        assert estimate.value is None and estimate.ci95 is None
        assert estimate.reason == "no variation: all codings are the same category"
    json.dumps(result.as_dict(), allow_nan=False)


def test_missing_codings_are_allowed_and_single_codings_left_out():
    matrix = [[1, 1], [0, 0], [1, None], [None, 0], [1, 0], [0, 0]]
    result = ag.agreement(matrix, seed=1)
    assert result.percent_agreement.value == pytest.approx(3 / 4)
    assert result.percent_agreement.n == 4
    assert result.cohen_kappa.n == 4
    assert result.krippendorff_alpha.n == 4


def test_no_unit_coded_twice_gives_reasons_not_errors():
    result = ag.agreement([[1, None], [None, 0]], seed=1)
    assert result.percent_agreement.reason == "no unit was coded by two or more coders"
    assert result.cohen_kappa.reason == "no unit was coded by both coders"
    assert result.fleiss_kappa.value is None and result.krippendorff_alpha.value is None
    json.dumps(result.as_dict(), allow_nan=False)


def test_cohen_kappa_is_null_unless_there_are_exactly_two_coders():
    result = ag.agreement([[1, 1, 0], [0, 0, 0], [1, 1, 1]], seed=1)
    assert result.cohen_kappa.value is None
    assert result.cohen_kappa.reason == "Cohen's kappa needs exactly two coders; there are 3"


def test_fleiss_uses_the_units_with_the_most_common_number_of_codings():
    matrix = [[1, 1, 1], [0, 0, None], [1, 0, None], [0, None, 0], [1, 1, 0]]
    result = ag.agreement(matrix, seed=1)
    assert result.fleiss_kappa.n == 3  # three units with two codings, two with three
    counts = np.array([[2, 0], [1, 1], [2, 0]])  # units 2-4 as (category 0, category 1)
    assert result.fleiss_kappa.value == pytest.approx(fleiss_kappa(counts), abs=1e-12)


def test_fewer_than_two_coders_is_a_clear_error():
    with pytest.raises(ValueError, match="at least two coders; found 1"):
        ag.agreement([[1], [0]])
    frame = pd.DataFrame({"unit": [1, 2], "coder": ["ann", "ann"], "code": "c", "value": [1, 0]})
    with pytest.raises(ValueError, match="at least two coders; found 1"):
        ag.round_agreement(frame)


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="units x coders matrix"):
        ag.agreement([1, 2, 3])
    with pytest.raises(ValueError, match="no units"):
        ag.agreement(np.empty((0, 2)))
    with pytest.raises(ValueError, match="Unknown level 'ratio'"):
        ag.agreement([[1, 1]], level="ratio")
    with pytest.raises(ValueError, match="interval level needs numeric values; found 'yes'"):
        ag.agreement([["yes", "no"]], level="interval")


def test_category_names_are_nominal_categories():
    matrix = [["respect", "respect"], ["emotional", "respect"], ["emotional", "emotional"]]
    result = ag.agreement(matrix, resamples=0)
    codes = [[1, 1], [0, 1], [0, 0]]
    assert result.as_dict() == ag.agreement(codes, resamples=0).as_dict()


# --- the bootstrap --------------------------------------------------------------------------


def noisy_pairs(units=300, seed=5):
    rng = np.random.default_rng(seed)
    truth = rng.random(units) < 0.4
    return np.column_stack([truth ^ (rng.random(units) < 0.1) for _ in range(2)]).astype(int)


def test_bootstrap_intervals_contain_the_estimate_and_are_reproducible():
    matrix = noisy_pairs()
    first = ag.agreement(matrix, seed=11)
    for name in ag.STATISTICS:
        estimate = getattr(first, name)
        assert estimate.ci95[0] <= estimate.value <= estimate.ci95[1], name
    assert ag.agreement(matrix, seed=11) == first
    other = ag.agreement(matrix, seed=12)
    assert other.krippendorff_alpha.ci95 != first.krippendorff_alpha.ci95
    assert other.cohen_kappa.ci95 == first.cohen_kappa.ci95  # closed form


def test_bootstrap_interval_width_is_plausible():
    # Against the closed-form interval of Cohen's kappa: for two coders on binary data the
    # bootstrap interval of Fleiss' kappa (almost the same statistic) has about the same width.
    result = ag.agreement(noisy_pairs(units=2000), seed=3, resamples=2000)
    cohen = result.cohen_kappa.ci95[1] - result.cohen_kappa.ci95[0]
    fleiss = result.fleiss_kappa.ci95[1] - result.fleiss_kappa.ci95[0]
    assert fleiss == pytest.approx(cohen, rel=0.15)


def test_no_resamples_means_only_the_closed_form_interval():
    result = ag.agreement(noisy_pairs(), resamples=0)
    assert result.cohen_kappa.ci95 is not None
    assert result.percent_agreement.ci95 is None
    assert result.krippendorff_alpha.ci95 is None


# --- rounds: tidy tables per code and overall -----------------------------------------------


def round_frame():
    rows = []
    for unit, codes_a, codes_b in [
        ("s1", {"respect", "emotional"}, {"respect"}),
        ("s2", {"emotional"}, {"emotional"}),
        ("s3", {"respect"}, {"respect", "family"}),
        ("s4", {"family"}, {"family"}),
        ("s5", {"respect", "emotional"}, {"respect", "emotional"}),
    ]:
        for coder, codes in (("ann", codes_a), ("bob", codes_b)):
            rows += [{"story": unit, "who": coder, "dim": c} for c in sorted(codes)]
    return pd.DataFrame(rows)


def test_presence_rows_become_explicit_present_and_absent_values():
    full = ag.presence_to_values(round_frame(), "story", "who", "dim")
    assert len(full) == 5 * 2 * 3
    s1_bob = full[(full.story == "s1") & (full.who == "bob")].set_index("dim")["value"]
    assert s1_bob.to_dict() == {"respect": 1, "emotional": 0, "family": 0}


def test_a_round_gives_per_code_and_overall_figures_with_the_method():
    frame = round_frame()
    result = ag.round_agreement(frame, unit="story", coder="who", code="dim", value=None, seed=1)
    assert result.units == 5 and result.coders == 2
    assert list(result.per_code) == ["emotional", "family", "respect"]
    assert result.per_code["respect"].percent_agreement.value == 1.0
    assert result.per_code["emotional"].percent_agreement.value == pytest.approx(4 / 5)
    # Overall: 15 unit x code items, 13 agreed.
    assert result.overall.percent_agreement.value == pytest.approx(13 / 15)
    assert result.overall.percent_agreement.n == 15
    assert "pooled" in result.method["overall"]
    assert "1000 resamples" in result.method["ci95"] and "seed 1" in result.method["ci95"]
    data = json.loads(json.dumps(result.as_dict(), allow_nan=False))
    assert set(data) == {"units", "coders", "overall", "per_code", "method"}


def test_overall_equals_the_statistics_on_the_pooled_items():
    full = ag.presence_to_values(round_frame(), "story", "who", "dim")
    result = ag.round_agreement(full, unit="story", coder="who", code="dim", resamples=0)
    pooled = full.pivot_table(index=["story", "dim"], columns="who", values="value")
    expected = ag.agreement(pooled, resamples=0)
    for name in ag.STATISTICS:
        assert getattr(result.overall, name).value == pytest.approx(
            getattr(expected, name).value, abs=1e-12
        )


def test_a_per_code_figure_equals_the_single_variable_figure():
    full = ag.presence_to_values(round_frame(), "story", "who", "dim")
    result = ag.round_agreement(full, unit="story", coder="who", code="dim", seed=4)
    matrix = full[full.dim == "emotional"].pivot(index="story", columns="who", values="value")
    single = ag.agreement(matrix, seed=4)
    assert result.per_code["emotional"].cohen_kappa == single.cohen_kappa
    assert result.per_code["emotional"].krippendorff_alpha.value == pytest.approx(
        single.krippendorff_alpha.value
    )


def test_a_round_with_one_category_only_in_a_code_reports_it_undefined():
    frame = pd.DataFrame(
        {
            "unit": [1, 1, 2, 2, 1, 1, 2, 2],
            "coder": ["a", "b"] * 4,
            "code": ["x"] * 4 + ["y"] * 4,
            "value": [1, 1, 1, 1, 1, 0, 0, 0],
        }
    )
    result = ag.round_agreement(frame, seed=1)
    assert result.per_code["x"].cohen_kappa.reason == ag.NO_VARIATION
    assert result.per_code["x"].percent_agreement.value == 1.0
    assert result.per_code["y"].percent_agreement.value == 0.5
    json.dumps(result.as_dict(), allow_nan=False)


def test_empty_values_mean_not_coded():
    frame = pd.DataFrame(
        {"unit": [1, 1, 2, 2], "coder": ["a", "b"] * 2, "code": "x", "value": ["1", "", "0", "0"]}
    )
    result = ag.round_agreement(frame, resamples=0)
    assert result.per_code["x"].percent_agreement.n == 1


def test_conflicting_and_incomplete_rows_are_clear_errors():
    frame = pd.DataFrame(
        {"unit": [1, 1, 1], "coder": ["a", "a", "b"], "code": "x", "value": [1, 0, 1]}
    )
    with pytest.raises(ValueError, match="Coder a gave unit 1 more than one value for code x"):
        ag.round_agreement(frame)
    with pytest.raises(ValueError, match="No column 'value'"):
        ag.round_agreement(frame.drop(columns="value"))
    with pytest.raises(ValueError, match="1 row\\(s\\) have no coder"):
        ag.round_agreement(frame.assign(coder=["a", "", "b"]))
    with pytest.raises(ValueError, match="no rows"):
        ag.round_agreement(frame.iloc[:0])
