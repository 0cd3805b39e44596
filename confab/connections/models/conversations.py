"""Direct conversations: the direct posts among a set of people, read like a message thread.

A direct post is still a Post (visible to its author and the people it mentions, by
confab.posts.visibility); these rows only group such posts and keep each participant's
place in them (what they have read, whether they muted it, when it last moved for them).
"""

from django.db import models

from confab.accounts.models import Account
from confab.core.models import SnowflakeModel
from confab.posts.models import Post

__all__ = ["Conversation", "ConversationParticipant", "ConversationPost"]


class Conversation(SnowflakeModel):
    # The sorted ids of everyone in it, "12,34,56": a new direct post to exactly these people
    # continues this conversation (docs/decisions/009-conversations.md).
    participants_key = models.CharField(max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["participants_key", "-id"], name="conversation_key_idx")]

    def __str__(self) -> str:
        return f"conversation {self.pk}"


class ConversationParticipant(SnowflakeModel):
    # No single-column indexes: the unique (conversation, account) constraint and the inbox
    # index (account, -last_post_id) serve every lookup.
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="participants", db_index=False
    )
    account = models.ForeignKey(
        Account, on_delete=models.CASCADE, related_name="conversation_memberships", db_index=False
    )
    # The newest post of the conversation this person wrote or was sent: the inbox's order.
    last_post_id = models.BigIntegerField(null=True, blank=True)
    # Everything up to this post id has been read.
    last_read_id = models.BigIntegerField(default=0)
    muted = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "account"], name="conversation_participant_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["account", "-last_post_id"], name="conversation_inbox_idx"),
        ]


class ConversationPost(models.Model):
    """A direct post's place in its conversation (a post belongs to one at most)."""

    post = models.OneToOneField(
        Post, on_delete=models.CASCADE, primary_key=True, related_name="conversation_link"
    )
    # Indexed by (conversation, post) below, which also serves lookups by conversation.
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="posts", db_index=False
    )

    class Meta:
        indexes = [models.Index(fields=["conversation", "post"], name="conversation_post_idx")]
