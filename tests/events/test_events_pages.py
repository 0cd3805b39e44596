"""Creating, showing, editing and cancelling events through their pages."""

import re
from datetime import UTC, datetime

import pytest
from django.test import Client

from confab.accounts import actions as account_actions
from confab.chats import actions as chat_actions
from confab.chats.actions import ChatDetails
from confab.events import actions
from confab.events.models import Event, RSVPState
from confab.notifications.models import Notification
from tests.events.conftest import details, form_data


def times(html: str) -> list[datetime]:
    """The instants of the page's <time> elements, in UTC."""
    found = re.findall(r'<time datetime="([^"]+)"', html)
    return [datetime.fromisoformat(value).astimezone(UTC) for value in found]


def test_creating_an_event_through_the_form(clock, ann, client_for):
    client = client_for(ann)
    assert client.get("/events/new").status_code == 200
    response = client.post("/events/new", form_data())
    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/events/{event.pk}"
    assert event.city_label == "Austin, Texas, United States"
    assert event.starts_at == datetime(2027, 3, 21, 0, 0, tzinfo=UTC)
    assert event.ends_at == datetime(2027, 3, 21, 2, 0, tzinfo=UTC)
    assert event.hosts.get().account == ann
    assert sorted(t.name for t in event.interests.all()) == ["data", "python"]


@pytest.mark.parametrize(
    ("zone", "before_change", "after_change"),
    [
        # 10 March: Chicago still on CST (-6); 20 March: CDT (-5). London stays on GMT.
        ("Europe/London", "Thursday 11 March 2027, 01:00", "Sunday 21 March 2027, 00:00"),
        ("America/Chicago", "Wednesday 10 March 2027, 19:00", "Saturday 20 March 2027, 19:00"),
        ("Asia/Tokyo", "Thursday 11 March 2027, 10:00", "Sunday 21 March 2027, 09:00"),
    ],
)
def test_the_event_page_shows_the_organisers_time_in_the_viewers_zone_across_the_change(
    clock, ann, make_account, client_for, zone, before_change, after_change
):
    early = actions.create_event(
        ann,
        details(
            hashtag="EarlyOne",
            starts_local=datetime(2027, 3, 10, 19, 0),
            ends_local=datetime(2027, 3, 10, 21, 0),
        ),
    )
    late = actions.create_event(ann, details())
    viewer = make_account(time_zone=zone)
    client = client_for(viewer)

    page = client.get(f"/events/{early.pk}").content.decode()
    assert before_change in page
    assert times(page)[:2] == [
        datetime(2027, 3, 11, 1, 0, tzinfo=UTC),
        datetime(2027, 3, 11, 3, 0, tzinfo=UTC),
    ]
    page = client.get(f"/events/{late.pk}").content.decode()
    assert after_change in page
    assert times(page)[0] == datetime(2027, 3, 21, 0, 0, tzinfo=UTC)
    if zone != "America/Chicago":
        # The organiser's own time is shown beside the viewer's.
        assert "Saturday 20 March 2027, 19:00–21:00" in page
        assert "organiser's time, America/Chicago" in page
    else:
        assert "organiser's time" not in page


def test_signed_out_visitors_read_utc(pydata):
    page = text(Client().get(f"/events/{pydata.pk}").content.decode())
    assert "Sunday 21 March 2027, 00:00–02:00 (UTC)" in page
    assert "Capital Factory, Austin, Texas, United States" in page
    assert "#PyDataAustin" in page


def text(html: str) -> str:
    """The page's words without tags, as a reader sees them."""
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def _posted(client, **changes):
    return client.post("/events/new", form_data(**changes))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"start_date": "2027-02-20", "end_date": "2027-02-20"}, "start_date", "has passed"),
        ({"end_time": "18:00"}, "end_date", "end must come after the start"),
        ({"city": "Atlantis of the Deep"}, "city", "We don't know a city called"),
        ({"city": "Springfield"}, "city", "Several places are called Springfield"),
        ({"kind": "virtual", "online_url": "not a link"}, "online_url", "not a web address"),
        ({"kind": "virtual", "online_url": "javascript:alert(1)"}, "online_url", "not a web"),
        ({"kind": "virtual", "online_url": ""}, "online_url", "needs the link"),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "not a time zone we know"),
        ({"hashtag": "no spaces"}, "hashtag", "is not a hashtag"),
        ({"start_date": "31 Feb"}, "start_date", "Enter a valid date"),
        ({"chat": "NoSuchChat"}, "chat", "No chat here uses"),
        ({"venue": ""}, "venue", "Say where it happens"),
    ],
)
def test_bad_input_is_a_clear_field_error_and_nothing_is_lost(
    clock, ann, client_for, changes, field, message
):
    response = _posted(client_for(ann), **changes)
    assert response.status_code == 422
    form = response.context["form"]
    assert field in form.errors, form.errors
    assert message in " ".join(form.errors[field])
    page = response.content.decode()
    # What the person typed is still in the form.
    assert 'value="PyData Austin meetup"' in page
    assert "Talks and pizza." in page
    assert not Event.objects.exists()


