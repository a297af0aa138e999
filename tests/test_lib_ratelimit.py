import pytest

from mango.lib.ratelimit import parse_rate, window_key


@pytest.mark.parametrize(
    "rate,expected",
    [("20/h", (20, 3600)), ("5/m", (5, 60)), ("1/s", (1, 1)), ("3/day", (3, 86400))],
)
def test_rates_are_parsed(rate, expected):
    assert parse_rate(rate) == expected


@pytest.mark.parametrize("rate", ["20", "x/h", "20/w", "0/h", ""])
def test_bad_rates_get_a_readable_error(rate):
    with pytest.raises(ValueError, match="rate"):
        parse_rate(rate)


def test_windows_change_at_their_boundary():
    assert window_key("c", 60, 119.9) == window_key("c", 60, 60.0)
    assert window_key("c", 60, 120.0) != window_key("c", 60, 119.9)
    assert window_key("a", 60, 1) != window_key("b", 60, 1)
