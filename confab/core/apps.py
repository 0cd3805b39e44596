from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "confab.core"
    label = "core"
