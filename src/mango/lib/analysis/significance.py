"""Tests of independence for one 2 x k table, its effect size and residuals; Holm's adjustment.

A table here is stories with / without one label (rows) by group (columns). With multi-label
coding every label gets its own table, so one story may appear in several; the tables are
tested one by one and the p-values adjusted together (Holm).

Choosing the test (``choose_test``), on the expected counts E = row total x column total / n:

- **chi2**: Pearson's chi-square test when Cochran's rule holds: no expected count below 1
  and at most 20% of them below 5 (Cochran 1954). In a 2 x 2 table that means all four are
  at least 5; in a 2 x 3 table one of six may lie between 1 and 5.
- **fisher**: otherwise, for two groups, Fisher's exact test (two-sided, conditional on the
  margins, ``scipy.stats.fisher_exact``).
- **monte_carlo**: otherwise, for three or more groups, a Monte Carlo test of the chi-square
  statistic conditional on the margins: ``resamples`` random tables with the observed row and
  column totals (``scipy.stats.random_table``, which is what permuting the group labels over
  the stories gives), p = (b + 1) / (B + 1) with b the resampled tables whose X² is at least
  the observed one. Seeded, so a report gives the same p every time it is built.

No continuity correction, ever: X² is Pearson's uncorrected statistic in 2 x 2 tables too.
Yates' correction was made for the small tables that go to Fisher's exact test here; on the
tables that stay with chi-square it only makes p conservative, and an uncorrected X² is the
one Cramér's V is defined on. ``statistic`` is that X² whatever the test, so that V and X²
stay comparable across labels; the p-value is the chosen test's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

CHI2 = "chi2"
FISHER = "fisher"
MONTE_CARLO = "monte_carlo"

# Cochran's rule for the chi-square approximation.
MIN_EXPECTED = 1.0
SMALL_EXPECTED = 5.0
MAX_SMALL_SHARE = 0.2

DEFAULT_RESAMPLES = 10_000
DEFAULT_SEED = 0
MONTE_CARLO_BATCH = 10_000

METHOD_NOTE = (
    "Per label a 2 x k table (stories with / without the label, by group). Pearson's "
    "chi-square without continuity correction when no expected count is below 1 and at most "
    "20% are below 5 (Cochran); otherwise Fisher's exact test for 2 groups, or for 3 or more "
    "a Monte Carlo test of the chi-square statistic with the margins fixed. The statistic is "
    "always Pearson's X²; Cramér's V = sqrt(X² / n). p (Holm): adjusted over the labels "
    "tested. Residuals are adjusted standardised residuals: beyond ±1.96 a group has the "
    "label more (+) or less (-) often than independence predicts."
)


@dataclass(frozen=True)
class TableTest:
    """The test of one table. Fields are None when the table cannot be tested (a label that
    no story, or every story, carries)."""

    test: str | None
    statistic: float | None  # Pearson's X², uncorrected
    dof: int | None  # None for the exact and Monte Carlo tests
    p: float | None
    cramers_v: float | None
    expected_min: float | None
    small_expected: int  # cells with an expected count below 5


def _table(table) -> np.ndarray:
    table = np.asarray(table)
    if table.ndim != 2 or table.shape[0] < 2 or table.shape[1] < 2:
        raise ValueError(f"A table needs at least 2 rows and 2 columns, not {table.shape}.")
    if (table < 0).any() or not np.array_equal(table, np.round(table)):
        raise ValueError("A table holds counts: whole numbers, none negative.")
    if (table.sum(axis=0) == 0).any():
        raise ValueError("A group (column) of the table has no stories.")
    return table.astype(np.int64)


def expected_counts(table) -> np.ndarray:
    """E_ij = n_i+ x n_+j / n."""
    return stats.contingency.expected_freq(np.asarray(table, dtype=float))


def cochran_ok(expected: np.ndarray) -> bool:
    """True when no expected count is below 1 and at most 20% are below 5."""
    expected = np.asarray(expected)
    small = np.count_nonzero(expected < SMALL_EXPECTED)
    return bool(expected.min() >= MIN_EXPECTED and small <= MAX_SMALL_SHARE * expected.size)


def choose_test(table) -> str | None:
    """``"chi2"``, ``"fisher"`` (2 x 2) or ``"monte_carlo"`` (2 x k, k > 2); see the module
    docstring. None when a row is empty: nothing to test."""
    table = _table(table)
    if (table.sum(axis=1) == 0).any():
        return None
    if cochran_ok(expected_counts(table)):
        return CHI2
    return FISHER if table.shape == (2, 2) else MONTE_CARLO


def cramers_v(statistic: float, table) -> float:
    """Cramér's V = sqrt(X² / (n (min(r, c) - 1))); for a 2 x k table sqrt(X² / n).

    0 when the groups do not differ at all, 1 when the label follows the group completely.
    No bias correction (Bergsma 2013): the plain V that most papers report.
    """
    table = np.asarray(table)
    n = table.sum()
    return float(np.sqrt(statistic / (n * (min(table.shape) - 1))))


def adjusted_residuals(table) -> np.ndarray:
    """Haberman's adjusted standardised residuals, per cell.

    r_ij = (O_ij - E_ij) / sqrt(E_ij (1 - n_i+ / n) (1 - n_+j / n)), approximately standard
    normal under independence: |r| > 1.96 marks a cell that differs at the 5% level (Agresti,
    *An Introduction to Categorical Data Analysis*, 2nd ed., 2007, section 2.4.5). NaN where
    a row is empty.
    """
    table = np.asarray(table, dtype=float)
    n = table.sum()
    rows = table.sum(axis=1, keepdims=True)
    cols = table.sum(axis=0, keepdims=True)
    expected = rows * cols / n
    with np.errstate(divide="ignore", invalid="ignore"):
        return (table - expected) / np.sqrt(expected * (1 - rows / n) * (1 - cols / n))


def check_resamples(resamples) -> None:
    """ValueError unless ``resamples`` is a whole number of at least 1."""
    if isinstance(resamples, bool) or not isinstance(resamples, int | np.integer):
        raise ValueError(f"resamples must be a whole number, not {resamples!r}.")
    if resamples < 1:
        raise ValueError(f"resamples must be at least 1, not {resamples}.")


def check_seed(seed) -> None:
    """ValueError unless ``seed`` is None or a whole number of at least 0."""
    if seed is not None and (
        isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0
    ):
        raise ValueError(f"seed must be a whole number of at least 0, not {seed!r}.")


def monte_carlo_p(table, resamples: int = DEFAULT_RESAMPLES, rng=DEFAULT_SEED) -> float:
    """p of the chi-square statistic over ``resamples`` random tables with the same margins.

    ``rng``: a seed or a ``numpy.random.Generator``. p = (b + 1) / (B + 1) (Phipson & Smyth
    2010), so never 0.
    """
    check_resamples(resamples)
    # Batches bound the memory a large ``resamples`` takes. They change which tables are
    # drawn, so the batch size is fixed: up to 10,000 resamples p is scipy's unbatched one.
    method = stats.MonteCarloMethod(
        n_resamples=int(resamples), batch=MONTE_CARLO_BATCH, rng=np.random.default_rng(rng)
    )
    result = stats.chi2_contingency(_table(table), correction=False, method=method)
    return float(result.pvalue)


def independence_test(table, *, resamples: int = DEFAULT_RESAMPLES, rng=DEFAULT_SEED):
    """Test one table with the test ``choose_test`` picks; returns a ``TableTest``."""
    table = _table(table)
    test = choose_test(table)
    if test is None:
        return TableTest(None, None, None, None, None, None, 0)
    expected = expected_counts(table)
    result = stats.chi2_contingency(table, correction=False)
    statistic = float(result.statistic)
    dof, p = None, None
    if test == CHI2:
        dof, p = int(result.dof), float(result.pvalue)
    elif test == FISHER:
        p = float(stats.fisher_exact(table).pvalue)
    else:
        p = monte_carlo_p(table, resamples, rng)
    return TableTest(
        test=test,
        statistic=statistic,
        dof=dof,
        p=p,
        cramers_v=cramers_v(statistic, table),
        expected_min=float(expected.min()),
        small_expected=int(np.count_nonzero(expected < SMALL_EXPECTED)),
    )


def holm(pvalues: Sequence[float | None]) -> list[float | None]:
    """Holm's step-down adjustment over the p-values given; None (not tested) stays None.

    Sorted ascending p_(1) <= ... <= p_(m): adjusted p_(i) = max over j <= i of
    min(1, (m - j + 1) p_(j)). Controls the family-wise error rate without assuming
    independence between labels, which multi-label coding would break.
    """
    # The arithmetic of statsmodels' multipletests(method="holm") (the tests check the floats
    # are equal), without the full gc.collect() it runs on every call: in a web process
    # holding many objects that alone costs hundreds of milliseconds.
    tested = [i for i, p in enumerate(pvalues) if p is not None]
    adjusted: list[float | None] = [None] * len(pvalues)
    if tested:
        p = np.asarray([pvalues[i] for i in tested], dtype=float)
        order = np.argsort(p)
        raw = p[order] * np.arange(len(p), 0, -1)
        corrected = np.empty_like(raw)
        corrected[order] = np.minimum(np.maximum.accumulate(raw), 1)
        for i, value in zip(tested, corrected, strict=True):
            adjusted[i] = float(value)
    return adjusted
