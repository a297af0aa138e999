from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "mango.api"
    verbose_name = "API"
