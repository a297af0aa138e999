from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "mango.accounts"
    verbose_name = _("Accounts and roles")

    def ready(self):
        from .audit_actions import register

        register()
