"""Creating, withdrawing and reading notifications.

Other apps' actions call `notify` and `withdraw` inside their own transaction; the badge
count goes out live once it commits. Nobody is told of their own doings, of anything by
someone blocked either way or muted, of a kind they turned off, or of a post they may not see.
"""

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone

from confab.accounts.models import Account, Block, Mute
from confab.notifications.models import Kind, Notification, NotificationSettings
from confab.notifications.queries import GROUPED_KINDS, get_notification, unread_count
from confab.posts.models import Post
from confab.posts.visibility import can_see
from confab.realtime.broker import get_broker


def _publish_unread(recipient: Account) -> None:
    """Send the recipient's badge count live once the transaction commits: counted then,
    so the count (a query of its own) is not part of the writing transaction."""

    def send() -> None:
        count = unread_count(recipient)
        get_broker().publish(f"notifications:{recipient.pk}", "unread", {"count": count})

    # robust: a failure to count is logged, never turned into an error for an action
    # whose writes have already committed.
    transaction.on_commit(send, robust=True)


def _wants(recipient: Account, actor: Account, kind: str) -> bool:
    """Return whether `recipient` would hear of `actor` doing `kind` (one query)."""
    return (
        Account.objects.filter(pk=recipient.pk)
        .exclude(pk__in=Block.objects.filter(target=actor).values("source_id"))
        .exclude(pk__in=Block.objects.filter(source=actor).values("target_id"))
        .exclude(pk__in=Mute.objects.filter(target=actor).values("source_id"))
        # The settings' fields are named after the kinds.
        .exclude(pk__in=NotificationSettings.objects.filter(**{kind: False}).values("account_id"))
        .exists()
    )


def notify(
    recipient: Account,
    kind: str,
    actor: Account,
    post: Post | None = None,
    *,
    link: str = "",
    detail: str = "",
) -> Notification | None:
    """Tell `recipient` that `actor` did `kind` (to `post`), unless they should not hear it."""
    if kind not in Kind.values:
        raise ValueError(kind)
    # Only people with a login here read notifications; remote ones learn by federation.
    if recipient.pk == actor.pk or not recipient.is_local:
        return None
    if not _wants(recipient, actor, kind):
        return None
    if post is not None and not can_see(recipient, post):
        return None
    notification = Notification.objects.create(
        recipient=recipient, kind=kind, actor=actor, post=post, link=link, detail=detail
    )
    _publish_unread(recipient)
    return notification


def notify_post(new: Post) -> None:
    """Tell the author of the post `new` replies to, and each local person it mentions.

    Someone both replied to and mentioned hears of it once, as a reply.
    """
    told: set[int] = set()
    if new.in_reply_to_account_id is not None and new.in_reply_to_account is not None:
        notify(new.in_reply_to_account, Kind.REPLY, new.account, new)
        told.add(new.in_reply_to_account_id)
    for account in Account.objects.filter(mentioned_in__post=new, domain="").distinct():
        if account.pk not in told:
            notify(account, Kind.MENTION, new.account, new)
            told.add(account.pk)


def withdraw(
    recipient: Account, kinds: Iterable[str], actor: Account, post: Post | None = None
) -> None:
    """Take back an unread notification when `actor` undoes what caused it."""
    deleted, _ = Notification.objects.filter(
        recipient=recipient,
        kind__in=list(kinds),
        actor=actor,
        post=post,
        read_at__isnull=True,
    ).delete()
    if deleted:
        _publish_unread(recipient)


@transaction.atomic
def mark_read(recipient: Account, notification_id: int) -> None:
    """Mark one line of the page read: a favourite (or boost) also marks older ones of its post.

    Raise Http404 for a notification that is not the recipient's.
    """
    notification = get_notification(recipient, notification_id)
    rows = Notification.objects.filter(recipient=recipient, read_at__isnull=True)
    if notification.kind in GROUPED_KINDS and notification.post_id is not None:
        rows = rows.filter(
            kind=notification.kind, post_id=notification.post_id, id__lte=notification.id
        )
    else:
        rows = rows.filter(pk=notification.pk)
    if rows.update(read_at=timezone.now()):
        _publish_unread(recipient)


@transaction.atomic
def mark_all_read(recipient: Account) -> None:
    """Mark every notification of `recipient` read."""
    Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(
        read_at=timezone.now()
    )
    _publish_unread(recipient)


@transaction.atomic
def update_settings(account: Account, enabled: Mapping[str, bool]) -> NotificationSettings:
    """Turn kinds of notification on or off; kinds not named keep their setting."""
    unknown = set(enabled) - set(Kind.values)
    if unknown:
        raise ValueError(f"Not kinds of notification: {', '.join(sorted(unknown))}")
    found, _ = NotificationSettings.objects.update_or_create(account=account, defaults=enabled)
    return found
