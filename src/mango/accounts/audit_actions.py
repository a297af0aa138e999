"""The account events of the people pages, added to the audit trail's list of actions.

(mango.audit.models.ACTIONS is the one list; these entries are registered from the accounts
app so that the audit app stays free of account pages.)
"""

from django.utils.translation import gettext_lazy as _

ACCOUNT_ACTIONS = {
    "account.invited": _("Invited a colleague"),
    "account.deactivated": _("Deactivated an account"),
    "account.reactivated": _("Reactivated an account"),
    "account.password_set": _("Set a new password"),
}


def register() -> None:
    from mango.audit.models import ACTIONS

    for key, label in ACCOUNT_ACTIONS.items():
        ACTIONS.setdefault(key, label)
