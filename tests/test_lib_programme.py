"""The programme's rules on their own: checklist, story month, activity window, ranking."""

from datetime import date

import pytest

from mango.lib import programme


def test_a_complete_organisation_lacks_nothing():
    result = programme.checklist(1, [True, False, False])
    assert result.complete
    assert result.missing == ()
    assert result.done_count == 4


def test_an_empty_organisation_lacks_everything():
    result = programme.checklist(0, [])
    assert not result.complete
    assert result.missing == programme.CHECKS


def test_three_oncological_pilots_still_lack_a_non_oncological_one():
    result = programme.checklist(2, [True, True, True])
    assert result.missing == (programme.OTHER_PILOT,)


def test_two_pilots_of_both_kinds_lack_a_third():
    result = programme.checklist(1, [True, False])
    assert result.missing == (programme.THREE_PILOTS,)


def test_no_oncological_pilot_is_named():
    result = programme.checklist(1, [False, False, False, False])
    assert result.missing == (programme.ONCOLOGICAL_PILOT,)


def test_negative_ambassadors_are_refused():
    with pytest.raises(ValueError):
        programme.checklist(-1, [])


@pytest.mark.parametrize(
    ("submitted", "happened", "expected"),
    [
        (date(2026, 3, 2), "week", (2026, 2, False)),
        (date(2026, 3, 20), "week", (2026, 3, False)),
        (date(2026, 1, 10), "month", (2025, 12, False)),
        (date(2026, 1, 20), "month", (2026, 1, False)),
        (date(2026, 5, 5), "year", (2026, 5, True)),
        (date(2026, 5, 5), "older", (2026, 5, True)),
        (date(2026, 5, 5), "unknown", (2026, 5, True)),
    ],
)
def test_story_month(submitted, happened, expected):
    month = programme.story_month(submitted, happened)
    assert (month.year, month.month, month.told) == expected
    assert month.first_day == date(expected[0], expected[1], 1)


@pytest.mark.parametrize(
    ("today", "months", "expected"),
    [
        (date(2026, 5, 15), 3, date(2026, 2, 15)),
        (date(2026, 2, 10), 3, date(2025, 11, 10)),
        (date(2026, 5, 31), 3, date(2026, 2, 28)),
        (date(2024, 5, 31), 3, date(2024, 2, 29)),
        (date(2026, 12, 31), 1, date(2026, 11, 30)),
        (date(2026, 1, 1), 0, date(2026, 1, 1)),
    ],
)
def test_months_back(today, months, expected):
    assert programme.months_back(today, months) == expected


def test_months_back_refuses_the_future():
    with pytest.raises(ValueError):
        programme.months_back(date(2026, 1, 1), -1)


def test_most_named_orders_by_count_then_key_and_drops_zeros():
    counts = {"b": 2, "a": 2, "c": 5, "d": 0}
    assert programme.most_named(counts) == [("c", 5), ("a", 2), ("b", 2)]
    assert programme.most_named(counts, limit=1) == [("c", 5)]
