"""Before and after: a baseline period compared with a follow-up period.

Two kinds of data, each with an estimate of the difference (after minus before), its 95%
confidence interval, an effect size, the test in words and its p-value:

* ``compare_ordinal(before, after)`` for answers on an ordered scale (a 1-5 item, a 0-10
  score). Test: the Mann-Whitney U test (Wilcoxon rank-sum; ``scipy.stats.mannwhitneyu``,
  two-sided; exact for small samples without ties, else the normal approximation with tie
  and continuity correction). Estimate: the Hodges-Lehmann shift, the median of all
  ``m·n`` differences ``after_j - before_i``. Interval: the distribution-free interval from
  those differences in order (Lehmann 1963; Hollander & Wolfe, Nonparametric Statistical
  Methods, section 4.3; R's ``wilcox.test(conf.int=TRUE)`` without ties): the k-th smallest
  and k-th largest difference, k being the largest whole number with P(U <= k - 1) <= 2.5%
  under the null distribution of U (exact when ``m·n`` is at most 2,500, else from the
  normal approximation: ``mn/2 - 1.96·sqrt(mn(m + n + 1)/12)`` rounded to the nearest whole
  number). With tied answers, as is usual
  on a short scale, the interval's coverage is only approximately 95%, and its ends are
  values of the differences (often whole points). The differences are tabulated by distinct
  value with their counts (``PairwiseDifferences``), so periods of tens of thousands of scale
  answers compare in milliseconds. Effect size: Cliff's delta,
  ``P(after > before) - P(after < before)``, which for two independent samples equals the
  rank-biserial correlation ``2U/(mn) - 1``; between -1 and 1, 0 for no difference.
* ``compare_shares(x_before, n_before, x_after, n_after)`` for the share favourable.
  Estimate: the difference in proportions ``x_after/n_after - x_before/n_before``. Interval:
  Newcombe's hybrid score interval (Newcombe 1998, method 10), built from the two Wilson
  score intervals; it stays within [-1, 1] and behaves well for small counts and shares near
  0 or 1. Test: the two-proportion z-test with the pooled proportion (equal to Pearson's
  chi-square test without continuity correction). Effect size: Cohen's h,
  ``2·asin(sqrt(p_after)) - 2·asin(sqrt(p_before))``.

References: Newcombe RG (1998) Interval estimation for the difference between independent
proportions: comparison of eleven methods. Stat Med 17: 873-890. Hodges JL, Lehmann EL (1963)
Estimates of location based on rank tests. Ann Math Stat 34: 598-611. Cliff N (1993)
Dominance statistics. Psychol Bull 114: 494-509.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import numpy as np
from scipy import stats

# m·n up to which the null distribution of U is computed exactly. The q-binomial product
# below loses precision (cancellation in the division steps) for m and n near 100 and above;
# up to m·n = 2,500 it agrees with a direct count to about 1e-14 (tests), and beyond it the
# normal approximation gives the same k or one off.
EXACT_LIMIT = 2_500

ORDINAL_TEST = "Mann-Whitney U test (two-sided)"
SHARES_TEST = "two-proportion z-test (pooled, two-sided)"
ORDINAL_ESTIMATE = "Hodges-Lehmann shift (after minus before)"
SHARES_ESTIMATE = "difference in proportions (after minus before)"
ORDINAL_CI = "distribution-free interval from the ordered pairwise differences"
SHARES_CI = "Newcombe's hybrid score interval (Wilson)"
CLIFFS_DELTA = "Cliff's delta (rank-biserial correlation)"
COHENS_H = "Cohen's h"


@dataclass(frozen=True)
class Comparison:
    estimate: float  # after minus before
    ci_low: float
    ci_high: float
    effect_size: float
    test: str  # the test in words
    p_value: float
    n_before: int
    n_after: int
    estimate_name: str
    ci_method: str
    effect_size_name: str
    # The interval's confidence: for the ordinal comparison with exact k, the achieved one
    # (e.g. 0.9567 for 10 and 10 answers; below 0.95 for tiny samples), else the nominal one.
    confidence: float = 0.95

    def as_dict(self) -> dict:
        return asdict(self)


def _sample(values: Iterable, what: str) -> np.ndarray:
    out = []
    for position, value in enumerate(values):
        if value is None or isinstance(value, bool):
            raise ValueError(f"{what} value {position} is {value!r}, not a number")
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"{what} value {position} is {value!r}, not a number") from None
        if not math.isfinite(number):
            raise ValueError(f"{what} value {position} is not a finite number")
        out.append(number)
    if not out:
        raise ValueError(f"the {what} period has no values")
    return np.asarray(out, dtype=float)


def u_null_cdf(m: int, n: int) -> np.ndarray:
    """P(U <= u) for u = 0..m·n under the null hypothesis (no ties), exactly: the counts are
    the coefficients of the Gaussian binomial [m + n choose m]_q, built as the product of
    (1 - q^(n+i)) / (1 - q^i) for i = 1..m, scaled at each step to stay in floating range."""
    m, n = min(m, n), max(m, n)
    counts = np.zeros(m * n + n + m + 1)
    counts[0] = 1.0
    degree = 0  # of the polynomial so far: [n + i choose i]_q has degree i·n
    for i in range(1, m + 1):
        grown = degree + n + i
        # multiply by (1 - q^(n+i)) ...
        shifted = counts[: degree + 1].copy()
        counts[n + i : grown + 1] -= shifted
        # ... and divide by (1 - q^i), exactly: g[k] = f[k] + g[k - i]
        for r in range(i):
            counts[r : grown + 1 : i] = np.cumsum(counts[r : grown + 1 : i])
        degree = grown - i
        counts[degree + 1 :] = 0.0
        counts[: degree + 1] /= counts[: degree + 1].sum()
    counts = counts[: m * n + 1]
    return np.minimum(np.cumsum(counts), 1.0)


def _rank_k(m: int, n: int, alpha: float) -> tuple[int, float]:
    """k for the interval (the k-th smallest and k-th largest difference) and the interval's
    achieved confidence."""
    mn = m * n
    if mn <= EXACT_LIMIT:
        cdf = u_null_cdf(m, n)
        # largest k with P(U <= k - 1) <= alpha/2; the tiny slack absorbs rounding
        k = max(int(np.searchsorted(cdf, alpha / 2 * (1 + 1e-9), side="right")), 1)
        # [D(k), D(mn + 1 - k)] covers the shift with probability 1 - 2·P(U <= k - 1); for
        # tiny samples (k forced to 1) that is below the confidence asked for.
        return k, float(1.0 - 2.0 * cdf[k - 1])
    z = stats.norm.ppf(1 - alpha / 2)
    k = int(math.floor(mn / 2 - z * math.sqrt(mn * (m + n + 1) / 12) + 0.5))
    return max(k, 1), 1 - alpha


# Distinct pairs of values up to which the differences are tabulated (about 160 MB at most);
# answers on a scale have a handful of distinct values, so this bounds only continuous data.
MAX_DISTINCT_PAIRS = 10_000_000


class PairwiseDifferences:
    """All m·n differences ``after_j - before_i`` without listing them: each distinct
    difference with how many pairs give it. Answers on a scale of 0-10 give at most 21
    distinct differences, however many answers there are."""

    def __init__(self, before: np.ndarray, after: np.ndarray):
        xs, x_counts = np.unique(before, return_counts=True)
        ys, y_counts = np.unique(after, return_counts=True)
        if len(xs) * len(ys) > MAX_DISTINCT_PAIRS:
            raise ValueError(
                f"too many distinct values to compare ({len(xs):,} before, {len(ys):,} after); "
                "round the values or compare shorter periods"
            )
        values = np.subtract.outer(ys, xs).ravel()
        weights = np.multiply.outer(y_counts, x_counts).ravel()
        order = np.argsort(values, kind="stable")
        self.values = values[order]
        self.cumulative = np.cumsum(weights[order])
        self.total = int(self.cumulative[-1])

    def order_statistic(self, rank: int) -> float:
        """The ``rank``-th smallest difference (1-based)."""
        if not 1 <= rank <= self.total:
            raise ValueError(f"rank {rank} outside 1..{self.total}")
        return float(self.values[np.searchsorted(self.cumulative, rank, side="left")])

    def median(self) -> float:
        half = self.total // 2
        if self.total % 2:
            return self.order_statistic(half + 1)
        return (self.order_statistic(half) + self.order_statistic(half + 1)) / 2

    def cliffs_delta(self) -> float:
        counts = np.diff(self.cumulative, prepend=0)
        greater = int(counts[self.values > 0].sum())
        less = int(counts[self.values < 0].sum())
        return (greater - less) / self.total


def compare_ordinal(before: Iterable, after: Iterable, *, confidence: float = 0.95) -> Comparison:
    """Mann-Whitney U, Hodges-Lehmann shift with its interval, Cliff's delta (see module)."""
    x, y = _sample(before, "before"), _sample(after, "after")
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    m, n = len(x), len(y)
    differences = PairwiseDifferences(x, y)
    estimate = differences.median()
    k, achieved = _rank_k(m, n, 1 - confidence)
    low, high = differences.order_statistic(k), differences.order_statistic(m * n + 1 - k)
    delta = differences.cliffs_delta()
    if np.all(x == x[0]) and np.all(y == x[0]):
        p_value = 1.0  # every answer the same: nothing to test (scipy gives NaN)
    else:
        p_value = float(stats.mannwhitneyu(y, x, alternative="two-sided").pvalue)
    return Comparison(
        estimate=estimate,
        ci_low=low,
        ci_high=high,
        effect_size=delta,
        test=ORDINAL_TEST,
        p_value=p_value,
        n_before=m,
        n_after=n,
        estimate_name=ORDINAL_ESTIMATE,
        ci_method=ORDINAL_CI,
        effect_size_name=CLIFFS_DELTA,
        confidence=achieved,
    )


