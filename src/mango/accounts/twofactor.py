"""Optional two-factor sign-in (TOTP, RFC 6238) for staff, on django-otp.

A staff member turns it on from their account page by scanning a QR code into an
authenticator app and confirming one code. From then on, a password alone signs them in only
halfway: every staff page sends them to the code page until a current code verifies the
session. Stories stay behind both factors; the public form and the teller's pages never ask.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.db import transaction
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django_otp import devices_for_user, user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from mango.audit.log import record

DEVICE_NAME = "authenticator"


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_device(user) -> TOTPDevice:
    """The unconfirmed device being set up (a fresh secret the first time)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def config_url(device: TOTPDevice) -> str:
    """The otpauth:// address an authenticator app reads from the QR code (issuer: Mango,
    from OTP_TOTP_ISSUER)."""
    return device.config_url


def turn_on(user, device: TOTPDevice, code: str) -> bool:
    """Confirm the device with a current code; audited. False when the code is wrong."""
    if not device.verify_token(_digits(code)):
        return False
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        record(user, "account.two_factor_on", user)
    return True


def turn_off(user, code: str) -> bool:
    """Remove the user's devices after checking a current code; audited."""
    device = confirmed_device(user)
    if device is None or not device.verify_token(_digits(code)):
        return False
    with transaction.atomic():
        for d in devices_for_user(user, confirmed=None):
            d.delete()
        record(user, "account.two_factor_off", user)
    return True


def _digits(code: str) -> str:
    return "".join(c for c in (code or "") if c.isdigit())[:8]


# What a half-signed-in user may still reach: the code page, signing out, the public side
# (home, form, teller, short links, posters) and the API (which has its own tokens). Every
# other page, staff and admin alike, waits for the code: new pages are guarded by default.
_OPEN_NAMES = frozenset(
    "two_factor_verify logout login home tell tell_units thanks my_story campaign_link "
    "unit_link set_language".split()
)
_OPEN_NAMESPACES = frozenset({"posters", "api", "api-1.0.0"})
_OPEN_PREFIXES = ("/static/", "/api/")


def _guarded(path: str) -> bool:
    if path.startswith(_OPEN_PREFIXES):
        return False
    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.url_name in _OPEN_NAMES and not match.namespaces:
        return False
    return not _OPEN_NAMESPACES.intersection(match.namespaces)


class RequireVerifiedMiddleware:
    """Send a signed-in user with a confirmed device to the code page until verified.

    Comes after django_otp's OTPMiddleware, which sets ``request.user.is_verified``."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not user.is_verified()
            and _guarded(request.path_info)
            and user_has_device(user, confirmed=True)
        ):
            target = reverse("two_factor_verify")
            return redirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
