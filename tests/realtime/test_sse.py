"""Live timelines over server-sent events, through the real ASGI application."""

import asyncio
import json

import pytest

from confab.accounts import actions as account_actions
from confab.posts import actions as post_actions
from confab.posts.models import Visibility
from confab.realtime.broker import get_broker
from tests.realtime.asgi_stream import in_thread, open_stream, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_broker(settings):
    settings.CONFAB_SSE_HEARTBEAT = 0.2
    get_broker().reset()
    yield
    get_broker().reset()


def run(coroutine):
    return asyncio.run(coroutine)


post = in_thread(post_actions.post)


def test_it_delivers_a_new_public_post_to_the_local_stream(ann):
    async def story():
        stream = await open_stream("/live/local")
        assert stream.status == 200
        new = await post(ann, "Live from the #ScienceLab")
        message = await stream.next_event()
        await stream.close()
        return new, message

    new, message = run(story())
    assert message["event"] == "post"
    data = json.loads(message["data"])
    assert data["id"] == new.id
    assert "Live from the" in data["html"]
    # Signed-out readers get the card without actions that need an account.
    assert "<form" not in data["html"]


def test_it_resumes_from_last_event_id(ann):
    async def story():
        stream = await open_stream("/live/tags/ScienceLab")
        first = await post(ann, "one #ScienceLab")
        seen = await stream.next_event()
        await stream.close()
        second = await post(ann, "two #ScienceLab")
        third = await post(ann, "three #ScienceLab")
        again = await open_stream("/live/tags/sciencelab", last_event_id=seen["id"])
        missed = [await again.next_event(), await again.next_event()]
        await again.close()
        return first, seen, [second, third], missed

    first, seen, later, missed = run(story())
    assert json.loads(seen["data"])["id"] == first.id
    assert [json.loads(m["data"])["id"] for m in missed] == [p.id for p in later]


def test_it_ignores_a_malformed_last_event_id(ann):
    async def story():
        await post(ann, "before #ScienceLab")
        stream = await open_stream("/live/tags/sciencelab", last_event_id="'; DROP TABLE--")
        assert stream.status == 200
        await stream.no_event()
        new = await post(ann, "after #ScienceLab")
        message = await stream.next_event()
        await stream.close()
        return new, message

    new, message = run(story())
    assert json.loads(message["data"])["id"] == new.id


def test_it_sends_followers_only_posts_to_followers_and_no_one_else(ann, bob, cat):
    account_actions.follow(cat, bob)  # cat follows someone, just not ann

    bob_cookie, cat_cookie = session_cookie(bob), session_cookie(cat)

    async def story():
        follower = await open_stream("/live/home", cookie=bob_cookie)
        outsider = await open_stream("/live/home", cookie=cat_cookie)
        local = await open_stream("/live/local", cookie=cat_cookie)
        secret = await post(ann, "For my followers", visibility=Visibility.PRIVATE)
        message = await follower.next_event()
        await outsider.no_event()
        await local.no_event()
        for stream in (follower, outsider, local):
            await stream.close()
        return secret, message

    secret, message = run(story())
    assert json.loads(message["data"])["id"] == secret.id


def test_it_keeps_a_blocked_authors_posts_out_of_public_streams(ann, cat):
    account_actions.block(ann, cat)
    cookie = session_cookie(cat)

    async def story():
        stream = await open_stream("/live/local", cookie=cookie)
        await post(ann, "Not for cat")
        await stream.no_event()
        await stream.close()

    run(story())


def test_it_applies_a_mute_made_while_the_stream_is_open(ann, bob):
    cookie = session_cookie(bob)

    async def story():
        stream = await open_stream("/live/home", cookie=cookie)
        await post(ann, "before the mute")
        assert (await stream.next_event())["event"] == "post"
        await in_thread(account_actions.mute)(bob, ann)
        await asyncio.sleep(0.2)  # the stream reloads bob's relations
        await post(ann, "after the mute")
        await stream.no_event()
        await stream.close()

    run(story())


def test_it_sends_edits_and_deletions(ann, bob):
    cookie = session_cookie(bob)

    async def story():
        stream = await open_stream("/live/home", cookie=cookie)
        original = await post(ann, "first draft")
        await stream.next_event()
        await in_thread(post_actions.edit)(ann, original.id, "second draft")
        update = await stream.next_event()
        await in_thread(post_actions.delete)(ann, original.id)
        deletion = await stream.next_event()
        await stream.close()
        return original, update, deletion

    original, update, deletion = run(story())
    assert update["event"] == "update"
    assert "second draft" in json.loads(update["data"])["content_html"]
    assert deletion["event"] == "delete"
    assert json.loads(deletion["data"])["shown_id"] == original.id


def test_it_sends_heartbeats(ann):
    async def story():
        stream = await open_stream("/live/local")
        message = await stream.next_event(timeout=3, heartbeats=True)
        await stream.close()
        return message

    assert run(story()) == {"comment": "heartbeat"}


def test_it_refuses_home_to_a_signed_out_reader():
    async def story():
        stream = await open_stream("/live/home")
        status = stream.status
        await stream.close()
        return status

    assert run(story()) == 404


def test_it_frees_every_subscription_when_clients_disconnect(ann):
    async def story():
        streams = []
        for _ in range(1000):
            streams.append(await open_stream("/live/local"))
        assert get_broker().subscriber_count() == 1000
        for stream in streams:
            await stream.close()
        return get_broker().subscriber_count()

    assert run(story()) == 0
