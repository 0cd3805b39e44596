"""Trips ("I'll be in Austin, 3–6 March") and meetups proposed to acquaintances.

Rows are written only by `confab.events.travel.actions`; read them through
`confab.events.travel.queries`, which knows who may see what.

A trip keeps the gazetteer city's id, label and coordinates (like a profile does), so
pages and distance checks need no lookup. Nobody's exact location is ever stored: a trip,
a profile and a meetup all name a city, never a point.
"""

import zoneinfo
from datetime import timedelta

from django.db import models
from django.urls import reverse

from confab.accounts.models import Account
from confab.core.models import SnowflakeModel

__all__ = ["Meetup", "MeetupInvite", "MeetupOption", "MeetupReminder", "MeetupVote", "Trip"]


class Trip(SnowflakeModel):
    """A stay in a city between two dates (both included), seen only by its audience."""

    class Audience(models.TextChoices):
        MUTUALS = "mutuals", "People I follow who follow me back"
        LIST = "list", "The people on one of my lists"
        ONLY_ME = "only_me", "Only me"

    traveller = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="trips")
    city_id = models.IntegerField()
    city_label = models.CharField(max_length=200)
    country_code = models.CharField(max_length=2, blank=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    starts_on = models.DateField()
    ends_on = models.DateField()
    audience = models.CharField(max_length=8, choices=Audience.choices, default=Audience.MUTUALS)
    # Deleting the list leaves the trip with no audience but its traveller: failing closed.
    audience_list = models.ForeignKey(
        "curation.List", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note = models.TextField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["traveller", "starts_on"], name="trip_traveller_idx"),
            models.Index(fields=["ends_on", "starts_on"], name="trip_dates_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.city_label}, {self.starts_on}–{self.ends_on}"

    def get_absolute_url(self) -> str:
        return reverse("events:trip", args=[self.pk])


class Meetup(SnowflakeModel):
    """A get-together an organiser proposes to a few acquaintances, with times to vote on.

    Times are entered and shown on the wall clock of `time_zone`: the meetup city's zone,
    or the organiser's when no city is given.
    """

    class State(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        CONFIRMED = "confirmed", "Confirmed"
        CANCELLED = "cancelled", "Cancelled"

    organiser = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="organised_meetups"
    )
    title = models.CharField(max_length=100)
    place = models.CharField(max_length=200)
    city_id = models.IntegerField(null=True, blank=True)
    city_label = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    duration_minutes = models.PositiveIntegerField(default=60)
    note = models.TextField(max_length=500, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PROPOSED)
    confirmed_option = models.ForeignKey(
        "MeetupOption", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["organiser", "-id"], name="meetup_organiser_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:meetup", args=[self.pk])

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone or "UTC")
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def is_confirmed(self) -> bool:
        return self.state == self.State.CONFIRMED

    @property
    def is_open(self) -> bool:
        return self.state == self.State.PROPOSED


class MeetupOption(SnowflakeModel):
    """One time the organiser suggests; invitees vote for the ones that suit them."""

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="options")
    starts_at = models.DateTimeField()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meetup", "starts_at"], name="meetup_option_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.meetup_id} at {self.starts_at:%Y-%m-%d %H:%M}"


class MeetupInvite(SnowflakeModel):
    class Response(models.TextChoices):
        PENDING = "pending", "Not answered yet"
        ACCEPTED = "accepted", "Coming"
        DECLINED = "declined", "Not coming"

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="invites")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="meetup_invites")
    response = models.CharField(max_length=8, choices=Response.choices, default=Response.PENDING)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meetup", "account"], name="meetup_invite_unique"),
        ]
        indexes = [models.Index(fields=["account", "meetup"], name="meetup_invite_account_idx")]


class MeetupVote(models.Model):
    """An invitee saying "this time suits me"; several per invitee are fine."""

    option = models.ForeignKey(MeetupOption, on_delete=models.CASCADE, related_name="votes")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["option", "account"], name="meetup_vote_unique"),
        ]


class MeetupReminder(models.Model):
    """That `account` was reminded of the meetup: written with the notification, so once."""

    meetup = models.ForeignKey(Meetup, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["meetup", "account"], name="meetup_reminder_unique"),
        ]
