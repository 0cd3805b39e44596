"""Live timelines: which streams a post's events go to, and who on a stream may see them.

A new, edited or deleted post is published after commit to the home streams of the author,
of followers and of followers of its hashtags who are online, to `local` when it is public
and written here, to `tag:<name>` for each of its hashtags when public, and to `list:<id>`
for each list being read live that holds it. Each SSE connection then checks every
event against the viewer's relations (confab.posts.visibility.sees) before sending it.
"""

from collections.abc import Sequence
from dataclasses import replace

from django.db.models import Exists, OuterRef, Q

from confab.accounts.models import Account, Follow
from confab.chats import rooms
from confab.chats.models import RoomEntry
from confab.curation.models import FollowedHashtag, List, ListHashtag, ListMember
from confab.posts.cards import CardContext, render_card
from confab.posts.models import Post, Visibility
from confab.posts.queries import decorate
from confab.posts.visibility import Relations, load_relations, post_facts, sees
from confab.realtime.broker import active_streams, get_broker


class _AnyReader:
    """Stands in for 'a signed-in reader' when a card is rendered once for everyone."""

    id = 0
    pk = 0


def _render_cards(post: Post) -> dict[str, str]:
    # Rendered once per event, not per subscriber: a brand-new post has no favourites or
    # boosts by the reader yet, so one signed-in card and one signed-out card serve all.
    # No csrf_token in the context: the shared card carries none (the action bar skips it)
    # and htmx sends the reader's own token in a header (see base.html).
    return {
        "html": render_card(post, CardContext(viewer=_AnyReader())),
        "html_anon": render_card(post, CardContext()),
    }


def _online(prefix: str) -> set[int]:
    return {int(s.split(":", 1)[1]) for s in active_streams(prefix)}


def _watched_lists(post: Post, tag_names: list[str]) -> list[int]:
    """Return the lists someone is reading live whose timeline holds this post.

    The same rules as confab.curation.queries.list_posts: a member's post, or a public
    original with one of the list's hashtags; a reply only as the list's policy allows.
    Each reader's own blocks and mutes are then applied on their stream by `admits`.
    """
    watched = _online("list:")
    if not watched:
        return []
    match = Q(pk__in=ListMember.objects.filter(account_id=post.account_id).values("list_id"))
    if tag_names:
        match |= Q(pk__in=ListHashtag.objects.filter(hashtag__name__in=tag_names).values("list_id"))
    lists = List.objects.filter(pk__in=watched).filter(match)
    replied_to = post.in_reply_to_account_id
    if replied_to is not None and replied_to != post.account_id:
        to_member = Exists(ListMember.objects.filter(list_id=OuterRef("pk"), account_id=replied_to))
        to_followed = Exists(
            Follow.objects.filter(source_id=OuterRef("owner_id"), target_id=replied_to)
        )
        lists = lists.filter(
            (Q(replies_policy=List.RepliesPolicy.MEMBERS) & Q(to_member))
            | (
                Q(replies_policy=List.RepliesPolicy.FOLLOWED)
                & (Q(owner_id=replied_to) | Q(to_followed))
            )
        )
    return sorted(lists.values_list("pk", flat=True))


def streams_for(post: Post, tag_names: list[str]) -> list[str]:
    """Return the streams a post's events belong on (only home and list streams being read)."""
    public_original = post.visibility == Visibility.PUBLIC and not post.boost_of_id
    online = _online("home:")
    readers = set()
    if online:
        readers = set(
            Follow.objects.filter(target_id=post.account_id, source_id__in=online).values_list(
                "source_id", flat=True
            )
        )
        if post.account_id in online:
            readers.add(post.account_id)
        if public_original and tag_names:
            readers |= set(
                FollowedHashtag.objects.filter(
                    account_id__in=online, hashtag__name__in=tag_names
                ).values_list("account_id", flat=True)
            )
    streams = [f"home:{reader}" for reader in sorted(readers)]
    if public_original:
        if post.local:
            streams.append("local")
        streams.extend(f"tag:{name}" for name in tag_names)
    streams.extend(
        f"list:{pk}" for pk in _watched_lists(post, tag_names if public_original else [])
    )
    return streams


