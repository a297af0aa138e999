from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# The audit trail's names for this app's events, registered from ready().
AUDIT_ACTIONS = {
    "thankyou.linked": _("Linked a story to a staff member for a thank-you note"),
    "thankyou.sent": _("Sent a thank-you note"),
    "thankyou.replied": _("A staff member replied to a thank-you note"),
    "thankyou.reply_revoked": _("Revoked the reply link of a thank-you note"),
}


class RecognitionConfig(AppConfig):
    name = "mango.recognition"
    verbose_name = _("Recognition")

    def ready(self):
        from mango.audit.models import register_actions

        register_actions(AUDIT_ACTIONS)
