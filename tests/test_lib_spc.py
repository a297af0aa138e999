"""mango.lib.spc: run charts (Anhøj rules), Shewhart charts, before/after comparisons, SVG/CSV.

Reference values are typed in with their source; where a value is computed here instead
(brute force, scipy, statsmodels), the test says so.
"""

import csv
import io
import itertools
import json
import math
import xml.etree.ElementTree as ET
from fractions import Fraction

import numpy as np
import pytest
from scipy import stats
from statsmodels.stats.proportion import confint_proportions_2indep

from mango.lib.spc import compare, runchart, shewhart, svg
from mango.lib.spc.series import SeriesError, parse_number, period_key, read_series

# ----- run charts ----------------------------------------------------------------------------

# Anhøj J, Olesen AV (2014) Run charts revisited. PLoS ONE 9(11): e113825, Table 1: for each
# number of useful observations, the upper limit for the longest run and the lower limit for
# the number of crossings. Typed in as n: (longest run limit, crossings limit).
ANHOEJ_TABLE_1 = {
    10: (6, 2), 11: (6, 2), 12: (7, 3), 13: (7, 3), 14: (7, 4), 15: (7, 4), 16: (7, 4),
    17: (7, 5), 18: (7, 5), 19: (7, 6), 20: (7, 6), 21: (7, 6), 22: (7, 7), 23: (8, 7),
    24: (8, 8), 25: (8, 8), 26: (8, 8), 27: (8, 9), 28: (8, 9), 29: (8, 10), 30: (8, 10),
    31: (8, 11), 32: (8, 11), 33: (8, 11), 34: (8, 12), 35: (8, 12), 36: (8, 13),
    37: (8, 13), 38: (8, 14), 39: (8, 14), 40: (8, 14), 41: (8, 15), 42: (8, 15),
    43: (8, 16), 44: (8, 16), 45: (8, 17), 46: (9, 17), 47: (9, 17), 48: (9, 18),
    49: (9, 18), 50: (9, 19), 51: (9, 19), 52: (9, 20), 53: (9, 20), 54: (9, 21),
    55: (9, 21), 56: (9, 21), 57: (9, 22), 58: (9, 22), 59: (9, 23), 60: (9, 23),
    61: (9, 24), 62: (9, 24), 63: (9, 25), 64: (9, 25), 65: (9, 25), 66: (9, 26),
    67: (9, 26), 68: (9, 27), 69: (9, 27), 70: (9, 28), 71: (9, 28), 72: (9, 29),
    73: (9, 29), 74: (9, 29), 75: (9, 30), 76: (9, 30), 77: (9, 31), 78: (9, 31),
    79: (9, 32), 80: (9, 32), 81: (9, 33), 82: (9, 33), 83: (9, 34), 84: (9, 34),
    85: (9, 34), 86: (9, 35), 87: (9, 35), 88: (9, 36), 89: (9, 36), 90: (9, 37),
    91: (10, 37), 92: (10, 38), 93: (10, 38), 94: (10, 39), 95: (10, 39), 96: (10, 39),
    97: (10, 40), 98: (10, 40), 99: (10, 41), 100: (10, 41),
}  # fmt: skip


def exact_crossings_min(n_useful):
    """The 5th percentile of Binomial(n - 1, 0.5) in whole numbers: the smallest c with
    20 * sum(C(n - 1, i), i <= c) >= 2 ** (n - 1)."""
    trials, total = n_useful - 1, 0
    for c in range(trials + 1):
        total += math.comb(trials, c)
        if 20 * total >= 2**trials:
            return c
    raise AssertionError


def test_the_limits_equal_the_published_table_for_10_to_100_useful_observations():
    assert sorted(ANHOEJ_TABLE_1) == list(range(10, 101))
    for n, (run_limit, crossing_limit) in ANHOEJ_TABLE_1.items():
        assert runchart.longest_run_max(n) == run_limit, n
        assert runchart.crossings_min(n) == crossing_limit, n


def test_the_published_table_equals_the_formulas():
    for n, (run_limit, crossing_limit) in ANHOEJ_TABLE_1.items():
        assert round(math.log2(n) + 3) == run_limit
        assert exact_crossings_min(n) == crossing_limit


def test_the_crossings_limit_is_the_exact_binomial_percentile_far_beyond_the_table():
    for n in range(2, 400):
        assert runchart.crossings_min(n) == exact_crossings_min(n), n


