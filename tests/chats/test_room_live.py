"""The room over server-sent events, through the real ASGI application."""

import asyncio
import json

import pytest

from confab.accounts import actions as account_actions
from confab.chats import actions
from confab.posts import actions as post_actions
from confab.realtime.broker import get_broker
from tests.chats.conftest import live_session
from tests.realtime.asgi_stream import in_thread, open_stream, session_cookie

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _fresh_broker(settings):
    settings.CONFAB_SSE_HEARTBEAT = 0.2
    get_broker().reset()
    yield
    get_broker().reset()


post = in_thread(post_actions.post)
post_question = in_thread(actions.post_question)


def test_an_answer_reaches_the_room_with_its_question(ann, bob, cat):
    session = live_session(ann, "LabChat", questions=[("Favourite lab?", 0)])
    question_id = session.questions.get(number=1).pk
    cat_cookie = session_cookie(cat)

    async def story():
        stream = await open_stream(f"/live/rooms/{session.pk}", cookie=cat_cookie)
        assert stream.status == 200
        await post_question(question_id)
        asked = await stream.next_event()
        answer = await post(bob, "A1 yes #LabChat")
        answered = await stream.next_event()
        await stream.close()
        return asked, answer, answered

    asked, answer, answered = asyncio.run(story())
    assert asked["event"] == "question"
    assert json.loads(asked["data"])["question"] == 1
    assert answered["event"] == "entry"
    data = json.loads(answered["data"])
    assert (data["id"], data["question"]) == (answer.pk, 1)
    assert "A1 yes" in data["html"]


def test_a_blocked_authors_answers_do_not_reach_the_blocker(ann, bob, cat):
    session = live_session(ann, "LabChat")
    account_actions.block(cat, bob)
    cat_cookie = session_cookie(cat)

    async def story():
        blocker = await open_stream(f"/live/rooms/{session.pk}", cookie=cat_cookie)
        anyone = await open_stream(f"/live/rooms/{session.pk}")
        await post(bob, "hello #LabChat")
        seen = await anyone.next_event()
        await blocker.no_event()
        for stream in (blocker, anyone):
            await stream.close()
        return seen

    assert asyncio.run(story())["event"] == "entry"


def test_an_unknown_room_is_404():
    async def story():
        stream = await open_stream("/live/rooms/12345")
        status = stream.status
        await stream.close()
        return status

    assert asyncio.run(story()) == 404


def test_edits_and_deletions_reach_the_room(ann, bob, cat):
    session = live_session(ann, "LabChat", questions=[("Favourite lab?", 0)])
    cat_cookie = session_cookie(cat)
    edit = in_thread(post_actions.edit)
    delete = in_thread(post_actions.delete)

    async def story():
        stream = await open_stream(f"/live/rooms/{session.pk}", cookie=cat_cookie)
        answer = await post(bob, "A1 the volcano #LabChat")
        assert (await stream.next_event())["event"] == "entry"
        await edit(bob, answer.pk, "A1 the baking-soda volcano #LabChat")
        updated = await stream.next_event()
        await delete(bob, answer.pk)
        deleted = await stream.next_event()
        await stream.close()
        return answer, updated, deleted

    answer, updated, deleted = asyncio.run(story())
    assert updated["event"] == "update"
    assert "baking-soda" in json.loads(updated["data"])["content_html"]
    assert deleted["event"] == "delete"
    assert json.loads(deleted["data"])["id"] == answer.pk
