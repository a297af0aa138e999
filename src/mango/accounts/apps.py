from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The account events of the people pages, in the audit trail's list of actions.
AUDIT_ACTIONS = {
    "account.invited": _("Invited a colleague"),
    "account.deactivated": _("Deactivated an account"),
    "account.reactivated": _("Reactivated an account"),
    "account.password_set": _("Set a new password"),
}


class AccountsConfig(AppConfig):
    name = "mango.accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from mango.audit.models import register_actions

        register_actions(AUDIT_ACTIONS)