def wilson(x: int, n: int, *, confidence: float = 0.95) -> tuple[float, float]:
    """The Wilson score interval for x of n."""
    z = stats.norm.ppf(1 - (1 - confidence) / 2)
    p = x / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def _count(value, what: str) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{what} must be a whole number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be a whole number, not {value!r}") from None
    if not number.is_integer() or number < 0:
        raise ValueError(f"{what} must be a whole number of 0 or more, not {value!r}")
    return int(number)


def compare_shares(x_before, n_before, x_after, n_after, *, confidence: float = 0.95) -> Comparison:
    """Difference in proportions with Newcombe's hybrid score interval, the pooled z-test and
    Cohen's h (see module)."""
    x1, n1 = _count(x_before, "x_before"), _count(n_before, "n_before")
    x2, n2 = _count(x_after, "x_after"), _count(n_after, "n_after")
    if n1 == 0 or n2 == 0:
        raise ValueError("each period needs at least one answer")
    if x1 > n1 or x2 > n2:
        raise ValueError("a count of favourable answers exceeds its number of answers")
    if not 0 < confidence < 1:
        raise ValueError("confidence must be between 0 and 1")
    p1, p2 = x1 / n1, x2 / n2
    l1, u1 = wilson(x1, n1, confidence=confidence)
    l2, u2 = wilson(x2, n2, confidence=confidence)
    d = p2 - p1
    low = d - math.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = d + math.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    pooled = (x1 + x2) / (n1 + n2)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    p_value = 1.0 if se == 0 else float(2 * stats.norm.sf(abs(d) / se))
    h = 2 * math.asin(math.sqrt(p2)) - 2 * math.asin(math.sqrt(p1))
    return Comparison(
        estimate=d,
        ci_low=max(-1.0, low),
        ci_high=min(1.0, high),
        effect_size=h,
        test=SHARES_TEST,
        p_value=p_value,
        n_before=n1,
        n_after=n2,
        estimate_name=SHARES_ESTIMATE,
        ci_method=SHARES_CI,
        effect_size_name=COHENS_H,
        confidence=confidence,
    )
