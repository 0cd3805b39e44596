"""Handlers the worker tests run; the race subprocesses import this module too."""

import threading
import time
from pathlib import Path

from django.db import connection

from confab.worker.registry import handler

# Ids of the jobs the in-process handlers ran, in order; a fixture empties it per test.
ran_jobs: list[int] = []
# Set by the "test.stop" handler, so a test can run the worker loop until that job.
STOP = threading.Event()
# A table (made by the tests that need it) where handlers in other processes record runs.
RUN_TABLE = "worker_test_run"


@handler("test.remember")
def remember(job):
    ran_jobs.append(job.pk)


@handler("test.fail", max_attempts=3)
def fail(job):
    raise ValueError(f"boom on attempt {job.attempts}")


@handler("test.stop")
def stop(job):
    ran_jobs.append(job.pk)
    STOP.set()


@handler("test.record")
def record(job):
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {RUN_TABLE} (job_id, worker) VALUES (%s, %s)",  # noqa: S608
            [job.pk, job.locked_by],
        )


@handler("test.hang")
def hang(job):
    """Record the run; on the first attempt, say so in a file and never finish."""
    record(job)
    if job.attempts == 1:
        Path(job.payload["started"]).touch()
        time.sleep(120)
