"""The queue's own housekeeping: jobs done long ago are forgotten."""

from datetime import timedelta

from django.utils import timezone

from confab.worker.models import Job, JobState
from confab.worker.registry import handler

FORGET_KIND = "worker.forget_done"
# How long a done job stays visible (in the admin) after it finished.
KEEP_DONE = timedelta(days=7)


@handler(FORGET_KIND, every=timedelta(days=1))
def forget_done_jobs(job: Job) -> None:
    """Delete jobs without a key that finished more than KEEP_DONE ago. A job with a key
    stays: its row is what makes queuing the same logical job again a no-op. Failed jobs
    stay until someone retries them."""
    Job.objects.filter(
        state=JobState.DONE, key__isnull=True, finished_at__lt=timezone.now() - KEEP_DONE
    ).delete()
