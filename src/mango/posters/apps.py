from django.apps import AppConfig


class PostersConfig(AppConfig):
    name = "mango.posters"
    verbose_name = "QR codes and posters"
