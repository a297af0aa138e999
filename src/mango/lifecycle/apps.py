from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    name = "mango.lifecycle"
    verbose_name = _("Story lifecycle")