def test_the_run_limit_never_meets_a_rounding_tie():
    for n in range(2, 5000):
        fraction = math.log2(n) % 1
        assert abs(fraction - 0.5) > 1e-6


def test_a_hand_checked_series_with_points_on_the_median():
    # 11 values; sorted 1 2 2 3 3 3 4 5 6 7 8: the median is 3, and points 4, 5 and 8 are on
    # it. Useful points by side: - + + (3 3) + + (3) - - +, so the runs are
    # [2], [4 5 6 7], [1 2], [8]: longest run 4, 3 crossings, 8 useful observations.
    # Limits for 8: round(log2(8) + 3) = 6; Binomial(7, 0.5): P(X <= 0) = 1/128,
    # P(X <= 1) = 8/128 = 0.0625 >= 0.05, so 1.
    chart = runchart.analyse([2, 4, 5, 3, 3, 6, 7, 3, 1, 2, 8])

    assert chart.as_dict() == {
        "n": 11,
        "n_useful": 8,
        "median": 3.0,
        "longest_run": 4,
        "longest_run_max": 6,
        "crossings": 3,
        "crossings_min": 1,
        "runs_signal": False,
        "crossings_signal": False,
    }
    assert runchart.runs([2, 4, 5, 3, 3, 6, 7, 3, 1, 2, 8]) == [[0], [1, 2, 5, 6], [8, 9], [10]]


def test_a_frozen_median_judges_the_series_around_it_and_both_rules_signal():
    # Around 5: + + + + + + + + + - (5) -: runs of 9 and 2, 1 crossing, 11 useful points.
    # Limits for 11: round(log2(11) + 3) = round(6.46) = 6; Binomial(10, 0.5):
    # P(X <= 1) = 11/1024, P(X <= 2) = 56/1024 = 0.0547, so 2.
    chart = runchart.analyse([6, 7, 8, 6, 7, 8, 6, 7, 8, 4, 5, 3], median=5)

    assert (chart.n, chart.n_useful, chart.median) == (12, 11, 5.0)
    assert (chart.longest_run, chart.longest_run_max) == (9, 6)
    assert (chart.crossings, chart.crossings_min) == (1, 2)
    assert chart.runs_signal and chart.crossings_signal and chart.signal
    assert runchart.long_runs([6, 7, 8, 6, 7, 8, 6, 7, 8, 4, 5, 3], median=5) == [list(range(9))]


def test_the_median_is_numpys_median_of_all_values():
    assert runchart.analyse([1, 2, 3, 4]).median == 2.5
    assert runchart.analyse([4, 1, 3]).median == 3.0


def test_as_dict_has_the_nine_keys_in_order_with_json_types():
    result = runchart.analyse(np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], dtype=np.int64))
    record = result.as_dict()

    assert list(record) == list(runchart.FIELDS)
    assert [type(v) for v in record.values()] == [int, int, float, int, int, int, int, bool, bool]
    assert record["crossings_signal"] is True  # 1 crossing, at least 2 expected for 10


def test_fewer_than_two_useful_points_never_signal():
    one = runchart.analyse([7])
    flat = runchart.analyse([3, 3, 3, 3])

    assert (one.n, one.n_useful, one.longest_run, one.crossings) == (1, 0, 0, 0)
    assert (flat.n, flat.n_useful, flat.longest_run_max, flat.crossings_min) == (4, 0, 3, 0)
    assert not (one.signal or flat.signal)
    assert runchart.analyse([3, 3, 4], median=3).as_dict()["n_useful"] == 1


def test_missing_values_are_left_out_and_text_is_refused():
    chart = runchart.analyse([1, None, 2, float("nan"), 3])

    assert (chart.n, chart.median) == (3, 2.0)
    with pytest.raises(ValueError, match="value 1 is 'x', not a number"):
        runchart.analyse([1, "x"])
    with pytest.raises(ValueError, match="at least one value"):
        runchart.analyse([])


def test_the_explanation_names_each_signal_in_words():
    words = " ".join(runchart.explain(runchart.analyse([6, 7, 8] * 3 + [4, 5, 3], median=5)))

    assert "Shift: 9 points in a row" in words
    assert "Too few crossings: 1 crossings" in words


# ----- Shewhart charts -----------------------------------------------------------------------

