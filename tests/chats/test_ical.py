"""The iCalendar feeds parse back to the right instants, across the March 2027 changes."""

from datetime import UTC, datetime

import icalendar
from django.test import Client

from confab.chats import actions
from confab.chats.models import CalendarToken
from tests.chats.conftest import details


def events(body: bytes) -> list[icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return list(calendar.walk("VEVENT"))


def starts_utc(body: bytes) -> list[datetime]:
    return [event.decoded("dtstart").astimezone(UTC) for event in events(body)]


def test_the_chat_feed_has_each_session_at_the_hosts_time_across_the_change(edumatch, ann):
    actions.plan_session(edumatch, ann, datetime(2027, 3, 17, tzinfo=UTC), topic="Labs")
    response = Client().get("/chats/edumatch.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")

    found = events(response.content)
    assert len(found) == 12  # FEED_WEEKS of weekly sessions
    assert starts_utc(response.content)[:4] == [
        datetime(2027, 3, 3, 1, 0, tzinfo=UTC),
        datetime(2027, 3, 10, 1, 0, tzinfo=UTC),
        datetime(2027, 3, 17, 0, 0, tzinfo=UTC),
        datetime(2027, 3, 24, 0, 0, tzinfo=UTC),
    ]
    first = found[0]
    assert first["dtstart"].params["TZID"] == "America/New_York"
    assert first.decoded("dtstart").replace(tzinfo=None) == datetime(2027, 3, 2, 20, 0)
    assert (first.decoded("dtend") - first.decoded("dtstart")).total_seconds() == 3600
    assert "Labs" in str(found[2]["summary"])
    assert len({str(event["uid"]) for event in found}) == 12
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["America/New_York"]


def test_the_private_feed_has_the_chats_one_follows_and_a_wrong_token_is_404(
    edumatch, cat, bob, client_for
):
    other = actions.create_chat(
        cat, "LibChat", details(time_zone="Australia/Sydney", rrule="FREQ=WEEKLY;BYDAY=TH")
    )
    actions.follow_chat(bob, edumatch)
    actions.follow_chat(bob, other)
    page = client_for(bob).get("/chats/calendar").content.decode()
    token = CalendarToken.objects.get(account=bob).token
    assert f"/chats/calendar/{token}.ics" in page

    body = Client().get(f"/chats/calendar/{token}.ics").content
    starts = starts_utc(body)
    assert starts == sorted(starts)
    summaries = {str(event["summary"]).split(":")[0] for event in events(body)}
    assert summaries == {"#EduMatch", "#LibChat"}
    # 8 pm Sydney: +11 before 4 April 2027, +10 after.
    sydney = [s for e, s in zip(events(body), starts, strict=True) if "LibChat" in e["summary"]]
    assert datetime(2027, 4, 1, 9, 0, tzinfo=UTC) in sydney
    assert datetime(2027, 4, 8, 10, 0, tzinfo=UTC) in sydney

    assert Client().get("/chats/calendar/not-the-token.ics").status_code == 404
    assert Client().get(f"/chats/calendar/{token}x.ics").status_code == 404
