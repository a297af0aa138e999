"""Translated labels for the codes in ``mango.lib.vocab``, as Django choices."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from mango.lib import vocab

TELLER_ROLE = {
    "patient": _("Patient"),
    "resident": _("Resident"),
    "family": _("Family member or informal carer"),
    "professional": _("Healthcare professional"),
    "other": _("Other"),
}
SETTING = {
    "hospital": _("Hospital"),
    "rehabilitation": _("Rehabilitation centre"),
    "residential": _("Residential care centre"),
    "disability": _("Care for people with disabilities"),
    "primary": _("Primary care (GP, home care)"),
    "other": pgettext_lazy("setting", "Other"),
}
ONCOLOGICAL = {
    "yes": _("Yes, cancer care"),
    "no": _("No"),
    "unknown": _("I don't know"),
}
WHEN = {
    "week": _("In the past week"),
    "month": _("In the past month"),
    "year": _("In the past year"),
    "older": _("More than a year ago"),
    "unknown": _("I don't remember"),
}
GESTURE_BY = {
    "nurse": _("A nurse"),
    "doctor": _("A doctor"),
    "care_assistant": _("A care assistant"),
    "therapist": _("A therapist (physio, speech, occupational...)"),
    "other_staff": _("Other staff (reception, kitchen, cleaning...)"),
    "volunteer": _("A volunteer"),
    "patient": _("A patient or resident"),
    "family": _("A family member"),
    "unknown": _("I'd rather not say / don't know"),
}
ORGANISATION_KIND = {
    "hospital": _("Hospital"),
    "rehabilitation": _("Rehabilitation centre"),
    "residential": _("Residential care centre"),
    "disability": _("Care for people with disabilities"),
    "primary": _("Primary care"),
}
ROLE = {
    "administrator": _("Administrator"),
    "researcher": _("Researcher"),
    "network_coordinator": _("Network coordinator"),
    "manager": _("Organisation manager"),
    "ambassador": _("Mangomoment ambassador"),
    "team_member": _("Team member"),
}
LANGUAGE = {"nl": _("Dutch"), "fr": _("French"), "en": _("English")}
SOURCE = {"form": _("Web form"), "api": _("API"), "import": _("Import"), "demo": _("Demo data")}
STATUS = {
    "received": _("Received"),
    "deidentified": _("De-identified"),
    "reviewed": _("Reviewed"),
    "shared": _("Shared"),
    "withdrawn": _("Withdrawn"),
    "erased": _("Erased"),
}


def choices(labels: dict, codes: tuple[str, ...]) -> list[tuple[str, str]]:
    """Choices in the vocabulary's order; fails at import if a code has no label."""
    return [(code, labels[code]) for code in codes]


TELLER_ROLE_CHOICES = choices(TELLER_ROLE, vocab.TELLER_ROLES)
SETTING_CHOICES = choices(SETTING, vocab.SETTINGS)
ONCOLOGICAL_CHOICES = choices(ONCOLOGICAL, vocab.ONCOLOGICAL)
WHEN_CHOICES = choices(WHEN, vocab.WHEN)
GESTURE_BY_CHOICES = choices(GESTURE_BY, vocab.GESTURE_BY)
ORGANISATION_KIND_CHOICES = choices(ORGANISATION_KIND, vocab.ORGANISATION_KINDS)
ROLE_CHOICES = choices(ROLE, vocab.ROLES)
LANGUAGE_CHOICES = choices(LANGUAGE, vocab.LANGUAGES)
SOURCE_CHOICES = choices(SOURCE, vocab.SOURCES)
STATUS_CHOICES = choices(STATUS, vocab.STATUSES)
