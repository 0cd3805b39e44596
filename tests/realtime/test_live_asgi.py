"""The dedicated ASGI path for /live/* (confab.realtime.asgi) and the broker under it."""

import asyncio
import json

import pytest

from confab.accounts.models import User
from confab.config import asgi as config_asgi
from confab.posts import actions as post_actions
from confab.realtime import asgi as live_asgi
from confab.realtime import broker as broker_module
from confab.realtime.broker import get_broker
from tests.chats.conftest import live_session
from tests.realtime import asgi_stream
from tests.realtime.asgi_stream import in_thread, open_stream, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)

post = in_thread(post_actions.post)


@pytest.fixture(autouse=True)
def _fresh_broker(settings):
    settings.CONFAB_SSE_HEARTBEAT = 0.2
    get_broker().reset()
    yield
    get_broker().reset()


def run(coroutine):
    return asyncio.run(coroutine)


async def _status(path: str, cookie: str = "") -> int:
    stream = await open_stream(path, cookie=cookie)
    await stream.close()
    return stream.status


def test_live_paths_are_served_outside_django_and_the_rest_by_django():
    assert live_asgi.live_names("/live/local") == {"kind": "local"}
    assert live_asgi.live_names("/live/rooms/12") == {"kind": "room", "session_id": 12}
    assert live_asgi.live_names("/live/tags/ScienceLab") == {"kind": "tag", "name": "ScienceLab"}
    assert live_asgi.live_names("/live/nothing") is None
    assert live_asgi.live_names("/local") is None

    async def story():
        # Not a stream: Django answers (its own 404 page).
        stream = await open_stream("/live/nothing")
        await stream.close()
        body = await stream.chunks.get()
        return stream.status, body

    status, body = run(story())
    assert status == 404
    assert "<html" in body.lower()


def test_streams_nobody_may_read_are_not_found(ann, cat):
    room = live_session(ann, "LabChat")
    cookie = session_cookie(cat)

    async def story():
        return [
            await _status("/live/home"),
            await _status("/live/notifications"),
            await _status("/live/conversations"),
            await _status("/live/rooms/404404"),
            await _status("/live/lists/404404", cookie),
            await _status("/live/tags/not%20a%20tag"),
            await _status(f"/live/rooms/{room.pk}"),
            await _status("/live/home", cookie),
        ]

    assert run(story()) == [404, 404, 404, 404, 404, 404, 200, 200]
    assert get_broker().subscriber_count() == 0


def test_a_forged_or_stale_session_reads_as_signed_out(ann, bob):
    cookie = session_cookie(bob)
    User.objects.filter(pk=bob.user_id).update(is_active=False)

    async def story():
        return [
            await _status("/live/home", cookie),
            await _status("/live/home", "sessionid=forged"),
            await _status("/live/local", "sessionid=forged"),
        ]

    assert run(story()) == [404, 404, 200]


def test_a_room_resumes_from_last_event_id(ann, bob, cat):
    session = live_session(ann, "LabChat", questions=[("Favourite lab?", 0)])
    cookie = session_cookie(cat)

    async def story():
        stream = await open_stream(f"/live/rooms/{session.pk}", cookie=cookie)
        first = await post(bob, "A1 the wet lab #LabChat")
        seen = await stream.next_event()
        await stream.close()
        later = [await post(bob, f"A1 answer {n} #LabChat") for n in (2, 3)]
        again = await open_stream(
            f"/live/rooms/{session.pk}", cookie=cookie, last_event_id=seen["id"]
        )
        missed = [await again.next_event(), await again.next_event()]
        await again.close()
        return first, seen, later, missed

    first, seen, later, missed = run(story())
    assert json.loads(seen["data"])["id"] == first.pk
    assert [json.loads(m["data"])["id"] for m in missed] == [p.pk for p in later]
    assert get_broker().subscriber_count() == 0


def test_a_disconnect_mid_stream_frees_the_subscription_and_the_heartbeat(ann):
    async def story():
        streams = [await open_stream("/live/local") for _ in range(20)]
        await post(ann, "to everyone #ScienceLab")
        for stream in streams:
            assert (await stream.next_event())["event"] == "post"
        assert get_broker().subscriber_count() == 20
        loop = asyncio.get_running_loop()
        assert len(live_asgi._tickers[loop]) == 20
        for stream in streams:
            await stream.close()
        await asyncio.sleep(0.5)  # the ticker notices it has nothing left to beat for
        return get_broker().subscriber_count(), loop in live_asgi._tickers

    assert run(story()) == (0, False)


def test_a_reader_too_slow_to_keep_up_is_closed_to_resume_later(ann, monkeypatch):
    monkeypatch.setattr(broker_module, "QUEUE_SIZE", 3)

    async def story():
        stream = await open_stream("/live/local")
        # Five events handed over in one turn of the loop, before the reader runs.
        for number in range(5):
            get_broker().publish("local", "unread", {"count": number})
        await asyncio.wait_for(stream.task, 5)  # the response ended
        received = [await stream.next_event() for _ in range(3)]
        return received, get_broker().subscriber_count()

    received, count = run(story())
    assert [json.loads(m["data"])["count"] for m in received] == [0, 1, 2]
    assert count == 0


def test_every_reader_gets_events_in_order_across_slices():
    async def story():
        broker = get_broker()
        subscriptions = [broker.subscribe(["local"])[0] for _ in range(250)]
        events = [broker.publish("local", "unread", {"count": n}) for n in range(3)]
        await asyncio.sleep(0.05)
        got = [[e.id for e in await s.take()] for s in subscriptions]
        for subscription in subscriptions:
            broker.unsubscribe(subscription)
        return [e.id for e in events], got

    ids, got = run(story())
    assert got == [ids] * 250


def test_the_django_view_still_serves_a_stream_with_the_same_checks(ann, monkeypatch):
    monkeypatch.setattr(asgi_stream, "application", config_asgi.django_application)

    async def story():
        refused = await _status("/live/home")
        stream = await open_stream("/live/local")
        new = await post(ann, "through Django #ScienceLab")
        message = await stream.next_event()
        await stream.close()
        return refused, new, message

    refused, new, message = run(story())
    assert refused == 404
    assert json.loads(message["data"])["id"] == new.pk
