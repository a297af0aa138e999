"""Translated labels for this app's codes (``vocab.PROFESSIONS``, digest frequencies)."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

PROFESSION = {
    "nurse": _("Nurse"),
    "care_assistant": _("Care assistant"),
    "doctor": _("Doctor"),
    "allied_health": _("Allied health professional (physio, speech, occupational...)"),
    "cleaner": _("Cleaner"),
    "porter": _("Porter or transport"),
    "kitchen": _("Kitchen or catering"),
    "reception": _("Reception or administration"),
    "volunteer": _("Volunteer"),
    "manager": _("Manager or head nurse"),
    "other": pgettext_lazy("profession", "Other"),
}

FREQUENCY = {
    "weekly": _("Every week"),
    "monthly": _("Every month"),
    "never": _("Never"),
}

PROFESSION_CHOICES = list(PROFESSION.items())
FREQUENCY_CHOICES = list(FREQUENCY.items())
