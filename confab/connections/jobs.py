"""The worker's people-worth-meeting and introduction jobs.

- connections.refresh_person: one person's recommendations from their neighbourhood,
  enqueued (debounced) when they follow someone, post in a chat room or change interests;
- connections.refresh_all: everyone's, every night (it plans the next night's run itself,
  and the first person refresh plans the first one);
- connections.expire_introduction: closes an introduction 30 days after it was made.

All are idempotent: a refresh replaces the rows it computes, expiry only moves a pending
introduction whose time has come.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from confab.accounts.models import Account
from confab.connections.people import actions, refresh
from confab.worker.actions import enqueue
from confab.worker.models import Job
from confab.worker.registry import handler

NIGHTLY_AT = time(3, 30)  # UTC


def schedule_nightly(after: datetime | None = None) -> Job:
    """Plan the next full refresh (one per night: the key is the date)."""
    after = after or timezone.now()
    due = datetime.combine(after.date(), NIGHTLY_AT, tzinfo=after.tzinfo)
    if due <= after:
        due += timedelta(days=1)
    return enqueue(
        "connections.refresh_all", {}, due_at=due, key=f"people-refresh-all:{due:%Y-%m-%d}"
    )


@handler("connections.refresh_person")
def refresh_person(job: Job) -> None:
    account = Account.objects.filter(pk=job.payload["account"]).first()
    if account is not None:
        refresh.refresh_person(account)
    schedule_nightly()


@handler("connections.refresh_all", lease=timedelta(hours=2), max_attempts=3)
def refresh_all(job: Job) -> None:
    refresh.refresh_everyone()
    schedule_nightly(timezone.now() + timedelta(hours=1))


@handler("connections.expire_introduction")
def expire_introduction(job: Job) -> None:
    actions.expire(int(job.payload["introduction"]))
