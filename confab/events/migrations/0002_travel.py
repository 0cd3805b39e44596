import django.db.models.deletion
from django.db import migrations, models

import confab.core.models


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0001_events"),
        ("accounts", "0003_follow_origin"),
        ("curation", "0002_kits"),
    ]

    operations = [
        migrations.CreateModel(
            name="Meetup",
            fields=[
                ("id", confab.core.models.SnowflakeIdField(serialize=False)),
                ("title", models.CharField(max_length=100)),
                ("place", models.CharField(max_length=200)),
                ("city_id", models.IntegerField(blank=True, null=True)),
                ("city_label", models.CharField(blank=True, max_length=200)),
                ("time_zone", models.CharField(default="UTC", max_length=64)),
                ("duration_minutes", models.PositiveIntegerField(default=60)),
                ("note", models.TextField(blank=True, max_length=500)),
                (
                    "state",
                    models.CharField(
                        choices=[
                            ("proposed", "Proposed"),
                            ("confirmed", "Confirmed"),
                            ("cancelled", "Cancelled"),
                        ],
                        default="proposed",
                        max_length=10,
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("confirmed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "organiser",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="organised_meetups",
                        to="accounts.account",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="MeetupOption",
            fields=[
                ("id", confab.core.models.SnowflakeIdField(serialize=False)),
                ("starts_at", models.DateTimeField()),
                (
                    "meetup",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="options",
                        to="events.meetup",
                    ),
                ),
            ],
            options={
                "ordering": ["starts_at", "id"],
            },
        ),
        migrations.AddField(
            model_name="meetup",
            name="confirmed_option",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="events.meetupoption",
            ),
        ),
        migrations.CreateModel(
            name="MeetupReminder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
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
                    "meetup",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="events.meetup",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="MeetupVote",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="accounts.account",
                    ),
                ),
                (
                    "option",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="votes",
                        to="events.meetupoption",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="Trip",
            fields=[
                ("id", confab.core.models.SnowflakeIdField(serialize=False)),
                ("city_id", models.IntegerField()),
                ("city_label", models.CharField(max_length=200)),
                ("country_code", models.CharField(blank=True, max_length=2)),
                ("latitude", models.FloatField()),
                ("longitude", models.FloatField()),
                ("starts_on", models.DateField()),
                ("ends_on", models.DateField()),
                (
                    "audience",
                    models.CharField(
                        choices=[
                            ("mutuals", "People I follow who follow me back"),
                            ("list", "The people on one of my lists"),
                            ("only_me", "Only me"),
                        ],
                        default="mutuals",
                        max_length=8,
                    ),
                ),
                ("note", models.TextField(blank=True, max_length=500)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "audience_list",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="curation.list",
                    ),
                ),
                (
                    "traveller",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="trips",
                        to="accounts.account",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="MeetupInvite",
            fields=[
                ("id", confab.core.models.SnowflakeIdField(serialize=False)),
                (
                    "response",
                    models.CharField(
                        choices=[
                            ("pending", "Not answered yet"),
                            ("accepted", "Coming"),
                            ("declined", "Not coming"),
                        ],
                        default="pending",
                        max_length=8,
                    ),
                ),
                ("responded_at", models.DateTimeField(blank=True, null=True)),
                (
                    "account",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="meetup_invites",
                        to="accounts.account",
                    ),
                ),
                (
                    "meetup",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="invites",
                        to="events.meetup",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(fields=["account", "meetup"], name="meetup_invite_account_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("meetup", "account"), name="meetup_invite_unique"
                    )
                ],
            },
        ),
        migrations.AddConstraint(
            model_name="meetupoption",
            constraint=models.UniqueConstraint(
                fields=("meetup", "starts_at"), name="meetup_option_unique"
            ),
        ),
        migrations.AddIndex(
            model_name="meetup",
            index=models.Index(fields=["organiser", "-id"], name="meetup_organiser_idx"),
        ),
        migrations.AddConstraint(
            model_name="meetupreminder",
            constraint=models.UniqueConstraint(
                fields=("meetup", "account"), name="meetup_reminder_unique"
            ),
        ),
        migrations.AddConstraint(
            model_name="meetupvote",
            constraint=models.UniqueConstraint(
                fields=("option", "account"), name="meetup_vote_unique"
            ),
        ),
        migrations.AddIndex(
            model_name="trip",
            index=models.Index(fields=["traveller", "starts_on"], name="trip_traveller_idx"),
        ),
        migrations.AddIndex(
            model_name="trip",
            index=models.Index(fields=["ends_on", "starts_on"], name="trip_dates_idx"),
        ),
    ]
