"""The worker reminds followers once before each session and moves sessions on."""

from datetime import UTC, datetime, timedelta

from confab.chats import actions, jobs
from confab.chats.models import ChatReminder, ChatSession
from confab.notifications import actions as notification_actions
from confab.notifications.models import Notification
from confab.realtime import broker
from confab.worker.models import Job, JobState
from confab.worker.runner import Worker

FIRST = datetime(2027, 3, 3, 1, 0, tzinfo=UTC)


def reminders(account) -> int:
    return Notification.objects.filter(recipient=account, kind="chat_reminder").count()


def test_a_follower_is_reminded_once_at_their_chosen_time(edumatch, bob, cat, clock):
    actions.follow_chat(bob, edumatch, 15)
    actions.follow_chat(cat, edumatch, 60)

    clock.move_to(FIRST - timedelta(minutes=61))
    Worker().drain()
    assert (reminders(bob), reminders(cat)) == (0, 0)

    clock.move_to(FIRST - timedelta(minutes=60))
    Worker().drain()
    assert (reminders(bob), reminders(cat)) == (0, 1)

    clock.move_to(FIRST - timedelta(minutes=15))
    Worker().drain()
    assert (reminders(bob), reminders(cat)) == (1, 1)
    notification = Notification.objects.get(recipient=bob)
    assert notification.actor.username == "ann"
    # The reminder says which chat and leads to its room.
    session = edumatch.sessions.get(starts_at=FIRST)
    assert notification.link == f"/chats/edumatch/sessions/{session.pk}"
    assert notification.detail.startswith("#EduMatch")


def test_a_reminder_handler_run_twice_reminds_once(edumatch, bob, clock):
    actions.follow_chat(bob, edumatch, 15)
    clock.move_to(FIRST - timedelta(minutes=15))
    Worker().drain()
    job = Job.objects.get(key=f"remind:{ChatSession.objects.get(starts_at=FIRST).pk}:15")
    assert job.state == JobState.DONE

    # A worker that died after the work but before recording it runs the job again.
    jobs.remind(job)
    Job.objects.filter(pk=job.pk).update(state=JobState.QUEUED, attempts=0)
    Worker().drain()

    assert reminders(bob) == 1
    assert ChatReminder.objects.count() == 1


def test_the_reminder_is_pushed_live(edumatch, bob, clock, django_capture_on_commit_callbacks):
    broker.get_broker().reset()
    actions.follow_chat(bob, edumatch, 15)
    clock.move_to(FIRST - timedelta(minutes=15))
    with django_capture_on_commit_callbacks(execute=True):
        Worker().drain()
    ring = broker.get_broker()._rings.get(f"notifications:{bob.pk}", [])
    events = {event.type: event.data for event in ring}
    assert events["unread"] == {"count": 1}
    assert events["chat_reminder"]["url"] == "/chats/edumatch"
    assert events["chat_reminder"]["starts_at"] == FIRST.isoformat()
    broker.get_broker().reset()


def test_nobody_is_reminded_of_a_session_that_started(edumatch, bob, clock):
    actions.follow_chat(bob, edumatch, 15)
    clock.move_to(FIRST + timedelta(minutes=1))
    Worker().drain()
    assert reminders(bob) == 0


def test_sessions_go_live_and_end_on_their_own(edumatch, clock):
    session = ChatSession.objects.get(starts_at=FIRST)
    clock.move_to(FIRST)
    Worker().drain()
    session.refresh_from_db()
    assert session.state == "live"

    clock.move_to(FIRST + timedelta(minutes=60))
    Worker().drain()
    session.refresh_from_db()
    assert session.state == "ended"
    # Running the jobs again changes nothing.
    assert actions.set_session_state(session.pk, "live") is False
    assert actions.set_session_state(session.pk, "ended") is False


def test_the_schedule_keeps_four_weeks_of_sessions_ahead(edumatch, clock):
    assert ChatSession.objects.count() == 4
    for _day in range(7):
        clock.shift(timedelta(days=1))
        Worker().drain()
    assert ChatSession.objects.filter(state="scheduled").count() == 4
    assert ChatSession.objects.count() == 5
    assert Job.objects.filter(kind="chats.extend_schedule", state=JobState.QUEUED).count() == 1


def test_no_reminder_for_zero_minutes_or_when_turned_off(edumatch, bob, cat, clock):
    actions.follow_chat(bob, edumatch, 0)
    actions.follow_chat(cat, edumatch, 15)
    notification_actions.update_settings(cat, {"chat_reminder": False})
    clock.move_to(FIRST - timedelta(minutes=1))
    Worker().drain()
    assert (reminders(bob), reminders(cat)) == (0, 0)
    assert not Job.objects.filter(key__endswith=":0").exists()
