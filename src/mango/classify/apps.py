from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ClassifyConfig(AppConfig):
    name = "mango.classify"
    verbose_name = _("Automatic classification")

    def ready(self):
        from mango.research import hooks

        from . import suggestions, tasks  # noqa: F401 - tasks connects to de-identification

        # The coder screen asks for suggestions only in rounds that show them.
        hooks.register_suggester(suggestions.as_probabilities)
