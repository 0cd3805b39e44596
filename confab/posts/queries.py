"""Reading posts with the permission check built in, ready for a page to render.

`decorate` gives a queryset everything a post card shows, so a page of any length costs
the same fixed number of queries.
"""

from dataclasses import dataclass

from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.db.models.functions import Coalesce
from django.http import Http404

from confab.accounts.models import Account
from confab.core.prepared import prepared, sentinels, stand_in
from confab.posts.cards import CardRow, Face, Media, acct
from confab.posts.models import Bookmark, Favourite, MediaAttachment, Post
from confab.posts.visibility import visible_posts


def decorate(
    posts: QuerySet[Post], viewer: Account | None, *, media: bool = True
) -> QuerySet[Post]:
    """Join what a post card needs and mark what the viewer has done to each post.

    media=False leaves the attachments out (`card_rows` reads them on their own).
    """
    posts = posts.select_related(
        "account",
        "in_reply_to_account",
        "boost_of",
        "boost_of__account",
        "boost_of__in_reply_to_account",
    )
    if media:
        posts = posts.prefetch_related(
            Prefetch("media", queryset=MediaAttachment.objects.order_by("position", "id")),
            Prefetch(
                "boost_of__media", queryset=MediaAttachment.objects.order_by("position", "id")
            ),
        )
    if viewer is None:
        return posts
    shown = _SHOWN_ID
    return posts.annotate(
        viewer_favourited=Exists(Favourite.objects.filter(account=viewer, post_id=shown)),
        viewer_bookmarked=Exists(Bookmark.objects.filter(account=viewer, post_id=shown)),
        viewer_boosted=Exists(Post.objects.filter(account=viewer, boost_of_id=shown)),
    )


# What a card shows of the post shown (a boost's original, else the post), column by column.
_SHOWN_FIELDS = (
    "account_id",
    "account__username",
    "account__domain",
    "account__display_name",
    "account__avatar",
    "visibility",
    "created_at",
    "edited_at",
    "in_reply_to_account_id",
    "in_reply_to_account__username",
    "in_reply_to_account__domain",
    "content_html",
    "spoiler_text",
    "replies_count",
    "boosts_count",
    "favourites_count",
)
_CARD_FIELDS = (
    "id",
    "boost_of_id",
    "account__username",
    "account__domain",
    "account__display_name",
    *_SHOWN_FIELDS,
    *(f"boost_of__{name}" for name in _SHOWN_FIELDS),
)
_MARKS = ("viewer_boosted", "viewer_favourited", "viewer_bookmarked")
# The post a card shows: a boost's original, else the post itself.
_SHOWN_ID = Coalesce(OuterRef("boost_of_id"), OuterRef("id"))


def card_rows(viewer: Account | None, ids: list[int]) -> list[CardRow]:
    """The cards of posts a page has already chosen (by id, so with every visibility rule
    applied already), read as plain columns: no model instances, and whatever the page
    holds one query compiled once per number of posts (confab/core/prepared.py), plus
    one for the attachments when a post on the page has any."""
    if not ids:
        return []
    signed_in = viewer is not None
    names = [f"post{n}" for n in range(len(ids))]

    def build():
        stand_ins = sentinels(["viewer", *names] if signed_in else names)
        reader = stand_in(Account, stand_ins["viewer"]) if signed_in else None
        posts = decorate(
            Post.objects.filter(pk__in=[stand_ins[name] for name in names]), reader, media=False
        ).annotate(has_media=Exists(MediaAttachment.objects.filter(post_id=_SHOWN_ID)))
        fields = (*_CARD_FIELDS, "has_media", *(_MARKS if signed_in else ()))
        return posts.values_list(*fields), stand_ins

    values = dict(zip(names, ids, strict=True))
    if viewer is not None:
        values["viewer"] = viewer.pk
    rows = prepared.rows(("card rows", connection.vendor, signed_in, len(ids)), build, values)
    width = len(_SHOWN_FIELDS)
    own, original, extra = 5, 5 + width, 5 + 2 * width  # where each part of a row starts
    media = _media_of([row[1] or row[0] for row in rows if row[extra]])
    cards = []
    for row in rows:
        post_id, boost_of_id, username, domain, display_name = row[:own]
        shown_id = boost_of_id or post_id
        shown = row[own:original] if boost_of_id is None else row[original:extra]
        (
            author_id,
            author_username,
            author_domain,
            author_display_name,
            avatar,
            visibility,
            created_at,
            edited_at,
            reply_to_id,
            reply_username,
            reply_domain,
            content_html,
            spoiler_text,
            replies,
            boosts,
            favourites,
        ) = shown
        face = Face(
            post_id,
            (acct(username, domain), display_name or username) if boost_of_id else None,
            shown_id,
            acct(author_username, author_domain),
            author_display_name or author_username,
            avatar or "",
            visibility,
            created_at,
            edited_at,
            acct(reply_username, reply_domain) if reply_to_id else None,
            content_html,
            spoiler_text,
            media.get(shown_id, ()),
        )
        marks = [bool(mark) for mark in row[extra + 1 :]] if signed_in else [False] * 3
        cards.append(CardRow(post_id, face, author_id, replies, boosts, favourites, *marks))
    return cards


