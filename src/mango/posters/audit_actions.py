"""The campaign events of the staff campaigns page, added to the audit trail's list of actions
(mango.audit.models.ACTIONS is the one list; see mango.accounts.audit_actions)."""

from django.utils.translation import gettext_lazy as _

CAMPAIGN_ACTIONS = {
    "campaign.created": _("Created a campaign"),
    "campaign.changed": _("Changed a campaign"),
    "campaign.closed": _("Closed a campaign early"),
}


def register() -> None:
    from mango.audit.models import ACTIONS

    for key, label in CAMPAIGN_ACTIONS.items():
        ACTIONS.setdefault(key, label)