# Montgomery DC, Introduction to Statistical Quality Control, 6th ed. (Wiley 2009).
# p-chart, Example 7.1 (Table 7.1): 30 samples of 50 frozen orange-juice cans, nonconforming
# cans per sample. Printed: p-bar = 0.2313, UCL = 0.4102, LCL = 0.0524, samples 15 and 23
# above the UCL.
ORANGE_JUICE = [12, 15, 8, 10, 4, 7, 16, 9, 14, 10, 5, 6, 17, 12, 22, 8, 10, 5, 13, 11, 20, 18,
                24, 15, 9, 12, 7, 13, 9, 6]  # fmt: skip
# u-chart, section 7.3 (personal computers): nonconformities in 20 samples of 5 computers.
# Printed: u-bar = 1.93, UCL = 3.79, LCL = 0.07.
COMPUTERS = [10, 12, 8, 14, 10, 16, 11, 7, 10, 15, 9, 5, 7, 11, 12, 6, 8, 10, 7, 5]
# Individuals chart, section 6.4 (mortgage loan processing costs, 20 weeks).
# Printed: x-bar = 300.5, MR-bar = 7.79, UCL = 321.22, LCL = 279.78.
LOAN_COSTS = [310, 288, 297, 298, 307, 303, 294, 297, 308, 306, 294, 299, 297, 299, 314, 295,
              293, 306, 301, 304]  # fmt: skip
# The same limits by hand at 40 digits (Python's decimal), from the exact sums:
# p-bar = 347/1500; u-bar = 193/100; x-bar = 6010/20, MR-bar = 148/19.
P_BAR, P_UCL, P_LCL = (0.2313333333333333333, 0.4102391185947384492, 0.0524275480719282174)
U_BAR, U_UCL, U_LCL = (1.93, 3.793866948041088044, 0.066133051958911956)
I_BAR, I_UCL, I_LCL = (300.5, 321.2166853303471445, 279.7833146696528555)


def test_the_p_chart_equals_montgomerys_orange_juice_example():
    chart = shewhart.p_chart(ORANGE_JUICE, [50] * 30)

    assert sum(ORANGE_JUICE) == 347
    for centre, low, high in zip(chart.centre, chart.lcl, chart.ucl, strict=True):
        assert centre == pytest.approx(P_BAR, abs=1e-9)
        assert high == pytest.approx(P_UCL, abs=1e-9)
        assert low == pytest.approx(P_LCL, abs=1e-9)
    assert (round(P_BAR, 4), round(P_UCL, 4), round(P_LCL, 4)) == (0.2313, 0.4102, 0.0524)
    assert [s.index + 1 for s in chart.signals] == [15, 23]
    assert {s.rule for s in chart.signals} == {"above_ucl"}
    assert chart.signals[0].text.startswith("Point 15 (44.0%) lies above the upper control")


def test_the_u_chart_equals_montgomerys_computer_example():
    chart = shewhart.u_chart(COMPUTERS, [5] * 20)

    assert chart.centre[0] == pytest.approx(U_BAR, abs=1e-9)
    assert chart.ucl[0] == pytest.approx(U_UCL, abs=1e-9)
    assert chart.lcl[0] == pytest.approx(U_LCL, abs=1e-9)
    assert (round(U_UCL, 2), round(U_LCL, 2)) == (3.79, 0.07)
    assert chart.signals == []


def test_the_i_chart_equals_montgomerys_loan_cost_example():
    chart = shewhart.i_chart(LOAN_COSTS)

    assert chart.centre[0] == pytest.approx(I_BAR, abs=1e-9)
    assert chart.ucl[0] == pytest.approx(I_UCL, abs=1e-9)
    assert chart.lcl[0] == pytest.approx(I_LCL, abs=1e-9)
    assert (round(I_UCL, 2), round(I_LCL, 2)) == (321.22, 279.78)
    assert chart.signals == []


def test_p_limits_vary_with_the_denominator_and_are_clipped_to_0_and_1():
    chart = shewhart.p_chart([1, 9, 5], [2, 10, 10])
    bar = 15 / 22

    assert chart.centre == [bar] * 3
    assert chart.ucl[0] == 1.0 and chart.lcl[0] == 0.0  # n = 2: the limits fall outside [0, 1]
    assert chart.ucl[1] == pytest.approx(min(1, bar + 3 * math.sqrt(bar * (1 - bar) / 10)))
    assert chart.lcl[1] == pytest.approx(bar - 3 * math.sqrt(bar * (1 - bar) / 10))


