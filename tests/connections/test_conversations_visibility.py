"""The direct-post visibility matrix: only the author and the people it mentions see it.

ann writes a direct post to bob and eve; dan follows ann but is not mentioned; cat is a
stranger; eve was mentioned and then blocked ann; and someone signed out. Every surface
that shows posts is checked for every one of them, live streams included.
"""

import asyncio
import json

import pytest
from django.test import Client
from django.urls import reverse

from confab.accounts import actions as account_actions
from confab.posts import actions as post_actions
from confab.posts.models import Visibility
from confab.realtime.broker import get_broker
from tests.realtime.asgi_stream import in_thread, open_stream, session_cookie

SECRET = "xyzzy plans for the #MatrixTag meetup"
SEES = {"ann", "bob"}
EVERYONE = ["ann", "bob", "dan", "cat", "eve", None]


@pytest.fixture
def cast(ann, bob, make_account):
    dan = make_account("dan", display_name="Dan Follower")
    account_actions.follow(dan, ann)
    cat = make_account("cat", display_name="Cat Stranger")
    eve = make_account("eve", display_name="Eve Blocker")
    account_actions.follow(eve, ann)
    return {"ann": ann, "bob": bob, "dan": dan, "cat": cat, "eve": eve}


@pytest.fixture
def secret(cast):
    post = post_actions.post(cast["ann"], f"@bob @eve {SECRET}", visibility=Visibility.DIRECT)
    post_actions.bookmark(cast["bob"], post.id)
    post_actions.bookmark(cast["eve"], post.id)
    account_actions.block(cast["eve"], cast["ann"])
    return post


def client_as(cast, name) -> Client:
    client = Client()
    if name is not None:
        client.force_login(cast[name].user)
    return client


@pytest.mark.parametrize("name", EVERYONE)
def test_the_thread_page(cast, secret, name):
    response = client_as(cast, name).get(secret.get_absolute_url())
    if name in SEES:
        assert response.status_code == 200 and b"xyzzy" in response.content
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("name", EVERYONE)
@pytest.mark.parametrize(
    "url",
    [
        reverse("profile", args=["ann"]),
        reverse("profile", args=["ann"]) + "?tab=replies",
        reverse("home"),
        reverse("local"),
        reverse("hashtag", args=["matrixtag"]),
        reverse("bookmarks"),
        reverse("notifications"),
        reverse("connections:inbox"),
    ],
)
def test_listing_pages(cast, secret, name, url):
    response = client_as(cast, name).get(url, follow=True)
    assert response.status_code in (200, 404)
    shown = b"xyzzy" in response.content
    listed_for_insiders = {
        reverse("local"): False,  # never on public timelines
        reverse("hashtag", args=["matrixtag"]): False,
    }
    if name not in SEES:
        assert not shown, f"{name} sees the direct post on {url}"
    elif url == reverse("notifications"):
        assert shown == (name == "bob")  # ann is not told of her own post
    elif url == reverse("bookmarks"):
        assert shown == (name == "bob")
    elif url in listed_for_insiders:
        assert not shown
    elif url == reverse("connections:inbox"):
        assert shown


@pytest.mark.parametrize("name", EVERYONE)
def test_the_conversation_page(cast, secret, name):
    conversation = secret.conversation_link.conversation_id
    response = client_as(cast, name).get(reverse("connections:conversation", args=[conversation]))
    if name in SEES:
        assert response.status_code == 200 and b"xyzzy" in response.content
    elif name is None:
        assert response.status_code == 302 and "/login" in response["Location"]
    elif name == "eve":
        # Mentioned, then blocked ann: her place stays, ann's words do not reach her.
        assert b"xyzzy" not in response.content
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("name", ["dan", "cat", "eve"])
def test_outsiders_cannot_act_on_it(cast, secret, name):
    client = client_as(cast, name)
    for action in ("favourite", "boost", "bookmark"):
        assert client.post(reverse(action, args=[secret.id])).status_code == 404
    reply = client.post(
        reverse("connections:new_message"),
        {"text": "@ann let me in", "in_reply_to_id": secret.id},
    )
    assert reply.status_code == 422


def _open_all_streams(cast):
    async def opened():
        streams = {}
        for name in ("ann", "bob", "dan", "cat", "eve"):
            cookie = await in_thread(session_cookie)(cast[name])
            streams[name, "home"] = await open_stream("/live/home", cookie=cookie)
            streams[name, "conversations"] = await open_stream("/live/conversations", cookie=cookie)
        streams[None, "local"] = await open_stream("/live/local")
        streams[None, "tag"] = await open_stream("/live/tags/matrixtag")
        streams[None, "conversations"] = await open_stream("/live/conversations")
        return streams

    return opened()


async def _drain(stream, wait: float = 1.0) -> list[dict]:
    """Every message but heartbeats that arrives within `wait` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait
    events = []
    while (left := deadline - loop.time()) > 0:
        try:
            message = await stream.next_event(timeout=left, heartbeats=True)
        except TimeoutError:
            break
        if "comment" not in message:
            events.append(message)
    return events


@pytest.mark.django_db(transaction=True)
def test_live_streams(cast, settings):
    settings.CONFAB_SSE_HEARTBEAT = 0.2
    get_broker().reset()
    account_actions.block(cast["eve"], cast["ann"])
    post_actions.post(cast["ann"], "@bob before", visibility=Visibility.DIRECT)

    async def story():
        streams = await _open_all_streams(cast)
        assert streams[None, "conversations"].status == 404
        await in_thread(post_actions.post)(
            cast["ann"], f"@bob {SECRET}", visibility=Visibility.DIRECT
        )
        received = {}
        for key, stream in streams.items():
            if stream.status != 200:
                continue
            received[key] = await _drain(stream)
            await stream.close()
        return received

    received = asyncio.run(story())
    get_broker().reset()
    for (name, kind), events in received.items():
        payloads = " ".join(e.get("data", "") for e in events)
        if name in SEES and kind in ("home", "conversations"):
            continue
        assert "xyzzy" not in payloads, f"{name} got it live on {kind}"
    messages = [e for e in received["bob", "conversations"] if e["event"] == "message"]
    assert len(messages) == 1
    data = json.loads(messages[0]["data"])
    assert "xyzzy" in data["html"] and data["total"] == 2 and "facts" not in data
    assert [e["event"] for e in received["ann", "conversations"]] == ["message"]
