"""The worker: claim a due job, run its handler, record what happened; again.

Claiming is one conditional UPDATE, the way Healthchecks' sendalerts does it: read a few due
jobs, then `UPDATE … SET state=running, locked_by=me, attempts=n+1 … WHERE id=X AND state=…
AND attempts=n` (the row is still as this worker read it) and count the rows. Exactly one
worker's UPDATE matches; the others see 0 rows and try another job. It needs no SELECT … FOR
UPDATE SKIP LOCKED, so it runs the same on SQLite and PostgreSQL. Yes, this is a small
message queue in the database. It's fine: a chat server's jobs number in the thousands per
minute, not per millisecond.

Every write after the claim is fenced the same way (`WHERE state=running AND locked_by=me
AND attempts=n`): a worker whose lease ran out and whose job another worker took over
cannot mark it done or failed.
"""

import logging
import os
import random
import socket
import threading
import traceback
import uuid
from datetime import UTC, datetime, timedelta

from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone

from confab.worker import actions, registry
from confab.worker.models import Job, JobState

log = logging.getLogger("confab.worker")

POLL_INTERVAL = 0.5
MAX_BACKOFF_SECONDS = 3600
# Candidates read per claim: when another worker wins the first, try the rest before
# reading again.
CANDIDATES = 8
ERROR_LENGTH = 4000
TRACEBACK_FRAMES = 6


class LeaseLost(Exception):
    """Another worker took the job over while this one ran it."""


def backoff(attempts: int) -> timedelta:
    """Return how long to wait before the next attempt after `attempts` failed ones.

    2, 4, 8 … seconds up to an hour, stretched by up to a quarter at random so jobs that
    failed together (a database outage) do not all come back in the same second.
    """
    seconds = min(2**attempts, MAX_BACKOFF_SECONDS)
    return timedelta(seconds=seconds * (1 + random.random() / 4))


def describe_error(exc: BaseException) -> str:
    """Return the error's type and message and the last frames of its traceback."""
    frames = "".join(traceback.format_exception(exc, limit=-TRACEBACK_FRAMES))
    text = f"{type(exc).__name__}: {exc}\n\n{frames}"
    if len(text) > ERROR_LENGTH:
        text = text[: ERROR_LENGTH - 1] + "…"
    return text


