"""Human messages for the problem codes of ``mango.lib.intake`` and placement."""

from django.utils.translation import gettext as _

from mango.lib import vocab


def message(field: str, code: str, text: str = "") -> str:
    if field == "text" and code == "too_short":
        return _("Please tell a little more: at least %(min)d characters.") % {
            "min": vocab.STORY_MIN_CHARS
        }
    if field == "text" and code == "too_long":
        return _(
            "Your story is too long: at most %(max)d characters (now %(n)d). "
            "Could you shorten it a little?"
        ) % {"max": vocab.STORY_MAX_CHARS, "n": len(text)}
    return {
        "required": _("This field is required."),
        "invalid_choice": _("Choose one of the options offered."),
        "invalid_bool": _("Answer yes or no."),
        "consent_required": _(
            "Choose at least one of the two: without your consent we cannot use your story."
        ),
        "invalid_email": _("Enter a valid e-mail address, or leave it empty."),
        "invalid_phone": _("Enter a valid phone number, or leave it empty."),
        "too_long": _("This is too long."),
        "unit_mismatch": _("This unit does not belong to the chosen organisation."),
        "campaign_closed": _("This campaign is closed and no longer accepts stories."),
        "not_in_campaign": _("This organisation does not take part in the campaign."),
        "unknown_organisation": _("Unknown organisation."),
        "unknown_unit": _("Unknown unit."),
        "unknown_campaign": _("Unknown campaign."),
    }.get(code, code)
