"""Writing conversations: posts join them, people read and mute them.

confab.posts.actions calls `record_post`, `record_edit` and `record_deletion` inside its own
transaction, so a direct post and its place in a conversation are written (or refused)
together. Live events go to `conversations:<account>` after commit, one per participant
who may see the post, so each carries that person's own unread counts.
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.template.loader import render_to_string

from confab.accounts.models import Account, Block
from confab.connections.conversations import queries
from confab.connections.models import Conversation, ConversationParticipant, ConversationPost
from confab.notifications import actions as notifications
from confab.notifications.models import Kind
from confab.posts.models import Post, Visibility
from confab.posts.queries import decorate
from confab.posts.visibility import post_facts
from confab.realtime.broker import get_broker, publish_on_commit


def stream_for(account_id: int) -> str:
    """The person's conversations stream (events carry ids as strings: a 64-bit snowflake
    does not survive JavaScript's JSON.parse)."""
    return f"conversations:{account_id}"


def _key(account_ids) -> str:
    return ",".join(str(pk) for pk in sorted(set(account_ids)))


def _mentioned(post: Post) -> list[Account]:
    return list(
        Account.objects.filter(mentioned_in__post=post).exclude(pk=post.account_id).distinct()
    )


def _refuse_blocked(author: Account, mentioned: list[Account]) -> None:
    """Refuse a direct post to anyone who blocked the author or whom the author blocked."""
    ids = [a.pk for a in mentioned]
    if not ids:
        return
    pairs = Block.objects.filter(
        Q(source=author, target_id__in=ids) | Q(target=author, source_id__in=ids)
    ).values_list("source_id", "target_id")
    barred = {source if target == author.pk else target for source, target in pairs}
    if barred:
        names = ", ".join(f"@{a.acct}" for a in mentioned if a.pk in barred)
        raise ValidationError(
            {"text": [f"You can't message {names}: remove them from this direct post."]}
        )


def _conversation_for(post: Post, people: set[int]) -> Conversation:
    """A reply joins its parent's conversation; otherwise the same people continue theirs."""
    if post.in_reply_to_id is not None:
        link = ConversationPost.objects.filter(post_id=post.in_reply_to_id).first()
        if link is not None:
            return link.conversation
    found = (
        Conversation.objects.filter(
            participants_key=_key(people), participants__account_id=post.account_id
        )
        .order_by("-id")
        .first()
    )
    return found or Conversation.objects.create(participants_key=_key(people))


def _join(conversation: Conversation, people: set[int]) -> dict[int, ConversationParticipant]:
    """Make sure everyone is a participant; return their rows by account id."""
    rows = {
        row.account_id: row
        for row in ConversationParticipant.objects.filter(conversation=conversation)
    }
    missing = people - set(rows)
    if missing:
        for account_id in sorted(missing):
            rows[account_id] = ConversationParticipant.objects.create(
                conversation=conversation, account_id=account_id
            )
        conversation.participants_key = _key(rows)
        conversation.save(update_fields=["participants_key"])
    return rows


def _deliver(post: Post, rows: dict[int, ConversationParticipant], people: set[int]) -> None:
    """Move the conversation up for everyone the post reaches; the author has read it."""
    ConversationParticipant.objects.filter(
        pk__in=[rows[pk].pk for pk in people], last_post_id__lt=post.pk
    ).update(last_post_id=post.pk)
    ConversationParticipant.objects.filter(
        pk__in=[rows[pk].pk for pk in people], last_post_id__isnull=True
    ).update(last_post_id=post.pk)
    ConversationParticipant.objects.filter(
        pk=rows[post.account_id].pk, last_read_id__lt=post.pk
    ).update(last_read_id=post.pk)


def record_post(post: Post) -> None:
    """Put a new direct post in its conversation (called inside confab.posts.actions.post).

    Raises ValidationError when it mentions someone the author may not message.
    """
    if post.visibility != Visibility.DIRECT or post.boost_of_id:
        return
    mentioned = _mentioned(post)
    _refuse_blocked(post.account, mentioned)
    in_thread = (
        post.in_reply_to_id is not None
        and ConversationPost.objects.filter(post_id=post.in_reply_to_id).exists()
    )
    if not mentioned and not in_thread:
        return  # a note to oneself is not a conversation
    people = {post.account_id, *(a.pk for a in mentioned)}
    conversation = _conversation_for(post, people)
    rows = _join(conversation, people)
    ConversationPost.objects.create(post=post, conversation=conversation)
    _deliver(post, rows, people)
    muted = [rows[a.pk] for a in mentioned if rows[a.pk].muted]
    for row in muted:
        # A muted conversation does not notify (confab.notifications told them just before).
        notifications.withdraw(row.account, [Kind.MENTION, Kind.REPLY], post.account, post)
    quiet = {row.account_id for row in muted}
    transaction.on_commit(
        partial(_publish, "message", post.pk, conversation.pk, sorted(people - quiet))
    )


