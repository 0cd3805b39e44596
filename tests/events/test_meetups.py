"""Meetups: ann invites acquaintances (people she follows who follow her), they vote,
she confirms, everyone coming is told, reminded once and finds it in their calendar.

The cast: bob and dan are ann's acquaintances; eve follows ann but ann not her; cat is a
stranger. Tests run on the events clock (1 March 2027, tests/events/conftest.py).
"""

from datetime import UTC, datetime, timedelta

import icalendar
import pytest
from django.test import Client

from confab.accounts import actions as account_actions
from confab.chats import actions as chat_actions
from confab.chats.models import CalendarToken
from confab.events.models.travel import Meetup, MeetupInvite, MeetupReminder, MeetupVote
from confab.events.travel import actions, ical, jobs, queries
from confab.events.travel.actions import MeetupDetails
from confab.notifications.models import Notification
from confab.worker.models import Job, JobState
from confab.worker.runner import Worker

# Austin is on CDT (UTC-5) from 14 March 2027: 18:30 there is 23:30 UTC.
FIRST = datetime(2027, 3, 19, 18, 30)
SECOND = datetime(2027, 3, 20, 9, 0)
FIRST_UTC = datetime(2027, 3, 19, 23, 30, tzinfo=UTC)


@pytest.fixture
def cast(clock, ann, bob, make_account):
    account_actions.follow(ann, bob)
    dan = make_account("dan", display_name="Dan Friend")
    account_actions.follow(ann, dan)
    account_actions.follow(dan, ann)
    eve = make_account("eve", display_name="Eve One-Way")
    account_actions.follow(eve, ann)
    return {"bob": bob, "dan": dan, "eve": eve}


def proposal(**changes) -> MeetupDetails:
    fields = {
        "title": "Tacos during SXSW",
        "place": "Veracruz All Natural",
        "city": "Austin, Texas",
        "options": [FIRST, SECOND],
        "invitees": ["bob", "dan"],
        "duration_minutes": 90,
        "note": "Bring a friend.",
    }
    fields.update(changes)
    return MeetupDetails(**fields)


@pytest.fixture
def tacos(cast, ann):
    return actions.propose_meetup(ann, proposal())


def form(**changes) -> dict:
    data = {
        "title": "Tacos during SXSW",
        "invitees": "bob, dan",
        "place": "Veracruz All Natural",
        "city": "Austin, Texas",
        "option": ["2027-03-19T18:30", "2027-03-20T09:00", ""],
        "duration_minutes": "90",
        "note": "Keep me",
    }
    data.update(changes)
    return data


def meetup_notes(account) -> list[str]:
    return list(
        Notification.objects.filter(recipient=account, kind="meetup")
        .order_by("id")
        .values_list("detail", flat=True)
    )


def options_of(meetup) -> list:
    return list(meetup.options.order_by("starts_at"))


# --- Proposing ---------------------------------------------------------------------------


def test_a_meetup_is_proposed_through_its_page_and_invitees_are_told(cast, ann, client_for):
    response = client_for(ann).post("/meetups/new", form())
    meetup = Meetup.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/meetups/{meetup.pk}"
    assert meetup.time_zone == "America/Chicago"
    assert [o.starts_at for o in options_of(meetup)] == [
        FIRST_UTC,
        datetime(2027, 3, 20, 14, 0, tzinfo=UTC),
    ]
    assert sorted(meetup.invites.values_list("account__username", flat=True)) == ["bob", "dan"]
    assert meetup_notes(cast["bob"]) == ["invites you: Tacos during SXSW"]
    note = Notification.objects.get(recipient=cast["dan"], kind="meetup")
    assert note.link == f"/meetups/{meetup.pk}"