def test_a_virtual_event_needs_no_city(clock, ann, client_for):
    response = _posted(
        client_for(ann),
        kind="virtual",
        venue="",
        city="",
        online_url="https://meet.example.org/pydata",
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.is_virtual and event.city_id is None
    page = client_for(ann).get(f"/events/{event.pk}").content.decode()
    assert "https://meet.example.org/pydata" in page


def test_hosts_edit_and_attendees_hear_of_a_new_time(pydata, ann, bob, cat, client_for):
    actions.rsvp(bob, pydata.pk, RSVPState.GOING)
    actions.rsvp(cat, pydata.pk, RSVPState.NOT_GOING)
    assert client_for(bob).get(f"/events/{pydata.pk}/edit").status_code == 404
    assert client_for(bob).post(f"/events/{pydata.pk}/edit", form_data()).status_code == 404

    client = client_for(ann)
    assert client.get(f"/events/{pydata.pk}/edit").status_code == 200
    bad = client.post(f"/events/{pydata.pk}/edit", form_data(end_time="10:00"))
    assert bad.status_code == 422
    response = client.post(f"/events/{pydata.pk}/edit", form_data(start_time="18:00"))
    assert response.status_code == 302
    pydata.refresh_from_db()
    assert pydata.starts_at == datetime(2027, 3, 20, 23, 0, tzinfo=UTC)
    told = Notification.objects.get(recipient=bob, kind="event")
    assert told.detail == "PyData Austin meetup: new time"
    assert told.link == f"/events/{pydata.pk}"
    assert not Notification.objects.filter(recipient=cat).exists()

    # Changing only the description tells nobody.
    client.post(f"/events/{pydata.pk}/edit", form_data(start_time="18:00", description="New"))
    assert Notification.objects.filter(recipient=bob, kind="event").count() == 1


def test_hosts_cancel_and_everyone_who_answered_hears(pydata, ann, bob, cat, client_for):
    actions.rsvp(bob, pydata.pk, RSVPState.INTERESTED)
    assert client_for(bob).post(f"/events/{pydata.pk}/cancel").status_code == 404
    response = client_for(ann).post(f"/events/{pydata.pk}/cancel")
    assert response.status_code == 302
    pydata.refresh_from_db()
    assert pydata.is_cancelled
    assert Notification.objects.get(recipient=bob, kind="event").detail.endswith("is cancelled")
    page = client_for(cat).get(f"/events/{pydata.pk}").content.decode()
    assert "This event is cancelled." in page
    # Gone from the directory; still on the host's "my events".
    assert "PyData Austin meetup" not in client_for(cat).get("/events").content.decode()
    assert "PyData Austin meetup" in client_for(ann).get("/events/mine").content.decode()
    # A cancelled event takes no answers and no edits.
    response = client_for(cat).post(f"/events/{pydata.pk}/rsvp", {"state": "going"})
    assert response.status_code == 422
    assert client_for(ann).post(f"/events/{pydata.pk}/edit", form_data()).status_code == 422


def test_cohosts_can_edit_and_the_owner_removes_them(pydata, ann, bob, cat, client_for):
    response = client_for(ann).post(f"/events/{pydata.pk}/cohosts", {"username": "bob"})
    assert response.status_code == 302
    assert Notification.objects.filter(recipient=bob, kind="event").exists()
    assert client_for(bob).get(f"/events/{pydata.pk}/edit").status_code == 200
    missing = client_for(ann).post(f"/events/{pydata.pk}/cohosts", {"username": "nobody"})
    assert missing.status_code == 422
    assert client_for(cat).post(f"/events/{pydata.pk}/cohosts/bob/remove").status_code == 404
    client_for(ann).post(f"/events/{pydata.pk}/cohosts/bob/remove")
    assert client_for(bob).get(f"/events/{pydata.pk}/edit").status_code == 404


def test_a_linked_chat_shows_with_its_next_session(clock, ann, cat, client_for):
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
    event = actions.create_event(ann, details(chat="#pychat"))
    assert event.chat == chat
    viewer = client_for(ann)
    page = viewer.get(f"/events/{event.pk}").content.decode()
    assert "Pre-event chat" in page
    assert "#PyChat · Python chat" in page
    # 8 pm New York (EST) on 2 March is 01:00 UTC on the 3rd; ann reads UTC.
    assert "Wednesday 3 March 2027, 01:00" in page


def test_the_hashtag_timeline_is_on_the_event_page(pydata, bob, cat, make_post, client_for):
    make_post(bob, "See you at #PyDataAustin")
    make_post(cat, "Unrelated #Other")
    make_post(bob, "Only my followers #PyDataAustin", visibility="private")
    page = client_for(cat).get(f"/events/{pydata.pk}").content.decode()
    assert "See you at" in page
    assert "Unrelated" not in page
    assert "Only my followers" not in page
    # New posts with the hashtag arrive live, through the hashtag's stream.
    assert 'data-live="/live/tags/pydataaustin"' in page
    # Signed in, one can post with the hashtag right there.
    assert "#PyDataAustin</textarea>" in page


def test_the_directory_filters_by_city_online_and_interest(clock, ann, client_for, cat):
    actions.create_event(ann, details())
    actions.create_event(
        ann,
        details(
            title="Berlin data night",
            hashtag="BerlinData",
            city="Berlin, Germany",
            time_zone="Europe/Berlin",
            interests=["data"],
        ),
    )
    actions.create_event(
        ann,
        details(
            title="Online Rust hour",
            hashtag="RustHour",
            is_virtual=True,
            online_url="https://meet.example.org/rust",
            city="",
            venue="",
            interests=["rust"],
        ),
    )
    actions.create_event(
        ann, details(title="Secret dinner", hashtag="Secret", visibility="unlisted")
    )
    client = client_for(cat)

    def titles(query: str) -> set[str]:
        response = client.get(f"/events{query}")
        assert response.status_code == 200
        return {e.title for e in response.context["events"]}

    assert titles("") == {"PyData Austin meetup", "Berlin data night", "Online Rust hour"}
    assert titles("?city=Austin%2C+TX") == {"PyData Austin meetup"}
    assert titles("?where=virtual") == {"Online Rust hour"}
    assert titles("?where=live") == {"PyData Austin meetup", "Berlin data night"}
    assert titles("?interest=%23data") == {"PyData Austin meetup", "Berlin data night"}
    assert titles("?interest=berlindata") == {"Berlin data night"}
    unknown = client.get("/events?city=Atlantis+of+the+Deep")
    assert unknown.status_code == 422
    assert "know a city called" in unknown.content.decode()
    # Soonest first: 19:00 in Berlin comes before 19:00 in Chicago.
    assert [e.title for e in client.get("/events").context["events"]] == [
        "Berlin data night",
        "PyData Austin meetup",
        "Online Rust hour",
    ]


def test_a_blocked_person_finds_no_event_anywhere(pydata, ann, cat, client_for):
    account_actions.block(ann, cat)
    client = client_for(cat)
    for path in (f"/events/{pydata.pk}", f"/events/{pydata.pk}.ics"):
        assert client.get(path).status_code == 404
    assert client.post(f"/events/{pydata.pk}/rsvp", {"state": "going"}).status_code == 404
    assert "PyData Austin meetup" not in client.get("/events").content.decode()
    # Blocking works both ways.
    account_actions.unblock(ann, cat)
    account_actions.block(cat, ann)
    assert client.get(f"/events/{pydata.pk}").status_code == 404


def test_unknown_events_are_404(clock, cat, client_for):
    client = client_for(cat)
    for path in ("/events/123", "/events/123.ics", "/events/123/edit"):
        assert client.get(path).status_code == 404
    assert client.post("/events/123/rsvp", {"state": "going"}).status_code == 404
    assert client.post("/events/123/cancel").status_code == 404


def test_an_unlisted_event_opens_by_its_link(clock, ann, cat, client_for):
    event = actions.create_event(ann, details(visibility="unlisted"))
    client = client_for(cat)
    assert client.get(f"/events/{event.pk}").status_code == 200
    assert "PyData Austin meetup" not in client.get("/events").content.decode()
    response = client.post(f"/events/{event.pk}/rsvp", {"state": "going", "listed": "on"})
    assert response.status_code == 302


def test_signed_out_visitors_cannot_create_or_answer(pydata):
    client = Client()
    assert client.get("/events/new").status_code == 302
    assert client.post(f"/events/{pydata.pk}/rsvp", {"state": "going"}).status_code == 302
    assert not pydata.rsvps.exists()


def test_the_directory_pages_on_to_later_events(clock, ann, cat, client_for, monkeypatch):
    monkeypatch.setattr("confab.events.queries.DIRECTORY_LIMIT", 2)
    made = [
        actions.create_event(
            ann,
            details(
                title=f"Event {day}",
                hashtag=f"Day{day}",
                starts_local=datetime(2027, 4, day, 19, 0),
                ends_local=datetime(2027, 4, day, 20, 0),
            ),
        )
        for day in (5, 3, 4, 3, 6)
    ]
    client = client_for(cat)
    seen, query = [], ""
    for _ in range(5):
        response = client.get(f"/events{query}")
        seen += [e.pk for e in response.context["events"]]
        if not response.context["later"]:
            break
        query = "?" + response.context["later"]
    ordered = sorted(made, key=lambda e: (e.starts_at, e.pk))
    assert seen == [e.pk for e in ordered]
