"""The activity rollups behind the heatmap (decision 018): the tables, their first fill from
the posts, favourites and follows already there, and the triggers that keep them
(confab.insights.rollup)."""

import django.db.models.deletion
from django.db import migrations, models


def fill(apps, schema_editor):
    from confab.insights import rollup

    rollup.rebuild(schema_editor.connection)  # and installs the triggers


def empty(apps, schema_editor):
    from confab.insights import rollup

    rollup.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_follow_origin"),
        ("insights", "0001_scheduled"),
        ("chats", "0002_rooms"),
        ("posts", "0003_favourite_account_recent"),
    ]

    operations = [
        migrations.CreateModel(
            name="Activity",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("quarter", models.BigIntegerField()),
                ("actions", models.IntegerField(default=0)),
                (
                    "account",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.account",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["account", "quarter", "actions"], name="activity_covering_idx"
                    )
                ],
                "constraints": [
                    models.UniqueConstraint(fields=("account", "quarter"), name="activity_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="Audience",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("quarter", models.BigIntegerField()),
                ("actions", models.IntegerField(default=0)),
                (
                    "account",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.account",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("account", "quarter"), name="audience_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="ChatAudience",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("quarter", models.BigIntegerField()),
                ("actions", models.IntegerField(default=0)),
                (
                    "chat",
                    models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="chats.chat",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("chat", "quarter"), name="chat_audience_unique")
                ],
            },
        ),
        migrations.RunPython(fill, empty),
    ]