def test_u_lower_limit_is_clipped_at_zero_and_a_point_below_is_a_signal():
    chart = shewhart.u_chart([30, 31, 29, 2, 30], [10, 10, 10, 10, 10])
    bar = Fraction(122, 50)

    assert chart.centre[0] == pytest.approx(float(bar))
    assert chart.lcl[0] == pytest.approx(float(bar) - 3 * math.sqrt(float(bar) / 10))
    assert [(s.index, s.rule) for s in chart.signals] == [(3, "below_lcl")]
    assert "below the lower control limit" in chart.signals[0].text
    assert shewhart.u_chart([0, 0], [1, 1]).lcl == [0.0, 0.0]


def test_a_frozen_baseline_computes_the_limits_from_its_points_only():
    chart = shewhart.p_chart(ORANGE_JUICE, [50] * 30, baseline=10)
    bar = sum(ORANGE_JUICE[:10]) / 500  # 105 / 500

    assert chart.centre == [pytest.approx(0.21)] * 30
    assert bar == 0.21
    assert chart.ucl[29] == pytest.approx(bar + 3 * math.sqrt(bar * (1 - bar) / 50), abs=1e-12)
    i_chart = shewhart.i_chart(LOAN_COSTS, baseline=5)
    base = LOAN_COSTS[:5]
    sigma = np.mean(np.abs(np.diff(base))) / 1.128
    assert i_chart.centre[-1] == pytest.approx(np.mean(base), abs=1e-12)
    assert i_chart.ucl[-1] == pytest.approx(np.mean(base) + 3 * sigma, abs=1e-9)


def step_series():
    low = [300, 302, 301, 299, 300, 301, 302, 300, 299, 300]
    high = [320, 322, 321, 319, 320, 321, 322, 320, 319, 321, 320, 322]
    return low + high


def test_a_sustained_shift_starts_a_new_phase_with_its_own_centre():
    values = step_series()
    chart = shewhart.i_chart(values, baseline=6)

    assert shewhart.find_shift(chart) == 10
    after = shewhart.recompute_after_shift(chart)
    assert after.phases == (0, 10)
    assert after.centre[:10] == chart.centre[:10] and after.ucl[:10] == chart.ucl[:10]
    assert after.centre[10] == pytest.approx(np.mean(values[10:16]))  # its own 6 baseline points
    assert after.signals == []  # the later points sit within their phase's limits
    assert len(chart.signals) == 12  # before: every later point above the frozen limits
    assert shewhart.recompute_after_shift(after) == after  # no further shift


def test_the_shift_is_found_when_the_centre_comes_from_all_points():
    chart = shewhart.i_chart(step_series())  # centre between the two levels: two long runs

    assert shewhart.find_shift(chart) == 10
    assert shewhart.recompute_after_shift(chart, at=4).phases == (0, 4)
    with pytest.raises(ValueError, match="between point 1 and 21"):
        shewhart.recompute_after_shift(chart, at=0)


def test_a_p_chart_phase_pools_its_own_counts():
    chart = shewhart.recompute_after_shift(shewhart.p_chart([1, 2, 8, 9], [10] * 4), at=2)

    assert chart.centre == [0.15, 0.15, 0.85, 0.85]


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: shewhart.p_chart([1, 2], [10]), "2 numerators but 1 denominators"),
        (lambda: shewhart.p_chart([11], [10]), "numerator 0 \\(11\\) is larger"),
        (lambda: shewhart.p_chart([1], [0]), "denominator 0 is 0"),
        (lambda: shewhart.u_chart([-1], [3]), "numerator 0 is -1"),
        (lambda: shewhart.i_chart([1]), "at least 2 values"),
        (lambda: shewhart.i_chart([1, "a"]), "value 1 is 'a'"),
        (lambda: shewhart.i_chart([1, 2, 3], baseline=1), "baseline needs at least 2"),
        (lambda: shewhart.p_chart([1], [2], baseline=0), "baseline must be"),
        (lambda: shewhart.chart_for("x", [1]), "unknown chart kind"),
    ],
)
def test_bad_input_gets_a_clear_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


# ----- before and after ----------------------------------------------------------------------

