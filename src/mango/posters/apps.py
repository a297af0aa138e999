from django.apps import AppConfig


class PostersConfig(AppConfig):
    name = "mango.posters"
    verbose_name = "QR codes and posters"

    def ready(self):
        from .audit_actions import register

        register()
