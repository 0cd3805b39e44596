from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "confab.notifications"
    label = "notifications"
