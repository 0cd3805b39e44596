from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse

from confab.core.models import SnowflakeModel

USERNAME_PATTERN = r"^[A-Za-z0-9_]{1,30}$"
username_validator = RegexValidator(
    USERNAME_PATTERN,
    "Use 1 to 30 letters (A–Z), digits or underscores, with no spaces.",
)


class User(AbstractUser):
    """A login. It owns exactly one local Account, which is what the rest of Confab uses."""

    username = models.CharField(
        max_length=30,
        unique=True,
        validators=[username_validator],
        error_messages={"unique": "That username is taken."},
    )
    email = models.EmailField()
    # Under the "approval" sign-up policy a new person waits here until an admin says yes.
    approved = models.BooleanField(default=True)
    signup_reason = models.TextField(blank=True, max_length=500)

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
        ]


class Account(SnowflakeModel):
    """A person, local (domain empty) or on another server (later, with federation)."""

    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.CASCADE, related_name="account"
    )
    username = models.CharField(max_length=30, validators=[username_validator])
    domain = models.CharField(max_length=253, blank=True, default="")
    uri = models.CharField(max_length=500, unique=True)
    display_name = models.CharField(max_length=30, blank=True)
    note = models.TextField("bio", max_length=500, blank=True)
    note_html = models.TextField(blank=True)
    # The city comes from the offline gazetteer (confab.core.places); we keep its label and
    # coordinates so pages and distance checks need no lookup.
    city_id = models.IntegerField(null=True, blank=True)
    city_label = models.CharField(max_length=200, blank=True)
    country_code = models.CharField(max_length=2, blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    time_zone = models.CharField(max_length=64, blank=True, default="UTC")
    links = models.JSONField(default=list, blank=True)
    interests = models.ManyToManyField("posts.Hashtag", blank=True, related_name="interested")
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    header = models.ImageField(upload_to="headers/", blank=True)
    locked = models.BooleanField(default=False, help_text="Approve each new follower yourself.")
    created_at = models.DateTimeField(auto_now_add=True)
    followers_count = models.PositiveIntegerField(default=0)
    following_count = models.PositiveIntegerField(default=0)
    posts_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                Lower("username"), "domain", name="account_username_domain_ci_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.acct

    @property
    def is_local(self) -> bool:
        return not self.domain

    @property
    def acct(self) -> str:
        return self.username if self.is_local else f"{self.username}@{self.domain}"

    @property
    def name(self) -> str:
        return self.display_name or self.username

    def get_absolute_url(self) -> str:
        return reverse("profile", args=[self.acct])


class FollowOrigin(models.TextChoices):
    """Where a follow came from, for the follower counts on the insights page."""

    CHAT = "chat", "A chat"
    INTRODUCTION = "introduction", "An introduction"
    EVENT = "event", "An event"
    LIST = "list", "A list"
    SEARCH = "search", "Search"


class Follow(SnowflakeModel):
    source = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="following_set")
    target = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="follower_set")
    created_at = models.DateTimeField(auto_now_add=True)
    # A FollowOrigin value, or "" for a follow from a profile or anywhere else.
    origin = models.CharField(max_length=20, blank=True, default="", choices=FollowOrigin.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="follow_unique"),
        ]
        indexes = [models.Index(fields=["target", "source"], name="follow_target_idx")]


class FollowRequest(SnowflakeModel):
    """A pending follow of a locked account; accepting it turns it into a Follow."""

    source = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="outgoing_follow_requests"
    )
    target = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="incoming_follow_requests"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    origin = models.CharField(max_length=20, blank=True, default="", choices=FollowOrigin.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="follow_request_unique"),
        ]


class Block(SnowflakeModel):
    source = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="blocking_set")
    target = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="blocked_by_set")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="block_unique"),
        ]
        indexes = [models.Index(fields=["target", "source"], name="block_target_idx")]


class Mute(SnowflakeModel):
    source = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="muting_set")
    target = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="muted_by_set")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="mute_unique"),
        ]


def local_uri(username: str) -> str:
    scheme = "https" if settings.SECURE_SSL else "http"
    return f"{scheme}://{settings.INSTANCE_DOMAIN}/users/{username}"
