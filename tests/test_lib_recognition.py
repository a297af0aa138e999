from datetime import date

import pytest

from mango.lib import vocab
from mango.lib.recognition import (
    Share,
    count,
    last_complete_period,
    month_bounds,
    never_recognised,
    period_from_key,
    spread,
    team_table,
)


def test_a_weekly_digest_covers_the_last_complete_iso_week():
    # Saturday 5 December 2026: the last complete week is Monday 23 to Sunday 29 November.
    period = last_complete_period("weekly", date(2026, 12, 5))
    assert (period.key, period.start, period.end) == (
        "2026-W48",
        date(2026, 11, 23),
        date(2026, 11, 30),
    )
    assert date(2026, 11, 29) in period and date(2026, 11, 30) not in period


def test_on_a_monday_the_week_that_just_ended_is_due():
    period = last_complete_period("weekly", date(2026, 11, 30))
    assert period.key == "2026-W48"


def test_the_week_key_follows_iso_years_across_new_year():
    # Monday 4 January 2027: the week of 28 December 2026 - 3 January 2027 is 2026-W53.
    assert last_complete_period("weekly", date(2027, 1, 4)).key == "2026-W53"


def test_a_monthly_digest_covers_the_previous_month_also_in_january():
    period = last_complete_period("monthly", date(2027, 1, 1))
    assert (period.key, period.start, period.end) == (
        "2026-12",
        date(2026, 12, 1),
        date(2027, 1, 1),
    )
    assert last_complete_period("monthly", date(2026, 3, 31)).key == "2026-02"


def test_never_has_no_period():
    with pytest.raises(ValueError, match="weekly or monthly"):
        last_complete_period("never", date(2026, 1, 1))


def test_a_period_comes_back_from_its_key():
    for frequency in ("weekly", "monthly"):
        for today in (date(2026, 12, 5), date(2027, 1, 4), date(2027, 1, 1)):
            period = last_complete_period(frequency, today)
            assert period_from_key(period.key) == period
    with pytest.raises(ValueError, match="2026-W48"):
        period_from_key("2026-W60")


def test_month_bounds_and_a_clear_error():
    assert month_bounds("2026-12") == (date(2026, 12, 1), date(2027, 1, 1))
    assert month_bounds("2026-02") == (date(2026, 2, 1), date(2026, 3, 1))
    for bad in ("2026-13", "december", "2026", ""):
        with pytest.raises(ValueError, match="YYYY-MM"):
            month_bounds(bad)


def test_spread_lists_every_profession_with_zeros_and_percentages_that_add_up():
    shares = spread({"nurse": 2, "cleaner": 1}, vocab.PROFESSIONS)
    assert [s.code for s in shares] == list(vocab.PROFESSIONS)
    by_code = {s.code: s for s in shares}
    assert by_code["nurse"] == Share("nurse", 2, 67)
    assert by_code["cleaner"] == Share("cleaner", 1, 33)
    assert by_code["porter"] == Share("porter", 0, 0)
    assert sum(s.percent for s in shares) == 100
    assert "porter" in never_recognised(shares) and "nurse" not in never_recognised(shares)


def test_spread_rounds_by_largest_remainder():
    shares = spread({"a": 1, "b": 1, "c": 1})
    assert [s.percent for s in shares] == [34, 33, 33]
    assert sum(s.percent for s in spread({"a": 7, "b": 5, "c": 2, "d": 1})) == 100


def test_spread_puts_unknown_categories_after_the_known_ones_by_count():
    shares = spread({"zz": 1, "yy": 3, "nurse": 1}, ["nurse"])
    assert [s.code for s in shares] == ["nurse", "yy", "zz"]


def test_spread_of_nothing_is_all_zero_and_negative_counts_are_refused():
    assert spread({}, ["nurse", "porter"]) == [Share("nurse", 0, 0), Share("porter", 0, 0)]
    with pytest.raises(ValueError, match="negative"):
        spread({"nurse": -1})


def test_count_treats_blank_as_other():
    assert count(["nurse", "", "nurse", "porter"]) == {"nurse": 2, "other": 1, "porter": 1}


def test_team_table_joins_stories_and_notes_most_stories_first():
    rows = team_table({"Oncologie": 3, "Geriatrie": 1}, {"Geriatrie": 2, "Nacht": 1})
    assert [(r.team, r.stories, r.notes) for r in rows] == [
        ("Oncologie", 3, 0),
        ("Geriatrie", 1, 2),
        ("Nacht", 0, 1),
    ]