def test_only_the_organiser_and_invitees_see_a_meetup(tacos, ann, cast, cat, client_for):
    for person in (ann, cast["bob"], cast["dan"]):
        page = client_for(person).get(f"/meetups/{tacos.pk}")
        assert page.status_code == 200
        assert "Veracruz All Natural" in page.content.decode()
    for outsider in (cat, cast["eve"]):
        client = client_for(outsider)
        assert client.get(f"/meetups/{tacos.pk}").status_code == 404
        assert client.get(f"/meetups/{tacos.pk}.ics").status_code == 404
        assert (
            client.post(f"/meetups/{tacos.pk}/respond", {"response": "accepted"}).status_code == 404
        )
        assert client.post(f"/meetups/{tacos.pk}/confirm", {"option": 1}).status_code == 404
        assert client.post(f"/meetups/{tacos.pk}/cancel").status_code == 404
        assert "Tacos" not in client.get("/meetups").content.decode()
    assert Client().get(f"/meetups/{tacos.pk}").status_code == 302  # to the login page
    # An invitee may not confirm or cancel.
    first = options_of(tacos)[0]
    assert (
        client_for(cast["bob"])
        .post(f"/meetups/{tacos.pk}/confirm", {"option": first.pk})
        .status_code
        == 403
    )
    assert client_for(cast["bob"]).post(f"/meetups/{tacos.pk}/cancel").status_code == 403
    tacos.refresh_from_db()
    assert tacos.state == Meetup.State.PROPOSED


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"option": ["", ""]}, "options", "at least one time"),
        ({"option": [f"2027-04-0{d}T10:00" for d in range(1, 7)]}, "options", "at most 5"),
        ({"option": ["2027-02-27T10:00"]}, "options", "has passed"),
        ({"option": ["next friday"]}, "options", "not a date and time"),
        ({"invitees": " ".join(f"p{n}" for n in range(11))}, "invitees", "at most 10"),
        ({"invitees": "eve"}, "invitees", "follow you back"),
        ({"invitees": "nobody_here"}, "invitees", "nobody called"),
        ({"invitees": "ann"}, "invitees", "organiser"),
        ({"city": "Xyzzyville"}, "city", "know a city"),
        ({"place": ""}, "place", "required"),
        ({"duration_minutes": "7"}, "duration_minutes", "valid choice"),
    ],
)
def test_bad_proposals_get_a_field_error_and_keep_what_was_typed(
    cast, ann, client_for, changes, field, words
):
    response = client_for(ann).post("/meetups/new", form(**changes))
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert field in errors, errors
    assert words in " ".join(errors[field])
    page = response.content.decode()
    assert "Keep me" in page and "Tacos during SXSW" in page
    if field != "options":
        assert 'value="2027-03-19T18:30"' in page  # the times typed come back too
    assert not Meetup.objects.exists()
    assert not Notification.objects.filter(kind="meetup").exists()


def test_a_meetup_with_someone_blocked_either_way_is_refused(cast, ann, client_for):
    account_actions.block(cast["dan"], ann)  # dan blocks ann
    response = client_for(ann).post("/meetups/new", form(invitees="bob dan"))
    assert response.status_code == 422
    assert "one of you blocks the other" in " ".join(response.context["form"].errors["invitees"])
    account_actions.unblock(cast["dan"], ann)
    account_actions.block(ann, cast["bob"])  # ann blocks bob
    with pytest.raises(Exception, match="blocks the other"):
        actions.propose_meetup(ann, proposal(invitees=["bob"]))
    assert not Meetup.objects.exists()


def test_an_invitee_who_blocks_the_organiser_later_no_longer_sees_the_meetup(
    tacos, ann, cast, client_for
):
    account_actions.block(cast["bob"], ann)
    assert client_for(cast["bob"]).get(f"/meetups/{tacos.pk}").status_code == 404
    assert (
        client_for(cast["bob"])
        .post(f"/meetups/{tacos.pk}/respond", {"response": "declined"})
        .status_code
        == 404
    )


# --- Voting, declining, confirming ------------------------------------------------------


def test_the_vote_and_confirmation_flow(tacos, ann, cast, client_for):
    first, second = options_of(tacos)
    bob, dan = cast["bob"], cast["dan"]
    response = client_for(bob).post(
        f"/meetups/{tacos.pk}/respond", {"response": "accepted", "votes": [first.pk, second.pk]}
    )
    assert response.status_code == 302
    # Changing one's mind replaces the votes.
    client_for(bob).post(
        f"/meetups/{tacos.pk}/respond", {"response": "accepted", "votes": [first.pk]}
    )
    assert list(MeetupVote.objects.values_list("option_id", flat=True)) == [first.pk]
    # Accepting with no time ticked, or a time from elsewhere, is a clear error.
    bad = client_for(dan).post(f"/meetups/{tacos.pk}/respond", {"response": "accepted"})
    assert bad.status_code == 422
    assert "Tick at least one time" in bad.content.decode()
    bad = client_for(dan).post(
        f"/meetups/{tacos.pk}/respond", {"response": "accepted", "votes": [123]}
    )
    assert bad.status_code == 422
    client_for(dan).post(f"/meetups/{tacos.pk}/respond", {"response": "declined"})
    assert meetup_notes(ann) == [
        "voted for 2 times: Tacos during SXSW",
        "voted for 1 time: Tacos during SXSW",
        "cannot come: Tacos during SXSW",
    ]

    detail = queries.meetup_detail(ann, tacos)
    assert [t.count for t in detail.options] == [1, 0]
    assert [i.response for i in detail.invites] == ["accepted", "declined"]
    page = client_for(ann).get(f"/meetups/{tacos.pk}").content.decode()
    assert "Confirm this time" in page and "Bob Follower" in page

    response = client_for(ann).post(f"/meetups/{tacos.pk}/confirm", {"option": first.pk})
    assert response.status_code == 302
    tacos.refresh_from_db()
    assert tacos.state == Meetup.State.CONFIRMED and tacos.confirmed_option == first
    # bob hears of it; dan, who declined, is left in peace.
    assert meetup_notes(bob)[-1] == (
        "confirmed Tacos during SXSW: Fri 19 Mar 18:30 at Veracruz All Natural"
    )
    assert meetup_notes(dan) == ["invites you: Tacos during SXSW"]
    page = client_for(bob).get(f"/meetups/{tacos.pk}").content.decode()
    assert "Confirmed:" in page and "18:30" in page
    # Confirming twice is refused, clearly.
    again = client_for(ann).post(f"/meetups/{tacos.pk}/confirm", {"option": second.pk})
    assert again.status_code == 422
    assert "already confirmed" in again.content.decode()
    # dan can still change his mind; then it is in his calendar too.
    client_for(dan).post(f"/meetups/{tacos.pk}/respond", {"response": "accepted"})
    assert MeetupInvite.objects.get(account=dan).response == "accepted"


