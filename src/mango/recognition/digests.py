"""The weekly or monthly digest: new shared stories of a person's team(s) and organisation,
replies to thank-you notes, and the teams' reflections, in the person's language.

Sending is idempotent per person and period. ``send_due`` first makes a ``DigestDelivery``
row for every person whose digest is due (the row is unique for (user, period), so a second
run makes none), then sends each row that is not sent yet: the row is claimed by setting
``sent_at`` in a transaction that sends the mail and commits after it. A send that fails
rolls its claim back and the next run sends it; a run that dies midway leaves the rows it had
not reached unsent, and the next run sends exactly those. (A crash after the SMTP server
accepted a message but before the commit would send that one message again: no mail
protocol can rule that out.)
"""

from __future__ import annotations

import importlib
import logging
from datetime import date, datetime, time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import transaction
from django.db.models import F, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation

from mango import mail
from mango.accounts.models import Membership
from mango.culture import visible
from mango.culture.models import Reflection
from mango.lib.recognition import Period, last_complete_period, period_from_key

from .models import DigestDelivery, DigestPreference, ThankYouNote

log = logging.getLogger("mango.recognition")

UNSUBSCRIBE_SALT = "mango.recognition.unsubscribe"
DEFAULT_FREQUENCY = "weekly"
MAX_ATTEMPTS = 10
# At most this many stories per section; the digest links to the feed for the rest.
SECTION_LIMIT = 10


# --- who gets which digest ---------------------------------------------------------------


def preference(user) -> tuple[str, str]:
    """(frequency, language) for a user: their choice, or weekly in their organisation's
    language."""
    pref = DigestPreference.objects.filter(user=user).first()
    frequency = pref.frequency if pref else DEFAULT_FREQUENCY
    language = pref.language if pref and pref.language else ""
    if not language:
        language = (
            Membership.objects.filter(user=user, organisation__isnull=False)
            .order_by("pk")
            .values_list("organisation__language", flat=True)
            .first()
        ) or settings.LANGUAGE_CODE
    return frequency, language


def recipients(frequency: str):
    """Active staff of an organisation with an e-mail address who want this frequency."""
    users = (
        get_user_model()
        .objects.filter(is_active=True, memberships__organisation__isnull=False)
        .exclude(email="")
        .distinct()
    )
    chosen = DigestPreference.objects.filter(frequency=frequency).values("user_id")
    if frequency == DEFAULT_FREQUENCY:
        others = DigestPreference.objects.exclude(frequency=frequency).values("user_id")
        return users.filter(Q(pk__in=chosen) | ~Q(pk__in=others))
    return users.filter(pk__in=chosen)


def set_preference(user, *, frequency: str, language: str = "") -> DigestPreference:
    with transaction.atomic():
        pref, _ = DigestPreference.objects.update_or_create(
            user=user, defaults={"frequency": frequency, "language": language}
        )
    return pref


def unsubscribe_token(user) -> str:
    return signing.dumps(user.pk, salt=UNSUBSCRIBE_SALT)


def user_for_unsubscribe(token: str):
    try:
        pk = int(signing.loads(token, salt=UNSUBSCRIBE_SALT))
    except (signing.BadSignature, TypeError, ValueError):
        return None
    return get_user_model().objects.filter(pk=pk).first()


def unsubscribe(user) -> DigestPreference:
    pref = DigestPreference.objects.filter(user=user).first()
    return set_preference(user, frequency="never", language=pref.language if pref else "")


# --- what a digest holds -------------------------------------------------------------------


def _bounds(period: Period) -> tuple[datetime, datetime]:
    def at_midnight(day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, time.min))

    return at_midnight(period.start), at_midnight(period.end)


def _open_pulse(unit, language):
    """The pulse app's reminder for a team, when that app is installed: (text, url) or None."""
    try:
        module = importlib.import_module("mango.pulse.digest")
    except ImportError:
        return None
    open_pulse = getattr(module, "open_pulse", None)
    return open_pulse(unit, language) if open_pulse else None


def _url(name: str, *args) -> str:
    try:
        return settings.PUBLIC_URL + reverse(name, args=args)
    except NoReverseMatch:
        return ""


