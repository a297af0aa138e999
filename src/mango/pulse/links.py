"""The team link of a pulse: signed, so that no one can forge a link for another team, and
short enough for a QR code on a phone."""

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "mango.pulse.team-link"


def team_token(pulse, unit) -> str:
    return signing.Signer(salt=SALT).sign(f"{pulse.pk}-{unit.short_code}")


def read_team_token(token: str) -> tuple[int, str] | None:
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    pulse_id, _, code = value.partition("-")
    if not pulse_id.isdigit() or not code:
        return None
    return int(pulse_id), code


def team_path(pulse, unit, language=None) -> str:
    from django.utils import translation

    with translation.override(language or translation.get_language()):
        return reverse("pulse:answer", args=[team_token(pulse, unit)])


def team_url(pulse, unit, language=None) -> str:
    return settings.PUBLIC_URL + team_path(pulse, unit, language)