# Newcombe RG (1998) Stat Med 17: 873-890, Table II, method 10 (hybrid score, no continuity
# correction); as (x_before, n_before, x_after, n_after): (lower, upper) for after - before.
NEWCOMBE_TABLE_II = {
    (48, 80, 56, 70): (0.0524, 0.3339),  # (a) 56/70 - 48/80
    (3, 10, 9, 10): (0.1705, 0.8090),  # (b) 9/10 - 3/10
    (0, 29, 5, 56): (-0.0381, 0.1926),  # (d) 5/56 - 0/29
    (0, 20, 0, 10): (-0.1611, 0.2775),  # (e) 0/10 - 0/20
    (0, 10, 0, 10): (-0.2775, 0.2775),  # (f) 0/10 - 0/10
    (0, 20, 10, 10): (0.6791, 1.0000),  # (g) 10/10 - 0/20
    (0, 10, 10, 10): (0.6075, 1.0000),  # (h) 10/10 - 0/10
}


def test_the_difference_in_proportions_matches_newcombes_published_intervals():
    for (x1, n1, x2, n2), (low, high) in NEWCOMBE_TABLE_II.items():
        result = compare.compare_shares(x1, n1, x2, n2)
        assert result.estimate == pytest.approx(x2 / n2 - x1 / n1)
        assert (round(result.ci_low, 4), round(result.ci_high, 4)) == (low, high)


def test_the_difference_in_proportions_matches_statsmodels_newcombe():
    # Example (c), 6/7 - 2/7, is checked here only: statsmodels gives 0.0582 to 0.8062.
    for x1, n1, x2, n2 in [(2, 7, 6, 7), (48, 80, 56, 70), (1, 3, 0, 5), (17, 40, 31, 45)]:
        result = compare.compare_shares(x1, n1, x2, n2)
        low, high = confint_proportions_2indep(x2, n2, x1, n1, method="newcomb", compare="diff")
        assert result.ci_low == pytest.approx(low, abs=1e-12)
        assert result.ci_high == pytest.approx(high, abs=1e-12)


def test_shares_report_the_pooled_z_test_and_cohens_h():
    result = compare.compare_shares(48, 80, 56, 70)
    chi2, p, _, _ = stats.chi2_contingency([[48, 32], [56, 14]], correction=False)

    assert result.p_value == pytest.approx(p, rel=1e-9)
    assert result.effect_size == pytest.approx(2 * math.asin(0.8**0.5) - 2 * math.asin(0.6**0.5))
    assert result.test == "two-proportion z-test (pooled, two-sided)"
    assert (result.effect_size_name, result.ci_method) == (
        "Cohen's h",
        "Newcombe's hybrid score interval (Wilson)",
    )
    assert set(result.as_dict()) >= {"estimate", "ci_low", "ci_high", "effect_size", "test",
                                      "p_value"}  # fmt: skip


def test_shares_refuse_impossible_counts():
    with pytest.raises(ValueError, match="exceeds"):
        compare.compare_shares(5, 4, 1, 2)
    with pytest.raises(ValueError, match="at least one answer"):
        compare.compare_shares(0, 0, 1, 2)
    with pytest.raises(ValueError, match="whole number"):
        compare.compare_shares(1.5, 4, 1, 2)


def brute_u_cdf(m, n):
    counts = np.zeros(m * n + 1)
    for ranks in itertools.combinations(range(m + n), m):
        counts[sum(r - i for i, r in enumerate(ranks))] += 1
    return np.cumsum(counts) / counts.sum()


def weighted_u_cdf(m, n):
    """P(U = u) by the recursion p(a, b) = a/(a+b) p(a-1, b) shifted by b + b/(a+b) p(a, b-1):
    slow but with positive terms only."""
    table = {}
    for a in range(m + 1):
        for b in range(n + 1):
            if a == 0 or b == 0:
                table[a, b] = np.zeros(a * b + 1)
                table[a, b][0] = 1.0
                continue
            p = np.zeros(a * b + 1)
            p[b : b + (a - 1) * b + 1] += a / (a + b) * table[a - 1, b]
            p[: a * (b - 1) + 1] += b / (a + b) * table[a, b - 1]
            table[a, b] = p
    return np.cumsum(table[m, n])


@pytest.mark.parametrize(("m", "n"), [(1, 1), (1, 5), (3, 3), (4, 6), (7, 5)])
def test_the_null_distribution_of_u_equals_a_direct_count(m, n):
    assert np.abs(compare.u_null_cdf(m, n) - brute_u_cdf(m, n)).max() < 1e-14


@pytest.mark.parametrize(("m", "n"), [(50, 50), (5, 500), (25, 100), (40, 60)])
def test_the_null_distribution_of_u_is_exact_up_to_the_limit(m, n):
    assert m * n <= compare.EXACT_LIMIT
    assert np.abs(compare.u_null_cdf(m, n) - weighted_u_cdf(m, n)).max() < 1e-12