def content(user, period: Period, language: str) -> dict | None:
    """The digest's sections for ``user`` and ``period``; None when there is nothing new."""
    start, end = _bounds(period)
    memberships = list(
        Membership.objects.filter(user=user, organisation__isnull=False).select_related(
            "organisation", "unit"
        )
    )
    orgs = {m.organisation_id: m.organisation for m in memberships}
    units = {m.unit_id: m.unit for m in memberships if m.unit_id}
    in_period = Q(shared_at__gte=start, shared_at__lt=end)

    team_stories = []
    if units:
        team_qs = visible.shared_stories_for_units(units).filter(in_period)
        team_stories = list(team_qs.order_by("-shared_at")[:SECTION_LIMIT])
    team_ids = {s.pk for s in team_stories}
    org_qs = visible.shared_stories().filter(in_period, organisation_id__in=orgs)
    org_stories = [s for s in org_qs.order_by("-shared_at")[:SECTION_LIMIT] if s.pk not in team_ids]
    org_count = org_qs.exclude(pk__in=team_ids).count()

    shown = visible.shared_stories().filter(organisation_id__in=orgs)
    replies = list(
        ThankYouNote.objects.filter(
            replied_at__gte=start, replied_at__lt=end, story__in=shown
        ).order_by("replied_at")[:SECTION_LIMIT]
    )
    reflection_scope = Q(unit_id__in=units) if units else Q(unit__organisation_id__in=orgs)
    reflections = list(
        Reflection.objects.filter(
            reflection_scope, created_at__gte=start, created_at__lt=end, story__in=shown
        )
        .select_related("unit")
        .order_by("created_at")[:SECTION_LIMIT]
    )
    pulses = [p for p in (_open_pulse(unit, language) for unit in units.values()) if p]
    if not (team_stories or org_stories or replies or reflections or pulses):
        return None
    first = memberships[0].organisation if memberships else None
    return {
        "first_name": user.first_name or user.get_username(),
        "period": period,
        "period_start": period.start,
        "period_last_day": period.end.fromordinal(period.end.toordinal() - 1),
        "weekly": period.frequency == "weekly",
        "teams": [
            {"name": unit.name, "url": _url("culture:team_feed", unit.pk)}
            for unit in units.values()
        ],
        "team_stories": team_stories,
        "org_stories": org_stories,
        "org_more": max(org_count - len(org_stories), 0),
        "organisation": first.name if first else "",
        "org_url": _url("culture:org_feed", first.slug) if first else "",
        "replies": replies,
        "reflections": reflections,
        "pulses": pulses,
    }


# --- sending ---------------------------------------------------------------------------------


def send_due(today: date | None = None) -> dict:
    """Make the due digests' rows and send every row not sent yet (this run's and earlier
    runs' failures). A failure of one person's digest does not stop the others."""
    today = today or timezone.localdate()
    for frequency in ("weekly", "monthly"):
        period = last_complete_period(frequency, today)
        DigestDelivery.objects.bulk_create(
            [
                DigestDelivery(user_id=pk, period=period.key, frequency=frequency)
                for pk in recipients(frequency).values_list("pk", flat=True)
            ],
            ignore_conflicts=True,
        )
    pending = (
        DigestDelivery.objects.filter(sent_at__isnull=True, empty=False, attempts__lt=MAX_ATTEMPTS)
        .select_related("user")
        .order_by("pk")
    )
    summary = {"sent": 0, "empty": 0, "failed": 0}
    for delivery in pending:
        try:
            outcome = deliver(delivery)
        except Exception:
            log.warning("digest #%s not sent; the next run tries again", delivery.pk)
            summary["failed"] += 1
        else:
            summary[outcome] = summary.get(outcome, 0) + 1
    return summary


def deliver(delivery: DigestDelivery) -> str:
    """Send one digest, at most once. Returns "sent", "empty" (nothing new, or the person
    unsubscribed meanwhile) or "skipped" (sent by someone else already)."""
    user = delivery.user
    frequency, language = preference(user)
    period = period_from_key(delivery.period)
    body = (
        content(user, period, language)
        if frequency == delivery.frequency and user.is_active and user.email
        else None
    )
    if body is None:
        DigestDelivery.objects.filter(pk=delivery.pk, sent_at__isnull=True).update(empty=True)
        return "empty"
    with translation.override(language):
        body["settings_url"] = _url("recognition:digest_settings")
        body["unsubscribe_url"] = _url("recognition:unsubscribe", unsubscribe_token(user))
    try:
        with transaction.atomic():
            # The claim: whoever sets sent_at first sends; the row stays locked until the
            # commit after the send, and a failed send rolls the claim back.
            claimed = DigestDelivery.objects.filter(pk=delivery.pk, sent_at__isnull=True).update(
                sent_at=timezone.now(), attempts=F("attempts") + 1
            )
            if not claimed:
                return "skipped"
            mail.send(
                [user.email],
                "recognition/email/digest",
                body,
                language=language,
                headers={
                    "List-Unsubscribe": f"<{body['unsubscribe_url']}>",
                    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                },
            )
    except Exception as exc:
        DigestDelivery.objects.filter(pk=delivery.pk).update(
            attempts=F("attempts") + 1, last_error=type(exc).__name__[:100]
        )
        raise
    return "sent"
