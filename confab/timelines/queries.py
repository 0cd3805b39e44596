"""The feeds: which posts each timeline holds, newest first, for one viewer."""

from collections.abc import Callable
from functools import partial

from django.db import connection
from django.db.models import F, Q, QuerySet

from confab.accounts.models import Account
from confab.core.paging import Shape
from confab.core.prepared import prepared, sentinels, stand_in
from confab.curation.models import FollowedHashtag, ListMember
from confab.posts.cards import CardRow
from confab.posts.models import Post, PostHashtag, Visibility
from confab.posts.queries import card_rows, decorate
from confab.posts.visibility import feed_posts, following_ids, visible_posts


def followed_tag_ids(viewer: Account) -> list[int]:
    def build():
        stand_ins = sentinels(["viewer"])
        tags = FollowedHashtag.objects.filter(account_id=stand_ins["viewer"])
        return [tags.order_by("hashtag_id").values_list("hashtag_id", flat=True)], stand_ins

    (query,) = prepared.get(("followed hashtags", connection.vendor), build)
    return query.flat({"viewer": viewer.pk})


def _home(viewer: Account, tag_ids: list[int] | None = None) -> tuple[QuerySet[Post], Q, Q | None]:
    """The home timeline's common filter, its people arm and its hashtag arm (if any)."""
    authors = following_ids(viewer)
    if connection.vendor == "sqlite":
        # One IN list lets SQLite walk (account, -id) per author and stop after a page;
        # with an OR it reads and sorts every post of everyone followed. PostgreSQL plans
        # the OR well and the UNION badly, so each gets its own form (docs/performance.md).
        people = Q(
            account_id__in=authors.union(
                Account.objects.filter(pk=viewer.pk).values("id"), all=True
            )
        )
    else:
        people = Q(account_id__in=authors) | Q(account=viewer)
    # Followed hashtags add their public posts. Looked up first, so that the many people
    # who follow none keep the plan above untouched; an IN on the primary key (not a join)
    # lists a post that matches a person and a hashtag once.
    if tag_ids is None:
        tag_ids = followed_tag_ids(viewer)
    tags = None
    if tag_ids:
        tags = Q(
            visibility=Visibility.PUBLIC,
            boost_of__isnull=True,
            pk__in=PostHashtag.objects.filter(hashtag_id__in=tag_ids).values("post_id"),
        )
    # Members of the viewer's exclusive lists are read there, not here.
    exclusive = ListMember.objects.filter(list__owner=viewer, list__exclusive=True).exclude(
        account=viewer
    )
    common = (
        feed_posts(viewer)
        .exclude(account_id__in=exclusive.values("account_id"))
        .filter(
            Q(in_reply_to_account__isnull=True)
            | Q(account=viewer)
            | Q(in_reply_to_account=viewer)
            | Q(in_reply_to_account_id__in=authors)
        )
    )
    return common, people, tags


def home(viewer: Account) -> QuerySet[Post]:
    """Posts and boosts by the people the viewer follows and by the viewer, and public posts
    with the hashtags the viewer follows, less the members of the viewer's exclusive lists.

    A reply shows only when it answers the viewer or someone the viewer follows, so a
    conversation between strangers does not flood the timeline.
    """
    common, people, tags = _home(viewer)
    return decorate(common.filter(people if tags is None else people | tags), viewer)


def home_parts(viewer: Account, tag_ids: list[int] | None = None) -> list[QuerySet[Post]]:
    """The same timeline as `home`, as arms for `paginate(parts=...)` to page one by one.

    With followed hashtags, the OR of "by these people" and "with these hashtags" leads
    SQLite to read and sort most of the posts table (seconds on a million posts); each arm
    alone walks its own index and stops after a page, and merging two pages of ids is
    cheap. A post in both arms is listed once.
    """
    common, people, tags = _home(viewer, tag_ids)
    if tags is None:
        return [common.filter(people)]
    return [common.filter(people), common.filter(tags)]


def home_shape(viewer: Account) -> Shape:
    """`home_parts` for paginate(shape=...): one compiled form per number of hashtags."""
    tag_ids = followed_tag_ids(viewer)
    tag_names = [f"tag{n}" for n in range(len(tag_ids))]
    return Shape(
        name=("home", connection.vendor, len(tag_ids)),
        values={"viewer": viewer.pk, **dict(zip(tag_names, tag_ids, strict=True))},
        build=lambda v: home_parts(stand_in(Account, v["viewer"]), [v[name] for name in tag_names]),
    )


