"""Who may see which post: the one place these rules live.

Every surface (pages, feeds, search, live events, exports, API) filters through here.

- public: everyone; listed on the local and hashtag timelines.
- unlisted: everyone who opens it or the author's profile; not listed on public timelines.
- private (followers only): the author, the author's followers, and people it mentions.
- direct: the author and the people it mentions.

Blocks hide everything both ways. Mutes only keep a person out of the muter's feeds
(home, local, hashtag, lists): opening their profile or a thread still shows them.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet

from confab.accounts.models import Account, Block, Follow, Mute
from confab.posts.models import Mention, Post, Visibility

OPEN_VISIBILITIES = (Visibility.PUBLIC, Visibility.UNLISTED)


def following_ids(viewer: Account) -> QuerySet:
    return Follow.objects.filter(source=viewer).values("target_id")


def blocked_ids(viewer: Account) -> tuple[QuerySet, QuerySet]:
    """Return subqueries of the accounts the viewer blocks and those who block the viewer."""
    return (
        Block.objects.filter(source=viewer).values("target_id"),
        Block.objects.filter(target=viewer).values("source_id"),
    )


def muted_ids(viewer: Account) -> QuerySet:
    return Mute.objects.filter(source=viewer).values("target_id")


def visible_q(viewer: Account | None) -> Q:
    """Return the condition a Post row must meet for `viewer` (None: signed out) to see it."""
    if viewer is None:
        return Q(visibility__in=OPEN_VISIBILITIES)
    mentioned = Exists(Mention.objects.filter(post_id=OuterRef("pk"), account=viewer))
    may_see = (
        Q(visibility__in=OPEN_VISIBILITIES)
        | Q(account=viewer)
        | Q(visibility=Visibility.PRIVATE, account_id__in=following_ids(viewer))
        | Q(mentioned)
    )
    blocking, blocked_by = blocked_ids(viewer)
    not_blocked = ~Q(account_id__in=blocking) & ~Q(account_id__in=blocked_by)
    # A boost shows someone else's post: that author must not be blocked either way. A
    # correlated EXISTS (not a join) keeps the planner on the feed's own index.
    boosted_blocked = Exists(
        Post.objects.filter(pk=OuterRef("boost_of_id")).filter(
            Q(account_id__in=blocking) | Q(account_id__in=blocked_by)
        )
    )
    return may_see & not_blocked & ~Q(boosted_blocked)


def visible_posts(viewer: Account | None) -> QuerySet[Post]:
    """Return every post `viewer` may see (any surface that shows one post or a thread)."""
    return Post.objects.filter(visible_q(viewer))


def feed_posts(viewer: Account | None) -> QuerySet[Post]:
    """Return the posts `viewer` may see in a feed: visible, and nobody they muted."""
    posts = visible_posts(viewer)
    if viewer is not None:
        muted = muted_ids(viewer)
        posts = posts.exclude(account_id__in=muted).exclude(
            Exists(Post.objects.filter(pk=OuterRef("boost_of_id"), account_id__in=muted))
        )
    return posts


def can_see(viewer: Account | None, post: Post) -> bool:
    """Return whether `viewer` may see `post` (one query; for checks outside a queryset)."""
    return visible_posts(viewer).filter(pk=post.pk).exists()


def blocked_between(a: Account, b: Account) -> bool:
    """Return whether either person blocks the other."""
    return Block.objects.filter(Q(source=a, target=b) | Q(source=b, target=a)).exists()


# --- The same rules for live events, decided in memory --------------------------------
#
# A live stream cannot afford a query per event per subscriber, so an SSE connection loads
# the viewer's relations once (and again when they change) and checks each event's facts
# against them here. `tests/timelines/test_live_visibility.py` holds both forms to the
# same matrix.


@dataclass(frozen=True)
class Relations:
    viewer_id: int | None
    following: frozenset[int] = frozenset()
    blocking: frozenset[int] = frozenset()
    blocked_by: frozenset[int] = frozenset()
    muting: frozenset[int] = frozenset()
    # What else a home stream holds and leaves out; filled by
    # confab.timelines.live.load_reader, empty (no followed hashtags, no exclusive lists) here.
    followed_tags: frozenset[str] = frozenset()
    exclusive: frozenset[int] = frozenset()

    @property
    def hidden(self) -> frozenset[int]:
        return self.blocking | self.blocked_by


def load_relations(viewer: Account | None) -> Relations:
    if viewer is None:
        return Relations(viewer_id=None)
    return Relations(
        viewer_id=viewer.pk,
        following=frozenset(
            Follow.objects.filter(source=viewer).values_list("target_id", flat=True)
        ),
        blocking=frozenset(Block.objects.filter(source=viewer).values_list("target_id", flat=True)),
        blocked_by=frozenset(
            Block.objects.filter(target=viewer).values_list("source_id", flat=True)
        ),
        muting=frozenset(Mute.objects.filter(source=viewer).values_list("target_id", flat=True)),
    )


def post_facts(post: Post) -> dict:
    """What the in-memory check needs to know about a post (plain data, for an event)."""
    shown = post.boost_of or post
    return {
        "id": post.pk,
        "shown_id": shown.pk,
        "account_id": post.account_id,
        "visibility": post.visibility,
        "mentioned": sorted(m.account_id for m in shown.mentions.all() if m.account_id is not None),
        "boost_of_account_id": post.boost_of.account_id if post.boost_of else None,
        "in_reply_to_account_id": post.in_reply_to_account_id,
        "local": post.local,
    }


def sees(relations: Relations, facts: dict, *, feed: bool) -> bool:
    """Return whether the viewer may see a post described by `facts` (mirrors visible_q)."""
    viewer = relations.viewer_id
    visibility = facts["visibility"]
    if viewer is None:
        return visibility in OPEN_VISIBILITIES
    author, booster_of = facts["account_id"], facts["boost_of_account_id"]
    if author in relations.hidden or booster_of in relations.hidden:
        return False
    if feed and (author in relations.muting or booster_of in relations.muting):
        return False
    return (
        visibility in OPEN_VISIBILITIES
        or author == viewer
        or (visibility == Visibility.PRIVATE and author in relations.following)
        or viewer in facts["mentioned"]
    )
