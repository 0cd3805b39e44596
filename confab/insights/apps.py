from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _install_rollup_triggers(sender, using: str = "default", **kwargs) -> None:
    """Put the rollup's triggers back after every migrate: SQLite drops a table's triggers
    when a migration rebuilds it (see confab.insights.rollup)."""
    from django.db import connections

    from confab.insights import rollup

    rollup.install(connections[using])


class InsightsConfig(AppConfig):
    name = "confab.insights"
    label = "insights"
    verbose_name = "Scheduled posts and insights"

    def ready(self) -> None:
        post_migrate.connect(
            _install_rollup_triggers, sender=self, dispatch_uid="insights_rollup_triggers"
        )
