"""iCalendar files of events parse back to the right instants, across the March 2027 changes."""

from datetime import UTC, datetime

import icalendar
from django.test import Client

from confab.chats import actions as chat_actions
from confab.chats.actions import ChatDetails
from confab.chats.models import CalendarToken
from confab.events import actions
from confab.events.models import RSVPState
from tests.events.conftest import details


def entries(body: bytes) -> list[icalendar.Event]:
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


def test_one_event_file_carries_the_organisers_zone_and_the_right_instants(pydata):
    response = Client().get(f"/events/{pydata.pk}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    (entry,) = entries(response.content)
    assert entry["dtstart"].params["TZID"] == "America/Chicago"
    # 19:00 in Chicago on 20 March 2027 is CDT (UTC-5), six days after the change.
    assert entry.decoded("dtstart").replace(tzinfo=None) == datetime(2027, 3, 20, 19, 0)
    assert entry.decoded("dtstart").astimezone(UTC) == datetime(2027, 3, 21, 0, 0, tzinfo=UTC)
    assert entry.decoded("dtend").astimezone(UTC) == datetime(2027, 3, 21, 2, 0, tzinfo=UTC)
    assert str(entry["summary"]) == "PyData Austin meetup #PyDataAustin"
    assert str(entry["location"]) == "Capital Factory, Austin, Texas, United States"
    assert str(entry["status"]) == "CONFIRMED"
    assert str(entry["url"]).endswith(f"/events/{pydata.pk}")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["America/Chicago"]


def test_an_event_before_the_change_keeps_standard_time(clock, ann):
    event = actions.create_event(
        ann,
        details(
            time_zone="Europe/London",
            city="London, GB",
            # 28 March 2027, 00:30 GMT is before the 01:00 change; the end is in BST.
            starts_local=datetime(2027, 3, 28, 0, 30),
            ends_local=datetime(2027, 3, 28, 3, 0),
        ),
    )
    (entry,) = entries(Client().get(f"/events/{event.pk}.ics").content)
    assert entry.decoded("dtstart").astimezone(UTC) == datetime(2027, 3, 28, 0, 30, tzinfo=UTC)
    assert entry.decoded("dtend").astimezone(UTC) == datetime(2027, 3, 28, 2, 0, tzinfo=UTC)


def test_an_edited_event_keeps_its_uid_and_a_cancelled_one_says_so(pydata, ann):
    first = entries(Client().get(f"/events/{pydata.pk}.ics").content)[0]
    actions.cancel_event(ann, pydata)
    again = entries(Client().get(f"/events/{pydata.pk}.ics").content)[0]
    assert str(again["uid"]) == str(first["uid"])
    assert str(again["status"]) == "CANCELLED"


def test_the_private_feed_carries_events_one_goes_to_beside_chats(clock, ann, bob, cat, client_for):
    chat = chat_actions.create_chat(
        cat,
        "PyChat",
        ChatDetails(
            title="Python chat",
            time_zone="America/New_York",
            starts_at_local=datetime(2027, 3, 2, 20, 0),
            rrule="FREQ=WEEKLY;BYDAY=TU",
        ),
    )
    chat_actions.follow_chat(bob, chat)
    going = actions.create_event(ann, details())
    interested = actions.create_event(
        ann, details(title="Maybe", hashtag="Maybe", time_zone="Europe/Berlin", city="Berlin")
    )
    berlin = actions.create_event(
        ann,
        details(
            title="Berlin night",
            hashtag="BerlinNight",
            time_zone="Europe/Berlin",
            city="Berlin",
            starts_local=datetime(2027, 3, 30, 19, 0),
            ends_local=datetime(2027, 3, 30, 22, 0),
        ),
    )
    actions.rsvp(bob, going.pk, RSVPState.GOING)
    actions.rsvp(bob, interested.pk, RSVPState.INTERESTED)
    actions.rsvp(bob, berlin.pk, RSVPState.GOING)
    client_for(bob).get("/chats/calendar")
    token = CalendarToken.objects.get(account=bob).token

    body = Client().get(f"/chats/calendar/{token}.ics").content
    found = entries(body)
    summaries = [str(e["summary"]) for e in found]
    assert "PyData Austin meetup #PyDataAustin" in summaries
    assert "Berlin night #BerlinNight" in summaries
    assert not any(s.startswith("Maybe") for s in summaries)
    assert any(s.startswith("#PyChat") for s in summaries)
    by_summary = {str(e["summary"]): e for e in found}
    # Berlin changed its clocks on the 28th: 19:00 CEST is 17:00 UTC.
    night = by_summary["Berlin night #BerlinNight"]
    assert night.decoded("dtstart").astimezone(UTC) == datetime(2027, 3, 30, 17, 0, tzinfo=UTC)
    zones = {str(tz["tzid"]) for tz in icalendar.Calendar.from_ical(body).walk("VTIMEZONE")}
    assert zones == {"America/New_York", "America/Chicago", "Europe/Berlin"}

    # The event's host has it in their feed too; an outsider's feed does not.
    client_for(ann).get("/chats/calendar")
    ann_body = Client().get(f"/chats/calendar/{CalendarToken.objects.get(account=ann).token}.ics")
    assert "PyData Austin meetup" in ann_body.content.decode()
    client_for(cat).get("/chats/calendar")
    cat_body = Client().get(f"/chats/calendar/{CalendarToken.objects.get(account=cat).token}.ics")
    assert "PyData Austin meetup" not in cat_body.content.decode()
