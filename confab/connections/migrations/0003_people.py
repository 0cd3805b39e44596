import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

import confab.core.models


class Migration(migrations.Migration):
    dependencies = [
        ("connections", "0002_conversations"),
        ("accounts", "0002_initial"),
        ("chats", "0002_rooms"),
        ("posts", "0002_post_indexes_for_feeds"),
    ]

    operations = [
        migrations.CreateModel(
            name="Dismissal",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.account",
                    ),
                ),
                (
                    "candidate",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.account",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("account", "candidate"), name="dismissal_unique"
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="Introduction",
            fields=[
                ("id", confab.core.models.SnowflakeIdField(serialize=False)),
                ("note", models.TextField(max_length=500)),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("pending", "Waiting for answers"),
                            ("connected", "They're connected"),
                            ("declined", "It didn't happen"),
                            ("expired", "It didn't happen"),
                            ("cancelled", "It didn't happen"),
                        ],
                        default="pending",
                        max_length=10,
                    ),
                ),
                (
                    "first_answer",
                    models.CharField(
                        blank=True,
                        choices=[("accepted", "Accepted"), ("declined", "Not now")],
                        default="",
                        max_length=10,
                    ),
                ),
                (
                    "second_answer",
                    models.CharField(
                        blank=True,
                        choices=[("accepted", "Accepted"), ("declined", "Not now")],
                        default="",
                        max_length=10,
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("expires_at", models.DateTimeField()),
                ("closed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "conversation",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="posts.post",
                    ),
                ),
                (
                    "first",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.account",
                    ),
                ),
                (
                    "introducer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="introductions_made",
                        to="accounts.account",
                    ),
                ),
                (
                    "second",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.account",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["introducer", "state"], name="introduction_introducer_idx"
                    ),
                    models.Index(fields=["first", "state"], name="introduction_first_idx"),
                    models.Index(fields=["second", "state"], name="introduction_second_idx"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("state", "pending")),
                        fields=("first", "second"),
                        name="introduction_one_pending_pair",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("first__lt", models.F("second"))),
                        name="introduction_ordered_pair",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="Recommendation",
            fields=[
                ("id", confab.core.models.SnowflakeIdField(serialize=False)),
                ("score", models.FloatField()),
                ("mutual_follows", models.PositiveIntegerField(default=0)),
                ("shared_answers", models.PositiveIntegerField(default=0)),
                ("shared_sessions", models.PositiveIntegerField(default=0)),
                ("interactions", models.PositiveIntegerField(default=0)),
                ("shared_tags", models.PositiveIntegerField(default=0)),
                ("same_city", models.BooleanField(default=False)),
                ("question", models.PositiveSmallIntegerField(blank=True, null=True)),
                ("computed_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="recommendations",
                        to="accounts.account",
                    ),
                ),
                (
                    "candidate",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.account",
                    ),
                ),
                (
                    "session",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="chats.chatsession",
                    ),
                ),
                (
                    "tag_a",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="posts.hashtag",
                    ),
                ),
                (
                    "tag_b",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="posts.hashtag",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["account", "-score"], name="recommendation_rank_idx"),
                    models.Index(fields=["candidate"], name="recommendation_candidate_idx"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("account", "candidate"), name="recommendation_unique"
                    )
                ],
            },
        ),
    ]
