"""Hooks that keep recommendations and introductions in step with what changes elsewhere.

Follows, posts in chat rooms and interests are written by other apps' actions; rather than
reach into each of them, these receivers enqueue a debounced refresh of the person
concerned (decision 010). A block cancels pending introductions in the block's own
transaction, so a blocked person is never introduced, whatever path made the block.
"""

from datetime import timedelta

from django.db import transaction
from django.db.models.signals import m2m_changed, post_save
from django.utils import timezone

REFRESH_DELAY = timedelta(seconds=30)


def schedule_refresh(account_id: int) -> None:
    """Refresh one person soon; many triggers within the same half minute make one job."""
    from confab.worker.actions import enqueue

    due = timezone.now() + REFRESH_DELAY
    bucket = int(due.timestamp() // REFRESH_DELAY.total_seconds())
    enqueue(
        "connections.refresh_person",
        {"account": account_id},
        due_at=due,
        key=f"people-refresh:{account_id}:{bucket}",
    )


def _on_follow(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        schedule_refresh(instance.source_id)


def _on_post(sender, instance, created, raw=False, **kwargs) -> None:
    """A post that joined a chat room (rooms are filled in bulk, after the post is saved)."""
    if not created or raw or instance.boost_of_id:
        return
    post_id, account_id = instance.pk, instance.account_id

    def check() -> None:
        from confab.chats.models import RoomEntry

        if RoomEntry.objects.filter(post_id=post_id).exists():
            schedule_refresh(account_id)

    transaction.on_commit(check)


def _on_followed_hashtag(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        schedule_refresh(instance.account_id)


def _on_interests(sender, instance, action, reverse, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear") and not reverse:
        schedule_refresh(instance.pk)


def _on_block(sender, instance, created, raw=False, **kwargs) -> None:
    if raw:
        return
    from confab.connections.people.actions import cancel_for_block

    cancel_for_block(instance.source_id, instance.target_id)


def connect() -> None:
    from confab.accounts.models import Account

    post_save.connect(_on_follow, sender="accounts.Follow", dispatch_uid="people-follow")
    post_save.connect(_on_block, sender="accounts.Block", dispatch_uid="people-block")
    post_save.connect(_on_post, sender="posts.Post", dispatch_uid="people-room")
    post_save.connect(
        _on_followed_hashtag, sender="curation.FollowedHashtag", dispatch_uid="people-tags"
    )
    m2m_changed.connect(
        _on_interests, sender=Account.interests.through, dispatch_uid="people-interests"
    )
