"""Live streams served straight over ASGI, in front of Django (docs/decisions/017-live-path.md).

`LiveRouter` wraps the Django application in `confab.config.asgi`. A GET whose path
resolves to `confab.realtime.views.live` is served here; everything else goes to Django
untouched. Per connection, one thread hop does what the Django path did (the session
cookie to the signed-in account, as the session and authentication middleware would; the
stream's permission check, `views.streams_for`; the reader's relations), and a 404 for
whoever may not read the stream. Per event, each reader does only the relations check
(`views.outgoing`, whose bytes are encoded once per event and kind of reader) and one
`send`: no StreamingHttpResponse, no async generator, no timer per wait (heartbeats come
from one ticker per event loop).
"""

import asyncio
from importlib import import_module

from django.conf import settings
from django.contrib import auth
from django.http import Http404, HttpRequest
from django.http.cookie import parse_cookie
from django.urls import Resolver404, resolve

from confab.accounts.models import Account
from confab.core.paging import parse_id
from confab.realtime import views
from confab.realtime.broker import Subscription, get_broker

_HEADERS = [
    (b"content-type", b"text/event-stream"),
    (b"cache-control", b"no-cache"),
    (b"x-accel-buffering", b"no"),
    (b"x-content-type-options", b"nosniff"),
]
_NOT_FOUND = b"No such live stream."


class LiveRouter:
    """Serve /live/* streams here and hand every other request to `app` (Django)."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and scope["method"] == "GET":
            names = live_names(_path(scope))
            if names is not None:
                await serve(names, scope, receive, send)
                return
        await self.app(scope, receive, send)


def _path(scope) -> str:
    # As Django's ASGIRequest: the path below the script name (root_path).
    path, root = scope["path"], scope.get("root_path", "")
    return path[len(root) :] if root and path.startswith(root) else path


def live_names(path: str) -> dict | None:
    """Return the `live` view's arguments for a path of confab/config/urls.py, else None."""
    if not path.startswith("/live/"):
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.kwargs if match.func is views.live else None


def _header(scope, name: bytes) -> str | None:
    values = [value for key, value in scope["headers"] if key == name]
    return b"; ".join(values).decode("latin1") if values else None


def account_for(session_key: str | None) -> Account | None:
    """The signed-in account behind a session cookie, exactly as the middleware finds it.

    Django's session and authentication middleware (`auth.get_user`: the session's user,
    its password hash still matching, an active user) and CurrentAccountMiddleware.
    """
    if not session_key:
        return None
    request = HttpRequest()
    request.session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    user = auth.get_user(request)
    if not user.is_authenticated:
        return None
    try:
        return user.account
    except Account.DoesNotExist:
        return None


def _open(session_key: str | None, names: dict):
    viewer = account_for(session_key)
    try:
        streams, relations = views.open_live(viewer, **names)
    except Http404:
        return None
    return viewer, streams, relations


async def serve(names: dict, scope, receive, send) -> None:
    """One live connection, from the permission check to the browser going away."""
    cookies = parse_cookie(_header(scope, b"cookie") or "")
    opened = await views.released(_open)(cookies.get(settings.SESSION_COOKIE_NAME), names)
    if opened is None:
        await send(
            {
                "type": "http.response.start",
                "status": 404,
                "headers": [(b"content-type", b"text/plain; charset=utf-8")],
            }
        )
        await send({"type": "http.response.body", "body": _NOT_FOUND})
        return
    viewer, streams, relations = opened
    # A malformed Last-Event-ID is ignored, as if the browser had sent none.
    last_event_id = parse_id(_header(scope, b"last-event-id"))
    broker = get_broker()
    subscription, missed = broker.subscribe(streams, last_event_id)
    watcher = asyncio.ensure_future(_watch(receive, subscription))
    _beating(subscription)
    try:
        await send({"type": "http.response.start", "status": 200, "headers": _HEADERS})
        reader = views.Reader(viewer, relations)
        chunks, _ = await reader.read(missed)
        first = f"retry: {settings.CONFAB_SSE_RETRY_MS}\n\n".encode() + chunks
        await send({"type": "http.response.body", "body": first, "more_body": True})
        reopen = False
        while not (reopen or subscription.closed or subscription.lagging):
            batch = await subscription.take()
            if subscription.closed:
                break
            chunks, reopen = await reader.read(batch)
            if chunks:
                subscription.quiet = False
            elif subscription.beat:
                chunks = views.HEARTBEAT
            subscription.beat = False
            if chunks:
                await send({"type": "http.response.body", "body": chunks, "more_body": True})
        if not subscription.closed:
            # Reopen (who may read it changed) or lagging (too slow a reader): end the
            # response; the browser reconnects and resumes from Last-Event-ID.
            await send({"type": "http.response.body", "body": b"", "more_body": False})
    finally:
        watcher.cancel()
        subscription.close()
        broker.unsubscribe(subscription)
        _tickers.get(subscription.loop, set()).discard(subscription)


async def _watch(receive, subscription: Subscription) -> None:
    while (await receive())["type"] != "http.disconnect":
        pass
    subscription.close()


# Heartbeats: one ticker per event loop for all its connections, instead of a timer armed
# and cancelled around every wait. Each tick, a connection that sent nothing since the last
# one gets a heartbeat comment, so an idle stream hears one every 1-2 heartbeat periods.
_tickers: dict[asyncio.AbstractEventLoop, set[Subscription]] = {}


def _beating(subscription: Subscription) -> None:
    loop = subscription.loop
    connections = _tickers.get(loop)
    if connections is None:
        connections = _tickers[loop] = set()
        loop.create_task(_tick(loop, connections))
    connections.add(subscription)


async def _tick(loop: asyncio.AbstractEventLoop, connections: set[Subscription]) -> None:
    try:
        while connections:
            await asyncio.sleep(settings.CONFAB_SSE_HEARTBEAT)
            for subscription in list(connections):
                if subscription.closed:
                    connections.discard(subscription)
                elif subscription.quiet:
                    subscription.heartbeat()
                else:
                    subscription.quiet = True
    finally:
        if _tickers.get(loop) is connections:
            del _tickers[loop]