def test_large_samples_use_the_normal_approximation_which_gives_the_exact_k():
    for m, n in [(60, 60), (45, 70)]:
        assert m * n > compare.EXACT_LIMIT
        exact = int(np.searchsorted(weighted_u_cdf(m, n), 0.025 * (1 + 1e-9), side="right"))
        assert compare._rank_k(m, n, 0.05) == (exact, 0.95)


def test_k_for_ten_and_ten_is_rs_qwilcox():
    # R: qwilcox(0.025, 10, 10) == 24, so the interval runs from the 24th smallest to the
    # 24th largest difference, with confidence 1 - 2 P(U <= 23). That probability from scipy's
    # exact test on two samples whose U is 23 (7 values below all of 10..19, then 14.5, 17.5
    # and 19.5, above 5, 8 and 10 of them).
    k, achieved = compare._rank_k(10, 10, 0.05)
    before = list(range(10, 20))
    after = [0, 1, 2, 3, 4, 5, 6, 14.5, 17.5, 19.5]
    test = stats.mannwhitneyu(after, before, method="exact")

    assert k == 24
    assert test.statistic == 23
    assert achieved == pytest.approx(1 - test.pvalue, abs=1e-12)
    assert round(test.pvalue / 2, 4) == 0.0216  # P(U <= 23), as in printed tables


# Scores without ties among the pairwise differences (so that the exact test applies).
BEFORE = [round(v, 6) for v in np.random.default_rng(7).normal(4.5, 1.2, 11)]
AFTER = [round(v, 6) for v in np.random.default_rng(8).normal(6.3, 1.1, 9)]


def test_hodges_lehmann_is_the_median_of_the_pairwise_differences():
    result = compare.compare_ordinal(BEFORE, AFTER)
    differences = sorted(a - b for a in AFTER for b in BEFORE)

    assert result.estimate == pytest.approx(float(np.median(differences)))
    k, _ = compare._rank_k(len(BEFORE), len(AFTER), 0.05)
    assert result.ci_low == pytest.approx(differences[k - 1])
    assert result.ci_high == pytest.approx(differences[len(differences) - k])
    assert (result.n_before, result.n_after) == (11, 9)


def test_the_interval_is_the_set_of_shifts_scipys_exact_test_does_not_reject():
    # Inverting the exact two-sided Mann-Whitney test (scipy): just inside each end the test
    # does not reject at 5%, just outside it does.
    result = compare.compare_ordinal(BEFORE, AFTER)
    after = np.array(AFTER)
    assert len({a - b for a in AFTER for b in BEFORE}) == 99

    def p_at(shift):
        return stats.mannwhitneyu(after - shift, BEFORE, method="exact").pvalue

    eps = 1e-7
    assert p_at(result.ci_low + eps) > 0.05 >= p_at(result.ci_low - eps)
    assert p_at(result.ci_high - eps) > 0.05 >= p_at(result.ci_high + eps)
    assert 1 - p_at(result.ci_low - eps) == pytest.approx(result.confidence, abs=1e-12)


def test_ordinal_p_value_is_scipys_and_the_effect_size_cliffs_delta():
    ordinal_before = [2, 3, 3, 4, 2, 3, 5, 1, 3, 3, 4, 2]
    ordinal_after = [4, 4, 3, 5, 4, 3, 5, 4, 2, 4]
    result = compare.compare_ordinal(ordinal_before, ordinal_after)
    scipy_result = stats.mannwhitneyu(ordinal_after, ordinal_before, alternative="two-sided")
    greater = sum(a > b for a in ordinal_after for b in ordinal_before)
    less = sum(a < b for a in ordinal_after for b in ordinal_before)

    assert result.p_value == pytest.approx(scipy_result.pvalue, rel=1e-12)
    assert result.effect_size == pytest.approx((greater - less) / 120)
    assert result.effect_size == pytest.approx(2 * scipy_result.statistic / 120 - 1)
    assert result.test == "Mann-Whitney U test (two-sided)"
    assert result.effect_size_name == "Cliff's delta (rank-biserial correlation)"
    assert result.estimate == 1.0 and result.ci_low <= 1.0 <= result.ci_high


def test_identical_answers_give_no_difference_and_p_1():
    result = compare.compare_ordinal([3, 3, 3], [3, 3])

    assert (result.estimate, result.ci_low, result.ci_high, result.p_value) == (0, 0, 0, 1.0)


