"""Which posts join a session's room, with which question, and how hosts moderate it."""

from datetime import UTC, datetime, timedelta

import pytest

from confab.accounts import actions as account_actions
from confab.chats import actions, rooms
from confab.chats.models import ROOM_GRACE_MINUTES, RoomEntry, RoomMute
from confab.posts.models import Visibility
from confab.realtime.broker import get_broker

FIRST = datetime(2027, 3, 3, 1, 0, tzinfo=UTC)


@pytest.fixture
def session(edumatch, ann):
    return actions.plan_session(
        edumatch,
        ann,
        FIRST,
        questions=[("Favourite lab?", 0), ("What broke?", 10), ("What next?", 20)],
    )


@pytest.fixture
def live(session, clock):
    clock.move_to(FIRST + timedelta(minutes=1))
    return session


def entry_of(post):
    return RoomEntry.objects.filter(post=post).first()


def test_a_tagged_post_during_the_session_joins(live, bob, make_post):
    entry = entry_of(make_post(bob, "Hello from Ohio #edumatch"))
    assert entry is not None and entry.session_id == live.pk
    assert entry.question is None  # no question yet


def test_a_tagged_post_in_the_grace_period_joins_and_after_it_does_not(
    session, bob, make_post, clock
):
    clock.move_to(session.ends_at + timedelta(minutes=ROOM_GRACE_MINUTES))
    assert entry_of(make_post(bob, "Thanks all #EduMatch")) is not None
    clock.move_to(session.ends_at + timedelta(minutes=ROOM_GRACE_MINUTES, seconds=1))
    assert entry_of(make_post(bob, "Late #EduMatch")) is None


def test_a_tagged_post_before_the_start_does_not_join(session, bob, make_post, clock):
    clock.move_to(FIRST - timedelta(seconds=1))
    assert entry_of(make_post(bob, "Early #EduMatch")) is None


def test_a_post_without_the_hashtag_stays_out(live, bob, make_post):
    assert entry_of(make_post(bob, "A1 hello #OtherChat")) is None


def test_a_reply_to_a_post_in_the_room_joins_without_the_hashtag(live, bob, cat, make_post):
    answer = make_post(bob, "A1 the egg drop #EduMatch")
    reply = make_post(cat, "@bob love it", in_reply_to_id=answer.pk)
    assert entry_of(reply).session_id == live.pk
    assert entry_of(reply).question == 1


def test_followers_only_and_direct_posts_stay_out(live, bob, make_post):
    assert entry_of(make_post(bob, "A1 x #EduMatch", visibility=Visibility.PRIVATE)) is None
    assert entry_of(make_post(bob, "A1 y #EduMatch", visibility=Visibility.DIRECT)) is None
    assert entry_of(make_post(bob, "A1 z #EduMatch", visibility=Visibility.UNLISTED)) is not None


def test_a_locked_room_takes_no_posts(live, ann, bob, make_post):
    rooms.set_locked(ann, live, True)
    assert entry_of(make_post(bob, "A1 locked out #EduMatch")) is None
    rooms.set_locked(ann, live, False)
    assert entry_of(make_post(bob, "A1 back in #EduMatch")) is not None


def test_a_muted_participant_stays_out_and_can_have_earlier_posts_hidden(
    live, ann, bob, cat, make_post
):
    before = make_post(cat, "spam #EduMatch")
    rooms.mute_participant(ann, live, cat, hide_existing=True)
    assert entry_of(before).hidden and entry_of(before).hidden_by == ann
    assert entry_of(make_post(cat, "more spam #EduMatch")) is None
    assert entry_of(make_post(bob, "still here #EduMatch")) is not None
    rooms.unmute_participant(ann, live, cat)
    assert entry_of(make_post(cat, "sorry #EduMatch")) is not None


def test_questions_are_assigned_end_to_end(live, ann, bob, cat, make_post, clock):
    q1 = actions.post_question(live.questions.get(number=1).pk)
    assert entry_of(q1).is_question and entry_of(q1).question == 1
    assert entry_of(make_post(bob, "The egg drop #EduMatch")).question == 1  # bare: current
    assert entry_of(make_post(bob, "A2: ahead of time #EduMatch")).question == 2
    assert entry_of(make_post(bob, "A9 a typo #EduMatch")).question is None  # beyond the plan

    clock.move_to(FIRST + timedelta(minutes=10))
    actions.post_question(live.questions.get(number=2).pk)
    assert entry_of(make_post(cat, "bare again #EduMatch")).question == 2
    reply = make_post(cat, "late to Q1", in_reply_to_id=q1.pk)
    assert entry_of(reply).question == 1  # a reply to the Qn post answers Qn
    assert not entry_of(reply).is_question


def test_the_room_hears_entries_questions_and_hides(
    live, ann, bob, make_post, django_capture_on_commit_callbacks
):
    broker = get_broker()
    broker.reset()
    with django_capture_on_commit_callbacks(execute=True):
        actions.post_question(live.questions.get(number=1).pk)
        answer = make_post(bob, "A1 yes #EduMatch")
        rooms.hide_entry(ann, live, answer.pk)
    events = broker.recent(f"room:{live.pk}")
    assert [e.type for e in events] == ["question", "entry", "hide"]
    assert events[0].data["role"] == "host" and "Host" in events[0].data["html"]
    assert events[1].data["question"] == 1 and events[1].data["id"] == answer.pk
    assert "A1 yes" in events[1].data["html"]
    assert events[2].data == {"post_id": answer.pk}


def test_only_hosts_moderate_and_others_get_404(live, ann, bob, cat, make_post, client_for):
    answer = make_post(bob, "A1 yes #EduMatch")
    base = f"/chats/EduMatch/sessions/{live.pk}"
    for client in (client_for(cat), client_for(bob)):
        assert client.post(f"{base}/posts/{answer.pk}/hide").status_code == 404
        assert client.post(f"{base}/people/bob/mute").status_code == 404
        assert client.post(f"{base}/lock").status_code == 404
    assert client_for(cat).get(f"{base}/posts/{answer.pk}/hide").status_code == 405
    assert not entry_of(answer).hidden and not RoomMute.objects.exists()

    host = client_for(ann)
    assert host.post(f"{base}/posts/{answer.pk}/hide").status_code == 302
    assert entry_of(answer).hidden
    assert host.post(f"{base}/posts/{answer.pk}/unhide").status_code == 302
    assert not entry_of(answer).hidden
    assert host.post(f"{base}/people/cat/mute").status_code == 302
    assert RoomMute.objects.filter(session=live, account=cat).exists()
    assert host.post(f"{base}/people/cat/unmute").status_code == 302
    assert host.post(f"{base}/lock").status_code == 302
    live.refresh_from_db()
    assert live.locked
    assert host.post(f"{base}/unlock").status_code == 302
    live.refresh_from_db()
    assert not live.locked


def test_a_blocked_author_is_still_recorded_but_hidden_from_the_blocker(
    live, ann, bob, cat, make_post, client_for
):
    account_actions.block(bob, cat)
    make_post(cat, "A1 from cat #EduMatch")
    page = client_for(bob).get(f"/chats/EduMatch/sessions/{live.pk}").content.decode()
    assert "from cat" not in page


def test_the_hosts_question_joins_a_locked_room(live, ann):
    rooms.set_locked(ann, live, True)
    q1 = actions.post_question(live.questions.get(number=1).pk)
    assert entry_of(q1).is_question
