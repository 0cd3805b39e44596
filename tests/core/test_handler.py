"""The one-hop ASGI handler (confab/core/handler.py, decision 021)."""

import asyncio
import json
import threading

import pytest
from django.core.signals import request_finished

from confab.core.handler import OneHopASGIHandler
from tests.core import handler_urls


@pytest.fixture
def handler(settings):
    settings.ROOT_URLCONF = "tests.core.handler_urls"
    settings.DEBUG = False
    handler = OneHopASGIHandler(threads=2)
    yield handler
    handler.executor.shutdown(wait=True)


def call(
    handler, path: str, *, method: str = "GET", body: bytes = b"", on_body=None
) -> tuple[int, bytes]:
    """Send one request through the handler as an ASGI server would; return status, body."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"content-length", str(len(body)).encode())],
        "client": ("127.0.0.1", 40000),
        "server": ("testserver", 80),
    }
    # The body arrives in two pieces, as a server may deliver it.
    incoming = [
        {"type": "http.request", "body": body[:3], "more_body": True},
        {"type": "http.request", "body": body[3:], "more_body": False},
    ]
    sent: list[dict] = []

    async def receive():
        if incoming:
            return incoming.pop(0)
        await asyncio.sleep(3600)  # the client stays connected

    async def send(message):
        sent.append(message)
        if on_body is not None and message["type"] == "http.response.body":
            on_body()

    asyncio.run(handler(scope, receive, send))
    status = sent[0]["status"]
    return status, b"".join(m.get("body", b"") for m in sent[1:])


def test_middleware_and_view_run_in_one_pool_thread(handler):
    status, body = call(handler, "/where")
    assert status == 200
    seen = json.loads(body)
    assert seen["thread"].startswith("confab-web")
    assert seen["account"] is True  # the account middleware ran, in the same call


def test_requests_share_a_fixed_pool_of_threads(handler):
    threads = {json.loads(call(handler, "/where")[1])["thread"] for _ in range(10)}
    assert 1 <= len(threads) <= 2
    assert threading.current_thread().name not in threads


def test_a_request_body_arriving_in_pieces_is_read_whole(handler):
    status, body = call(handler, "/echo", method="POST", body=b"hello, room")
    assert (status, body) == (200, b"moor ,olleh")


def test_a_streaming_response_streams_and_finishes_the_request_once(handler):
    finishes = []

    def count(**kwargs):
        finishes.append(threading.current_thread().name)

    request_finished.connect(count)
    try:
        status, body = call(handler, "/stream")
    finally:
        request_finished.disconnect(count)
    assert status == 200
    assert body.decode().splitlines()[0].startswith("chunk 0 from")
    assert len(body.decode().splitlines()) == 3
    assert len(finishes) == 1


def test_a_long_stream_is_sent_while_it_is_read_not_read_whole_first(handler):
    sent_after: list[int] = []  # how many parts had been read as each body message left

    status, body = call(
        handler, "/long-stream", on_body=lambda: sent_after.append(handler_urls.produced[0])
    )

    assert status == 200
    assert body == b"".join(f"{n:04d}".encode() for n in range(handler_urls.LONG_PARTS))
    assert sent_after[0] < handler_urls.LONG_PARTS  # the first left before the last was read


def test_a_plain_response_finishes_the_request_before_it_is_sent(handler):
    finishes = []

    def count(**kwargs):
        finishes.append(threading.current_thread().name)

    request_finished.connect(count)
    try:
        call(handler, "/where")
    finally:
        request_finished.disconnect(count)
    assert len(finishes) == 1
    assert finishes[0].startswith("confab-web")  # the same hop as the view


def test_a_failing_view_gets_the_error_page_and_the_server_goes_on(handler):
    status, _ = call(handler, "/broken")
    assert status == 500
    assert call(handler, "/where")[0] == 200


def test_an_unknown_url_is_404(handler, transactional_db):
    # The site's 404 page, drawn in the pool thread (its header reads the database).
    status, body = call(handler, "/nowhere")
    assert status == 404
    assert b"<html" in body.lower()


def test_async_views_keep_djangos_async_path(handler):
    status, body = call(handler, "/async")
    assert status == 200
    assert not json.loads(body)["thread"].startswith("confab-web")
