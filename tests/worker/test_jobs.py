"""The worker in this process: one job's life, retries, keys, abandoned jobs, retrying."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError
from django.utils import timezone

from confab.insights.jobs import PRUNE_KIND
from confab.worker.actions import enqueue, schedule_recurring
from confab.worker.jobs import FORGET_KIND
from confab.worker.models import Job, JobState
from confab.worker.registry import DEFAULT_LEASE
from confab.worker.runner import Worker, WorkerThread
from tests.worker import handlers
from tests.worker.handlers import ran_jobs

pytestmark = pytest.mark.django_db


def reload(job: Job) -> Job:
    job.refresh_from_db()
    return job


def test_it_runs_a_job_once_and_marks_it_done():
    job = enqueue("test.remember", {"session": 42})

    assert Worker(name="w1").drain() == 1

    job = reload(job)
    assert (job.state, job.attempts, job.locked_by) == (JobState.DONE, 1, "w1")
    assert job.finished_at is not None
    assert job.lease_until is None
    assert job.payload == {"session": 42}
    assert ran_jobs == [job.pk]
    assert Worker().drain() == 0
    assert ran_jobs == [job.pk]


def test_it_waits_until_a_job_is_due():
    with time_machine.travel(timezone.now(), tick=False) as clock:
        job = enqueue("test.remember", due_at=timezone.now() + timedelta(hours=1))
        assert Worker().drain() == 0
        clock.shift(timedelta(hours=1))
        assert Worker().drain() == 1
    assert ran_jobs == [job.pk]


def test_it_retries_a_failing_handler_with_backoff_and_keeps_its_error():
    with time_machine.travel(timezone.now(), tick=False) as clock:
        failing = enqueue("test.fail")
        other = enqueue("test.remember")
        worker = Worker()

        # The failure does not stop the worker: the next job still runs.
        assert worker.drain() == 2
        assert ran_jobs == [other.pk]
        delays = []
        for attempt in (1, 2):
            failing = reload(failing)
            assert (failing.state, failing.attempts) == (JobState.QUEUED, attempt)
            assert failing.last_error.startswith(f"ValueError: boom on attempt {attempt}\n")
            assert "Traceback" in failing.last_error
            assert "tests/worker/handlers.py" in failing.last_error
            delays.append(failing.due_at - timezone.now())
            assert worker.drain() == 0, "not due yet"
            clock.move_to(failing.due_at)
            assert worker.drain() == 1

        assert timedelta(seconds=2) <= delays[0] <= timedelta(seconds=2.5)
        assert timedelta(seconds=4) <= delays[1] <= timedelta(seconds=5)
        failing = reload(failing)
        # max_attempts=3 comes from the handler's registration.
        assert (failing.state, failing.attempts, failing.max_attempts) == (JobState.FAILED, 3, 3)
        assert failing.last_error.startswith("ValueError: boom on attempt 3\n")
        assert failing.finished_at == timezone.now()
        clock.shift(timedelta(days=1))
        assert worker.drain() == 0


def test_it_backs_off_exponentially_up_to_an_hour():
    from confab.worker.runner import backoff

    assert timedelta(seconds=8) <= backoff(3) <= timedelta(seconds=10)
    assert timedelta(seconds=1024) <= backoff(10) <= timedelta(seconds=1280)
    assert timedelta(hours=1) <= backoff(30) <= timedelta(hours=1.25)


def test_the_loop_keeps_running_when_a_handler_raises():
    failing = enqueue("test.fail")
    last = enqueue("test.stop")

    Worker(poll_interval=0.01).run(handlers.STOP)

    assert reload(failing).state == JobState.QUEUED
    assert reload(last).state == JobState.DONE


@pytest.mark.django_db(transaction=True)
def test_the_loop_keeps_running_when_the_database_fails(monkeypatch):
    job = enqueue("test.stop")
    worker = Worker(poll_interval=0.01)
    real_claim = worker.claim
    calls = []

    def flaky_claim():
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")
        return real_claim()

    monkeypatch.setattr(worker, "claim", flaky_claim)
    worker.run(handlers.STOP)

    assert len(calls) == 2
    assert reload(job).state == JobState.DONE


def test_it_fails_a_job_of_unknown_kind_with_a_clear_error():
    job = enqueue("test.nobody_handles_this")

    assert Worker().drain() == 1

    job = reload(job)
    assert job.state == JobState.FAILED
    assert job.last_error == "No handler is registered for jobs of kind 'test.nobody_handles_this'."


def test_enqueueing_with_a_key_twice_is_a_no_op():
    first = enqueue("test.remember", {"question": 1}, key="chat-question:42:1")
    again = enqueue("test.remember", {"question": 99}, key="chat-question:42:1")

    assert again.pk == first.pk
    assert Job.objects.filter(key="chat-question:42:1").count() == 1
    assert reload(first).payload == {"question": 1}

    Worker().drain()
    enqueue("test.remember", key="chat-question:42:1")
    assert Worker().drain() == 0
    assert ran_jobs == [first.pk]


def test_jobs_without_a_key_are_all_kept():
    enqueue("test.remember")
    enqueue("test.remember")

    assert Job.objects.count() == 2


def test_it_reruns_a_job_abandoned_by_its_worker_after_the_lease():
    with time_machine.travel(timezone.now(), tick=False) as clock:
        job = enqueue("test.remember")
        dead = Worker(name="dead")
        claimed = dead.claim()  # and then the process is killed: it never finishes
        assert claimed.pk == job.pk
        other = Worker(name="other")

        assert other.drain() == 0, "the lease still holds"
        clock.shift(DEFAULT_LEASE + timedelta(seconds=1))
        assert other.drain() == 1

        job = reload(job)
        assert (job.state, job.attempts, job.locked_by) == (JobState.DONE, 2, "other")
        assert "Attempt 1 was abandoned: dead stopped" in job.last_error

        # Had the first worker only been slow, it cannot record its outcome any more.
        dead.run_job(claimed)
        job = reload(job)
        assert (job.state, job.locked_by) == (JobState.DONE, "other")


def test_it_gives_up_on_a_job_abandoned_on_its_last_attempt():
    with time_machine.travel(timezone.now(), tick=False) as clock:
        job = enqueue("test.remember", max_attempts=1)
        Worker(name="dead").claim()
        clock.shift(DEFAULT_LEASE + timedelta(seconds=1))

        assert Worker().drain() == 1

    job = reload(job)
    assert job.state == JobState.FAILED
    assert "abandoned" in job.last_error
    assert ran_jobs == []


def test_the_jobs_command_lists_failed_jobs_and_retries_one(capsys):
    job = enqueue("test.fail", max_attempts=1)
    Worker().drain()

    call_command("jobs", "--failed")
    listing = capsys.readouterr().out
    assert str(job.pk) in listing
    assert "ValueError: boom on attempt 1" in listing

    call_command("jobs", "retry", str(job.pk))
    job = reload(job)
    assert (job.state, job.attempts) == (JobState.QUEUED, 0)
    assert job.last_error.startswith("ValueError"), "the error stays for the record"

    call_command("jobs")
    assert str(job.pk) in capsys.readouterr().out


def test_the_jobs_command_refuses_to_retry_a_job_that_did_not_fail():
    job = enqueue("test.remember")
    Worker().drain()

    with pytest.raises(CommandError, match=str(job.pk)):
        call_command("jobs", "retry", str(job.pk))
    assert reload(job).state == JobState.DONE


def test_an_admin_retries_failed_jobs_from_the_admin(admin_client):
    failed = enqueue("test.fail", max_attempts=1)
    done = enqueue("test.remember")
    Worker().drain()

    page = admin_client.get("/admin/worker/job/")
    assert page.status_code == 200
    assert "ValueError: boom on attempt 1" in page.text
    response = admin_client.post(
        "/admin/worker/job/",
        {"action": "retry", "_selected_action": [failed.pk, done.pk]},
    )

    assert response.status_code == 302
    assert reload(failed).state == JobState.QUEUED
    assert reload(done).state == JobState.DONE


@pytest.mark.django_db(transaction=True)
def test_a_worker_thread_runs_jobs_and_stops_when_asked():
    job = enqueue("test.remember")
    thread = WorkerThread(Worker(poll_interval=0.01)).start()
    try:
        for _ in range(500):
            if reload(job).state == JobState.DONE:
                break
            threading.Event().wait(0.01)
    finally:
        thread.stop(timeout=5)

    assert reload(job).state == JobState.DONE
    assert not thread._thread.is_alive()


def test_serve_runs_a_worker_unless_told_not_to(monkeypatch):
    from confab.core.management.commands import serve

    started = []

    class FakeWorkerThread:
        def start(self):
            started.append("start")
            return self

        def stop(self):
            started.append("stop")

    monkeypatch.setattr(serve, "WorkerThread", FakeWorkerThread)
    monkeypatch.setattr(serve.uvicorn, "run", lambda *args, **kwargs: started.append("serve"))

    call_command("serve")
    assert started == ["start", "serve", "stop"]
    started.clear()
    call_command("serve", "--no-worker")
    assert started == ["serve"]


def test_recurring_kinds_keep_one_run_queued_for_the_next_period():
    at = datetime(2027, 5, 4, 13, 30, tzinfo=UTC)

    first = schedule_recurring(at)
    again = schedule_recurring(at + timedelta(hours=2))

    assert {PRUNE_KIND, FORGET_KIND} <= {job.kind for job in first}
    assert [job.pk for job in again] == [job.pk for job in first]
    queued = Job.objects.get(kind=PRUNE_KIND)
    assert queued.due_at == datetime(2027, 5, 5, tzinfo=UTC)  # the next day's start, UTC
    assert queued.key == f"{PRUNE_KIND}@2027-05-05T00:00Z"


def test_a_starting_worker_queues_the_first_run_and_each_run_the_next():
    with time_machine.travel(datetime(2027, 5, 4, 13, 30, tzinfo=UTC), tick=False) as clock:
        stop = threading.Event()
        stop.set()
        Worker(name="w1").run(stop)  # starts, queues, and stops at once
        first = Job.objects.get(kind=PRUNE_KIND)
        assert Worker().drain() == 0  # due tomorrow

        clock.move_to(datetime(2027, 5, 5, 0, 1, tzinfo=UTC))
        assert Worker().drain() == 2  # the prune and forgetting old jobs

        assert reload(first).state == JobState.DONE
        following = Job.objects.get(kind=PRUNE_KIND, state=JobState.QUEUED)
        assert following.due_at == datetime(2027, 5, 6, tzinfo=UTC)


def test_done_jobs_without_a_key_are_forgotten_after_a_week():
    with time_machine.travel(datetime(2027, 5, 1, 12, tzinfo=UTC), tick=False) as clock:
        old = enqueue("test.remember", {"n": 1})
        kept = enqueue("test.remember", {"n": 2}, key="remember-2")
        Worker().drain()
        clock.move_to(datetime(2027, 5, 6, 12, tzinfo=UTC))
        recent = enqueue("test.remember", {"n": 3})
        Worker().drain()
        clock.move_to(datetime(2027, 5, 9, 0, 1, tzinfo=UTC))
        enqueue(FORGET_KIND)
        Worker().drain()

        remaining = set(Job.objects.values_list("pk", flat=True))
        assert old.pk not in remaining
        assert {kept.pk, recent.pk} <= remaining