def _media_of(post_ids: list[int]) -> dict[int, tuple[Media, ...]]:
    """The attachments of these posts, in order, by post id."""
    shown = list(dict.fromkeys(post_ids))
    if not shown:
        return {}
    names = [f"post{n}" for n in range(len(shown))]

    def build():
        stand_ins = sentinels(names)
        attachments = MediaAttachment.objects.filter(
            post_id__in=[stand_ins[name] for name in names]
        ).order_by("position", "id")
        return [
            attachments.values_list("post_id", "file", "width", "height", "description")
        ], stand_ins

    (query,) = prepared.get(("card media", connection.vendor, len(names)), build)
    found: dict[int, list[Media]] = {}
    for post_id, *item in query.fetch(dict(zip(names, shown, strict=True))):
        found.setdefault(post_id, []).append(Media(*item))
    return {post_id: tuple(items) for post_id, items in found.items()}


def get_visible_post(viewer: Account | None, post_id: int) -> Post:
    """Return the post if `viewer` may see it, else raise Http404."""
    try:
        return decorate(visible_posts(viewer), viewer).get(pk=post_id)
    except Post.DoesNotExist:
        raise Http404("No such post.") from None


@dataclass
class Thread:
    ancestors: list[Post]
    post: Post
    descendants: list[tuple[Post, int]]  # (post, depth below the focused post)


THREAD_LIMIT = 500


def get_thread(viewer: Account | None, post_id: int) -> Thread:
    """Return a post with the visible posts above and below it in its thread."""
    focused = get_visible_post(viewer, post_id)
    if focused.boost_of_id:
        raise Http404("No such post.")
    rows = list(
        decorate(visible_posts(viewer), viewer)
        .filter(thread_id=focused.thread_id, boost_of__isnull=True)
        .order_by("id")[:THREAD_LIMIT]
    )
    by_id = {p.id: p for p in rows}
    ancestors = []
    cursor = focused.in_reply_to_id
    while cursor is not None and cursor in by_id:
        ancestors.append(by_id[cursor])
        cursor = by_id[cursor].in_reply_to_id
    ancestors.reverse()
    children: dict[int, list[Post]] = {}
    for p in rows:
        if p.in_reply_to_id is not None:
            children.setdefault(p.in_reply_to_id, []).append(p)
    descendants: list[tuple[Post, int]] = []
    stack = [(child, 1) for child in reversed(children.get(focused.id, []))]
    while stack:
        node, depth = stack.pop()
        descendants.append((node, depth))
        stack.extend((child, depth + 1) for child in reversed(children.get(node.id, [])))
    return Thread(ancestors=ancestors, post=focused, descendants=descendants)


def reply_prefix(viewer: Account, post: Post) -> str:
    """Return the @mentions a reply to `post` starts with: its author and who it mentioned."""
    names = [post.account.acct]
    for mention in post.mentions.all():
        acct = f"{mention.username}@{mention.domain}" if mention.domain else mention.username
        if acct.lower() not in {n.lower() for n in names}:
            names.append(acct)
    names = [n for n in names if n.lower() != viewer.acct.lower()]
    return "".join(f"@{n} " for n in names)
