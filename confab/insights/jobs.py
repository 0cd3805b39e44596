"""The worker publishes scheduled posts at their minute (see `confab.insights.actions`)."""

from confab.insights.actions import JOB_KIND, publish
from confab.worker.models import Job
from confab.worker.registry import handler


@handler(JOB_KIND)
def publish_scheduled(job: Job) -> None:
    """Publish the scheduled post once; a rerun, or a job for an old time, does nothing."""
    publish(int(job.payload["scheduled"]))