def test_a_time_that_has_passed_cannot_be_confirmed(tacos, ann, clock):
    first, _ = options_of(tacos)
    clock.move_to(FIRST_UTC + timedelta(minutes=1))
    with pytest.raises(Exception, match="has passed"):
        actions.confirm_meetup(ann, tacos, first.pk)


def test_cancelling_tells_those_coming_and_stops_answers(tacos, ann, cast, client_for):
    first, _ = options_of(tacos)
    actions.respond(cast["bob"], tacos, "accepted", {first.pk})
    actions.confirm_meetup(ann, tacos, first.pk)
    client_for(ann).post(f"/meetups/{tacos.pk}/cancel")
    tacos.refresh_from_db()
    assert tacos.state == Meetup.State.CANCELLED
    assert meetup_notes(cast["bob"])[-1] == "cancelled Tacos during SXSW"
    response = client_for(cast["dan"]).post(
        f"/meetups/{tacos.pk}/respond", {"response": "declined"}
    )
    assert response.status_code == 422
    assert queries.calendar_meetups(cast["bob"]) == []


# --- The reminder -------------------------------------------------------------------------


def reminders(account) -> int:
    return Notification.objects.filter(
        recipient=account, kind="meetup", detail__startswith="soon"
    ).count()


def test_everyone_coming_is_reminded_once_an_hour_before(tacos, ann, cast, clock):
    first, _ = options_of(tacos)
    bob, dan = cast["bob"], cast["dan"]
    actions.respond(bob, tacos, "accepted", {first.pk})
    actions.respond(dan, tacos, "declined")
    actions.confirm_meetup(ann, tacos, first.pk)
    # One reminder job is planned, keyed by the meetup and its time.
    assert Job.objects.filter(kind="events.meetup_remind").count() == 1

    clock.move_to(FIRST_UTC - timedelta(minutes=61))
    Worker().drain()
    assert (reminders(ann), reminders(bob), reminders(dan)) == (0, 0, 0)

    clock.move_to(FIRST_UTC - timedelta(minutes=60))
    Worker().drain()
    assert (reminders(ann), reminders(bob), reminders(dan)) == (1, 1, 0)
    assert Notification.objects.filter(recipient=bob, detail__startswith="soon").get().detail == (
        "soon: Tacos during SXSW, 18:30 at Veracruz All Natural"
    )

    # A worker that died after the work but before recording it runs the job again.
    job = Job.objects.get(kind="events.meetup_remind")
    assert job.state == JobState.DONE
    jobs.remind_meetup(job)
    Job.objects.filter(pk=job.pk).update(state=JobState.QUEUED, attempts=0)
    Worker().drain()
    assert (reminders(ann), reminders(bob)) == (1, 1)
    assert MeetupReminder.objects.count() == 2


def test_a_job_killed_mid_run_is_taken_over_and_still_reminds_once(tacos, ann, cast, clock):
    first, _ = options_of(tacos)
    actions.respond(cast["bob"], tacos, "accepted", {first.pk})
    actions.confirm_meetup(ann, tacos, first.pk)
    clock.move_to(FIRST_UTC - timedelta(minutes=60))
    # A worker claims the job and dies before finishing it: its lease runs out.
    dying = Worker(name="dying")
    job = dying.claim()
    while job is not None and job.kind != "events.meetup_remind":
        dying.run_job(job)  # other apps' jobs (follows plan some) run normally
        job = dying.claim()
    assert job is not None
    clock.move_to(FIRST_UTC - timedelta(minutes=50))
    Worker(name="restarted").drain()
    assert reminders(cast["bob"]) == 1
    assert Job.objects.get(pk=job.pk).state == JobState.DONE


