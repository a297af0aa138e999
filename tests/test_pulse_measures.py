"""The pulse's pure helpers: the calendar of periods and the measures from value counts."""

from datetime import date

import pytest

from mango.pulse import measures


def test_periods_every_four_weeks_up_to_today():
    found = measures.schedule(date(2026, 1, 5), 4, 14, date(2026, 3, 2))
    assert found == [
        (1, date(2026, 1, 5), date(2026, 1, 18)),
        (2, date(2026, 2, 2), date(2026, 2, 15)),
        (3, date(2026, 3, 2), date(2026, 3, 15)),
    ]
    assert measures.schedule(date(2026, 1, 5), 4, 14, date(2026, 1, 4)) == []


@pytest.mark.parametrize("weeks,days", [(0, 7), (1, 8), (2, 0)])
def test_impossible_calendars_are_refused(weeks, days):
    with pytest.raises(ValueError):
        measures.schedule(date(2026, 1, 5), weeks, days, date(2026, 3, 1))


def test_mean_and_share_favourable_from_counts():
    # 1-5 scale: two people answered 2, one 4, three 5.
    summary = measures.summarise([0, 2, 0, 1, 3], scale_min=1, favourable_from=4)
    assert summary.n == 6
    assert summary.mean == pytest.approx((2 * 2 + 4 + 3 * 5) / 6)
    assert summary.favourable == 4 and summary.share_favourable == pytest.approx(4 / 6)
    assert measures.summarise([0, 0], 1, 2).mean is None
    assert measures.values([0, 2, 0, 1, 3], 1) == [2, 2, 4, 5, 5, 5]
    assert measures.combine([[1, 0, 2], [0, 1], [1, 1, 1, 1]]) == [2, 2, 3, 1]


def test_months_and_median():
    assert measures.months(date(2025, 11, 20), date(2026, 2, 1)) == [
        date(2025, 11, 1),
        date(2025, 12, 1),
        date(2026, 1, 1),
        date(2026, 2, 1),
    ]
    assert measures.median([3, None, 1, 2]) == 2 and measures.median([None]) is None
