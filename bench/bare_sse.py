"""The floor for live delivery: a bare ASGI server-sent-events broadcaster.

    uvicorn bench.bare_sse:app --loop uvloop --http httptools --lifespan off

No Django, no database, no per-reader checks: `GET /live` subscribes an in-memory queue
and streams what arrives on it; `POST /posts/new` reads the form body, gives the event an
id and puts it on every queue, then answers 302 with the id at the end of `Location`, as
Confab's compose view does. bench/live.py serves it with the same uvicorn settings as
`confab serve` and measures it the same way as Confab.

The event carries `pad` characters of filler in its data (the publisher passes the size of
Confab's post card), so both servers write about the same number of bytes per event.
"""

import asyncio
import itertools
import json
from urllib.parse import parse_qs

_subscribers: set[asyncio.Queue] = set()
_ids = itertools.count(1)
RETRY_MS = 3000


async def _read_body(receive) -> bytes:
    body = b""
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            return body
        body += message.get("body", b"")
        if not message.get("more_body"):
            return body


async def _publish(receive, send) -> None:
    form = parse_qs((await _read_body(receive)).decode())
    pad = int(form.get("pad", ["0"])[0])
    event_id = next(_ids)
    data = {"id": event_id, "shown_id": event_id, "stream": "local", "html": "x" * pad}
    text = f"id: {event_id}\nevent: post\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"
    payload = text.encode()
    for queue in list(_subscribers):
        queue.put_nowait(payload)
    await send(
        {
            "type": "http.response.start",
            "status": 302,
            "headers": [(b"location", f"/@bare/{event_id}".encode()), (b"content-length", b"0")],
        }
    )
    await send({"type": "http.response.body", "body": b""})


async def _stream(receive, send) -> None:
    queue: asyncio.Queue = asyncio.Queue()
    _subscribers.add(queue)

    async def watch_disconnect() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass
        queue.put_nowait(None)  # wake the loop below, which then ends

    watcher = asyncio.ensure_future(watch_disconnect())
    try:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-type", b"text/event-stream"),
                    (b"cache-control", b"no-cache"),
                ],
            }
        )
        first = f"retry: {RETRY_MS}\n\n".encode()
        await send({"type": "http.response.body", "body": first, "more_body": True})
        while (payload := await queue.get()) is not None:
            await send({"type": "http.response.body", "body": payload, "more_body": True})
    finally:
        watcher.cancel()
        _subscribers.discard(queue)


async def app(scope, receive, send) -> None:
    if scope["type"] != "http":
        return
    if scope["method"] == "POST" and scope["path"] == "/posts/new":
        await _publish(receive, send)
    elif scope["method"] == "GET" and scope["path"] == "/live":
        await _stream(receive, send)
    else:
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b"not found"})
