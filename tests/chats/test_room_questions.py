"""Questions are posted on time from the owner's account, exactly once, and hosts steer them live."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from confab.chats import actions, jobs
from confab.chats.models import ChatQuestion, RoomEntry
from confab.posts.models import Post
from confab.worker.actions import enqueue
from confab.worker.models import Job, JobState
from confab.worker.runner import Worker

FIRST = datetime(2027, 3, 3, 1, 0, tzinfo=UTC)  # Tuesday 8 pm in New York


@pytest.fixture
def session(edumatch, ann):
    return actions.plan_session(
        edumatch,
        ann,
        FIRST,
        topic="Labs on a budget",
        questions=[("What is your favourite lab?", 0), ("What broke last week?", 10)],
    )


def question_posts() -> list[str]:
    return list(
        Post.objects.filter(text__startswith="Q").order_by("id").values_list("text", flat=True)
    )


def test_it_posts_each_question_at_its_minute_from_the_owner(session, ann, clock):
    clock.move_to(FIRST - timedelta(seconds=1))
    Worker().drain()
    assert question_posts() == []

    clock.move_to(FIRST)
    Worker().drain()
    assert question_posts() == ["Q1 What is your favourite lab? #EduMatch"]
    q1 = ChatQuestion.objects.get(session=session, number=1)
    assert q1.posted_post.account == ann
    assert q1.posted_post.visibility == "public"
    assert q1.posted_at == FIRST

    clock.move_to(FIRST + timedelta(minutes=10))
    Worker().drain()
    assert len(question_posts()) == 2
    entry = RoomEntry.objects.get(post=q1.posted_post)
    assert (entry.session_id, entry.question, entry.is_question) == (session.pk, 1, True)


def test_it_posts_a_question_once_when_the_handler_runs_twice(session, clock):
    clock.move_to(FIRST)
    job = Job.objects.get(key=f"question:{session.questions.get(number=1).pk}")
    jobs.post_question_on_time(job)
    jobs.post_question_on_time(job)
    assert len(question_posts()) == 1


def test_it_posts_a_question_once_when_enqueued_twice(session, clock):
    actions.schedule_jobs(session)
    q1 = session.questions.get(number=1)
    enqueue("chats.post_question", {"question": q1.pk}, due_at=FIRST, key=f"question:{q1.pk}")
    assert Job.objects.filter(kind="chats.post_question").count() == 2
    clock.move_to(FIRST + timedelta(minutes=10))
    Worker().drain()
    assert len(question_posts()) == 2


def test_a_worker_killed_mid_job_is_replaced_and_the_question_still_posts_once(session, clock):
    clock.move_to(FIRST)
    q1 = session.questions.get(number=1)
    job = Job.objects.get(key=f"question:{q1.pk}")
    # The first worker posted Q1, then died before recording the job as done: the job is
    # still running under a lease that has run out.
    jobs.post_question_on_time(job)
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, attempts=1, locked_by="dead", lease_until=FIRST
    )
    clock.move_to(FIRST + timedelta(minutes=1))
    Worker().drain()
    assert Job.objects.get(pk=job.pk).state == JobState.DONE
    assert question_posts() == ["Q1 What is your favourite lab? #EduMatch"]


def test_a_host_posts_the_next_question_early_and_the_worker_does_not_repeat_it(
    session, ann, clock
):
    clock.move_to(FIRST + timedelta(minutes=2))
    Worker().drain()
    posted = actions.post_next_question(ann, session)
    assert posted.text.startswith("Q2 ")
    clock.move_to(FIRST + timedelta(minutes=10))
    Worker().drain()
    assert len(question_posts()) == 2
    with pytest.raises(ValidationError):
        actions.post_next_question(ann, session)


def test_replanning_a_questions_minute_moves_its_job_without_a_second_post(session, ann, clock):
    actions.edit_question(ann, session, 2, "What broke this week?", 20)
    job = Job.objects.get(key=f"question:{session.questions.get(number=2).pk}")
    assert job.due_at == FIRST + timedelta(minutes=20)
    clock.move_to(FIRST + timedelta(minutes=10))
    Worker().drain()
    assert len(question_posts()) == 1
    clock.move_to(FIRST + timedelta(minutes=20))
    Worker().drain()
    assert question_posts()[1] == "Q2 What broke this week? #EduMatch"
    actions.schedule_jobs(session)
    Worker().drain()
    assert len(question_posts()) == 2


def test_a_host_adds_a_question_live_and_cannot_edit_a_posted_one(session, ann, clock):
    clock.move_to(FIRST + timedelta(minutes=12))
    Worker().drain()
    added = actions.add_question(ann, session, "One more: what would you buy?")
    assert (added.number, added.offset_minutes) == (3, 12)
    Worker().drain()
    assert question_posts()[-1] == "Q3 One more: what would you buy? #EduMatch"
    with pytest.raises(ValidationError):
        actions.edit_question(ann, session, 1, "Changed", 0)


def test_bad_live_questions_are_refused(session, ann, clock):
    with pytest.raises(ValidationError):
        actions.edit_question(ann, session, 2, "", 10)
    with pytest.raises(ValidationError):
        actions.edit_question(ann, session, 1, "Later", 10)  # not before Q2
    with pytest.raises(ValidationError):
        actions.add_question(ann, session, "Too late", 60)


def test_only_hosts_steer_questions(session, cat, client_for, clock):
    with pytest.raises(PermissionDenied):
        actions.post_next_question(cat, session)
    with pytest.raises(PermissionDenied):
        actions.add_question(cat, session, "Mine")
    base = f"/chats/EduMatch/sessions/{session.pk}/questions"
    client = client_for(cat)
    assert client.post(f"{base}/next").status_code == 404
    assert client.post(f"{base}/add", {"text": "Mine"}).status_code == 404
    assert client.post(f"{base}/2", {"text": "Mine", "offset_minutes": 10}).status_code == 404
    assert question_posts() == []


def test_a_host_steers_questions_through_the_room_page(session, ann, client_for, clock):
    clock.move_to(FIRST + timedelta(minutes=1))
    client = client_for(ann)
    base = f"/chats/EduMatch/sessions/{session.pk}/questions"
    assert client.post(f"{base}/2", {"text": "Edited", "offset_minutes": 15}).status_code == 302
    assert client.post(f"{base}/next").status_code == 302
    assert client.post(f"{base}/add", {"text": "Third"}).status_code == 302
    assert question_posts() == ["Q1 What is your favourite lab? #EduMatch"]
    assert session.questions.get(number=2).text == "Edited"
    assert session.questions.count() == 3
