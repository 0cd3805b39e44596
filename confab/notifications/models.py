from django.db import models
from django.utils import timezone

from confab.accounts.models import Account
from confab.core.models import SnowflakeModel
from confab.posts.models import Post


class Kind(models.TextChoices):
    MENTION = "mention", "Mentions"
    REPLY = "reply", "Replies"
    FOLLOW = "follow", "Follows"
    FOLLOW_REQUEST = "follow_request", "Follow requests"
    FAVOURITE = "favourite", "Favourites"
    BOOST = "boost", "Boosts"
    CHAT_REMINDER = "chat_reminder", "Chat reminders"
    INTRODUCTION = "introduction", "Introductions"
    EVENT = "event", "Events"
    EVENT_REMINDER = "event_reminder", "Event reminders"
    MEETUP = "meetup", "Meetups"


class Notification(SnowflakeModel):
    """Something someone did that `recipient` should hear about."""

    recipient = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    actor = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    # The recipient's post that was favourited or boosted, or the post that mentions or
    # replies to them. Deleting the post deletes what it caused.
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # For kinds about something other than a post (a chat reminder): where to go, in words.
    link = models.CharField(max_length=500, blank=True)
    detail = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["recipient", "-id"], name="notification_recipient_idx"),
            # The badge on every page counts unread rows; keep that count off the read ones.
            models.Index(
                fields=["recipient"],
                condition=models.Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} from {self.actor_id} to {self.recipient_id}"

    @property
    def unread(self) -> bool:
        return self.read_at is None


class NotificationSettings(models.Model):
    """Which kinds of notification a person wants; no row means all of them."""

    account = models.OneToOneField(
        Account, primary_key=True, on_delete=models.CASCADE, related_name="notification_settings"
    )
    mention = models.BooleanField("Mentions", default=True)
    reply = models.BooleanField("Replies to my posts", default=True)
    follow = models.BooleanField("New followers", default=True)
    follow_request = models.BooleanField("Follow requests", default=True)
    favourite = models.BooleanField("Favourites of my posts", default=True)
    boost = models.BooleanField("Boosts of my posts", default=True)
    chat_reminder = models.BooleanField("Reminders before chats I follow", default=True)
    introduction = models.BooleanField("Introductions to people and their outcome", default=True)
    event = models.BooleanField("News about events I'm going to or host", default=True)
    event_reminder = models.BooleanField("Reminders before events I'm going to", default=True)
    meetup = models.BooleanField("Meetup invitations, answers and reminders", default=True)

    class Meta:
        verbose_name = "notification settings"
        verbose_name_plural = "notification settings"

    def __str__(self) -> str:
        return f"Notification settings of {self.account_id}"
