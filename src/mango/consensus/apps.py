from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# This app's audit actions (``mango.audit.log.record`` refuses unknown ones). They are added
# to the audit trail's list when the app loads; see ready().
AUDIT_ACTIONS = {
    "consensus.study_created": _("Created a consensus study"),
    "consensus.study_changed": _("Changed a consensus study"),
    "consensus.rule_set": _("Chose a consensus rule"),
    "consensus.rule_locked": _("Locked a consensus rule"),
    "consensus.rule_change_refused": _("Tried to change a locked consensus rule"),
    "consensus.round_opened": _("Opened a consensus round"),
    "consensus.round_closed": _("Closed a consensus round"),
    "consensus.items_changed": _("Changed a consensus study's items"),
    "consensus.panellists_changed": _("Changed a consensus panel"),
    "consensus.panel_viewed": _("Opened a consensus panel's contact details"),
    "consensus.invited": _("Sent consensus invitations or reminders"),
    "consensus.link_revoked": _("Revoked a panellist's link"),
    "consensus.decided": _("Recorded a consensus decision"),
    "consensus.codes_created": _("Turned consensus items into codes"),
    "consensus.exported": _("Exported consensus results"),
}


class ConsensusConfig(AppConfig):
    name = "mango.consensus"
    verbose_name = _("Consensus studies")

    def ready(self):
        from mango.audit.models import register_actions

        register_actions(AUDIT_ACTIONS)