def test_tiny_samples_say_their_interval_covers_less():
    result = compare.compare_ordinal([1, 2], [3, 4])

    assert (result.ci_low, result.ci_high) == (1.0, 3.0)
    assert result.confidence == pytest.approx(2 / 3)  # 1 - 2 P(U <= 0) = 1 - 2/6


def test_ordinal_refuses_empty_and_text():
    with pytest.raises(ValueError, match="before period has no values"):
        compare.compare_ordinal([], [1])
    with pytest.raises(ValueError, match="after value 0 is 'x'"):
        compare.compare_ordinal([1], ["x"])


# ----- SVG and CSV ---------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"
MONTHS = [f"2024-{m:02d}" for m in range(1, 13)] + [f"2025-{m:02d}" for m in range(1, 13)]
SHIFTED = [5, 6, 5, 4, 6, 5, 5, 7, 4, 5, 6, 9, 8, 9, 8, 9, 10, 9, 8, None, 9, 8, 9, 10]


def parse(text):
    return ET.fromstring(text)  # the project's own output; no external entities


def test_a_run_chart_svg_is_accessible_marks_the_shift_by_shape_and_prints_actions():
    text = svg.run_chart_svg(
        MONTHS,
        SHIFTED,
        title="Share favourable <team A>",
        annotations=[svg.Annotation(10, "Workshop & inspiration module")],
        id_prefix="team-a",
    )
    root = parse(text)
    chart = runchart.analyse(SHIFTED)

    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "team-a-title team-a-desc"
    assert root.find(f"{SVG}title").text == "Share favourable <team A>"
    assert "Shift: run longer than expected" in root.find(f"{SVG}desc").text
    assert chart.runs_signal
    flagged = {i for run in runchart.long_runs(SHIFTED) for i in run}
    squares = root.findall(f".//{SVG}rect[@class='signal run']")
    circles = root.findall(f".//{SVG}circle[@class='point']")
    assert len(squares) == len(flagged) + 1  # one more in the legend
    assert len(circles) == 23 - len(flagged) + 1  # 23 values (one missing), one in the legend
    assert root.findall(f".//{SVG}polyline[@class='series']").__len__() == 2  # gap at None
    assert "Workshop &amp; inspiration module" in text
    assert "2024-11: Workshop" in "".join(root.find(f".//{SVG}g[@class='action-list']").itertext())
    assert "style" not in text and "<script" not in text


def test_a_control_chart_svg_marks_points_outside_the_limits_with_triangles():
    chart = shewhart.p_chart(ORANGE_JUICE, [50] * 30)
    root = parse(svg.control_chart_svg([str(i) for i in range(1, 31)], chart, title="p"))

    above = root.findall(f".//{SVG}g[@class='points']/{SVG}polygon[@class='signal above']")
    assert len(above) == 2
    assert "Point 15 (44.0%)" in root.find(f"{SVG}desc").text
    assert root.find(f".//{SVG}path[@class='ucl']") is not None
    assert root.find(f".//{SVG}path[@class='lcl']").get("stroke-dasharray") == "6 4"
    ticks = root.findall(f".//{SVG}g[@class='y-ticks']/{SVG}text")
    assert [t.text for t in ticks][:3] == ["10%", "20%", "30%"]  # p-charts in percent


def test_a_new_phase_breaks_the_centre_line():
    chart = shewhart.recompute_after_shift(shewhart.i_chart(step_series(), baseline=6))
    root = parse(svg.control_chart_svg([str(i) for i in range(22)], chart, title="I"))

    assert root.find(f".//{SVG}path[@class='centre']").get("d").count("M") == 2


def test_chart_words_come_from_the_texts_given():
    text = svg.run_chart_svg(
        MONTHS, SHIFTED, title="Aandeel", texts={"median": "Mediaan", "no_signal": "Geen"}
    )
    assert "Mediaan (" in text and ">Median" not in text