def _facts(post: Post, tag_names: list[str]) -> dict:
    # Home streams let in followed hashtags' posts, so an event says which tags it carries.
    return {**post_facts(post), "tags": tag_names}


def _load(post_id: int) -> Post | None:
    # .get(), not .first(): no ORDER BY to compile for a lookup by primary key.
    try:
        return (
            decorate(Post.objects.filter(pk=post_id), None)
            .prefetch_related("mentions", "boost_of__mentions", "hashtags")
            .get()
        )
    except Post.DoesNotExist:
        return None


def publish_post(post_id: int, room_entries: Sequence[RoomEntry] = ()) -> None:
    """Publish a new post (or boost) to its streams, and to the rooms it joined. After commit.

    One load of the post serves both (`room_entries` from `confab.chats.rooms.record_post`).
    """
    post = _load(post_id)
    if post is None:
        return
    shown = post.boost_of or post
    tag_names = [t.name for t in shown.hashtags.all()]
    data = {**_facts(post, tag_names), **_render_cards(post)}
    broker = get_broker()
    for stream in streams_for(post, tag_names):
        broker.publish(stream, "post", data)
    if room_entries:
        rooms.publish_entries(post, room_entries)


def _room_streams(post_id: int) -> list[str]:
    """Return the chat rooms being read right now that hold this post."""
    online = _online("room:")
    if not online:
        return []
    sessions = RoomEntry.objects.filter(post_id=post_id, session_id__in=online, hidden=False)
    return [f"room:{session_id}" for session_id in sessions.values_list("session_id", flat=True)]


def publish_update(post_id: int) -> None:
    """Publish an edited post's new content to its streams. Call after commit."""
    post = _load(post_id)
    if post is None:
        return
    tag_names = [t.name for t in post.hashtags.all()]
    data = {
        **_facts(post, tag_names),
        "content_html": post.content_html,
        "spoiler_text": post.spoiler_text,
    }
    broker = get_broker()
    for stream in streams_for(post, tag_names) + _room_streams(post.pk):
        broker.publish(stream, "update", data)


def deletion(post: Post) -> tuple[list[str], dict]:
    """Capture, before a post is deleted, where and what to publish once it is gone."""
    post = _load(post.pk) or post
    tag_names = [t.name for t in post.hashtags.all()]
    return streams_for(post, tag_names) + _room_streams(post.pk), _facts(post, tag_names)


def publish_deletion(streams: list[str], facts: dict) -> None:
    broker = get_broker()
    for stream in streams:
        broker.publish(stream, "delete", facts)


def load_reader(viewer: Account | None) -> Relations:
    """Load the viewer's relations plus what their home stream adds and leaves out."""
    relations = load_relations(viewer)
    if viewer is None:
        return relations
    return replace(
        relations,
        followed_tags=frozenset(
            FollowedHashtag.objects.filter(account=viewer).values_list("hashtag__name", flat=True)
        ),
        exclusive=frozenset(
            ListMember.objects.filter(list__owner=viewer, list__exclusive=True)
            .exclude(account=viewer)
            .values_list("account_id", flat=True)
        ),
    )


def admits(relations: Relations, stream: str, facts: dict) -> bool:
    """Return whether a post event on `stream` may reach this viewer (mirrors the feeds)."""
    if stream.startswith("room:"):
        # A chat room is not a feed: muting someone does not hide them there; blocks do.
        return sees(relations, facts, feed=False)
    if not sees(relations, facts, feed=True):
        return False
    if stream.startswith("home:"):
        viewer = relations.viewer_id
        author = facts["account_id"]
        if author != viewer and author in relations.exclusive:
            return False
        by_tag = (
            facts["visibility"] == Visibility.PUBLIC
            and facts["boost_of_account_id"] is None
            and not relations.followed_tags.isdisjoint(facts.get("tags", ()))
        )
        if author != viewer and author not in relations.following and not by_tag:
            return False
        replied_to = facts["in_reply_to_account_id"]
        return (
            replied_to is None
            or author == viewer
            or replied_to == viewer
            or replied_to in relations.following
        )
    return True
