"""The worker's meetup job: remind everyone coming, once each, shortly before the meetup.

The job is keyed by the meetup and its confirmed option (see `actions.confirm_meetup`), and
each reminder is a `MeetupReminder` row, unique per meetup and person, written in the same
transaction as its notification: a worker killed mid-run and restarted, or the job run
twice, reminds nobody twice.
"""

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from confab.events.models.travel import Meetup, MeetupInvite, MeetupReminder
from confab.notifications import actions as notifications
from confab.notifications.models import Kind
from confab.realtime.broker import publish_on_commit
from confab.worker.models import Job
from confab.worker.registry import handler


@handler("events.meetup_remind")
def remind_meetup(job: Job) -> None:
    """Notify the organiser and the invitees who have not declined that the meetup is near."""
    meetup = (
        Meetup.objects.select_related("organiser", "confirmed_option")
        .filter(pk=job.payload["meetup"])
        .first()
    )
    # Gone, cancelled, or confirmed at another time: nothing to remind of.
    if meetup is None or not meetup.is_confirmed or meetup.confirmed_option is None:
        return
    option = meetup.confirmed_option
    if option.pk != job.payload["option"] or timezone.now() >= option.starts_at:
        return
    coming = [
        invite.account
        for invite in MeetupInvite.objects.filter(meetup=meetup)
        .exclude(response=MeetupInvite.Response.DECLINED)
        .select_related("account")
        .order_by("id")
    ]
    already = set(MeetupReminder.objects.filter(meetup=meetup).values_list("account_id", flat=True))
    link = reverse("events:meetup", args=[meetup.pk])
    when = option.starts_at.astimezone(meetup.zone)
    detail = f"soon: {meetup.title}, {when:%H:%M} at {meetup.place}"[:200]
    # `notify` never tells people of their own doing, so the organiser hears it "from" the
    # first person coming; an organiser left alone has nobody to meet and no reminder.
    recipients = [(account, meetup.organiser) for account in coming]
    if coming:
        recipients.append((meetup.organiser, coming[0]))
    for account, actor in recipients:
        if account.pk in already:
            continue
        try:
            with transaction.atomic():
                MeetupReminder.objects.create(meetup=meetup, account=account)
        except IntegrityError:
            continue  # reminded meanwhile by another run
        notifications.notify(account, Kind.MEETUP, actor, link=link, detail=detail)
        publish_on_commit(
            f"notifications:{account.pk}",
            "meetup_reminder",
            {
                "meetup": str(meetup.pk),
                "title": meetup.title,
                "url": link,
                "starts_at": option.starts_at.isoformat(),
            },
        )
