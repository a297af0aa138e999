"""Fixed-window rate limits written as "N/unit" (s, m, h, d), and the client they count."""

from __future__ import annotations

import ipaddress

_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """``"20/h"`` -> ``(20, 3600)``. Raises ``ValueError`` with a readable message."""
    try:
        count, unit = rate.strip().split("/")
        n = int(count)
        seconds = _SECONDS[unit.strip()[:1].lower()]
    except (ValueError, KeyError):
        raise ValueError(f"A rate looks like 20/h (count/s, m, h or d), not {rate!r}") from None
    if n < 1:
        raise ValueError(f"A rate needs a count of at least 1, not {rate!r}")
    return n, seconds


def window_key(client: str, seconds: int, now: float) -> str:
    """The cache key of the window ``now`` falls in, for one client."""
    return f"rl:{client}:{int(now // seconds)}"


def client_address(remote_addr: str, forwarded_for: str = "", trusted_proxies: int = 0) -> str:
    """The address of the client a limit counts.

    Without trusted proxies it is the connection's address (``REMOTE_ADDR``). Behind
    ``trusted_proxies`` reverse proxies, each appends the address it received the request
    from to ``X-Forwarded-For``, so the client's is the one the outermost proxy wrote: the
    ``trusted_proxies``-th from the right. Everything left of it came from the client itself
    and is never believed (a client could otherwise send a new address with every request
    and escape every limit). A header with fewer entries than proxies (a request that
    bypassed the outer ones) gives its left-most entry, written by a trusted proxy; a value
    that is no IP address gives ``remote_addr``.
    """
    if trusted_proxies < 1:
        return remote_addr
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    if not hops:
        return remote_addr
    chosen = hops[-trusted_proxies] if len(hops) >= trusted_proxies else hops[0]
    try:
        return str(ipaddress.ip_address(chosen))
    except ValueError:
        return remote_addr
