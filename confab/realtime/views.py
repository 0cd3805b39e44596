"""Server-sent events: a live page subscribes here and receives what it may see.

One endpoint per kind of page. Each connection resumes from Last-Event-ID, checks every
event against the viewer's relations, sends a heartbeat comment so proxies keep it open,
and unsubscribes when the browser goes away. The permission check (`streams_for`) and the
per-reader filtering (`Reader`, `outgoing`) live here; `confab.realtime.asgi` serves the
streams with them in front of Django, and the `live` view below through Django.
"""

import asyncio
import json

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections, connection
from django.http import Http404, StreamingHttpResponse

from confab.chats.models import ChatSession
from confab.connections.conversations import live as conversations_live
from confab.core.paging import parse_id
from confab.core.text import is_valid_hashtag, normalize_hashtag
from confab.curation.queries import get_list_for
from confab.posts.visibility import Relations, sees
from confab.realtime.broker import Event, get_broker
from confab.timelines.live import admits, load_reader

POST_EVENTS = {"post", "update", "delete"}
# A chat room's events (confab.chats.rooms): entries carry post facts, the rest plain data.
ROOM_POST_EVENTS = {"entry", "question"}
ROOM_EVENTS = {"hide", "state", "lock", "move"}
HEARTBEAT = b": heartbeat\n\n"


def _format(event: Event, data: dict) -> bytes:
    return (
        f"id: {event.id}\nevent: {event.type}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"
    ).encode()


def _post_text(event: Event, signed_in: bool) -> bytes:
    data = {"id": event.data["id"], "shown_id": event.data["shown_id"], "stream": event.stream}
    if event.type == "post":
        data["html"] = event.data["html" if signed_in else "html_anon"]
    elif event.type == "update":
        data["content_html"] = event.data["content_html"]
        data["spoiler_text"] = event.data["spoiler_text"]
    return _format(event, data)


def _room_text(event: Event, signed_in: bool) -> bytes:
    data: dict[str, object] = {
        key: event.data[key]
        for key in ("id", "question", "in_reply_to_id", "role", "first_timer", "text")
        if key in event.data
    }
    data["html"] = event.data["html" if signed_in else "html_anon"]
    return _format(event, data)


# Once a reader may see a post event, its text differs between readers only by the
# signed-in or anonymous card: encode it once per event and kind of reader, not once per
# subscriber (1,000 readers of a room were 1,000 json.dumps of the same card). A plain
# dict, emptied when full: only the last few events are still being sent.
_TEXTS: dict[tuple[int, str, bool], bytes] = {}
_TEXTS_KEPT = 4096


def _shared_text(event: Event, signed_in: bool, build) -> bytes:
    key = (event.id, event.stream, signed_in)
    text = _TEXTS.get(key)
    if text is None:
        text = build(event, signed_in)
        if len(_TEXTS) >= _TEXTS_KEPT:
            _TEXTS.clear()
        _TEXTS[key] = text
    return text


def outgoing(event: Event, relations: Relations) -> bytes | None:
    """Return the SSE bytes for this viewer, or None when the event is not theirs to see."""
    if event.type in POST_EVENTS:
        if not admits(relations, event.stream, event.data):
            return None
        return _shared_text(event, bool(relations.viewer_id), _post_text)
    if event.type in ROOM_POST_EVENTS:
        # A room is not a feed (muting someone does not hide them there) but blocks apply.
        if not sees(relations, event.data, feed=False):
            return None
        return _shared_text(event, bool(relations.viewer_id), _room_text)
    if event.type in conversations_live.EVENTS:
        shown = conversations_live.outgoing(relations, event.data)
        return None if shown is None else _format(event, shown)
    if event.type == "unread" or event.type in ROOM_EVENTS:
        return _shared_text(event, False, lambda e, _: _format(e, e.data))
    return None


