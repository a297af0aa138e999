"""Account and browser security: the pieces that settings alone cannot express.

- ``PermissionsPolicyMiddleware`` sends the ``Permissions-Policy`` header (Django has no setting
  for it); the Content-Security-Policy comes from django-csp, the other headers from Django's
  ``SecurityMiddleware`` and ``XFrameOptionsMiddleware``.
- ``NoStoreMiddleware`` keeps pages that may hold story text, contact details or a receipt code
  out of browser and proxy caches.
- ``SlidingSessionMiddleware`` ends a staff session after ``SESSION_COOKIE_AGE`` of inactivity
  without writing the session on every request.
- ``AxesStandaloneBackend`` and ``client_address`` adapt django-axes' login throttling to Mango:
  no throttling where there is no client, and no IP address in its tables or logs.
"""

import hashlib
import hmac
import ipaddress
import math
import re
import time

from axes.backends import AxesStandaloneBackend as _AxesStandaloneBackend
from axes.exceptions import AxesBackendPermissionDenied
from django.conf import settings
from django.db.models import Sum
from django.shortcuts import render
from django.utils import timezone

from mango.lib import ratelimit


class PermissionsPolicyMiddleware:
    """Turn off browser features Mango never uses, so injected content cannot use them either."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.MANGO_PERMISSIONS_POLICY
        if policy and "Permissions-Policy" not in response:
            response["Permissions-Policy"] = policy
        return response


# Staff pages, the admin, the API, and the teller's pages that show their story or receipt.
# The public pages are under a language prefix (/nl/staff/), the API and admin are not.
NO_STORE_PATHS = re.compile(
    r"^/(?:api|admin)/|^/(?:[a-z]{2}(?:-[a-z]+)?/)?(?:staff/|my-story/|tell/thanks/)"
)


class NoStoreMiddleware:
    """``Cache-Control: no-store, private`` on every page that may show original story text,
    contact details or a receipt code: nothing of it stays in a shared tablet's cache, in a
    proxy or in the browser's back-forward history. It replaces any Cache-Control a view set.
    """

    VALUE = "no-store, private"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if NO_STORE_PATHS.match(request.path_info):
            response["Cache-Control"] = self.VALUE
            response.headers.pop("Expires", None)
        return response


class SlidingSessionMiddleware:
    """Keep a signed-in session alive while it is used, at one database write per interval.

    Django renews a session's expiry only when it saves the session. SESSION_SAVE_EVERY_REQUEST
    would save it on every request (an UPDATE per page and per htmx fragment). Instead a
    timestamp in the session is refreshed once it is older than ``MANGO_SESSION_RENEW_AFTER``
    seconds; that change makes Django save the session and send the cookie with a fresh
    ``SESSION_COOKIE_AGE``. A session therefore ends between ``SESSION_COOKIE_AGE -
    MANGO_SESSION_RENEW_AFTER`` and ``SESSION_COOKIE_AGE`` after its last request.

    Must come after the session and authentication middleware: its response phase then runs
    before ``SessionMiddleware`` saves the session, and after a view that signed the user out.
    """

    KEY = "_mango_renewed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        # Only sessions that exist: a client authenticated some other way gets none made.
        if user is not None and user.is_authenticated and request.session.session_key:
            now = int(time.time())
            renewed_at = request.session.get(self.KEY, 0)
            if now - renewed_at >= settings.MANGO_SESSION_RENEW_AFTER:
                request.session[self.KEY] = now
        return response


class AxesStandaloneBackend(_AxesStandaloneBackend):
    """Axes' lockout check, applied where there is a client to throttle.

    The sign-in pages (Mango's and the admin's) always pass the request to ``authenticate()``.
    Without one (the shell, a management command, the test client's ``login()``) axes would
    raise instead of answering; there is no client address to count failures against, so this
    backend steps aside and lets the next backend decide.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        # Password spraying: a few tries at each of many usernames stay under the lock per
        # username, so one client's failures across usernames are limited too. Refused tries
        # are not counted (axes skips a request marked locked out), so the lock ends with
        # the cool-off after the last counted failure.
        if client_failures(request) >= settings.MANGO_LOGIN_FAILURES_PER_CLIENT:
            request.axes_locked_out = True
            raise AxesBackendPermissionDenied("Too many failed sign-ins from this client.")
        return super().authenticate(request, username=username, password=password, **kwargs)


def client_ip(request) -> str:
    """The client's real address, for every per-client limit (sign-ins, stories, receipts):
    the connection's, or with MANGO_TRUST_X_FORWARDED_FOR the one the outermost of
    MANGO_TRUSTED_PROXIES proxies wrote into ``X-Forwarded-For`` (never one the client wrote;
    ``mango.lib.ratelimit.client_address``). Personal data: hash it before storing it."""
    return ratelimit.client_address(
        request.META.get("REMOTE_ADDR", ""),
        request.META.get("HTTP_X_FORWARDED_FOR", ""),
        settings.MANGO_TRUSTED_PROXIES if settings.MANGO_TRUST_X_FORWARDED_FOR else 0,
    )


def client_address(request) -> str:
    """The client's address as axes stores and compares it: pseudonymised.

    An IP address is personal data. Axes needs one per failed sign-in (failures are counted per
    username and address), so it gets a keyed hash of the real address (``client_ip``, as the
    story rate limit reads it) shaped as an IPv6 address: one client still maps to one value,
    but the tables and the admin never show where anyone signed in from.
    """
    addr = client_ip(request)
    digest = hmac.new(settings.SECRET_KEY.encode(), addr.encode(), hashlib.sha256).digest()
    return str(ipaddress.IPv6Address(digest[:16]))


def client_failures(request) -> int:
    """Failed sign-ins from this client within the cool-off, whatever the username: axes
    keeps one row per username and client, with the failures since its first."""
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    rows = AccessAttempt.objects.filter(ip_address=client_address(request), attempt_time__gte=since)
    return rows.aggregate(total=Sum("failures_since_start"))["total"] or 0


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out sign-in gets (AXES_LOCKOUT_CALLABLE), with HTTP 429.

    Axes' own template context gives the cool-off as a timedelta; the page wants whole minutes.
    """
    minutes = max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(
        request,
        "accounts/locked_out.html",
        {"minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
