from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QualitativeConfig(AppConfig):
    name = "mango.qualitative"
    verbose_name = _("Transcripts")