def test_nobody_is_reminded_of_a_cancelled_meetup(tacos, ann, cast, clock):
    first, _ = options_of(tacos)
    actions.respond(cast["bob"], tacos, "accepted", {first.pk})
    actions.confirm_meetup(ann, tacos, first.pk)
    actions.cancel_meetup(ann, tacos)
    clock.move_to(FIRST_UTC - timedelta(minutes=60))
    Worker().drain()
    assert reminders(cast["bob"]) == 0


# --- Calendars ----------------------------------------------------------------------------


def vevents(body: bytes) -> list:
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


def test_the_confirmed_meetup_is_in_the_private_feed_of_everyone_coming(
    tacos, ann, cast, client_for
):
    first, _ = options_of(tacos)
    bob, dan = cast["bob"], cast["dan"]
    actions.respond(bob, tacos, "accepted", {first.pk})
    actions.respond(dan, tacos, "declined")

    def feed(account) -> bytes:
        client_for(account).get("/chats/calendar")
        token = CalendarToken.objects.get(account=account).token
        return Client().get(f"/chats/calendar/{token}.ics").content

    assert [e for e in vevents(feed(bob)) if "meetup" in str(e["uid"])] == []  # not confirmed
    actions.confirm_meetup(ann, tacos, first.pk)

    for account in (ann, bob):
        found = [e for e in vevents(feed(account)) if str(e["uid"]).startswith("meetup-")]
        assert len(found) == 1
        event = found[0]
        assert event.decoded("dtstart").astimezone(UTC) == FIRST_UTC
        assert event.decoded("dtend").astimezone(UTC) == FIRST_UTC + timedelta(minutes=90)
        assert event["dtstart"].params["TZID"] == "America/Chicago"
        assert event.decoded("dtstart").replace(tzinfo=None) == FIRST
        assert str(event["summary"]) == "Tacos during SXSW"
        assert "Veracruz All Natural" in str(event["location"])
    assert [e for e in vevents(feed(dan)) if str(e["uid"]).startswith("meetup-")] == []
    assert [e for e in vevents(feed(cast["eve"])) if str(e["uid"]).startswith("meetup-")] == []


def test_the_meetup_file_parses_back_to_the_same_instant(tacos, ann, cast, client_for):
    first, _ = options_of(tacos)
    assert client_for(ann).get(f"/meetups/{tacos.pk}.ics").status_code == 302  # no time yet
    actions.confirm_meetup(ann, tacos, first.pk)
    response = client_for(cast["dan"]).get(f"/meetups/{tacos.pk}.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago"]
    (event,) = calendar.walk("VEVENT")
    assert event.decoded("dtstart").astimezone(UTC) == FIRST_UTC
    assert str(event["uid"]) == ical.meetup_uid(tacos)


def test_a_meetup_without_a_city_uses_the_organisers_zone(cast, ann):
    ann.time_zone = "Europe/London"
    meetup = actions.propose_meetup(ann, proposal(city="", options=[datetime(2027, 3, 30, 19, 0)]))
    assert meetup.time_zone == "Europe/London"
    assert options_of(meetup)[0].starts_at == datetime(2027, 3, 30, 18, 0, tzinfo=UTC)  # BST


# --- Query counts -------------------------------------------------------------------------


def test_meetup_pages_make_a_fixed_number_of_queries(
    cast, ann, make_account, client_for, django_assert_max_num_queries
):
    people = []
    for n in range(8):
        person = make_account(f"friend{n}")
        account_actions.follow(ann, person)
        account_actions.follow(person, ann)
        people.append(person.username)
    for n in range(6):
        meetup = actions.propose_meetup(ann, proposal(title=f"Meetup {n}", invitees=people))
    for name in people:
        from confab.accounts.models import Account

        account = Account.objects.get(username=name)
        actions.respond(account, meetup, "accepted", {o.pk for o in options_of(meetup)})
    client = client_for(ann)
    client.get("/meetups")
    with django_assert_max_num_queries(8):
        page = client.get("/meetups").content.decode()
    assert page.count("Meetup ") >= 6
    with django_assert_max_num_queries(10):
        page = client.get(f"/meetups/{meetup.pk}").content.decode()
    assert page.count("friend") >= 16


def test_chat_feed_still_works_without_meetups(clock, ann, client_for):
    chat_actions.calendar_token(ann)
    token = CalendarToken.objects.get(account=ann).token
    assert Client().get(f"/chats/calendar/{token}.ics").status_code == 200


def test_the_trip_page_link_fills_in_the_proposal(cast, ann, client_for):
    page = client_for(ann).get("/meetups/new?city=Austin%2C+Texas&invite=bob&invite=dan")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'value="bob dan"' in text and 'value="Austin, Texas"' in text
    assert text.count('type="datetime-local"') == 5
    # The acquaintances are offered to pick from; others are not.
    assert '<option value="dan">' in text and '<option value="eve">' not in text
