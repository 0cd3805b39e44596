from django.db import models
from django.urls import reverse

from confab.accounts.models import Account
from confab.core.models import SnowflakeModel


class Visibility(models.TextChoices):
    """Who may see a post: the same four levels as Mastodon."""

    PUBLIC = "public", "Public"
    UNLISTED = "unlisted", "Unlisted"
    PRIVATE = "private", "Followers only"
    DIRECT = "direct", "Mentioned people only"


class Hashtag(models.Model):
    """A hashtag, stored by its normalised name (NFKC, case-folded)."""

    name = models.CharField(max_length=100, unique=True)
    display_name = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"#{self.display_name}"

    def get_absolute_url(self) -> str:
        return reverse("hashtag", args=[self.name])


class Post(SnowflakeModel):
    # No single-column index: post_account_id_idx (account, -id) serves every lookup, and a
    # second index tempts SQLite's planner into sorting a whole account's posts.
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="posts", db_index=False
    )
    uri = models.CharField(max_length=500, unique=True)
    # `text` is what the author typed; `content_html` is its rendering, cleaned by nh3.
    text = models.TextField(blank=True)
    content_html = models.TextField(blank=True)
    spoiler_text = models.CharField("content warning", max_length=200, blank=True)
    visibility = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    local = models.BooleanField(default=True)
    in_reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    in_reply_to_account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Every post of one thread carries the id of the thread's first post.
    thread_id = models.BigIntegerField(db_index=True)
    # Indexed only where set (see Meta): an index over a million NULLs misleads SQLite's
    # planner into walking it for "boost_of IS NULL".
    boost_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="boosts",
        db_index=False,
    )
    hashtags = models.ManyToManyField(Hashtag, through="PostHashtag", related_name="posts")
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    replies_count = models.PositiveIntegerField(default=0)
    boosts_count = models.PositiveIntegerField(default=0)
    favourites_count = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(fields=["account", "-id"], name="post_account_id_idx"),
            models.Index(fields=["local", "visibility", "-id"], name="post_local_idx"),
            models.Index(
                fields=["boost_of"],
                condition=models.Q(boost_of__isnull=False),
                name="post_boost_of_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["account", "boost_of"],
                condition=models.Q(boost_of__isnull=False),
                name="post_one_boost_per_account",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.account.acct}: {self.text[:40]}"

    def get_absolute_url(self) -> str:
        return reverse("post", args=[self.account.acct, self.id])


class PostHashtag(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE)
    hashtag = models.ForeignKey(Hashtag, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["hashtag", "post"], name="post_hashtag_unique"),
        ]


class Mention(models.Model):
    """An @mention in a post. `account` is empty for a remote person not yet known here."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="mentions")
    account = models.ForeignKey(
        Account, null=True, blank=True, on_delete=models.CASCADE, related_name="mentioned_in"
    )
    username = models.CharField(max_length=30)
    domain = models.CharField(max_length=253, blank=True, default="")

    class Meta:
        indexes = [models.Index(fields=["account", "post"], name="mention_account_idx")]


class Favourite(SnowflakeModel):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="favourites")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="favourites")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "post"], name="favourite_unique"),
        ]
        # "When are my followers active" reads favourites by person over a recent window
        # of ids; the unique index above is ordered by post, not by time.
        indexes = [models.Index(fields=["account", "id"], name="favourite_account_recent_idx")]


class Bookmark(SnowflakeModel):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="bookmarks")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="bookmarks")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "post"], name="bookmark_unique"),
        ]


class PostEdit(models.Model):
    """A former version of an edited post, newest last."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="edits")
    text = models.TextField(blank=True)
    content_html = models.TextField(blank=True)
    spoiler_text = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]


class MediaAttachment(SnowflakeModel):
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="media")
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="media"
    )
    file = models.ImageField(upload_to="posts/%Y/%m/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    description = models.CharField("alt text", max_length=1500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "id"]