def cards(viewer: Account | None) -> Callable[[list[int]], list[CardRow]]:
    """Load the posts a page has already chosen (by id), as the cards it shows.

    For `paginate(load=...)`: the page's ids come from a query that applied every
    visibility rule, so loading them by id needs none of it again.
    """
    return partial(card_rows, viewer)


def local(viewer: Account | None) -> QuerySet[Post]:
    """Public posts written on this server."""
    return decorate(_local(viewer), viewer)


def _local(viewer: Account | None) -> QuerySet[Post]:
    return feed_posts(viewer).filter(
        local=True, visibility=Visibility.PUBLIC, boost_of__isnull=True
    )


def local_shape(viewer: Account | None) -> Shape:
    """`local` for paginate(shape=...)."""
    if viewer is None:
        return Shape(
            name=("local", connection.vendor, False), values={}, build=lambda v: [_local(None)]
        )
    return Shape(
        name=("local", connection.vendor, True),
        values={"viewer": viewer.pk},
        build=lambda v: [_local(stand_in(Account, v["viewer"]))],
    )


# The hashtag timeline's paging key: the post id as the (hashtag, post) index holds it.
TAGGED_KEY = "tagged_id"


def hashtag(viewer: Account | None, hashtag_id: int) -> QuerySet[Post]:
    """Public posts carrying a hashtag.

    Page it by TAGGED_KEY (`paginate(key=TAGGED_KEY, loaded_key="id")`): ordered by the
    join's own column, SQLite walks the (hashtag, post) index backwards and stops after a
    page; ordered by the post's id it sorted every post with the tag (docs/performance.md).
    """
    return decorate(_hashtag(viewer, hashtag_id), viewer)


def _hashtag(viewer: Account | None, hashtag_id: int) -> QuerySet[Post]:
    return (
        feed_posts(viewer)
        .filter(
            posthashtag__hashtag_id=hashtag_id,
            visibility=Visibility.PUBLIC,
            boost_of__isnull=True,
        )
        .annotate(**{TAGGED_KEY: F("posthashtag__post_id")})
    )


def hashtag_shape(viewer: Account | None, hashtag_id: int) -> Shape:
    """`hashtag` for paginate(shape=..., key=TAGGED_KEY, loaded_key="id")."""
    if viewer is None:
        return Shape(
            name=("hashtag", connection.vendor, False),
            values={"hashtag": hashtag_id},
            build=lambda v: [_hashtag(None, v["hashtag"])],
        )
    return Shape(
        name=("hashtag", connection.vendor, True),
        values={"viewer": viewer.pk, "hashtag": hashtag_id},
        build=lambda v: [_hashtag(stand_in(Account, v["viewer"]), v["hashtag"])],
    )


def profile(viewer: Account | None, account: Account, *, with_replies: bool) -> QuerySet[Post]:
    """A person's posts and boosts as the viewer may see them (mutes do not hide these)."""
    return decorate(_profile(viewer, account, with_replies=with_replies), viewer)


def _profile(viewer: Account | None, account: Account, *, with_replies: bool) -> QuerySet[Post]:
    posts = visible_posts(viewer).filter(account=account)
    if not with_replies:
        posts = posts.filter(Q(in_reply_to_account__isnull=True) | Q(in_reply_to_account=account))
    return posts


def profile_shape(viewer: Account | None, account: Account, *, with_replies: bool) -> Shape:
    """`profile` for paginate(shape=...)."""
    values = {"account": account.pk}
    if viewer is not None:
        values["viewer"] = viewer.pk

    def build(v):
        reader = stand_in(Account, v["viewer"]) if viewer is not None else None
        return [_profile(reader, stand_in(Account, v["account"]), with_replies=with_replies)]

    return Shape(
        name=("profile", connection.vendor, viewer is not None, with_replies),
        values=values,
        build=build,
    )


def bookmarks(viewer: Account) -> QuerySet[Post]:
    """The viewer's bookmarked posts they may still see, paged by when they were bookmarked."""
    return decorate(
        visible_posts(viewer)
        .filter(bookmarks__account=viewer)
        .annotate(bookmark_id=F("bookmarks__id")),
        viewer,
    )


def none() -> QuerySet[Post]:
    return decorate(Post.objects.none(), None)
