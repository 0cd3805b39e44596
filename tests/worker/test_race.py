"""Worker processes racing over the same jobs, and one killed in the middle of a job."""

import signal
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

import time_machine
from django.db import transaction
from django.utils import timezone

from confab.worker.actions import enqueue
from confab.worker.models import Job, JobState
from confab.worker.registry import DEFAULT_LEASE
from confab.worker.runner import Worker

JOBS = 1000
TIMEOUT = 60


def wait_for(path: Path, process) -> None:
    deadline = time.monotonic() + TIMEOUT
    while not path.exists():
        if process.poll() is not None:
            raise AssertionError(f"worker exited early:\n{process.stdout.read()}")
        assert time.monotonic() < deadline, f"timed out waiting for {path.name}"
        time.sleep(0.01)


def test_two_worker_processes_run_each_of_1000_jobs_exactly_once(shared_database):
    with transaction.atomic():
        for number in range(JOBS):
            enqueue("test.record", {"number": number})
    started = [shared_database.start_worker(name) for name in ("left", "right")]
    for process, ready, _ in started:
        wait_for(ready, process)
    go = started[0][2]
    go.touch()  # both are connected and waiting: let them loose together
    for process, _, _ in started:
        output, _ = process.communicate(timeout=TIMEOUT)
        assert process.returncode == 0, output

    runs = shared_database.runs()
    per_job = Counter(job_id for job_id, _ in runs)
    assert len(per_job) == JOBS
    assert set(per_job.values()) == {1}, "a job ran twice"
    per_worker = Counter(worker for _, worker in runs)
    assert set(per_worker) == {"left", "right"}, f"no race happened: {per_worker}"
    jobs = Job.objects.all()
    assert jobs.count() == JOBS
    assert set(jobs.values_list("state", "attempts").distinct()) == {(JobState.DONE, 1)}


def test_a_job_whose_worker_is_killed_runs_again_after_its_lease(shared_database):
    started_file = shared_database.tmp_path / "started"
    job = enqueue("test.hang", {"started": str(started_file)})
    process, _, go = shared_database.start_worker("doomed")
    go.touch()
    wait_for(started_file, process)  # the handler is in the middle of its work

    process.send_signal(signal.SIGKILL)
    process.wait(timeout=TIMEOUT)

    job.refresh_from_db()
    assert (job.state, job.locked_by, job.attempts) == (JobState.RUNNING, "doomed", 1)
    assert shared_database.runs() == [], "the killed run's writes were rolled back"
    survivor = Worker(name="survivor")
    assert survivor.drain() == 0, "the lease still holds"
    with time_machine.travel(timezone.now() + DEFAULT_LEASE + timedelta(seconds=1)):
        assert survivor.drain() == 1

    job.refresh_from_db()
    assert (job.state, job.locked_by, job.attempts) == (JobState.DONE, "survivor", 2)
    assert "Attempt 1 was abandoned: doomed stopped" in job.last_error
    assert shared_database.runs() == [(job.pk, "survivor")]
