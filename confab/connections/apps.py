from django.apps import AppConfig


class ConnectionsConfig(AppConfig):
    name = "confab.connections"
    label = "connections"
    verbose_name = "Connections"

    def ready(self) -> None:
        # People worth meeting are refreshed when the signals behind them change (a follow,
        # a followed hashtag, interests, a post in a chat room): confab/connections/people.
        from confab.connections.people import signals

        signals.connect()
