import django.db.models.deletion
from django.db import migrations, models

import confab.core.models


class Migration(migrations.Migration):
    dependencies = [
        ("connections", "0001_search"),
        ("accounts", "0003_follow_origin"),
        ("posts", "0002_post_indexes_for_feeds"),
    ]

    operations = [
        migrations.CreateModel(
            name="Conversation",
            fields=[
                ("id", confab.core.models.SnowflakeIdField(serialize=False)),
                ("participants_key", models.CharField(max_length=2000)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "indexes": [
                    models.Index(fields=["participants_key", "-id"], name="conversation_key_idx")
                ],
            },
        ),
        migrations.CreateModel(
            name="ConversationParticipant",
            fields=[
                ("id", confab.core.models.SnowflakeIdField(serialize=False)),
                ("last_post_id", models.BigIntegerField(blank=True, null=True)),
                ("last_read_id", models.BigIntegerField(default=0)),
                ("muted", models.BooleanField(default=False)),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="conversation_memberships",
                        db_index=False,
                        to="accounts.account",
                    ),
                ),
                (
                    "conversation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="participants",
                        db_index=False,
                        to="connections.conversation",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["account", "-last_post_id"], name="conversation_inbox_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("conversation", "account"), name="conversation_participant_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="ConversationPost",
            fields=[
                (
                    "post",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="conversation_link",
                        serialize=False,
                        to="posts.post",
                    ),
                ),
                (
                    "conversation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="posts",
                        db_index=False,
                        to="connections.conversation",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["conversation", "post"], name="conversation_post_idx")
                ],
            },
        ),
    ]
