from django.apps import AppConfig


class ConnectionsConfig(AppConfig):
    name = "confab.connections"
    label = "connections"
    verbose_name = "Connections"
