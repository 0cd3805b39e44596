"""Scheduling jobs and putting failed ones back in the queue."""

from collections.abc import Iterable
from datetime import datetime
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


def retry(job_ids: Iterable[int]) -> int:
    """Put failed jobs back in the queue with their attempts reset; return how many."""
    return Job.objects.filter(id__in=list(job_ids), state=JobState.FAILED).update(
        state=JobState.QUEUED,
        due_at=timezone.now(),
        attempts=0,
        lease_until=None,
        finished_at=None,
    )
