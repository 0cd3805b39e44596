"""The worker publishes scheduled posts at their minute (see `confab.insights.actions`)
and, once a day, drops activity counts older than the heatmap's window."""

from datetime import timedelta

from django.db import connection

from confab.insights import rollup
from confab.insights.actions import JOB_KIND, publish
from confab.worker.actions import enqueue
from confab.worker.models import Job
from confab.worker.registry import handler

PRUNE_KIND = "insights.prune"
# Rows deleted per table by one job. A job runs in one transaction, and on SQLite that
# holds the write lock every post waits for: a large backlog is cleared by short jobs, one
# after another, rather than one long one (5,000 rows: 10–225 ms on the benchmark's
# database, a day's worth of its rows in about 60 jobs).
PRUNE_BATCH = 5000


@handler(JOB_KIND)
def publish_scheduled(job: Job) -> None:
    """Publish the scheduled post once; a rerun, or a job for an old time, does nothing."""
    publish(int(job.payload["scheduled"]))


@handler(PRUNE_KIND, every=timedelta(days=1))
def prune_rollups(job: Job) -> None:
    """Delete a batch of rollup rows from before the window; queue another if more remain.
    Pruning twice deletes nothing the second time."""
    if rollup.prune(connection, limit=PRUNE_BATCH):
        enqueue(PRUNE_KIND, {"continues": job.pk})
