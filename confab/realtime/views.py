"""Server-sent events: a live page subscribes here and receives what it may see.

One endpoint per kind of page. Each connection resumes from Last-Event-ID, checks every
event against the viewer's relations, sends a heartbeat comment so proxies keep it open,
and unsubscribes when the browser goes away (Django cancels the generator on disconnect).
"""

import asyncio
import json

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection
from django.http import Http404, StreamingHttpResponse

from confab.core.paging import parse_id
from confab.core.text import is_valid_hashtag, normalize_hashtag
from confab.posts.visibility import Relations, load_relations
from confab.realtime.broker import Event, get_broker
from confab.timelines.live import admits

POST_EVENTS = {"post", "update", "delete"}


def _format(event: Event, data: dict) -> str:
    return (
        f"id: {event.id}\nevent: {event.type}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"
    )


def _outgoing(event: Event, relations: Relations) -> str | None:
    """Return the SSE text for this viewer, or None when the event is not theirs to see."""
    if event.type in POST_EVENTS:
        if not admits(relations, event.stream, event.data):
            return None
        data = {
            "id": event.data["id"],
            "shown_id": event.data["shown_id"],
            "stream": event.stream,
        }
        if event.type == "post":
            data["html"] = event.data["html" if relations.viewer_id else "html_anon"]
        elif event.type == "update":
            data["content_html"] = event.data["content_html"]
            data["spoiler_text"] = event.data["spoiler_text"]
        return _format(event, data)
    if event.type == "unread":
        return _format(event, event.data)
    return None


def _relations(viewer) -> Relations:
    """Load the viewer's relations and give the connection back at once.

    A stream lives for hours; it must not hold a database connection (or a pool slot)
    between the moments it needs one.
    """
    try:
        return load_relations(viewer)
    finally:
        close_old_connections()
        connection.close()


async def live(request, kind: str, name: str = ""):
    viewer = request.account  # set by the (sync) account middleware before this view
    if kind == "home":
        if viewer is None:
            raise Http404("Sign in to follow your home timeline live.")
        streams = [f"home:{viewer.pk}"]
    elif kind == "local":
        streams = ["local"]
    elif kind == "tag" and is_valid_hashtag(name):
        streams = [f"tag:{normalize_hashtag(name)}"]
    elif kind == "notifications" and viewer is not None:
        streams = []
    else:
        raise Http404("No such live stream.")
    if viewer is not None:
        streams += [f"notifications:{viewer.pk}", f"relations:{viewer.pk}"]
    # A malformed Last-Event-ID is ignored, as if the browser had sent none.
    last_event_id = parse_id(request.headers.get("Last-Event-ID"))
    relations = await sync_to_async(_relations)(viewer)
    heartbeat = settings.CONFAB_SSE_HEARTBEAT

    async def events():
        broker = get_broker()
        subscription, missed = broker.subscribe(streams, last_event_id)
        try:
            yield f"retry: {settings.CONFAB_SSE_RETRY_MS}\n\n"
            current = relations
            for event in missed:
                if text := _outgoing(event, current):
                    yield text
            while not subscription.lagging:
                try:
                    event = await asyncio.wait_for(subscription.queue.get(), heartbeat)
                except TimeoutError:
                    yield ": heartbeat\n\n"
                    continue
                if event.type == "relations":
                    current = await sync_to_async(_relations)(viewer)
                elif text := _outgoing(event, current):
                    yield text
            # A reader too slow to keep up is closed; its browser reconnects and resumes
            # from Last-Event-ID out of the ring buffer.
        finally:
            broker.unsubscribe(subscription)

    response = StreamingHttpResponse(events(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