def record_edit(post: Post) -> None:
    """Follow an edited direct post: its mentions (so who may read it) may have changed."""
    if post.visibility != Visibility.DIRECT or post.boost_of_id:
        return
    link = ConversationPost.objects.filter(post=post).select_related("conversation").first()
    if link is None:
        record_post(post)  # it mentions somebody now
        return
    mentioned = _mentioned(post)
    _refuse_blocked(post.account, mentioned)
    people = {post.account_id, *(a.pk for a in mentioned)}
    rows = _join(link.conversation, people)
    _deliver(post, rows, people)
    quiet = {pk for pk, row in rows.items() if row.muted}
    transaction.on_commit(
        partial(_publish, "message_update", post.pk, link.conversation_id, sorted(people - quiet))
    )


def record_deletion(post: Post) -> None:
    """Take a post out of its conversation before it is deleted; an emptied one goes too."""
    if post.visibility != Visibility.DIRECT or post.boost_of_id:
        return
    link = ConversationPost.objects.filter(post=post).first()
    if link is None:
        return
    conversation_id = link.conversation_id
    people = {post.account_id, *(a.pk for a in _mentioned(post))}
    link.delete()
    if not ConversationPost.objects.filter(conversation_id=conversation_id).exists():
        Conversation.objects.filter(pk=conversation_id).delete()
    else:
        for row in ConversationParticipant.objects.filter(
            conversation_id=conversation_id, last_post_id=post.pk
        ):
            # The newest post left that this person wrote or was sent.
            row.last_post_id = ConversationPost.objects.filter(
                Q(post__account_id=row.account_id) | Q(post__mentions__account_id=row.account_id),
                conversation_id=conversation_id,
            ).aggregate(newest=Max("post_id"))["newest"]
            row.save(update_fields=["last_post_id"])
    data = {"conversation_id": str(conversation_id), "id": str(post.pk)}
    for account_id in sorted(people):
        publish_on_commit(stream_for(account_id), "message_delete", data)


class _AnyReader:
    """Stands in for 'a signed-in reader': the card is rendered once for every recipient."""

    id = 0
    pk = 0


def _publish(kind: str, post_id: int, conversation_id: int, recipients: list[int]) -> None:
    """Send a post's event to each recipient's conversations stream with their counts."""
    post = (
        decorate(Post.objects.filter(pk=post_id), None)
        .prefetch_related("mentions")
        .select_related("account")
        .first()
    )
    if post is None:
        return
    data = {
        "conversation_id": str(conversation_id),
        "id": str(post.pk),
        "facts": post_facts(post),
    }
    if kind == "message":
        data["html"] = render_to_string("posts/_post.html", {"post": post, "viewer": _AnyReader()})
    else:
        data["content_html"] = post.content_html
        data["spoiler_text"] = post.spoiler_text
    broker = get_broker()
    for account in Account.objects.filter(pk__in=recipients, domain=""):
        broker.publish(
            stream_for(account.pk), kind, {**data, "total": queries.unread_total(account)}
        )


def _publish_total(account: Account, conversation_id: int) -> None:
    publish_on_commit(
        stream_for(account.pk),
        "read",
        {"conversation_id": str(conversation_id), "total": queries.unread_total(account)},
    )


@transaction.atomic
def mark_read(account: Account, conversation_id: int) -> None:
    """Mark everything in a conversation read for `account` (Http404 if not theirs)."""
    row = queries.get_participation(account, conversation_id)
    newest = ConversationPost.objects.filter(conversation_id=conversation_id).aggregate(
        newest=Max("post_id")
    )["newest"]
    if newest is not None and newest > row.last_read_id:
        ConversationParticipant.objects.filter(pk=row.pk).update(last_read_id=newest)
        _publish_total(account, conversation_id)


@transaction.atomic
def set_muted(account: Account, conversation_id: int, muted: bool) -> None:
    """Mute (no unread count, no live bumps, no notifications) or unmute a conversation."""
    row = queries.get_participation(account, conversation_id)
    if row.muted != muted:
        ConversationParticipant.objects.filter(pk=row.pk).update(muted=muted)
        _publish_total(account, conversation_id)
