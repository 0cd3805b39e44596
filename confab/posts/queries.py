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
from confab.core.prepared import prepared, sentinels
from confab.posts.models import Bookmark, Favourite, MediaAttachment, Post
from confab.posts.visibility import visible_posts


def decorate(
    posts: QuerySet[Post], viewer: Account | None, *, media: bool = True
) -> QuerySet[Post]:
    """Join what a post card needs and mark what the viewer has done to each post.

    media=False leaves the attachments out; `attach_media` fetches them afterwards.
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
    shown = Coalesce(OuterRef("boost_of_id"), OuterRef("id"))
    return posts.annotate(
        viewer_favourited=Exists(Favourite.objects.filter(account=viewer, post_id=shown)),
        viewer_bookmarked=Exists(Bookmark.objects.filter(account=viewer, post_id=shown)),
        viewer_boosted=Exists(Post.objects.filter(account=viewer, boost_of_id=shown)),
    )


def attach_media(posts: list[Post]) -> None:
    """Give each post, and each boosted original, its attachments (what `post.media.all()`
    returns), in one query compiled once per number of posts (confab/core/prepared.py)."""
    # A post can be on the page twice: itself, and as the original of a boost.
    shown: dict[int, list[Post]] = {}
    for post in posts:
        shown.setdefault(post.pk, []).append(post)
        if post.boost_of is not None:
            shown.setdefault(post.boost_of.pk, []).append(post.boost_of)
    if not shown:
        return
    names = [f"post{n}" for n in range(len(shown))]

    def build():
        stand_ins = sentinels(names)
        ids = [stand_ins[name] for name in names]
        return MediaAttachment.objects.filter(post_id__in=ids).order_by("position", "id"), stand_ins

    found: dict[int, list[MediaAttachment]] = {pk: [] for pk in shown}
    key = ("media", connection.vendor, len(names))
    for item in prepared.rows(key, build, dict(zip(names, shown, strict=True))):
        found[item.post_id].append(item)
    for pk, instances in shown.items():
        for post in instances:
            # What a prefetch leaves: a queryset whose rows are already read.
            items: QuerySet[MediaAttachment] = QuerySet(MediaAttachment)
            items._result_cache = found[pk]
            items._prefetch_done = True  # type: ignore[attr-defined]
            post._prefetched_objects_cache = {"media": items}  # type: ignore[attr-defined]


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
