"""The worker reminds people going once before an event, even across restarts."""

from datetime import UTC, datetime, timedelta

from confab.events import actions, jobs
from confab.events.models import EventReminder, RSVPState
from confab.notifications.models import Notification
from confab.worker.models import Job, JobState
from confab.worker.runner import Worker
from tests.events.conftest import details

START = datetime(2027, 3, 21, 0, 0, tzinfo=UTC)


def reminders(account) -> int:
    return Notification.objects.filter(recipient=account, kind="event_reminder").count()


def test_people_going_are_reminded_a_day_before_a_live_event(pydata, ann, bob, cat, clock):
    actions.rsvp(bob, pydata.pk, RSVPState.GOING)
    actions.rsvp(cat, pydata.pk, RSVPState.INTERESTED)
    clock.move_to(START - timedelta(hours=24, minutes=1))
    Worker().drain()
    assert reminders(bob) == 0
    clock.move_to(START - timedelta(hours=24))
    Worker().drain()
    assert (reminders(bob), reminders(cat), reminders(ann)) == (1, 0, 0)
    notification = Notification.objects.get(recipient=bob, kind="event_reminder")
    assert notification.link == f"/events/{pydata.pk}"
    assert notification.detail == "#PyDataAustin: PyData Austin meetup"
    clock.move_to(START - timedelta(minutes=5))
    Worker().drain()
    assert reminders(bob) == 1


def test_an_online_event_reminds_an_hour_before(clock, ann, bob):
    event = actions.create_event(
        ann, details(is_virtual=True, online_url="https://meet.example.org/x", city="", venue="")
    )
    actions.rsvp(bob, event.pk, RSVPState.GOING)
    clock.move_to(START - timedelta(minutes=61))
    Worker().drain()
    assert reminders(bob) == 0
    clock.move_to(START - timedelta(minutes=60))
    Worker().drain()
    assert reminders(bob) == 1


def test_a_worker_killed_after_reminding_reminds_nobody_twice(pydata, bob, clock):
    actions.rsvp(bob, pydata.pk, RSVPState.GOING)
    clock.move_to(START - timedelta(hours=24))
    Worker().drain()
    job = Job.objects.get(key=actions.reminder_key(pydata))
    assert job.state == JobState.DONE

    # A worker that died after the work but before recording it runs the job again.
    jobs.remind(job)
    Job.objects.filter(pk=job.pk).update(state=JobState.QUEUED, attempts=0)
    Worker().drain()
    assert reminders(bob) == 1
    assert EventReminder.objects.count() == 1


def test_a_moved_event_reminds_again_at_its_new_time_and_not_at_the_old(pydata, ann, bob, clock):
    actions.rsvp(bob, pydata.pk, RSVPState.GOING)
    clock.move_to(START - timedelta(hours=30))
    actions.update_event(
        ann,
        pydata,
        details(starts_local=datetime(2027, 3, 21, 19, 0), ends_local=datetime(2027, 3, 21, 21, 0)),
    )
    clock.move_to(START - timedelta(hours=24))
    Worker().drain()
    assert reminders(bob) == 0  # the old time's job finds the event moved
    clock.move_to(START + timedelta(hours=1))
    Worker().drain()
    assert reminders(bob) == 1
    assert Job.objects.filter(kind="events.remind", state=JobState.DONE).count() == 2


def test_a_cancelled_event_reminds_nobody(pydata, ann, bob, clock):
    actions.rsvp(bob, pydata.pk, RSVPState.GOING)
    actions.cancel_event(ann, pydata)
    clock.move_to(START - timedelta(hours=1))
    Worker().drain()
    assert reminders(bob) == 0


def test_people_who_stopped_going_are_not_reminded(pydata, bob, clock):
    actions.rsvp(bob, pydata.pk, RSVPState.GOING)
    actions.rsvp(bob, pydata.pk, RSVPState.NOT_GOING)
    clock.move_to(START - timedelta(hours=1))
    Worker().drain()
    assert reminders(bob) == 0


def test_the_owner_going_is_reminded_by_a_cohost(pydata, ann, bob, clock):
    actions.add_cohost(ann, pydata, bob)
    actions.rsvp(ann, pydata.pk, RSVPState.GOING)
    clock.move_to(START - timedelta(hours=2))
    Worker().drain()
    assert reminders(ann) == 1
    assert Notification.objects.get(recipient=ann, kind="event_reminder").actor == bob


def test_a_worker_killed_mid_job_is_replaced_and_reminds_once(pydata, bob, make_account, clock):
    dan = make_account("dan")
    actions.rsvp(bob, pydata.pk, RSVPState.GOING)
    actions.rsvp(dan, pydata.pk, RSVPState.GOING)
    due = START - timedelta(hours=24)
    clock.move_to(due)
    job = Job.objects.get(key=actions.reminder_key(pydata))
    # The first worker reminded everyone, then died before recording the job as done: the
    # job is still running under a lease that has run out.
    jobs.remind(job)
    Job.objects.filter(pk=job.pk).update(
        state=JobState.RUNNING, attempts=1, locked_by="dead", lease_until=due
    )
    clock.move_to(due + timedelta(minutes=10))
    Worker().drain()
    assert Job.objects.get(pk=job.pk).state == JobState.DONE
    assert (reminders(bob), reminders(dan)) == (1, 1)
