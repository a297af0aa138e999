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


@pytest.mark.parametrize(
    "remote,forwarded,proxies,expected",
    [
        ("10.0.0.1", "203.0.113.5", 0, "10.0.0.1"),  # not behind a proxy: the header is ignored
        ("10.0.0.1", "", 1, "10.0.0.1"),
        ("10.0.0.1", "203.0.113.5", 1, "203.0.113.5"),
        # The client wrote the left part; the proxy appended the address it saw.
        ("10.0.0.1", "1.2.3.4, 203.0.113.5", 1, "203.0.113.5"),
        ("10.0.0.1", "1.2.3.4,5.6.7.8 , 203.0.113.5", 1, "203.0.113.5"),
        # Two proxies (a CDN, then nginx): the CDN wrote the client, nginx the CDN.
        ("10.0.0.1", "1.2.3.4, 203.0.113.5, 198.51.100.2", 2, "203.0.113.5"),
        ("10.0.0.1", "203.0.113.5", 2, "203.0.113.5"),  # came in past the CDN
        ("10.0.0.1", "1.2.3.4, not-an-address", 1, "10.0.0.1"),
        ("10.0.0.1", "2001:db8::1", 1, "2001:db8::1"),
    ],
)
def test_the_client_is_the_address_the_trusted_proxies_wrote(remote, forwarded, proxies, expected):
    from mango.lib.ratelimit import client_address

    assert client_address(remote, forwarded, proxies) == expected
