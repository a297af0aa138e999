"""The signed-in user's own account: turning two-factor sign-in on or off, and the code page."""

from __future__ import annotations

import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from mango.lib import qr

from . import twofactor


@login_required
@require_http_methods(["GET", "POST"])
def two_factor(request):
    user = request.user
    device = twofactor.confirmed_device(user)
    error = ""
    if request.method == "POST":
        code = request.POST.get("code", "")
        if device is None:
            pending = twofactor.pending_device(user)
            if twofactor.turn_on(user, pending, code):
                otp_login(request, pending)  # this session already proved the code
                messages.success(request, _("Two-factor sign-in is on."))
                return redirect("two_factor")
        elif twofactor.turn_off(user, code):
            messages.success(request, _("Two-factor sign-in is off."))
            return redirect("two_factor")
        error = _("That code is not right (or has expired). Try the code shown now.")
    context = {"enabled": device is not None, "error": error}
    if device is None:
        pending = twofactor.pending_device(user)
        url = twofactor.config_url(pending)
        context |= {
            "qr": qr.svg_data_uri(url),
            "secret": base64.b32encode(pending.bin_key).decode("ascii").rstrip("="),
        }
    return render(request, "accounts/two_factor.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = ""
    device = twofactor.confirmed_device(request.user)
    if device is None or request.user.is_verified():
        return redirect(target or "home")
    error = ""
    if request.method == "POST":
        code = "".join(c for c in request.POST.get("code", "") if c.isdigit())[:8]
        if device.verify_token(code):
            otp_login(request, device)
            return redirect(target or "home")
        error = _("That code is not right (or has expired). Try the code shown now.")
    return render(
        request,
        "accounts/two_factor_verify.html",
        {"next": target, "error": error},
        status=400 if error else 200,
    )
