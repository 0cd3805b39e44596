from django.apps import AppConfig


class TimelinesConfig(AppConfig):
    name = "confab.timelines"
    label = "timelines"
