import django.db.models.deletion
from django.db import migrations, models

import confab.core.models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("accounts", "0002_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ScheduledPost",
            fields=[
                ("id", confab.core.models.SnowflakeIdField(serialize=False)),
                ("text", models.TextField(blank=True)),
                ("spoiler_text", models.CharField(blank=True, max_length=200)),
                (
                    "visibility",
                    models.CharField(
                        choices=[
                            ("public", "Public"),
                            ("unlisted", "Unlisted"),
                            ("private", "Followers only"),
                            ("direct", "Mentioned people only"),
                        ],
                        default="public",
                        max_length=10,
                    ),
                ),
                ("in_reply_to_id", models.BigIntegerField(blank=True, null=True)),
                ("scheduled_at", models.DateTimeField()),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting"),
                            ("published", "Published"),
                            ("failed", "Could not be published"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="pending",
                        max_length=10,
                    ),
                ),
                ("post_id", models.BigIntegerField(blank=True, null=True)),
                ("published_at", models.DateTimeField(blank=True, null=True)),
                ("error", models.CharField(blank=True, max_length=500)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="scheduled_posts",
                        to="accounts.account",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["account", "state", "scheduled_at"],
                        name="scheduled_account_idx",
                    )
                ],
            },
        ),
    ]
