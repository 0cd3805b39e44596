"""Lists and followed hashtags live, through the real ASGI application."""

import asyncio
import json

import pytest

from confab.accounts import actions as account_actions
from confab.curation import actions
from confab.curation.actions import ListDetails
from confab.curation.models import List
from confab.posts import actions as post_actions
from confab.posts.models import Hashtag
from confab.realtime.broker import get_broker
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


def _list(owner, **details) -> List:
    return actions.create_list(owner, ListDetails(title="Science teachers", **details))


def test_a_private_lists_stream_is_not_found_for_anyone_but_its_owner(ann, cat):
    lst = _list(ann)
    path = f"/live/lists/{lst.pk}"
    owner, outsider = session_cookie(ann), session_cookie(cat)

    async def story():
        statuses = []
        for cookie in (owner, outsider, ""):
            stream = await open_stream(path, cookie=cookie)
            statuses.append(stream.status)
            await stream.close()
        missing = await open_stream("/live/lists/12345", cookie=owner)
        statuses.append(missing.status)
        await missing.close()
        return statuses

    assert run(story()) == [200, 404, 404, 404]


def test_a_public_list_streams_its_members_and_hashtags_to_any_reader(ann, bob, cat):
    lst = _list(ann, visibility=List.Visibility.PUBLIC, replies_policy="none")
    actions.add_member(ann, lst, bob)
    actions.add_hashtag(ann, lst, "STEM")
    cookie = session_cookie(cat)

    async def story():
        stream = await open_stream(f"/live/lists/{lst.pk}", cookie=cookie)
        assert stream.status == 200
        by_member = await post(bob, "bob in the lab")
        first = await stream.next_event()
        by_tag = await post(ann, "ann on #stem")
        second = await stream.next_event()
        await post(bob, "@ann a reply the list leaves out", in_reply_to_id=by_tag.id)
        await post(ann, "ann without a tag")
        await stream.no_event()
        await stream.close()
        return [by_member.id, by_tag.id], [first, second]

    expected, messages = run(story())
    assert [json.loads(m["data"])["id"] for m in messages] == expected
    assert all(m["event"] == "post" for m in messages)


def test_a_member_who_blocks_the_reader_stays_off_the_readers_list_stream(ann, bob, cat):
    lst = _list(ann, visibility=List.Visibility.PUBLIC)
    actions.add_member(ann, lst, bob)
    actions.add_member(ann, lst, ann)
    account_actions.block(bob, cat)
    cookie = session_cookie(cat)

    async def story():
        stream = await open_stream(f"/live/lists/{lst.pk}", cookie=cookie)
        await post(bob, "not for cat")
        await stream.no_event()
        shown = await post(ann, "for everyone")
        message = await stream.next_event()
        await stream.close()
        return shown, message

    shown, message = run(story())
    assert json.loads(message["data"])["id"] == shown.id


def _unfollow(account, name: str) -> None:
    actions.unfollow_hashtag(account, Hashtag.objects.get(name=name))


def test_home_streams_carry_followed_hashtags_and_leave_out_exclusive_members(ann, bob, cat):
    actions.follow_hashtag(bob, "ScienceLab")
    lst = _list(bob, exclusive=True)
    actions.add_member(bob, lst, ann)
    cookie = session_cookie(bob)

    async def story():
        stream = await open_stream("/live/home", cookie=cookie)
        await post(ann, "ann is read in a list now")
        await post(cat, "a stranger without the tag")
        await stream.no_event()
        tagged = await post(cat, "a stranger on #sciencelab")
        message = await stream.next_event()
        await in_thread(_unfollow)(bob, "sciencelab")
        await asyncio.sleep(0.2)  # the stream reloads what bob's home holds
        await post(cat, "again on #ScienceLab")
        await stream.no_event()
        await stream.close()
        return tagged, message

    tagged, message = run(story())
    assert json.loads(message["data"])["id"] == tagged.id


def test_a_list_turning_private_ends_the_streams_of_its_readers(ann, bob, cat):
    lst = _list(ann, visibility=List.Visibility.PUBLIC)
    actions.add_member(ann, lst, bob)
    actions.subscribe(cat, lst)
    cookie = session_cookie(cat)
    private = ListDetails(title=lst.title, visibility=List.Visibility.PRIVATE)

    async def story():
        stream = await open_stream(f"/live/lists/{lst.pk}", cookie=cookie)
        await in_thread(actions.update_list)(ann, lst, private)
        await asyncio.wait_for(stream.task, 5)  # the server ends the response
        again = await open_stream(f"/live/lists/{lst.pk}", cookie=cookie)
        await again.close()
        return again.status

    assert run(story()) == 404
