"""Open a server-sent events stream against the real ASGI application, in-process.

The test speaks ASGI itself (a request in, body chunks out, a disconnect when done), so it
exercises the same path a browser does through uvicorn, streaming included.
"""

import asyncio
import contextlib
import re
from dataclasses import dataclass, field

from django.test import Client

from confab.config.asgi import application


@dataclass
class Stream:
    status: int = 0
    chunks: asyncio.Queue = field(default_factory=asyncio.Queue)
    buffer: str = ""
    task: asyncio.Task | None = None
    disconnect: asyncio.Event = field(default_factory=asyncio.Event)

    async def next_event(self, timeout: float = 5.0, *, heartbeats: bool = False) -> dict:
        """Return the next SSE message (id, event, data), skipping retry lines.

        Heartbeat comments arrive on their own clock, so they are skipped too unless the
        caller asks for them: a test waiting for a post must not trip over one.
        """
        while True:
            if "\n\n" in self.buffer:
                raw, self.buffer = self.buffer.split("\n\n", 1)
                message = dict(re.findall(r"^(id|event|data|retry): ?(.*)$", raw, re.M))
                if raw.startswith(":"):
                    message = {"comment": raw[1:].strip()}
                if "retry" in message and len(message) == 1:
                    continue
                if "comment" in message and not heartbeats:
                    continue
                return message
            chunk = await asyncio.wait_for(self.chunks.get(), timeout)
            self.buffer += chunk

    async def no_event(self, wait: float = 0.5) -> None:
        """Assert that no message but heartbeats arrives within `wait` seconds."""
        deadline = asyncio.get_running_loop().time() + wait
        while (left := deadline - asyncio.get_running_loop().time()) > 0:
            try:
                message = await self.next_event(timeout=left, heartbeats=True)
            except TimeoutError:
                return
            if "comment" not in message:
                raise AssertionError(f"unexpected event: {message}")

    async def close(self) -> None:
        self.disconnect.set()
        if self.task is not None:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(self.task, 5)


def session_cookie(account) -> str:
    client = Client()
    client.force_login(account.user)
    return f"sessionid={client.cookies['sessionid'].value}"


async def open_stream(path: str, *, cookie: str = "", last_event_id: str | None = None) -> Stream:
    stream = Stream()
    headers = [(b"host", b"testserver"), (b"accept", b"text/event-stream")]
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    if last_event_id is not None:
        headers.append((b"last-event-id", last_event_id.encode()))
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 40000),
        "server": ("testserver", 80),
    }
    sent_request = False
    started = asyncio.Event()

    async def receive():
        nonlocal sent_request
        if not sent_request:
            sent_request = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await stream.disconnect.wait()
        return {"type": "http.disconnect"}

    async def send(message):
        if message["type"] == "http.response.start":
            stream.status = message["status"]
            started.set()
        elif message["type"] == "http.response.body":
            body = message.get("body", b"")
            if body:
                stream.chunks.put_nowait(body.decode())

    stream.task = asyncio.create_task(application(scope, receive, send))
    await asyncio.wait_for(started.wait(), 10)
    return stream


def in_thread(function):
    """Run a sync action from the test's event loop, giving its connection back afterwards.

    Outside a request nothing closes the worker thread's connection; left open it would
    hold a pool slot and keep PostgreSQL from dropping the test database.
    """
    from asgiref.sync import sync_to_async
    from django.db import connection

    def call(*args, **kwargs):
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    return sync_to_async(call)
