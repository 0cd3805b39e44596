"""Live timelines: which streams a post's events go to, and who on a stream may see them.

A new, edited or deleted post is published after commit to the home streams of the author
and of followers who are online, to `local` when it is public and written here, and to
`tag:<name>` for each of its hashtags when public. Each SSE connection then checks every
event against the viewer's relations (confab.posts.visibility.sees) before sending it.
"""

from django.template.loader import render_to_string

from confab.accounts.models import Follow
from confab.posts.models import Post, Visibility
from confab.posts.queries import decorate
from confab.posts.visibility import Relations, post_facts, sees
from confab.realtime.broker import active_streams, get_broker


class _AnyReader:
    """Stands in for 'a signed-in reader' when a card is rendered once for everyone."""

    id = 0
    pk = 0


def _render_cards(post: Post) -> dict[str, str]:
    # Rendered once per event, not per subscriber: a brand-new post has no favourites or
    # boosts by the reader yet, so one signed-in card and one signed-out card serve all.
    # "NOTPROVIDED" tells {% csrf_token %} to render nothing: htmx sends the reader's own
    # token in a header (see base.html), so the shared card must not carry one.
    return {
        "html": render_to_string(
            "posts/_post.html",
            {"post": post, "viewer": _AnyReader(), "csrf_token": "NOTPROVIDED"},
        ),
        "html_anon": render_to_string(
            "posts/_post.html", {"post": post, "viewer": None, "csrf_token": "NOTPROVIDED"}
        ),
    }


def streams_for(post: Post, tag_names: list[str]) -> list[str]:
    """Return the streams a post's events belong on (only home streams someone is reading)."""
    online = {int(s.split(":", 1)[1]) for s in active_streams("home:")}
    readers = set()
    if online:
        readers = set(
            Follow.objects.filter(target_id=post.account_id, source_id__in=online).values_list(
                "source_id", flat=True
            )
        )
        if post.account_id in online:
            readers.add(post.account_id)
    streams = [f"home:{reader}" for reader in sorted(readers)]
    if post.visibility == Visibility.PUBLIC and not post.boost_of_id:
        if post.local:
            streams.append("local")
        streams.extend(f"tag:{name}" for name in tag_names)
    return streams


def _load(post_id: int) -> Post | None:
    return (
        decorate(Post.objects.filter(pk=post_id), None)
        .prefetch_related("mentions", "boost_of__mentions", "hashtags")
        .first()
    )


def publish_post(post_id: int) -> None:
    """Publish a new post (or boost) to its streams. Call after commit."""
    post = _load(post_id)
    if post is None:
        return
    shown = post.boost_of or post
    data = {**post_facts(post), **_render_cards(post)}
    broker = get_broker()
    for stream in streams_for(post, [t.name for t in shown.hashtags.all()]):
        broker.publish(stream, "post", data)


def publish_update(post_id: int) -> None:
    """Publish an edited post's new content to its streams. Call after commit."""
    post = _load(post_id)
    if post is None:
        return
    data = {
        **post_facts(post),
        "content_html": post.content_html,
        "spoiler_text": post.spoiler_text,
    }
    broker = get_broker()
    for stream in streams_for(post, [t.name for t in post.hashtags.all()]):
        broker.publish(stream, "update", data)


def deletion(post: Post) -> tuple[list[str], dict]:
    """Capture, before a post is deleted, where and what to publish once it is gone."""
    post = _load(post.pk) or post
    return streams_for(post, [t.name for t in post.hashtags.all()]), post_facts(post)


def publish_deletion(streams: list[str], facts: dict) -> None:
    broker = get_broker()
    for stream in streams:
        broker.publish(stream, "delete", facts)


def admits(relations: Relations, stream: str, facts: dict) -> bool:
    """Return whether a post event on `stream` may reach this viewer."""
    if not sees(relations, facts, feed=True):
        return False
    if stream.startswith("home:"):
        viewer = relations.viewer_id
        author = facts["account_id"]
        if author != viewer and author not in relations.following:
            return False
        replied_to = facts["in_reply_to_account_id"]
        return (
            replied_to is None
            or author == viewer
            or replied_to == viewer
            or replied_to in relations.following
        )
    return True