def test_the_csv_export_has_the_series_the_centre_and_the_signals():
    rows = list(csv.reader(io.StringIO(svg.run_chart_csv(
        MONTHS, SHIFTED, annotations=[svg.Annotation(10, "=cmd|' /C calc'!A0")]
    ))))  # fmt: skip
    flagged = {i for run in runchart.long_runs(SHIFTED) for i in run}

    assert rows[0] == ["period", "value", "median", "signal", "action"]
    assert len(rows) == 25
    assert rows[1][:3] == ["2024-01", "5.0", str(runchart.analyse(SHIFTED).median)]
    assert rows[20][1] == ""  # the missing value
    assert {i for i, row in enumerate(rows[1:]) if row[3]} == flagged
    assert rows[11][4] == "'=cmd|' /C calc'!A0"  # never a live formula
    chart = shewhart.p_chart(ORANGE_JUICE, [50] * 30)
    control = list(csv.reader(io.StringIO(svg.control_chart_csv(list(range(1, 31)), chart))))
    assert control[0][:5] == ["period", "numerator", "denominator", "value", "centre"]
    assert float(control[15][6]) == pytest.approx(P_UCL, abs=1e-12)
    assert control[15][7].startswith("Point 15")


# ----- reading a series ----------------------------------------------------------------------


def test_periods_sort_by_the_day_they_start():
    assert period_key("2024") < period_key("2024-02") < period_key("2024-Q2")
    assert period_key("2024-W05").isoformat() == "2024-01-29"
    assert period_key("15/03/2024").isoformat() == "2024-03-15"  # day first, always
    assert period_key("2024-03-15T10:00").isoformat() == "2024-03-15"
    with pytest.raises(ValueError):
        period_key("March 2024")


def test_decimal_commas_only_where_the_comma_cannot_separate_thousands():
    assert parse_number("3,5", decimal_comma=True) == 3.5
    assert parse_number(" -2.25 ", decimal_comma=False) == -2.25
    with pytest.raises(ValueError, match="write decimals with a point"):
        parse_number("1,234", decimal_comma=False)
    for text in ("nan", "inf", "1.234,5", "12%"):
        with pytest.raises(ValueError, match="not a number"):
            parse_number(text, decimal_comma=True)


def test_read_series_sorts_skips_empty_values_and_refuses_duplicates():
    records = [(2, ["2024-03", "5"]), (3, ["2024-01", "3"]), (4, ["2024-02", ""])]
    series = read_series(
        ["month", "n"], records, date_column="month", value_column="n", decimal_comma=False
    )

    assert (series.labels, series.values, series.rows, series.skipped) == (
        ["2024-01", "2024-03"], [3.0, 5.0], [3, 2], [4]
    )  # fmt: skip
    with pytest.raises(SeriesError, match="Rows 2 and 3 are the same period"):
        read_series(["m", "n"], [(2, ["2024-03", "1"]), (3, ["2024-03-01", "2"])],
                    date_column="m", value_column="n", decimal_comma=False)  # fmt: skip


def test_a_phone_width_chart_wraps_its_title_and_stays_inside_its_width():
    title = "Room to make a gesture: share favourable (4 or more) in team Oncology 3B"
    root = parse(svg.run_chart_svg(MONTHS, SHIFTED, title=title, width=390))
    lines = [t for t in root.findall(f"{SVG}text") if t.get("font-weight") == "bold"]

    assert len(lines) >= 2 and " ".join(t.text for t in lines) == title
    assert root.get("width") == "390"
    assert all(float(t.get("x", 0)) < 390 for t in root.iter(f"{SVG}text"))


def test_a_control_chart_is_json_ready():
    record = shewhart.p_chart([1, 9, 5], [2, 10, 10]).as_dict()

    assert json.loads(json.dumps(record)) == record
    assert record["kind"] == "p" and record["phases"] == [0]


def test_tabulated_differences_equal_the_full_list_on_tied_answers():
    rng = np.random.default_rng(3)
    before, after = rng.integers(0, 11, 57), rng.integers(2, 11, 43)
    full = np.sort(np.subtract.outer(after, before).ravel())
    table = compare.PairwiseDifferences(before.astype(float), after.astype(float))

    assert table.total == full.size
    assert table.median() == np.median(full)
    for rank in (1, 2, 100, 1225, 1226, full.size):
        assert table.order_statistic(rank) == full[rank - 1]
    assert table.cliffs_delta() == pytest.approx(
        (np.count_nonzero(full > 0) - np.count_nonzero(full < 0)) / full.size
    )


def test_large_periods_of_scale_answers_compare_without_listing_every_pair():
    rng = np.random.default_rng(4)
    # 40,000 x 35,000 = 1.4 billion pairs, tabulated as 11 x 10 distinct ones
    result = compare.compare_ordinal(rng.integers(0, 11, 40_000), rng.integers(1, 11, 35_000))

    assert result.estimate == 1.0 and (result.ci_low, result.ci_high) == (0.0, 1.0)
    assert result.confidence == 0.95  # the normal approximation for k
