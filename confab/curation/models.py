"""Lists, followed hashtags and featured hashtags: the ways a person shapes what they read."""

from django.db import models
from django.urls import reverse

from confab.accounts.models import Account
from confab.core.models import SnowflakeModel
from confab.posts.models import Hashtag


class List(SnowflakeModel):
    """A named selection of people and hashtags with a timeline of its own."""

    class Visibility(models.TextChoices):
        PRIVATE = "private", "Private (only you)"
        PUBLIC = "public", "Public (anyone can read and subscribe)"

    class RepliesPolicy(models.TextChoices):
        # Mastodon's three policies, with its meaning of each.
        MEMBERS = "members", "Replies to members of the list"
        FOLLOWED = "followed", "Replies to anyone you follow"
        NONE = "none", "No replies"

    owner = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="lists")
    title = models.CharField(max_length=100)
    description = models.TextField(max_length=500, blank=True)
    visibility = models.CharField(
        max_length=7, choices=Visibility.choices, default=Visibility.PRIVATE
    )
    exclusive = models.BooleanField(
        default=False, help_text="Members' posts leave your home timeline."
    )
    replies_policy = models.CharField(
        max_length=8, choices=RepliesPolicy.choices, default=RepliesPolicy.MEMBERS
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["owner", "-id"], name="list_owner_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("curation:list", args=[self.pk])

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC


class ListMember(SnowflakeModel):
    list = models.ForeignKey(List, on_delete=models.CASCADE, related_name="members")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="list_memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["list", "account"], name="list_member_unique"),
        ]
        indexes = [models.Index(fields=["account", "list"], name="list_member_account_idx")]


class ListHashtag(models.Model):
    list = models.ForeignKey(List, on_delete=models.CASCADE, related_name="hashtags")
    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["list", "hashtag"], name="list_hashtag_unique"),
        ]


class ListSubscription(SnowflakeModel):
    """Someone reading another person's public list as if it were their own."""

    list = models.ForeignKey(List, on_delete=models.CASCADE, related_name="subscriptions")
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="list_subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["list", "account"], name="list_subscription_unique"),
        ]
        indexes = [models.Index(fields=["account", "list"], name="list_subscription_account_idx")]


class FollowedHashtag(SnowflakeModel):
    """A hashtag whose public posts enter the person's home timeline."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="followed_tags")
    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "hashtag"], name="followed_hashtag_unique"),
        ]
        indexes = [models.Index(fields=["hashtag", "account"], name="followed_hashtag_tag_idx")]


class FeaturedHashtag(SnowflakeModel):
    """A hashtag a person shows on their profile."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="featured_tags")
    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "hashtag"], name="featured_hashtag_unique"),
        ]


class StarterKit(SnowflakeModel):
    """A shareable bundle of people, hashtags, chats and public lists to follow in one go."""

    owner = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="starter_kits")
    title = models.CharField(max_length=100)
    description = models.TextField(max_length=500, blank=True)
    # Set by an admin: featured kits are offered to every newcomer during onboarding.
    featured = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [
            models.Index(fields=["owner", "-id"], name="kit_owner_idx"),
            models.Index(
                fields=["-id"], condition=models.Q(featured=True), name="kit_featured_idx"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("curation:kit", args=[self.pk])


class KitPerson(models.Model):
    kit = models.ForeignKey(StarterKit, on_delete=models.CASCADE, related_name="people")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kit", "account"], name="kit_person_unique"),
        ]


class KitHashtag(models.Model):
    kit = models.ForeignKey(StarterKit, on_delete=models.CASCADE, related_name="hashtags")
    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kit", "hashtag"], name="kit_hashtag_unique"),
        ]


class KitChat(models.Model):
    kit = models.ForeignKey(StarterKit, on_delete=models.CASCADE, related_name="chats")
    chat = models.ForeignKey("chats.Chat", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kit", "chat"], name="kit_chat_unique"),
        ]


class KitList(models.Model):
    kit = models.ForeignKey(StarterKit, on_delete=models.CASCADE, related_name="lists")
    list = models.ForeignKey(List, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kit", "list"], name="kit_list_unique"),
        ]


class HiddenTrend(models.Model):
    """A hashtag an admin keeps off the trending list (spam, a pile-on, a leak)."""

    hashtag = models.OneToOneField(Hashtag, on_delete=models.CASCADE, related_name="+")
    hidden_by = models.ForeignKey(Account, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
