"""Scheduling posts: checked like posts, kept per person, published once at their minute."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.urls import reverse

from confab.accounts import actions as account_actions
from confab.insights import actions
from confab.insights.models import ScheduledPost, ScheduledState
from confab.posts import actions as post_actions
from confab.posts.models import Post
from confab.worker.models import Job, JobState
from confab.worker.runner import Worker
from tests.insights.conftest import NOW

pytestmark = pytest.mark.django_db


def field_errors(exc: pytest.ExceptionInfo) -> dict[str, list[str]]:
    return exc.value.message_dict


def test_a_time_is_read_in_the_authors_zone_and_published_at_that_minute(clock, berliner):
    row = actions.schedule(
        berliner, "Guten Morgen #EduMatch", scheduled_for=datetime(2027, 3, 2, 9, 0)
    )
    assert row.scheduled_at == datetime(2027, 3, 2, 8, 0, tzinfo=UTC)  # 09:00 in Berlin
    job = Job.objects.get(kind=actions.JOB_KIND)
    assert job.due_at == row.scheduled_at

    clock.move_to(datetime(2027, 3, 2, 7, 59, 59, tzinfo=UTC))
    Worker(name="w").drain()
    row.refresh_from_db()
    assert row.state == ScheduledState.PENDING, "not yet"
    clock.move_to(datetime(2027, 3, 2, 8, 0, tzinfo=UTC))
    Worker(name="w").drain()

    row.refresh_from_db()
    assert row.state == ScheduledState.PUBLISHED
    post = Post.objects.get(pk=row.post_id)
    assert (post.account_id, post.text) == (berliner.pk, "Guten Morgen #EduMatch")
    assert post.created_at == datetime(2027, 3, 2, 8, 0, tzinfo=UTC)
    assert post.hashtags.get().name == "edumatch"


def test_a_time_across_the_clock_change_keeps_its_wall_clock(clock, berliner):
    row = actions.schedule(berliner, "After the change", scheduled_for=datetime(2027, 3, 29, 9, 0))
    assert row.scheduled_at == datetime(2027, 3, 29, 7, 0, tzinfo=UTC)  # summer time, +2


def test_a_time_the_clocks_skip_is_refused(clock, berliner):
    with pytest.raises(ValidationError) as exc:
        actions.schedule(berliner, "Nope", scheduled_for=datetime(2027, 3, 28, 2, 30))
    assert "does not exist" in field_errors(exc)["scheduled_for"][0]


def test_it_must_be_at_least_five_minutes_ahead(clock, ann):
    with pytest.raises(ValidationError) as exc:
        actions.schedule(ann, "Soon", scheduled_for=datetime(2027, 3, 1, 12, 4))
    assert field_errors(exc) == {"scheduled_for": ["Pick a time at least 5 minutes from now."]}
    assert actions.schedule(ann, "Soon", scheduled_for=datetime(2027, 3, 1, 12, 5))


def test_text_warning_and_visibility_get_the_same_errors_as_a_post(clock, ann, settings):
    later = datetime(2027, 3, 1, 13, 0)
    for kwargs in (
        {"text": ""},
        {"text": "x" * 501},
        {"text": "ok", "spoiler_text": "w" * 201},
        {"text": "ok", "visibility": "everyone"},
    ):
        with pytest.raises(ValidationError) as scheduled:
            actions.schedule(ann, scheduled_for=later, **kwargs)
        with pytest.raises(ValidationError) as posted:
            post_actions.post(ann, **kwargs)
        assert field_errors(scheduled) == field_errors(posted)
    assert not ScheduledPost.objects.exists()


def test_a_reply_follows_the_reply_rules(clock, ann, bob, cat, make_post):
    private = make_post(ann, "Followers only", visibility="private")
    with pytest.raises(ValidationError) as exc:
        actions.schedule(
            bob, "Loud reply", scheduled_for=datetime(2027, 3, 1, 13), in_reply_to_id=private.pk
        )
    assert "can't be seen by more people" in field_errors(exc)["visibility"][0]
    with pytest.raises(Http404):
        actions.schedule(
            cat, "Nosy", scheduled_for=datetime(2027, 3, 1, 13), in_reply_to_id=private.pk
        )


def test_at_most_300_wait_per_person(clock, ann, bob):
    later = datetime(2027, 3, 2, 9, 0)
    ScheduledPost.objects.bulk_create(
        ScheduledPost(account=ann, text=f"n{n}", scheduled_at=NOW + timedelta(days=1))
        for n in range(actions.MAX_PENDING)
    )
    with pytest.raises(ValidationError) as exc:
        actions.schedule(ann, "One too many", scheduled_for=later)
    assert "300 posts waiting" in field_errors(exc)["scheduled_for"][0]
    assert actions.schedule(bob, "bob has room", scheduled_for=later)
    first = ScheduledPost.objects.filter(account=ann).first()
    actions.cancel(ann, first.pk)
    assert actions.schedule(ann, "Now it fits", scheduled_for=later)


def test_rescheduling_moves_the_job_and_publishes_once_at_the_new_minute(clock, ann):
    row = actions.schedule(ann, "Draft", scheduled_for=datetime(2027, 3, 1, 13, 0))
    actions.update(ann, row.pk, "Final", scheduled_for=datetime(2027, 3, 1, 15, 30))
    assert list(Job.objects.values_list("due_at", "state")) == [
        (datetime(2027, 3, 1, 15, 30, tzinfo=UTC), JobState.QUEUED)
    ]
    clock.move_to(datetime(2027, 3, 1, 13, 1, tzinfo=UTC))
    assert actions.publish(row.pk) is None, "the old minute is not its minute any more"
    clock.move_to(datetime(2027, 3, 1, 15, 30, tzinfo=UTC))
    Worker(name="w").drain()
    assert list(Post.objects.values_list("text", flat=True)) == ["Final"]
    assert actions.publish(row.pk) is None, "a second run does nothing"
    assert Post.objects.count() == 1
    with pytest.raises(ValidationError):
        actions.update(ann, row.pk, "Too late", scheduled_for=datetime(2027, 3, 2, 9))


def test_a_cancelled_post_is_never_published(clock, ann):
    row = actions.schedule(ann, "Never mind", scheduled_for=datetime(2027, 3, 1, 13, 0))
    actions.cancel(ann, row.pk)
    assert not Job.objects.exists()
    clock.move_to(datetime(2027, 3, 1, 14, tzinfo=UTC))
    assert actions.publish(row.pk) is None
    assert not Post.objects.exists()


def test_someone_elses_scheduled_post_is_not_there(clock, ann, cat):
    row = actions.schedule(ann, "Mine", scheduled_for=datetime(2027, 3, 1, 13, 0))
    with pytest.raises(Http404):
        actions.cancel(cat, row.pk)
    with pytest.raises(Http404):
        actions.update(cat, row.pk, "Theirs", scheduled_for=datetime(2027, 3, 1, 14))


def test_a_reply_to_a_deleted_post_fails_visibly(clock, ann, bob, make_post, client_for):
    parent = make_post(ann, "Question?")
    row = actions.schedule(
        bob, "Answer!", scheduled_for=datetime(2027, 3, 1, 13, 0), in_reply_to_id=parent.pk
    )
    post_actions.delete(ann, parent.pk)
    clock.move_to(datetime(2027, 3, 1, 13, 0, tzinfo=UTC))
    Worker(name="w").drain()
    row.refresh_from_db()
    assert (row.state, row.error) == (ScheduledState.FAILED, "The post it replies to was deleted.")
    assert not Post.objects.filter(text="Answer!").exists()
    page = client_for(bob).get(reverse("insights:scheduled"))
    assert "Could not be published" in page.content.decode()
    assert "The post it replies to was deleted." in page.content.decode()


def test_a_reply_whose_author_got_blocked_fails_visibly(clock, ann, bob, make_post):
    parent = make_post(ann, "Question?")
    row = actions.schedule(
        bob, "Answer!", scheduled_for=datetime(2027, 3, 1, 13, 0), in_reply_to_id=parent.pk
    )
    account_actions.block(ann, bob)
    clock.move_to(datetime(2027, 3, 1, 13, 0, tzinfo=UTC))
    Worker(name="w").drain()
    row.refresh_from_db()
    assert row.state == ScheduledState.FAILED
    assert "can no longer reply" in row.error
    assert not Post.objects.filter(text="Answer!").exists()
    # While blocked it cannot wait again; once unblocked it can, and is published.
    with pytest.raises(ValidationError):
        actions.update(bob, row.pk, "Answer!", scheduled_for=datetime(2027, 3, 1, 14, 0))
    account_actions.unblock(ann, bob)
    actions.update(bob, row.pk, "Answer, late", scheduled_for=datetime(2027, 3, 1, 14, 0))
    row.refresh_from_db()
    assert (row.state, row.error) == (ScheduledState.PENDING, "")
    clock.move_to(datetime(2027, 3, 1, 14, 0, tzinfo=UTC))
    Worker(name="w").drain()
    assert Post.objects.get(text="Answer, late").in_reply_to_id == parent.pk


def test_a_failed_post_can_be_cancelled(clock, ann, bob, make_post):
    parent = make_post(ann, "Question?")
    row = actions.schedule(
        bob, "Answer!", scheduled_for=datetime(2027, 3, 1, 13, 0), in_reply_to_id=parent.pk
    )
    post_actions.delete(ann, parent.pk)
    clock.move_to(datetime(2027, 3, 1, 13, 0, tzinfo=UTC))
    Worker(name="w").drain()
    actions.cancel(bob, row.pk)
    row.refresh_from_db()
    assert row.state == ScheduledState.CANCELLED


def test_a_job_whose_worker_died_publishes_once_after_the_lease(clock, ann):
    row = actions.schedule(ann, "Exactly once", scheduled_for=datetime(2027, 3, 1, 13, 5))
    clock.move_to(datetime(2027, 3, 1, 13, 0, tzinfo=UTC))
    Worker(name="earlier").drain()  # whatever else is due first, so `dead` claims this one
    clock.move_to(datetime(2027, 3, 1, 13, 5, tzinfo=UTC))
    dead = Worker(name="dead")
    claimed = dead.claim()  # and the process is killed before it runs the job
    assert claimed is not None and claimed.kind == actions.JOB_KIND
    survivor = Worker(name="survivor")
    survivor.drain()
    assert not Post.objects.filter(text="Exactly once").exists(), "the lease still holds"
    clock.shift(timedelta(minutes=6))
    survivor.drain()
    assert Post.objects.filter(text="Exactly once").count() == 1
    row.refresh_from_db()
    assert row.state == ScheduledState.PUBLISHED
    # Jobs run again (a restart replaying its queue) do nothing.
    Job.objects.filter(kind=actions.JOB_KIND).update(state=JobState.QUEUED, attempts=0)
    survivor.drain()
    assert Post.objects.filter(text="Exactly once").count() == 1
