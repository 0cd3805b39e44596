import django.db.models.deletion
from django.db import migrations, models

import confab.core.models


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_initial"),
        ("chats", "0002_rooms"),
        ("posts", "0002_post_indexes_for_feeds"),
    ]

    operations = [
        migrations.CreateModel(
            name="Event",
            fields=[
                ("id", confab.core.models.SnowflakeIdField(serialize=False)),
                ("title", models.CharField(max_length=120)),
                ("description", models.TextField(blank=True, max_length=5000)),
                ("is_virtual", models.BooleanField(default=False)),
                ("venue", models.CharField(blank=True, max_length=200)),
                ("city_id", models.IntegerField(blank=True, null=True)),
                ("city_label", models.CharField(blank=True, max_length=200)),
                ("country_code", models.CharField(blank=True, max_length=2)),
                ("latitude", models.FloatField(blank=True, null=True)),
                ("longitude", models.FloatField(blank=True, null=True)),
                ("online_url", models.URLField(blank=True, max_length=500)),
                ("time_zone", models.CharField(max_length=64)),
                ("starts_at", models.DateTimeField()),
                ("ends_at", models.DateTimeField()),
                (
                    "visibility",
                    models.CharField(
                        choices=[
                            ("public", "Public: listed in the events directory"),
                            ("unlisted", "Unlisted: only people with the link"),
                        ],
                        default="public",
                        max_length=10,
                    ),
                ),
                ("cancelled_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "chat",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="events",
                        to="chats.chat",
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.account",
                    ),
                ),
                (
                    "hashtag",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="events",
                        to="posts.hashtag",
                    ),
                ),
                (
                    "interests",
                    models.ManyToManyField(
                        blank=True, related_name="events_about", to="posts.hashtag"
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="EventHost",
            fields=[
                ("id", confab.core.models.SnowflakeIdField(serialize=False)),
                (
                    "role",
                    models.CharField(
                        choices=[("host", "Host"), ("cohost", "Co-host")],
                        default="cohost",
                        max_length=10,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="event_roles",
                        to="accounts.account",
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="hosts",
                        to="events.event",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="EventReminder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("starts_at", models.DateTimeField()),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.account",
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="events.event",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="RSVP",
            fields=[
                ("id", confab.core.models.SnowflakeIdField(serialize=False)),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("going", "Going"),
                            ("interested", "Interested"),
                            ("not_going", "Not going"),
                        ],
                        max_length=10,
                    ),
                ),
                ("listed", models.BooleanField(default=True)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="event_rsvps",
                        to="accounts.account",
                    ),
                ),
                (
                    "event",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="rsvps",
                        to="events.event",
                    ),
                ),
            ],
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["starts_at"], name="event_starts_idx"),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["city_id", "starts_at"], name="event_city_starts_idx"),
        ),
        migrations.AddIndex(
            model_name="event",
            index=models.Index(fields=["hashtag", "starts_at"], name="event_hashtag_idx"),
        ),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(("ends_at__gt", models.F("starts_at"))), name="event_ends_after"
            ),
        ),
        migrations.AddConstraint(
            model_name="eventhost",
            constraint=models.UniqueConstraint(
                fields=("event", "account"), name="event_host_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="eventhost",
            constraint=models.UniqueConstraint(
                condition=models.Q(("role", "host")), fields=("event",), name="event_one_owner"
            ),
        ),
        migrations.AddConstraint(
            model_name="eventreminder",
            constraint=models.UniqueConstraint(
                fields=("event", "account", "starts_at"), name="event_reminder_unique"
            ),
        ),
        migrations.AddIndex(
            model_name="rsvp",
            index=models.Index(fields=["event", "state"], name="event_rsvp_state_idx"),
        ),
        migrations.AddIndex(
            model_name="rsvp",
            index=models.Index(fields=["account", "state"], name="event_rsvp_account_idx"),
        ),
        migrations.AddConstraint(
            model_name="rsvp",
            constraint=models.UniqueConstraint(
                fields=("event", "account"), name="event_rsvp_unique"
            ),
        ),
    ]
