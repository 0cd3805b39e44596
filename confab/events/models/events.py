"""Events: live (a venue in a gazetteer city) or virtual (a link), with hosts and RSVPs.

Rows are written only by `confab.events.actions`. Times are instants in UTC; the
organiser's IANA zone is kept beside them, so pages can say "7 pm in Austin" as well as
the viewer's own time, and calendar files carry the organiser's TZID.
"""

from django.db import models
from django.urls import reverse

from confab.accounts.models import Account
from confab.chats.models import Chat
from confab.core.models import SnowflakeModel
from confab.posts.models import Hashtag

__all__ = [
    "RSVP",
    "Event",
    "EventHost",
    "EventHostRole",
    "EventReminder",
    "EventVisibility",
    "RSVPState",
]


class EventVisibility(models.TextChoices):
    # Listed in the directory and search; anyone may open it.
    PUBLIC = "public", "Public: listed in the events directory"
    # Not listed anywhere; anyone with the link may open it (like an unlisted post).
    UNLISTED = "unlisted", "Unlisted: only people with the link"


class Event(SnowflakeModel):
    """Something happening once, at a place or online, under a hashtag.

    A live event has `venue` and a city from the offline gazetteer (`city_id` is the
    GeoNames id; label and coordinates are copied so pages and distance checks need no
    lookup). A virtual event has `online_url` and no city. `cancelled_at` is set when the
    hosts call it off: the page stays, saying so, and calendars receive STATUS:CANCELLED.
    """

    title = models.CharField(max_length=120)
    description = models.TextField(max_length=5000, blank=True)
    hashtag = models.ForeignKey(Hashtag, on_delete=models.PROTECT, related_name="events")
    # What the event is about, for the directory's interest filter (as chats have).
    interests = models.ManyToManyField(Hashtag, blank=True, related_name="events_about")
    is_virtual = models.BooleanField(default=False)
    venue = models.CharField(max_length=200, blank=True)
    city_id = models.IntegerField(null=True, blank=True)
    city_label = models.CharField(max_length=200, blank=True)
    country_code = models.CharField(max_length=2, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    online_url = models.URLField(max_length=500, blank=True)
    time_zone = models.CharField(max_length=64)  # the organiser's IANA zone
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    visibility = models.CharField(
        max_length=10, choices=EventVisibility.choices, default=EventVisibility.PUBLIC
    )
    # A pre-event chat people can join; its page shows the chat's next session.
    chat = models.ForeignKey(
        Chat, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    created_by = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["starts_at"], name="event_starts_idx"),
            models.Index(fields=["city_id", "starts_at"], name="event_city_starts_idx"),
            models.Index(fields=["hashtag", "starts_at"], name="event_hashtag_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:event", args=[self.pk])

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None


class EventHostRole(models.TextChoices):
    HOST = "host", "Host"
    COHOST = "cohost", "Co-host"


class EventHost(SnowflakeModel):
    """Someone who runs the event. The one with role `host` created it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="hosts")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="event_roles")
    role = models.CharField(
        max_length=10, choices=EventHostRole.choices, default=EventHostRole.COHOST
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "account"], name="event_host_unique"),
            models.UniqueConstraint(
                fields=["event"], condition=models.Q(role="host"), name="event_one_owner"
            ),
        ]


class RSVPState(models.TextChoices):
    GOING = "going", "Going"
    INTERESTED = "interested", "Interested"
    NOT_GOING = "not_going", "Not going"


class RSVP(SnowflakeModel):
    """One person's answer to an event. `listed` False: counted, but never named to others."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="rsvps")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="event_rsvps")
    state = models.CharField(max_length=10, choices=RSVPState.choices)
    listed = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "account"], name="event_rsvp_unique"),
        ]
        indexes = [
            models.Index(fields=["event", "state"], name="event_rsvp_state_idx"),
            models.Index(fields=["account", "state"], name="event_rsvp_account_idx"),
        ]


class EventReminder(models.Model):
    """That `account` was reminded of `event` starting at `starts_at`: exactly once each.

    The start is part of the key, so a rescheduled event reminds people again, once.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "account", "starts_at"], name="event_reminder_unique"
            ),
        ]
