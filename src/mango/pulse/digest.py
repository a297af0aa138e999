"""For the team digest (mango.recognition): a reminder when the team's pulse check is open."""

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from . import actions, links
from .models import Pulse


def open_pulse(unit, language: str):
    """``None``, or ``(text, url)`` for the team's open pulse period, in ``language``."""
    today = timezone.localdate()
    for pulse in Pulse.objects.filter(units=unit, active=True, starts_on__lte=today).select_related(
        "instrument"
    ):
        period = actions.open_period(pulse, today)
        if period is None:
            continue
        with translation.override(language):
            text = _(
                "The pulse check of %(team)s is open until %(day)s: a minute on your phone, "
                "anonymous."
            ) % {"team": unit.name, "day": formats.date_format(period.closes_on, "j F")}
            return text, links.team_url(pulse, unit, language)
    return None
