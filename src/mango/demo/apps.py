from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "mango.demo"
    verbose_name = "Demo data"
