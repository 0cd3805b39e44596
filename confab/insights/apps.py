from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "confab.insights"
    label = "insights"
    verbose_name = "Scheduled posts and insights"
