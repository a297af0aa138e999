"""Per-client limits on story submissions, kept in the cache (Redis in production)."""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from mango.lib.ratelimit import parse_rate, window_key
from mango.security import client_ip


def client_id(request) -> str:
    """A hash of the client's address: the address itself is personal data and never stored.
    The address is read as for sign-ins (``mango.security.client_ip``: behind trusted proxies,
    never one the client wrote into X-Forwarded-For)."""
    addr = client_ip(request)
    return hashlib.sha256(f"{settings.SECRET_KEY}:{addr}".encode()).hexdigest()[:24]


def allow(request, bucket: str, rate: str) -> bool:
    """Count this request against the client's window in ``bucket``; False once over ``rate``."""
    limit, seconds = parse_rate(rate)
    key = window_key(f"{bucket}:{client_id(request)}", seconds, time.time())
    # add() is a no-op when the key exists, so the window's expiry is set only once.
    cache.add(key, 0, timeout=seconds + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=seconds + 1)
        count = 1
    return count <= limit


def allow_submission(request) -> bool:
    return allow(request, "submit", settings.MANGO_SUBMIT_RATE)


def allow_receipt_lookup(request) -> bool:
    # Receipts carry 50 random bits, so guessing is hopeless; the limit keeps it that way.
    return allow(request, "receipt", settings.MANGO_RECEIPT_RATE)
