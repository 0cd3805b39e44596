from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _restore_search_triggers(sender, using: str = "default", **kwargs) -> None:
    from django.db import connections

    from confab.connections.search import schema

    schema.ensure_triggers(connections[using])


class ConnectionsConfig(AppConfig):
    name = "confab.connections"
    label = "connections"
    verbose_name = "Connections"

    def ready(self) -> None:
        # People worth meeting are refreshed when the signals behind them change (a follow,
        # a followed hashtag, interests, a post in a chat room): confab/connections/people.
        from confab.connections.people import signals

        signals.connect()
        post_migrate.connect(
            _restore_search_triggers, sender=self, dispatch_uid="connections_search_triggers"
        )
