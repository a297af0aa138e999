"""The distribution of one item's scores: n, median, quartiles and the share in each third.

``summarise_scores(scores, scale)`` takes the scores of one item in one round (``None`` for
"unable to judge") and gives a ``Summary``. Percentages are 0-100 over the panellists who gave
a score (``n``); "unable to judge" answers are counted in ``unable`` and nowhere else.
Quartiles are numpy's default percentiles (linear interpolation between the two nearest ranks,
``numpy.percentile(scores, [25, 50, 75])``), computed exactly with fractions from the counts
per score so that a rule's tie (an IQR of exactly 1, a median of exactly 7) is never lost to
rounding; the tests check them against numpy. With n = 0 (nobody scored) the median,
quartiles and percentages are ``None``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import cached_property, lru_cache

from .scale import NINE_POINT, Scale


def percentile_from_counts(counts: Sequence[int], low: int, p: Fraction | int) -> Fraction:
    """numpy's default (linear) ``p``-th percentile of the scores ``low + i`` counted ``counts[i]``
    times, exactly. ``p`` is 0-100; the counts must not all be zero."""
    n = sum(counts)
    if isinstance(p, int):  # the usual case, in integers: position = (n - 1) p / 100
        below, rest = divmod((n - 1) * p, 100)
        fraction = Fraction(rest, 100) if rest else 0
    else:
        position = Fraction(n - 1) * Fraction(p) / 100
        below = int(position)  # floor: position >= 0
        fraction = position - below
    first = _nth(counts, low, below)
    if fraction == 0:
        return Fraction(first)
    second = _nth(counts, low, below + 1)
    return first + (second - first) * fraction


@lru_cache(maxsize=256)
def exact(value: float | int | str) -> Fraction:
    """A threshold as the exact decimal it was written as (66.7 -> 667/10, not the binary float)."""
    return Fraction(str(value))


def _nth(counts: Sequence[int], low: int, index: int) -> int:
    """The ``index``-th smallest score (0-based)."""
    seen = 0
    for offset, count in enumerate(counts):
        seen += count
        if index < seen:
            return low + offset
    raise IndexError(index)


def _float(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


def _pct(part: int, n: int) -> float | None:
    return None if n == 0 else 100 * part / n


@dataclass(frozen=True)
class Summary:
    """One item's scores in one round (for the whole panel or one stakeholder group).

    Figures are computed on first use and kept (a summary is immutable), so applying many
    rules to one table costs little."""

    scale: Scale
    counts: tuple[int, ...]  # panellists per score, low to high
    unable: int = 0  # "unable to judge" answers

    @cached_property
    def n(self) -> int:
        """Panellists who gave a score."""
        return sum(self.counts)

    @property
    def answered(self) -> int:
        """Panellists who answered, with a score or "unable to judge"."""
        return self.n + self.unable

    def _band_count(self, band: tuple[int, int]) -> int:
        first, last = band
        return sum(self.counts[first - self.scale.low : last - self.scale.low + 1])

    @cached_property
    def bottom(self) -> int:
        """Panellists who scored in the bottom third (1-3 on 1-9)."""
        return self._band_count(self.scale.bottom)

    @cached_property
    def middle(self) -> int:
        return self._band_count(self.scale.middle)

    @cached_property
    def top(self) -> int:
        """Panellists who scored in the top third (7-9 on 1-9)."""
        return self._band_count(self.scale.top)

    def percentile(self, p: Fraction | int) -> Fraction | None:
        """numpy's default ``p``-th percentile (0-100), exactly; None when n = 0."""
        if self.n == 0:
            return None
        cache = self.__dict__.setdefault("_percentiles", {})
        if p not in cache:
            cache[p] = percentile_from_counts(self.counts, self.scale.low, p)
        return cache[p]

    @cached_property
    def median_exact(self) -> Fraction | None:
        return self.percentile(50)

    @cached_property
    def q1_exact(self) -> Fraction | None:
        return self.percentile(25)

    @cached_property
    def q3_exact(self) -> Fraction | None:
        return self.percentile(75)

    @cached_property
    def iqr_exact(self) -> Fraction | None:
        if self.n == 0:
            return None
        return self.q3_exact - self.q1_exact

    @cached_property
    def median(self) -> float | None:
        return _float(self.median_exact)

    @cached_property
    def q1(self) -> float | None:
        return _float(self.q1_exact)

    @cached_property
    def q3(self) -> float | None:
        return _float(self.q3_exact)

    @cached_property
    def iqr(self) -> float | None:
        return _float(self.iqr_exact)

    @cached_property
    def pct_bottom(self) -> float | None:
        return _pct(self.bottom, self.n)

    @cached_property
    def pct_middle(self) -> float | None:
        return _pct(self.middle, self.n)

    @cached_property
    def pct_top(self) -> float | None:
        return _pct(self.top, self.n)

    # The names the CLI's JSON uses; on scales other than 1-9 they are the bottom and top third.
    pct_1_3 = property(lambda self: self.pct_bottom)
    pct_7_9 = property(lambda self: self.pct_top)

    # Shares against a threshold, compared exactly in integers: 100 x count >= percent x n,
    # with percent as the exact decimal it was written as (7 of 10 is at least 70 %).
    def share_at_least(self, band: str, percent) -> bool:
        """Whether at least ``percent`` % of those who scored are in ``band``; False when n = 0."""
        t = exact(percent)
        return self.n > 0 and 100 * getattr(self, band) * t.denominator >= t.numerator * self.n

    def share_below(self, band: str, percent) -> bool:
        """Whether fewer than ``percent`` % of those who scored are in ``band``."""
        t = exact(percent)
        return self.n > 0 and 100 * getattr(self, band) * t.denominator < t.numerator * self.n

    def share_at_most(self, band: str, percent) -> bool:
        t = exact(percent)
        return self.n > 0 and 100 * getattr(self, band) * t.denominator <= t.numerator * self.n

    def as_dict(self) -> dict:
        """The figures as JSON-ready values (None where n = 0)."""
        return {
            "n": self.n,
            "unable": self.unable,
            "median": self.median,
            "q1": self.q1,
            "q3": self.q3,
            "pct_bottom": self.pct_bottom,
            "pct_middle": self.pct_middle,
            "pct_top": self.pct_top,
            "counts": {str(self.scale.low + i): c for i, c in enumerate(self.counts)},
        }


def summarise_scores(scores: Iterable[int | None], scale: Scale = NINE_POINT) -> Summary:
    """A ``Summary`` of scores on ``scale`` (``None``: unable to judge). Scores off the scale
    raise ``ValueError``."""
    counts = [0] * scale.points
    unable = 0
    for score in scores:
        if score is None:
            unable += 1
            continue
        if not scale.contains(score):
            raise ValueError(f"Score {score!r} is outside the scale {scale}.")
        counts[score - scale.low] += 1
    return Summary(scale, tuple(counts), unable)
