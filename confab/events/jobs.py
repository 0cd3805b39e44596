"""The worker's event job: remind the people going, once each, before the start.

The job is keyed by the event and its start (see `confab.events.actions`), and each
reminder is an `EventReminder` row, unique per event, person and start, written in the
same transaction as its notification: a worker killed mid-run and restarted, or the job
run twice, reminds nobody twice.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from confab.events import queries
from confab.events.models import Event, EventReminder
from confab.events.travel import jobs as travel_jobs  # noqa: F401  (meetup reminders)
from confab.notifications import actions as notifications
from confab.notifications.models import Kind
from confab.realtime.broker import publish_on_commit
from confab.worker.models import Job
from confab.worker.registry import handler


@handler("events.remind")
def remind(job: Job) -> None:
    """Notify everyone going that the event starts soon."""
    event = (
        Event.objects.select_related("hashtag")
        .prefetch_related("hosts__account")
        .filter(pk=job.payload["event"])
        .first()
    )
    starts_at = datetime.fromisoformat(job.payload["starts_at"])
    # Gone, cancelled, moved (the new start has its own job) or started: nothing to do.
    if event is None or event.is_cancelled or event.starts_at != starts_at:
        return
    if timezone.now() >= event.starts_at:
        return
    owner = queries.owner_of(event)
    already = EventReminder.objects.filter(event=event, starts_at=starts_at).values("account_id")
    link = reverse("events:event", args=[event.pk])
    for account in queries.going_accounts(event).exclude(pk__in=already):
        try:
            with transaction.atomic():
                EventReminder.objects.create(event=event, account=account, starts_at=starts_at)
        except IntegrityError:
            continue  # reminded meanwhile by another run
        # `notify` never tells people of their own doing: the owner's reminder comes
        # from a co-host (an owner hosting alone knows their own event).
        actor = owner
        if account.pk == owner.pk:
            others = [h.account for h in event.hosts.all() if h.account_id != owner.pk]
            if not others:
                continue
            actor = others[0]
        notifications.notify(account, Kind.EVENT_REMINDER, actor, link=link, detail=_detail(event))
        _publish(account, event, link)


def _detail(event: Event) -> str:
    return f"#{event.hashtag.display_name}: {event.title}"[:200]


def _publish(account, event: Event, link: str) -> None:
    publish_on_commit(
        f"notifications:{account.pk}",
        "event_reminder",
        {
            "event": str(event.pk),
            "title": event.title,
            "url": link,
            "starts_at": event.starts_at.isoformat(),
        },
    )
