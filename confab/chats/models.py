"""Chats: a hashtag, its hosts and schedule; sessions with their question plans.

Rows are written only by `confab.chats.actions`.
"""

import secrets
from datetime import UTC, datetime

from django.db import models
from django.urls import reverse

from confab.accounts.models import Account
from confab.chats.recurrence import Schedule
from confab.core.models import SnowflakeModel
from confab.posts.models import Hashtag, Post


class WallClockDateTimeField(models.DateTimeField):
    """A naive date and time on the wall clock of a zone kept beside it.

    Django would read a naive datetime as the server's zone and store the instant; a chat's
    first start is a wall-clock time in the host's zone, whatever the server's. It is
    stored as if it were UTC and read back naive, the same on SQLite and PostgreSQL.
    """

    def get_prep_value(self, value):
        if isinstance(value, datetime) and value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return super().get_prep_value(value)

    def from_db_value(self, value, expression, connection):
        if isinstance(value, datetime) and value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value


class Chat(SnowflakeModel):
    """A recurring (or one-off) conversation under a hashtag the chat owns on this instance.

    The schedule is kept as the host picked it: an IANA `time_zone`, the naive local date
    and time of the first session (`starts_at_local`), an RFC 5545 `rrule` ("" for a one-off
    chat) and a `duration` in minutes. Sessions are expanded from it in the host's zone
    (see `confab.chats.recurrence`) and stored as `ChatSession` rows in UTC.
    """

    hashtag = models.OneToOneField(Hashtag, on_delete=models.PROTECT, related_name="chat")
    title = models.CharField(max_length=100)
    description = models.TextField(max_length=2000, blank=True)
    code_of_conduct = models.TextField(max_length=5000, blank=True)
    interests = models.ManyToManyField(Hashtag, blank=True, related_name="chats_about")
    time_zone = models.CharField(max_length=64)
    rrule = models.CharField(max_length=300, blank=True)
    starts_at_local = WallClockDateTimeField()  # naive: wall-clock time in `time_zone`
    duration = models.PositiveSmallIntegerField(default=60)  # minutes
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"#{self.hashtag.display_name}"

    def get_absolute_url(self) -> str:
        return reverse("chats:chat", args=[self.hashtag.name])

    @property
    def schedule(self) -> Schedule:
        return Schedule(
            time_zone=self.time_zone,
            first_local=self.starts_at_local,
            rrule=self.rrule,
            duration=self.duration,
        )

    @property
    def is_recurring(self) -> bool:
        return bool(self.rrule)


class HostRole(models.TextChoices):
    HOST = "host", "Host"
    COHOST = "cohost", "Co-host"


class ChatHost(SnowflakeModel):
    """Someone who runs the chat. The one with role `host` is its owner."""

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="hosts")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="chat_roles")
    role = models.CharField(max_length=10, choices=HostRole.choices, default=HostRole.COHOST)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chat", "account"], name="chat_host_unique"),
            models.UniqueConstraint(
                fields=["chat"], condition=models.Q(role="host"), name="chat_one_owner"
            ),
        ]


class SessionState(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    LIVE = "live", "Live"
    ENDED = "ended", "Ended"


class ChatSession(SnowflakeModel):
    """One occurrence of a chat, in UTC. Its state moves on by itself (the worker)."""

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    state = models.CharField(
        max_length=10, choices=SessionState.choices, default=SessionState.SCHEDULED
    )
    topic = models.CharField(max_length=200, blank=True)
    guests = models.ManyToManyField(Account, blank=True, related_name="chat_guest_sessions")
    # A host may lock the room: posts with the hashtag still publish, but no longer join it.
    locked = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chat", "starts_at"], name="chat_session_unique"),
        ]
        indexes = [models.Index(fields=["starts_at"], name="chat_session_starts_idx")]
        ordering = ["starts_at"]

    def __str__(self) -> str:
        return f"{self.chat} at {self.starts_at:%Y-%m-%d %H:%M} UTC"

    def overlaps(self, starts_at: datetime, ends_at: datetime) -> bool:
        return self.starts_at < ends_at and starts_at < self.ends_at


class ChatQuestion(SnowflakeModel):
    """Q`number` of a session, to be posted `offset_minutes` after it starts."""

    session = models.ForeignKey(ChatSession, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(max_length=400)
    offset_minutes = models.PositiveSmallIntegerField()
    # Set once the question is posted (by the worker or a host): never post it twice.
    posted_post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="chat_question_unique"),
        ]
        ordering = ["number"]

    def __str__(self) -> str:
        return f"Q{self.number} {self.text}"


class ChatFollow(SnowflakeModel):
    """Someone following a chat, reminded `remind_minutes` before each session (0: never)."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="chat_follows")
    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="follows")
    remind_minutes = models.PositiveSmallIntegerField(default=15)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "chat"], name="chat_follow_unique"),
        ]
        indexes = [models.Index(fields=["chat", "remind_minutes"], name="chat_follow_remind_idx")]


class ChatReminder(models.Model):
    """That `account` was reminded of `session`: the unique row makes reminders exactly-once."""

    session = models.ForeignKey(ChatSession, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "account"], name="chat_reminder_unique"),
        ]


def new_calendar_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarToken(models.Model):
    """The secret in the address of someone's private "my chats" iCalendar feed."""

    account = models.OneToOneField(
        Account, primary_key=True, on_delete=models.CASCADE, related_name="calendar_token"
    )
    token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    created_at = models.DateTimeField(auto_now_add=True)


# How long after a session ends a post with its hashtag still joins its room.
ROOM_GRACE_MINUTES = 15


class RoomEntry(models.Model):
    """A post in a session's room, with the question it answers.

    A post joins the room when it carries the chat's hashtag during the session (plus
    ROOM_GRACE_MINUTES) or replies to a post already in the room. `question` is the Qn it
    answers (confab.chats.answers.assign_question); `is_question` marks the host's Qn post.
    Hidden entries stay out of the room and the transcript; the post itself is untouched.
    """

    session = models.ForeignKey(ChatSession, on_delete=models.CASCADE, related_name="entries")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="room_entries")
    question = models.PositiveSmallIntegerField(null=True, blank=True)
    is_question = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    hidden_by = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "post"], name="room_entry_unique"),
        ]
        indexes = [models.Index(fields=["session", "post"], name="room_entry_session_idx")]

    def __str__(self) -> str:
        return f"{self.post_id} in {self.session_id} (Q{self.question})"


class RoomMute(models.Model):
    """A participant a host muted for one session: their posts no longer join its room."""

    session = models.ForeignKey(ChatSession, on_delete=models.CASCADE, related_name="mutes")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    muted_by = models.ForeignKey(Account, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "account"], name="room_mute_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.account_id} muted in {self.session_id}"
