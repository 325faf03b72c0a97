from django.apps import AppConfig


class DataConfig(AppConfig):
    name = "data"
    verbose_name = "Demo data"
