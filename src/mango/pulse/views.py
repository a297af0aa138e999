"""The team member's side: answering the pulse through the team link or QR, without signing in.

Nothing about the person is kept: no account, no address, no cookie id. Against a double tap
the form carries a one-time token whose hash is kept, apart from the answers, until the
period closes; after answering, the phone keeps a signed cookie that says only "this period is
answered", so the page says so next time (the server keeps nothing of it).
"""

import secrets

from django.conf import settings
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from mango.organisations.models import Unit
from mango.stories import throttle

from . import actions, jobs, links
from .models import Pulse

NONCE_SALT = "mango.pulse.nonce"
NONCE_MAX_AGE = 3 * 60 * 60
DONE_COOKIE = "mango_pulse_done"
# Per client address (hashed, in the cache only): generous, since a whole team may answer
# from one hospital network in a meeting, but a script cannot fill a period.
RATE = "120/h"


def _team(token):
    found = links.read_team_token(token)
    if found is None:
        raise Http404
    pulse_id, code = found
    pulse = Pulse.objects.select_related("instrument", "organisation").filter(pk=pulse_id).first()
    unit = Unit.objects.filter(short_code=code).first()
    if pulse is None or unit is None or not pulse.units.filter(pk=unit.pk).exists():
        raise Http404
    return pulse, unit


def _done_periods(request) -> set[int]:
    raw = request.get_signed_cookie(DONE_COOKIE, default="", salt=DONE_COOKIE)
    return {int(x) for x in raw.split(",") if x.isdigit()}


def _read(request, items):
    values, texts, errors = {}, {}, []
    for item in items:
        field = f"item-{item.pk}"
        if item.kind == "text":
            text = request.POST.get(field, "").strip()
            if len(text) > 1000:
                errors.append(_("Please keep your answer under 1,000 characters."))
            texts[item.pk] = text[:1000]
            continue
        raw = request.POST.get(field, "")
        if raw == "":
            values[item.pk] = None
            continue
        try:
            value = int(raw)
        except ValueError:
            value = None
        if value is None or value not in item.values():
            errors.append(_("One of the answers is not on its scale; please choose again."))
            continue
        values[item.pk] = value
    if any(v is None for v in values.values()) and not errors:
        # Every scale question is answered, so that each result counts the same people (the
        # k rule counts people per team and period).
        errors.append(_("Please answer every question with a number; the last one is optional."))
    return values, texts, errors


@require_http_methods(["GET", "POST"])
def answer(request, token):
    pulse, unit = _team(token)
    period = actions.open_period(pulse)
    language = (get_language() or "nl")[:2]
    context = {"pulse": pulse, "unit": unit, "period": period, "token": token}
    if period is None:
        upcoming = [p for p in pulse.periods.all() if p.opens_on > timezone.localdate()]
        context["next_opens"] = upcoming[0].opens_on if upcoming else None
        return render(request, "pulse/closed.html", context)
    if period.pk in _done_periods(request):
        return render(request, "pulse/thanks.html", {**context, "again": True})
    items = list(pulse.instrument.items.all())
    errors = []
    if request.method == "POST":
        if not throttle.allow(request, "pulse", RATE):
            return render(request, "pulse/busy.html", context, status=429)
        try:
            nonce = signing.loads(
                request.POST.get("nonce", ""), salt=NONCE_SALT, max_age=NONCE_MAX_AGE
            )
        except signing.BadSignature:
            nonce = None
        if not nonce or nonce.get("p") != period.pk:
            errors.append(_("This form has expired; please fill it in again."))
        values, texts, problems = _read(request, items)
        errors += problems
        if not errors:
            try:
                text_ids = actions.submit_answers(period, unit, language, values, texts, nonce["n"])
            except actions.AlreadyAnswered:
                return redirect("pulse:answered", token=token)
            jobs.queue_deidentification(text_ids)
            response = redirect("pulse:answered", token=token)
            done = sorted(_done_periods(request) | {period.pk})[-20:]
            response.set_signed_cookie(
                DONE_COOKIE,
                ",".join(map(str, done)),
                salt=DONE_COOKIE,
                max_age=400 * 24 * 3600,
                httponly=True,
                samesite="Lax",
                secure=settings.SESSION_COOKIE_SECURE,
            )
            return response
    nonce = signing.dumps({"p": period.pk, "n": secrets.token_urlsafe(16)}, salt=NONCE_SALT)
    rows = [
        {
            "item": item,
            "text": item.text(language),
            "low": item.low_labels.get(language, ""),
            "high": item.high_labels.get(language, ""),
            "values": list(item.values()),
            "chosen": request.POST.get(f"item-{item.pk}", ""),
        }
        for item in items
    ]
    context.update({"rows": rows, "nonce": nonce, "errors": errors})
    return render(request, "pulse/answer.html", context, status=400 if errors else 200)


def answered(request, token):
    pulse, unit = _team(token)
    return render(request, "pulse/thanks.html", {"pulse": pulse, "unit": unit})
