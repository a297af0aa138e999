from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The audit actions of this app, added to the audit trail's list when the app loads (their
# labels are in this app's catalogue). Ambassadors and waves/pilot teams reuse
# "membership.changed" and "organisation.changed".
AUDIT_ACTIONS = {
    "story.teams_changed": _("Changed the teams a story belongs to"),
    "wall_link.created": _("Made a story wall link"),
    "wall_link.renewed": _("Renewed a story wall link"),
    "wall_link.revoked": _("Revoked a story wall link"),
    "reflection.recorded": _("Recorded a team's reflection on a story"),
}


class CultureConfig(AppConfig):
    name = "mango.culture"
    verbose_name = _("Mangomoment culture")

    def ready(self):
        from mango.audit.models import register_actions

        register_actions(AUDIT_ACTIONS)
