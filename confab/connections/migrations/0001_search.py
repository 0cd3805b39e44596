"""The post search index: FTS5 on SQLite, a tsvector table on PostgreSQL.

Both are kept by database triggers, so every path that writes `posts_post` (actions, the
benchmark seeder's bulk inserts, a cascade when an account goes) keeps the index right.
The SQL lives in `confab.connections.search.schema`, beside the engines that read it.
"""

from django.db import migrations


def _create(apps, schema_editor):
    from confab.connections.search import schema

    schema.create(schema_editor.connection)


def _drop(apps, schema_editor):
    from confab.connections.search import schema

    schema.drop(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("posts", "0002_post_indexes_for_feeds")]

    operations = [migrations.RunPython(_create, _drop)]
