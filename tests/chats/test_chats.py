"""Creating chats, hosting them, following them, planning sessions; and the outsider."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from confab.chats import actions
from confab.chats.models import Chat, ChatFollow, ChatHost, ChatQuestion, ChatSession
from confab.worker.models import Job
from tests.chats.conftest import details


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_it_creates_a_chat_with_its_owner_and_four_weeks_of_sessions(edumatch, ann):
    assert edumatch.hashtag.name == "edumatch"
    assert edumatch.hashtag.display_name == "EduMatch"
    assert list(edumatch.hosts.values_list("account__username", "role")) == [("ann", "host")]
    assert sorted(t.name for t in edumatch.interests.all()) == ["edtech", "stem"]
    starts = list(edumatch.sessions.values_list("starts_at", flat=True))
    assert starts == [
        utc(2027, 3, 3, 1, 0),
        utc(2027, 3, 10, 1, 0),
        utc(2027, 3, 17, 0, 0),  # New York on summer time from 14 March
        utc(2027, 3, 24, 0, 0),
    ]
    # The local start survives the database as a naive wall-clock time.
    assert Chat.objects.get().starts_at_local == datetime(2027, 1, 5, 20, 0)


def test_it_makes_upcoming_sessions_idempotently(edumatch, clock):
    assert len(actions.ensure_upcoming_sessions(edumatch)) == 4
    jobs = Job.objects.count()
    assert len(actions.ensure_upcoming_sessions(edumatch)) == 4
    assert ChatSession.objects.count() == 4
    assert Job.objects.count() == jobs
    clock.shift(timedelta(days=7))
    actions.ensure_upcoming_sessions(edumatch)
    assert ChatSession.objects.count() == 5


@pytest.mark.parametrize(
    ("hashtag", "message"),
    [
        ("edumatch", "Another chat already uses"),
        ("#EDUMATCH", "Another chat already uses"),
        ("not a tag", "is not a hashtag"),
        ("2027", "is not a hashtag"),
        ("calendar", "keeps for its own pages"),
    ],
)
def test_it_refuses_a_taken_or_invalid_hashtag(edumatch, cat, hashtag, message):
    with pytest.raises(ValidationError) as caught:
        actions.create_chat(cat, hashtag, details())
    assert message in caught.value.message_dict["hashtag"][0]
    assert Chat.objects.count() == 1


def test_it_reports_every_bad_field_at_once(clock, cat):
    bad = details(title="", time_zone="Nowhere/Else", duration=5, rrule="FREQ=HOURLY")
    with pytest.raises(ValidationError) as caught:
        actions.create_chat(cat, "Fresh", bad)
    assert set(caught.value.message_dict) == {"title", "time_zone", "duration", "rrule"}
    assert not Chat.objects.exists()


def test_only_hosts_change_a_chat_or_its_cohosts(edumatch, ann, bob, cat):
    with pytest.raises(PermissionDenied):
        actions.update_chat(cat, edumatch, details(title="Mine now"))
    with pytest.raises(PermissionDenied):
        actions.add_cohost(cat, edumatch, cat)

    actions.add_cohost(ann, edumatch, bob)
    assert ChatHost.objects.filter(chat=edumatch, account=bob, role="cohost").exists()
    actions.update_chat(bob, edumatch, details(title="Better title"))
    assert Chat.objects.get().title == "Better title"
    with pytest.raises(PermissionDenied):
        actions.remove_cohost(bob, edumatch, ann)  # a co-host cannot remove the owner
    actions.remove_cohost(bob, edumatch, bob)  # but can step down
    assert not ChatHost.objects.filter(account=bob).exists()


def test_changing_the_schedule_remakes_unplanned_sessions_and_keeps_planned_ones(edumatch, ann):
    planned = actions.plan_session(edumatch, ann, utc(2027, 3, 10, 1, 0), topic="Labs")
    actions.update_chat(ann, edumatch, details(rrule="FREQ=WEEKLY;BYDAY=WE"))
    starts = list(ChatSession.objects.values_list("starts_at", flat=True))
    assert planned.starts_at in starts
    assert utc(2027, 3, 3, 1, 0) not in starts
    assert utc(2027, 3, 4, 1, 0) in starts  # Wednesday 8 pm New York


def test_it_follows_a_chat_with_a_reminder_time(edumatch, bob):
    actions.follow_chat(bob, edumatch, 30)
    actions.follow_chat(bob, edumatch, 45)
    assert list(ChatFollow.objects.values_list("remind_minutes", flat=True)) == [45]
    assert Job.objects.filter(kind="chats.remind", key__endswith=":45").count() == 4
    for minutes in (-1, 1441):
        with pytest.raises(ValidationError):
            actions.follow_chat(bob, edumatch, minutes)
    actions.unfollow_chat(bob, edumatch)
    assert not ChatFollow.objects.exists()


def test_a_host_plans_a_session_with_guests_and_questions(edumatch, ann, bob):
    session = actions.plan_session(
        edumatch,
        ann,
        utc(2027, 3, 17, 0, 0),
        topic="Favourite labs",
        guests=[bob],
        questions=[("What is your favourite lab?", 8), ("Why?", 16)],
    )
    assert session.pk == ChatSession.objects.get(starts_at=utc(2027, 3, 17)).pk
    assert session.topic == "Favourite labs"
    assert list(session.guests.all()) == [bob]
    assert list(session.questions.values_list("number", "text", "offset_minutes")) == [
        (1, "What is your favourite lab?", 8),
        (2, "Why?", 16),
    ]
    # Planning again replaces the plan.
    actions.plan_session(edumatch, ann, utc(2027, 3, 17), questions=[("Only one", 0)])
    assert ChatQuestion.objects.count() == 1


def test_an_outsider_cannot_plan_and_nothing_is_saved(edumatch, cat):
    sessions, jobs = ChatSession.objects.count(), Job.objects.count()
    with pytest.raises(PermissionDenied):
        actions.plan_session(edumatch, cat, utc(2027, 3, 20, 1), questions=[("Q", 1)])
    assert (ChatSession.objects.count(), Job.objects.count()) == (sessions, jobs)
    assert not ChatQuestion.objects.exists()


@pytest.mark.parametrize(
    ("questions", "message"),
    [
        ([("First", 10), ("Second", 5)], "must come after Q1"),
        ([("First", 10), ("Second", 10)], "must come after Q1"),
        ([("Late", 60)], "after the chat ends"),
        ([("Early", -1)], "before the start"),
        ([("", 5)], "has no text"),
    ],
)
def test_it_refuses_question_plans_out_of_order_or_beyond_the_duration(
    edumatch, ann, questions, message
):
    with pytest.raises(ValidationError) as caught:
        actions.plan_session(edumatch, ann, utc(2027, 3, 17), questions=questions)
    assert any(message in m for m in caught.value.message_dict["questions"])
    assert not ChatQuestion.objects.exists()


def test_it_refuses_overlapping_and_past_sessions(edumatch, ann):
    with pytest.raises(ValidationError) as caught:
        actions.plan_session(edumatch, ann, utc(2027, 3, 17, 0, 30))
    assert "overlap" in caught.value.message_dict["starts_at"][0]

    with pytest.raises(ValidationError) as caught:
        actions.plan_session(edumatch, ann, utc(2027, 2, 23, 1))
    assert "passed" in caught.value.message_dict["starts_at"][0]

    # An extra session that touches no other is fine.
    extra = actions.plan_session(edumatch, ann, utc(2027, 3, 18, 0, 0), topic="Bonus")
    assert extra.ends_at == utc(2027, 3, 18, 1, 0)
    assert ChatSession.objects.count() == 5
