"""Django over ASGI with one thread hop per request (docs/decisions/021-one-hop-requests.md).

Django's own ASGIHandler runs each request's sync code in a thread made for that request,
and hops between that thread and the event loop several times per request: once for the
`request_started` signal, at every boundary between sync and async middleware, for the
view, and again to close the response. Under load each hop waits behind whatever else the
event loop is doing (live fan-outs, other requests' I/O), and every new thread opens a new
database connection.

This handler reads the request body on the event loop, then runs everything Django does
for the request (signals, the whole middleware chain in its sync mode, the view, closing a
non-streaming response) in one call on a fixed pool of threads, and sends the response
from the event loop. Each pool thread keeps its database connection (SQLite: persistent
connections; PostgreSQL: the pool decides).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from concurrent.futures import ThreadPoolExecutor
from inspect import iscoroutinefunction
from itertools import islice
from typing import Any

from asgiref.sync import sync_to_async
from django.core import signals
from django.core.exceptions import RequestAborted
from django.core.handlers import base
from django.core.handlers.asgi import ASGIHandler, get_script_prefix
from django.db import close_old_connections
from django.http import FileResponse
from django.urls import Resolver404, get_resolver, set_script_prefix

# Parts of a sync streaming body read per hop to the pool: a FileResponse's parts are
# ASGIHandler.chunk_size (64 KiB), so 1 MiB at a time.
PULL_PARTS = 16


class OneHopASGIHandler(ASGIHandler):
    """An ASGIHandler whose requests cross from the event loop to a thread once."""

    def __init__(self, threads: int) -> None:
        base.BaseHandler.__init__(self)
        # The middleware chain in its sync mode: every middleware, the view and the
        # exception handling run in the calling thread, without adapters between them.
        self.load_middleware(is_async=False)
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="confab-web")
        # Async views (the `live` stream view) keep Django's own async path.
        self.async_handler = ASGIHandler()
        self.in_thread = sync_to_async(self.respond, thread_sensitive=False, executor=self.executor)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            raise ValueError(f"Django can only handle ASGI/HTTP connections, not {scope['type']}.")
        if _is_async_view(scope):
            await self.async_handler(scope, receive, send)
            return
        try:
            body_file = await self.read_body(receive)
        except RequestAborted:
            return
        try:
            response = await self.in_thread(scope, body_file)
            if not response.streaming:
                await self.send_response(response, send)
                return
            if not response.is_async:
                # A file, say: read it on the pool a few blocks at a time, where Django
                # would read it whole into memory (with a warning) before sending any.
                response.streaming_content = self.pulled(response.streaming_content)
            await self.stream(response, receive, send)
            await sync_to_async(response.close, thread_sensitive=False, executor=self.executor)()
        finally:
            body_file.close()

    def respond(self, scope, body_file) -> Any:
        """Everything Django does for one request, in the calling (pool) thread."""
        set_script_prefix(get_script_prefix(scope))
        signals.request_started.send(sender=self.__class__, scope=scope)
        request, response = self.create_request(scope, body_file)
        if request is not None:
            # BaseHandler.get_response: URL conf, the middleware chain, logging of 4xx/5xx.
            response = self.get_response(request)
        assert response is not None
        response._handler_class = self.__class__  # type: ignore[attr-defined]
        if isinstance(response, FileResponse):
            response.block_size = self.chunk_size
        if not response.streaming:
            # The body is in memory: finish the request here (request_finished gives the
            # thread's database connection back or keeps it) rather than hop again later.
            response.close()
        else:
            # The response closes later, from whichever thread is free; leave this thread's
            # connection as request_finished would (an obsolete or broken one is closed).
            close_old_connections()
        return response

    def pulled(self, parts: Iterator[bytes]) -> AsyncIterator[bytes]:
        """A sync body as an async one: PULL_PARTS parts at a time, read on the pool."""
        take = sync_to_async(
            lambda: list(islice(parts, PULL_PARTS)), thread_sensitive=False, executor=self.executor
        )

        async def pull() -> AsyncIterator[bytes]:
            while batch := await take():
                for part in batch:
                    yield part

        return pull()

    async def stream(self, response, receive, send) -> None:
        """Send a streaming response, stopping when the client goes away."""
        sending = asyncio.ensure_future(self.send_response(response, send))
        listening = asyncio.ensure_future(self.listen_for_disconnect(receive))
        await asyncio.wait({sending, listening}, return_when=asyncio.FIRST_COMPLETED)
        for task in (listening, sending):
            if not task.done():
                task.cancel()
            with contextlib.suppress(asyncio.CancelledError, RequestAborted):
                await task


def _is_async_view(scope) -> bool:
    """Whether the request's URL leads to an `async def` view (a 404 is not one)."""
    try:
        match = get_resolver().resolve(scope["path"])
    except Resolver404:
        return False
    return iscoroutinefunction(match.func)
