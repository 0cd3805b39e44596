"""Scheduling jobs and putting failed ones back in the queue."""

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone

from confab.worker import registry
from confab.worker.models import DEFAULT_MAX_ATTEMPTS, Job, JobState


def enqueue(
    kind: str,
    payload: dict[str, Any] | None = None,
    *,
    due_at: datetime | None = None,
    key: str | None = None,
    max_attempts: int | None = None,
) -> Job:
    """Schedule a job of `kind` to run at `due_at` (now by default) and return it.

    Called inside the caller's transaction the job is committed with the caller's writes or
    not at all, and no worker sees it before the commit. With a `key`, scheduling the same
    logical job again returns the job already there, whatever its state, unchanged.
    """
    if max_attempts is None:
        known = registry.get(kind)
        max_attempts = known.max_attempts if known else DEFAULT_MAX_ATTEMPTS
    fields = {
        "kind": kind,
        "payload": payload or {},
        "due_at": due_at or timezone.now(),
        "max_attempts": max_attempts,
    }
    if key is None:
        return Job.objects.create(**fields)
    # get_or_create inserts in a savepoint and reads the winner's row when a concurrent
    # enqueue of the same key got there first, so the key is enough to stay idempotent.
    job, _ = Job.objects.get_or_create(key=key, defaults=fields)
    return job


def schedule_recurring(
    now: datetime | None = None, kinds: Iterable[str] | None = None
) -> list[Job]:
    """Keep the next run of each recurring kind queued (all, or those of `kinds`).

    One job per period, due at the start of the next one and named by it, so every worker
    calling this as it starts, and each run calling it for its successor as it finishes,
    queue it once. A period the workers were all down for is skipped, not made up.
    """
    now = now or timezone.now()
    jobs = []
    for known in registry.recurring():
        if known.every is None or (kinds is not None and known.kind not in kinds):
            continue
        period = known.every.total_seconds()
        start = datetime.fromtimestamp((now.timestamp() // period + 1) * period, tz=UTC)
        key = f"{known.kind}@{start:%Y-%m-%dT%H:%M}Z"
        jobs.append(enqueue(known.kind, due_at=start, key=key))
    return jobs


def retry(job_ids: Iterable[int]) -> int:
    """Put failed jobs back in the queue with their attempts reset; return how many."""
    return Job.objects.filter(id__in=list(job_ids), state=JobState.FAILED).update(
        state=JobState.QUEUED,
        due_at=timezone.now(),
        attempts=0,
        lease_until=None,
        finished_at=None,
    )
