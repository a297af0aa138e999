from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The campaign events of the staff campaigns page, in the audit trail's list of actions.
AUDIT_ACTIONS = {
    "campaign.created": _("Created a campaign"),
    "campaign.changed": _("Changed a campaign"),
    "campaign.closed": _("Closed a campaign early"),
}


class PostersConfig(AppConfig):
    name = "mango.posters"
    verbose_name = "QR codes and posters"

    def ready(self):
        from mango.audit.models import register_actions

        register_actions(AUDIT_ACTIONS)
