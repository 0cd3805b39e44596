from django.db import models
from django.utils import timezone

from confab.core.models import SnowflakeModel

DEFAULT_MAX_ATTEMPTS = 8


class JobState(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    DONE = "done", "Done"
    FAILED = "failed", "Failed"


class Job(SnowflakeModel):
    """One piece of work that must happen later or survive a crash.

    A job is queued until `due_at`, then a worker claims it (running, with a lease), runs
    the handler registered for `kind`, and marks it done, or queued again with a backoff, or
    failed after `max_attempts`. A running job whose lease has run out was abandoned by a
    worker that died; any worker may claim it again.
    """

    kind = models.CharField(max_length=100)
    payload = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    due_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=DEFAULT_MAX_ATTEMPTS)
    # The worker that holds the job while it runs (and, afterwards, the one that last ran it).
    locked_by = models.CharField(max_length=200, blank=True, default="")
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Names the logical job ("chat-question:42:1") so scheduling it twice is a no-op.
    # NULL for jobs without one: NULLs never collide in a unique column.
    key = models.CharField(max_length=200, null=True, blank=True, unique=True)

    class Meta:
        indexes = [models.Index(fields=["state", "due_at"], name="worker_job_claim")]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"
