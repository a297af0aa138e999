"""Per-client limits on story submissions, kept in the cache (Redis in production)."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from mango.lib.ratelimit import parse_rate, window_key


def client_id(request) -> str:
    """A hash of the client's address: the address itself is personal data and never stored."""
    addr = request.META.get("REMOTE_ADDR", "")
    if settings.MANGO_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            addr = forwarded.split(",")[0].strip()
    return hashlib.sha256(f"{settings.SECRET_KEY}:{addr}".encode()).hexdigest()[:24]


def allow_submission(request) -> bool:
    """Count this submission against the client's window; False once the limit is passed."""
    limit, seconds = parse_rate(settings.MANGO_SUBMIT_RATE)
    key = window_key(client_id(request), seconds, time.time())
    # add() is a no-op when the key exists, so the window's expiry is set only once.
    cache.add(key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=seconds + 1)
        count = 1
    return count <= limit
