"""People worth meeting (stored recommendations, dismissals) and warm introductions.

Rows are written only by `confab.connections.people.actions` and the recommendation
refresh in `confab.connections.people.compute`.
"""

from django.db import models
from django.utils import timezone

from confab.accounts.models import Account
from confab.core.models import SnowflakeModel

__all__ = ["Dismissal", "Introduction", "IntroductionAnswer", "IntroductionState", "Recommendation"]


class Recommendation(SnowflakeModel):
    """Someone `account` may want to meet, with the signals that put them here.

    The signals are kept as numbers, not sentences: the page words them for its reader
    ("you both answered Q3 in #EduMatch") and the suggested introductions word the same row
    for a third person. `session`/`question` name one answer both gave; `tag_a`/`tag_b` two
    hashtags both follow or list as interests.
    """

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="recommendations")
    candidate = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    score = models.FloatField()
    mutual_follows = models.PositiveIntegerField(default=0)
    shared_answers = models.PositiveIntegerField(default=0)
    shared_sessions = models.PositiveIntegerField(default=0)
    interactions = models.PositiveIntegerField(default=0)
    shared_tags = models.PositiveIntegerField(default=0)
    same_city = models.BooleanField(default=False)
    session = models.ForeignKey(
        "chats.ChatSession", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    question = models.PositiveSmallIntegerField(null=True, blank=True)
    tag_a = models.ForeignKey(
        "posts.Hashtag", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tag_b = models.ForeignKey(
        "posts.Hashtag", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "candidate"], name="recommendation_unique"),
        ]
        indexes = [
            models.Index(fields=["account", "-score"], name="recommendation_rank_idx"),
            models.Index(fields=["candidate"], name="recommendation_candidate_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.candidate_id} for {self.account_id} ({self.score:.1f})"


class Dismissal(models.Model):
    """ "Not interested": `candidate` is never recommended to `account` again."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    candidate = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "candidate"], name="dismissal_unique"),
        ]


class IntroductionState(models.TextChoices):
    PENDING = "pending", "Waiting for answers"
    CONNECTED = "connected", "They're connected"
    # Declined, expired and cancelled read the same to everyone ("it didn't happen"), so
    # nobody learns who said "not now".
    DECLINED = "declined", "It didn't happen"
    EXPIRED = "expired", "It didn't happen"
    CANCELLED = "cancelled", "It didn't happen"


class IntroductionAnswer(models.TextChoices):
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Not now"


class Introduction(SnowflakeModel):
    """`introducer` introduces `first` and `second` (stored with first.id < second.id)."""

    introducer = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="introductions_made"
    )
    first = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")
    note = models.TextField(max_length=500)
    state = models.CharField(
        max_length=10, choices=IntroductionState.choices, default=IntroductionState.PENDING
    )
    first_answer = models.CharField(
        max_length=10, choices=IntroductionAnswer.choices, blank=True, default=""
    )
    second_answer = models.CharField(
        max_length=10, choices=IntroductionAnswer.choices, blank=True, default=""
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    conversation = models.ForeignKey(
        "posts.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["first", "second"],
                condition=models.Q(state="pending"),
                name="introduction_one_pending_pair",
            ),
            models.CheckConstraint(
                condition=models.Q(first__lt=models.F("second")),
                name="introduction_ordered_pair",
            ),
        ]
        indexes = [
            models.Index(fields=["introducer", "state"], name="introduction_introducer_idx"),
            models.Index(fields=["first", "state"], name="introduction_first_idx"),
            models.Index(fields=["second", "state"], name="introduction_second_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.first_id} and {self.second_id} by {self.introducer_id} ({self.state})"

    @property
    def is_pending(self) -> bool:
        return self.state == IntroductionState.PENDING

    @property
    def connected(self) -> bool:
        return self.state == IntroductionState.CONNECTED

    @property
    def is_open(self) -> bool:
        """Pending and not past its time (the expiry job may not have run yet)."""
        return self.is_pending and self.expires_at > timezone.now()

    @property
    def outcome(self) -> str:
        """What everyone may know of how it went: never who declined."""
        if self.is_open:
            return "Waiting for answers"
        if self.connected:
            return "They're connected"
        return "It didn't happen"

    def other(self, account: Account) -> Account:
        return self.second if account.pk == self.first_id else self.first

    def answer_of(self, account: Account) -> str:
        return self.first_answer if account.pk == self.first_id else self.second_answer
