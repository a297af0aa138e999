"""Fixed-window rate limits written as "N/unit" (s, m, h, d)."""

from __future__ import annotations

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
