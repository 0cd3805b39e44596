"""Reading conversations with the permission check built in.

Only a participant may open a conversation (anyone else gets "not found"), and inside it
each person sees only the posts confab.posts.visibility lets them see: a direct post is
visible to its author and the people it mentions, and never across a block.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404

from confab.accounts.models import Account
from confab.connections.models import ConversationParticipant, ConversationPost
from confab.core.paging import Page, paginate
from confab.core.prepared import prepared, sentinels, stand_in
from confab.posts.models import Post
from confab.posts.queries import decorate
from confab.posts.visibility import blocked_ids, visible_posts, visible_q


def _seen_from_others(viewer: Account) -> Exists:
    """A ConversationPost whose post someone else wrote and the viewer may see."""
    return Exists(
        Post.objects.filter(visible_q(viewer), pk=OuterRef("post_id")).exclude(account=viewer)
    )


def _unread_in(viewer: Account) -> Coalesce:
    """Per participant row of the viewer: posts by others after what they have read."""
    counted = (
        ConversationPost.objects.filter(
            conversation_id=OuterRef("conversation_id"), post_id__gt=OuterRef("last_read_id")
        )
        .filter(_seen_from_others(viewer))
        .order_by()
        .values("conversation_id")
        .annotate(n=Count("post_id"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def unread_total(viewer: Account | None) -> int:
    """Unread messages across the viewer's conversations, muted ones left out (the badge)."""
    if viewer is None:
        return 0

    def build():
        stand_ins = sentinels(["viewer"])
        reader = stand_in(Account, stand_ins["viewer"])
        rows = ConversationParticipant.objects.filter(
            account=reader, muted=False, last_post_id__gt=F("last_read_id")
        )
        return [rows.annotate(unread=_unread_in(reader)).values_list("unread")], stand_ins

    # Every page shows the badge. One statement, compiled once: a row per conversation
    # with something new (few; none most of the time), its count leaving out what blocks
    # hide, summed here.
    (counts,) = prepared.get(("unread messages", connection.vendor), build)
    return sum(counts.flat({"viewer": viewer.pk}))


def get_participation(viewer: Account, conversation_id: int) -> ConversationParticipant:
    """Return the viewer's place in a conversation, or raise Http404 for anyone else."""
    try:
        return ConversationParticipant.objects.select_related("conversation").get(
            conversation_id=conversation_id, account=viewer
        )
    except ConversationParticipant.DoesNotExist:
        raise Http404("No such conversation.") from None


def conversation_posts(viewer: Account, conversation_id: int) -> QuerySet[Post]:
    """The posts of a conversation the viewer may see, ready for post cards."""
    return decorate(
        visible_posts(viewer).filter(conversation_link__conversation_id=conversation_id), viewer
    )


def others(viewer: Account, conversation_ids: list[int]) -> dict[int, list[Account]]:
    """The other people in each conversation, minus anyone blocked either way (one query)."""
    blocking, blocked_by = blocked_ids(viewer)
    rows = (
        ConversationParticipant.objects.filter(conversation_id__in=conversation_ids)
        .exclude(account=viewer)
        .exclude(account_id__in=blocking)
        .exclude(account_id__in=blocked_by)
        .select_related("account")
        .order_by("id")
    )
    found: dict[int, list[Account]] = {pk: [] for pk in conversation_ids}
    for row in rows:
        found[row.conversation_id].append(row.account)
    return found


def reply_addressees(viewer: Account, conversation_id: int) -> list[Account]:
    """Whom a reply in this conversation goes to: everyone else who can still be messaged."""
    return others(viewer, [conversation_id])[conversation_id]


@dataclass
class InboxRow:
    conversation_id: int
    others: list[Account]
    last_post: Post | None
    unread: int
    muted: bool


def inbox(viewer: Account, *, max_id: int | None = None, min_id: int | None = None) -> Page:
    """The viewer's conversations, newest activity first, with excerpt and unread count.

    A fixed number of queries for any page length: the page's keys, the rows with their
    unread counts and last visible post id, those posts, the other participants.
    """
    last_visible = (
        ConversationPost.objects.filter(conversation_id=OuterRef("conversation_id"))
        .filter(Exists(Post.objects.filter(visible_q(viewer), pk=OuterRef("post_id"))))
        .order_by("-post_id")
        .values("post_id")[:1]
    )
    rows = (
        ConversationParticipant.objects.filter(account=viewer, last_post_id__isnull=False)
        .annotate(unread=_unread_in(viewer), last_visible_id=Subquery(last_visible))
        .filter(last_visible_id__isnull=False)
    )
    page = paginate(rows, max_id=max_id, min_id=min_id, key="last_post_id")
    post_ids = [row.last_visible_id for row in page.items]
    posts = {p.pk: p for p in Post.objects.filter(pk__in=post_ids).select_related("account")}
    people = others(viewer, [row.conversation_id for row in page.items]) if page.items else {}
    page.items = [
        InboxRow(
            conversation_id=row.conversation_id,
            others=people.get(row.conversation_id, []),
            last_post=posts.get(row.last_visible_id),
            unread=0 if row.muted else row.unread,
            muted=row.muted,
        )
        for row in page.items
    ]
    return page


def conversation_for_post(viewer: Account, post_id: int) -> int | None:
    """The conversation a post the viewer may see belongs to, if any."""
    return (
        ConversationPost.objects.filter(post_id=post_id, post__in=visible_posts(viewer))
        .values_list("conversation_id", flat=True)
        .first()
    )