class Reader:
    """One live connection's reader: turns batches of events into what they may see."""

    __slots__ = ("relations", "viewer")

    def __init__(self, viewer, relations: Relations) -> None:
        self.viewer = viewer
        self.relations = relations

    async def read(self, events: list[Event]) -> tuple[bytes, bool]:
        """Return the bytes to send for `events`, and whether the stream must end (reopen)."""
        chunks: list[bytes] = []
        for event in events:
            if event.type == "relations":
                # Follows, blocks or mutes changed: later events are checked against the new.
                self.relations = await released(load_reader)(self.viewer)
            elif event.type == "reopen":
                # Who may read this stream changed (a list turned private): end it, so the
                # browser reconnects through the permission check.
                return b"".join(chunks), True
            elif text := outgoing(event, self.relations):
                chunks.append(text)
        return b"".join(chunks), False


def released(function):
    """Run `function` in a thread, then give its database connection back at once.

    A stream lives for hours; it must not hold a connection (or a pool slot) between the
    moments it needs one.
    """

    def call(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        finally:
            close_old_connections()
            connection.close()

    return sync_to_async(call)


def _room_exists(session_id: int) -> bool:
    return ChatSession.objects.filter(pk=session_id).exists()


def _list_readable(viewer, list_id: int) -> bool:
    try:
        get_list_for(viewer, list_id)
    except Http404:
        return False
    return True


def streams_for(viewer, kind: str, name: str = "", session_id: int = 0, list_id: int = 0):
    """Return the streams a live page of `kind` reads for `viewer`; Http404 if none for them.

    The one permission check of every live stream, whichever way it is served
    (confab.realtime.asgi in front of Django, or the `live` view below).
    """
    if kind == "home":
        if viewer is None:
            raise Http404("Sign in to follow your home timeline live.")
        streams = [f"home:{viewer.pk}"]
    elif kind == "local":
        streams = ["local"]
    elif kind == "tag" and is_valid_hashtag(name):
        streams = [f"tag:{normalize_hashtag(name)}"]
    elif kind == "room" and _room_exists(session_id):
        streams = [f"room:{session_id}"]
    elif kind == "list" and _list_readable(viewer, list_id):
        streams = [f"list:{list_id}"]
    elif kind == "notifications" and viewer is not None:
        streams = []
    elif kind == "conversations" and viewer is not None:
        streams = [f"conversations:{viewer.pk}"]
    else:
        raise Http404("No such live stream.")
    if viewer is not None:
        streams += [f"notifications:{viewer.pk}", f"relations:{viewer.pk}"]
    return streams


def open_live(viewer, kind: str, **names) -> tuple[list[str], Relations]:
    """Check and name a live page's streams and load its reader's relations (sync, one hop)."""
    return streams_for(viewer, kind, **names), load_reader(viewer)


async def live(request, kind: str, name: str = "", session_id: int = 0, list_id: int = 0):
    """The live stream through Django's streaming response.

    `confab.config.asgi` serves /live/* with `confab.realtime.asgi` instead, which is much
    cheaper per event; this view stays for anything that calls Django directly (the test
    client, an ASGI server pointed at `get_asgi_application()`), with the same checks.
    """
    viewer = request.account  # set by the (sync) account middleware before this view
    streams, relations = await released(open_live)(
        viewer, kind, name=name, session_id=session_id, list_id=list_id
    )
    # A malformed Last-Event-ID is ignored, as if the browser had sent none.
    last_event_id = parse_id(request.headers.get("Last-Event-ID"))
    heartbeat = settings.CONFAB_SSE_HEARTBEAT

    async def events():
        broker = get_broker()
        subscription, missed = broker.subscribe(streams, last_event_id)
        try:
            yield f"retry: {settings.CONFAB_SSE_RETRY_MS}\n\n".encode()
            reader = Reader(viewer, relations)
            chunks, _ = await reader.read(missed)
            if chunks:
                yield chunks
            while not subscription.lagging:
                try:
                    # asyncio.timeout, not wait_for: no Task per event (Python 3.11).
                    async with asyncio.timeout(heartbeat):
                        # Everything already waiting comes at once and goes out in one write.
                        batch = await subscription.take()
                except TimeoutError:
                    yield HEARTBEAT
                    continue
                chunks, reopen = await reader.read(batch)
                if chunks:
                    yield chunks
                if reopen:
                    break
            # A reader too slow to keep up is closed; its browser reconnects and resumes
            # from Last-Event-ID out of the ring buffer.
        finally:
            broker.unsubscribe(subscription)

    response = StreamingHttpResponse(events(), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"
    return response
