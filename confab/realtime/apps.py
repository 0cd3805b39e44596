from django.apps import AppConfig


class RealtimeConfig(AppConfig):
    name = "confab.realtime"
    label = "realtime"
