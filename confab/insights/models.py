"""Scheduled posts: a post written now and published by the worker at its minute."""

from django.db import models

from confab.accounts.models import Account
from confab.chats.models import Chat
from confab.core.models import SnowflakeModel
from confab.posts.models import Visibility


class ScheduledState(models.TextChoices):
    PENDING = "pending", "Waiting"
    PUBLISHED = "published", "Published"
    FAILED = "failed", "Could not be published"
    CANCELLED = "cancelled", "Cancelled"


class ScheduledPost(SnowflakeModel):
    """A post waiting for its minute.

    The worker's job claims it by moving it from pending to published with a conditional
    UPDATE that also names the new post's id, in the transaction that writes the post; so a
    second run finds it published and does nothing, and a rolled-back run takes its claim
    with it. A reply whose parent is gone, or whose author can no longer reply to it, is
    marked failed with the reason shown on the Scheduled page.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="scheduled_posts")
    text = models.TextField(blank=True)
    spoiler_text = models.CharField(max_length=200, blank=True)
    visibility = models.CharField(
        max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    # A plain id, not a foreign key: the parent may be deleted meanwhile, and the schedule
    # must remember that it was a reply so it can fail visibly instead of posting top-level.
    in_reply_to_id = models.BigIntegerField(null=True, blank=True)
    scheduled_at = models.DateTimeField()  # UTC, on a whole minute
    state = models.CharField(
        max_length=10, choices=ScheduledState.choices, default=ScheduledState.PENDING
    )
    post_id = models.BigIntegerField(null=True, blank=True)  # the published post
    published_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["account", "state", "scheduled_at"], name="scheduled_account_idx"),
        ]

    def __str__(self) -> str:
        return f"Scheduled post {self.pk} ({self.state})"

    @property
    def is_pending(self) -> bool:
        return self.state == ScheduledState.PENDING


class Activity(models.Model):
    """How many things one person did in one quarter-hour: a rollup for the heatmap.

    A count per (person, quarter-hour since the Unix epoch) of their posts and boosts (not
    direct posts) and favourites, kept by database triggers (`confab.insights.rollup`) on
    every insert and delete of those rows, whichever code path or cascade made it; so the
    "when are my followers active" heatmap sums these rows through one covering index
    instead of reading two large tables. Quarter-hours, not hours: some time zones are
    5:30 or 5:45 hours from UTC, and the heatmap must stay exact in every zone.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+", db_index=False)
    quarter = models.BigIntegerField()  # seconds since the epoch ÷ 900
    actions = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "quarter"], name="activity_unique"),
        ]
        # The heatmap reads (quarter, actions) by person over a window: index-only.
        indexes = [
            models.Index(fields=["account", "quarter", "actions"], name="activity_covering_idx")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} @ {self.quarter}: {self.actions}"


class Audience(models.Model):
    """How many things the followers of one person did in one quarter-hour, all together.

    The sum of `Activity` over the people who follow `account`, kept by triggers on the
    activity rollup and on follows (`confab.insights.rollup`): the heatmap of a person with
    10,000 followers reads at most 2,688 of these rows instead of their followers' 70,000.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+", db_index=False)
    quarter = models.BigIntegerField()
    actions = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "quarter"], name="audience_unique"),
        ]

    def __str__(self) -> str:
        return f"followers of {self.account_id} @ {self.quarter}: {self.actions}"


class ChatAudience(models.Model):
    """`Audience` for the followers of a chat (the hosts' "best hour to host")."""

    chat = models.ForeignKey(Chat, on_delete=models.CASCADE, related_name="+", db_index=False)
    quarter = models.BigIntegerField()
    actions = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["chat", "quarter"], name="chat_audience_unique"),
        ]

    def __str__(self) -> str:
        return f"followers of chat {self.chat_id} @ {self.quarter}: {self.actions}"


class Horizon(models.Model):
    """The first quarter-hour the rollup keeps (one row; none means all of them).

    The daily prune (`confab.insights.rollup.prune`) raises it, then deletes what is
    older. The triggers leave audiences alone for activity older than it: deleting those
    old activity rows need not take their counts out of every followed person's audience
    first (about 150 writes a row), since those audience rows go too.
    """

    quarter = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"rollup kept from quarter-hour {self.quarter}"