def default_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Worker:
    """Claims and runs jobs one at a time; `run` loops until told to stop."""

    def __init__(self, name: str | None = None, poll_interval: float = POLL_INTERVAL):
        self.name = name or default_name()
        self.poll_interval = poll_interval
        self._next_sweep = datetime.min.replace(tzinfo=UTC)

    def claim(self) -> Job | None:
        """Take the next due (or abandoned) job for this worker; None when there is none."""
        while True:
            now = timezone.now()
            candidates = self._candidates(now)
            if not candidates:
                return None
            # The earliest first, so one worker runs jobs in due order; after losing it to
            # another worker, the rest in random order so two losers do not collide again.
            rest = candidates[1:]
            random.shuffle(rest)
            for job in [candidates[0], *rest]:
                if self._take(job, now):
                    return job
            # Other workers took every candidate meanwhile; read again.

    def _candidates(self, now: datetime) -> list[Job]:
        # Two reads rather than one with OR, so each walks the (state, due_at) index instead
        # of the whole table with its done jobs. Abandoned jobs are rare: look for them once
        # a poll interval, not before every job.
        if now >= self._next_sweep:
            self._next_sweep = now + timedelta(seconds=self.poll_interval)
            abandoned = Job.objects.filter(state=JobState.RUNNING, lease_until__lt=now)
            found = list(abandoned[:CANDIDATES])
            if found:
                return found
        due = Job.objects.filter(state=JobState.QUEUED, due_at__lte=now).order_by("due_at")
        return list(due[:CANDIDATES])

    def _take(self, job: Job, now: datetime) -> bool:
        """Claim `job` if it is still as this worker read it; return whether it did."""
        known = registry.get(job.kind)
        fields: dict[str, object] = {
            "state": JobState.RUNNING,
            "locked_by": self.name,
            "lease_until": now + (known.lease if known else registry.DEFAULT_LEASE),
            "attempts": job.attempts + 1,
        }
        if job.state == JobState.RUNNING:
            unchanged = Q(state=JobState.RUNNING, lease_until__lt=now)
            fields["last_error"] = (
                f"Attempt {job.attempts} was abandoned: {job.locked_by} stopped before "
                "finishing it and its lease ran out."
            )
        else:
            unchanged = Q(state=JobState.QUEUED, due_at__lte=now)
        # The conditional UPDATE: exactly one worker's matches, because the first one
        # changes the row (state, attempts) so that it no longer does for the others.
        taken = Job.objects.filter(unchanged, id=job.pk, attempts=job.attempts).update(**fields)
        if taken != 1:
            return False
        for name, value in fields.items():
            setattr(job, name, value)
        return True

    def run_job(self, job: Job) -> None:
        """Run a claimed job's handler and record done, a retry with backoff, or failed."""
        known = registry.get(job.kind)
        if known is None:
            self._record(
                job,
                JobState.FAILED,
                error=f"No handler is registered for jobs of kind {job.kind!r}.",
            )
            log.error("Job %s failed: no handler for kind %r", job.pk, job.kind)
            return
        if job.attempts > job.max_attempts:
            # Its last attempt was abandoned by a worker that died (perhaps killed by this
            # very job); do not start it once more than allowed.
            self._record(job, JobState.FAILED, error=f"{job.last_error}\nGave up.")
            log.error("Job %s (%s) failed: its last attempt was abandoned", job.pk, job.kind)
            return
        try:
            # The handler's writes and "done" commit together, or neither does.
            with transaction.atomic():
                known.function(job)
                if known.every is not None:
                    # The next period's run, committed with this one's "done".
                    actions.schedule_recurring(kinds=[job.kind])
                if not self._record(job, JobState.DONE):
                    raise LeaseLost
        except LeaseLost:
            log.warning(
                "Job %s (%s) outlived its lease and another worker took it over; "
                "this run's writes were rolled back",
                job.pk,
                job.kind,
            )
        except Exception as exc:
            error = describe_error(exc)
            if job.attempts >= job.max_attempts:
                self._record(job, JobState.FAILED, error=error)
                log.error(
                    "Job %s (%s) failed for good after %s attempts: %s",
                    job.pk,
                    job.kind,
                    job.attempts,
                    error.splitlines()[0],
                )
            else:
                due_at = timezone.now() + backoff(job.attempts)
                self._record(job, JobState.QUEUED, error=error, due_at=due_at)
                log.warning(
                    "Job %s (%s) attempt %s failed, next at %s: %s",
                    job.pk,
                    job.kind,
                    job.attempts,
                    due_at.isoformat(timespec="seconds"),
                    error.splitlines()[0],
                )

    def run_next(self) -> Job | None:
        """Claim and run one job; return it, or None when nothing is due."""
        job = self.claim()
        if job is not None:
            self.run_job(job)
        return job

    def drain(self, stop: threading.Event | None = None) -> int:
        """Run jobs until none is due (or `stop` is set); return how many ran."""
        count = 0
        while stop is None or not stop.is_set():
            if self.run_next() is None:
                break
            count += 1
        return count

    def run(self, stop: threading.Event) -> None:
        """Run jobs as they fall due until `stop` is set; the current job finishes first."""
        log.info("Worker %s started", self.name)
        try:
            actions.schedule_recurring()
        except Exception:
            # A database not migrated yet, or locked: the jobs are queued by the next start
            # or the next run of each kind.
            log.exception("Worker %s could not queue the recurring jobs", self.name)
        while not stop.is_set():
            try:
                job = self.run_next()
            except Exception:
                # A handler's exception never gets here; this is the database going away
                # or being locked too long. Reconnect and carry on.
                log.exception("Worker %s could not claim or record a job", self.name)
                for connection in connections.all(initialized_only=True):
                    connection.close()
                stop.wait(self.poll_interval * 4)
                continue
            if job is None:
                stop.wait(self.poll_interval)
        log.info("Worker %s stopped", self.name)

    def _record(
        self,
        job: Job,
        state: str,
        *,
        error: str | None = None,
        due_at: datetime | None = None,
    ) -> bool:
        """Write the job's outcome if this worker still holds it; return whether it did."""
        fields: dict[str, object] = {"state": state, "lease_until": None}
        if error is not None:
            fields["last_error"] = error
        if due_at is not None:
            fields["due_at"] = due_at
        if state in (JobState.DONE, JobState.FAILED):
            fields["finished_at"] = timezone.now()
        held = Job.objects.filter(
            id=job.pk, state=JobState.RUNNING, locked_by=self.name, attempts=job.attempts
        )
        if held.update(**fields) != 1:
            return False
        for name, value in fields.items():
            setattr(job, name, value)
        return True


class WorkerThread:
    """One worker in a daemon thread of another process (the one `confab serve` runs)."""

    def __init__(self, worker: Worker | None = None):
        self.worker = worker or Worker()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="confab-worker", daemon=True)

    def start(self) -> "WorkerThread":
        self._thread.start()
        return self

    def stop(self, timeout: float = 30.0) -> None:
        """Ask the worker to stop and wait for the job it is running to finish."""
        self._stop.set()
        self._thread.join(timeout)
        if self._thread.is_alive():
            log.warning("Worker %s is still running a job; leaving it", self.worker.name)

    def _run(self) -> None:
        try:
            self.worker.run(self._stop)
        finally:
            # Django's connections are per thread; close this thread's own.
            connections.close_all()
