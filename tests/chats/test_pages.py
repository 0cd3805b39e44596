"""The chat pages: directory and chat page in the viewer's zone, forms, the week view."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from confab.chats import actions
from confab.chats.models import Chat, ChatFollow, ChatQuestion, ChatSession
from tests.chats.conftest import details


@pytest.fixture
def londoner(make_account):
    return make_account("lou", time_zone="Europe/London")


def next_session_line(html: str, chat: Chat) -> str:
    card = html.split(f'id="chat-{chat.pk}"', 1)[1]
    return card.split('class="next-session">', 1)[1].split("</p>", 1)[0]


def test_the_directory_shows_the_next_session_in_the_viewers_zone(
    edumatch, londoner, client_for, clock
):
    page = client_for(londoner).get("/chats").content.decode()
    line = next_session_line(page, edumatch)
    assert "Wednesday 3 March 2027, 01:00" in line
    assert "Europe/London" in line

    # Between the US change (14 March) and the UK one (28 March): midnight in London.
    clock.move_to(datetime(2027, 3, 15, 12, 0, tzinfo=UTC))
    page = client_for(londoner).get("/chats").content.decode()
    assert "Wednesday 17 March 2027, 00:00" in next_session_line(page, edumatch)

    clock.move_to(datetime(2027, 3, 29, 12, 0, tzinfo=UTC))
    page = client_for(londoner).get("/chats").content.decode()
    assert "Wednesday 31 March 2027, 01:00" in next_session_line(page, edumatch)


def test_signed_out_people_see_utc_and_new_yorkers_see_8pm(edumatch, make_account, client_for):
    page = Client().get("/chats").content.decode()
    assert "Wednesday 3 March 2027, 01:00" in next_session_line(page, edumatch)
    assert "(UTC)" in next_session_line(page, edumatch)

    new_yorker = make_account("nye", time_zone="America/New_York")
    page = client_for(new_yorker).get("/chats").content.decode()
    assert "Tuesday 2 March 2027, 20:00" in next_session_line(page, edumatch)


def test_the_directory_filters_by_interest_and_weekday(edumatch, cat, londoner, client_for):
    other = actions.create_chat(
        cat,
        "LibChat",
        details(interests=["libraries"], time_zone="Europe/London", rrule="FREQ=WEEKLY;BYDAY=FR"),
    )
    client = client_for(londoner)
    stem = client.get("/chats?interest=STEM").content.decode()
    assert f'id="chat-{edumatch.pk}"' in stem and f'id="chat-{other.pk}"' not in stem
    # For a Londoner #EduMatch is on Wednesdays (day 2), #LibChat on Fridays (4).
    wednesday = client.get("/chats?day=2").content.decode()
    assert f'id="chat-{edumatch.pk}"' in wednesday and f'id="chat-{other.pk}"' not in wednesday
    friday = client.get("/chats?day=4").content.decode()
    assert f'id="chat-{edumatch.pk}"' not in friday and f'id="chat-{other.pk}"' in friday


def test_the_directory_makes_the_same_queries_for_one_chat_or_many(
    edumatch, cat, londoner, client_for, django_assert_max_num_queries
):
    client = client_for(londoner)
    client.get("/chats")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get("/chats")
    for n in range(5):
        chat = actions.create_chat(cat, f"Chat{n}", details(interests=["stem", f"t{n}"]))
        actions.add_cohost(cat, chat, londoner)
        actions.follow_chat(londoner, chat, 15)
    with django_assert_max_num_queries(len(one)):
        page = client.get("/chats")
    assert page.content.decode().count('class="chat-card"') == 6


def test_the_chat_page_says_the_schedule_in_words_and_lists_sessions(
    edumatch, londoner, client_for
):
    page = client_for(londoner).get("/chats/EDUMATCH").content.decode()
    assert "Tuesdays at 8:00 pm America/New York" in page
    assert "Wednesday 17 March 2027, 00:00" in page
    assert "/chats/edumatch.ics" in page
    assert "Plan a session" not in page
    assert Client().get("/chats/nosuchchat").status_code == 404


def test_creating_a_chat_through_the_form(cat, client_for, clock):
    client = client_for(cat)
    assert client.get("/chats/new").status_code == 200
    form = {
        "hashtag": "#LibChat",
        "title": "Librarians",
        "time_zone": "Europe/London",
        "first_date": "2027-03-05",
        "start_time": "19:00",
        "duration": "45",
        "pattern": "monthly",
        "nth": "-1",
    }
    response = client.post("/chats/new", form)
    assert response.status_code == 302
    chat = Chat.objects.get()
    assert (chat.rrule, chat.duration) == ("FREQ=MONTHLY;BYDAY=-1FR", 45)
    assert "The last Friday of each month at 7:00 pm Europe/London" in (
        client.get(response["Location"]).content.decode()
    )

    taken = client.post("/chats/new", {**form, "hashtag": "libchat"})
    assert taken.status_code == 422
    assert "Another chat already uses that hashtag." in taken.content.decode()
    bad = client.post(
        "/chats/new", {**form, "hashtag": "Other", "time_zone": "Moon/Base", "duration": "5"}
    )
    assert bad.status_code == 422
    assert "“Moon/Base” is not a time zone we know." in bad.content.decode()
    assert "A chat lasts from 15 to 240 minutes (not 5)." in bad.content.decode()
    assert Chat.objects.count() == 1


def test_a_host_plans_a_session_from_the_chat_page(edumatch, ann, bob, client_for):
    client = client_for(ann)
    assert "Plan a session" in client.get("/chats/edumatch").content.decode()
    response = client.post(
        "/chats/edumatch/plan",
        {
            "date": "2027-03-16",
            "time": "20:00",
            "topic": "Labs",
            "guests": "@bob",
            "questions": "8 | What is your favourite lab?\n\n16 | Why?",
        },
    )
    assert response.status_code == 302
    session = ChatSession.objects.get(topic="Labs")
    assert session.starts_at == datetime(2027, 3, 17, 0, 0, tzinfo=UTC)
    assert list(session.guests.all()) == [bob]
    assert ChatQuestion.objects.filter(session=session).count() == 2

    bad = client.post(
        "/chats/edumatch/plan",
        {"date": "2027-03-23", "time": "20:00", "questions": "20 | Late\n10 | Early"},
    )
    assert bad.status_code == 422
    assert "must come after Q1" in bad.content.decode()
    garbled = client.post(
        "/chats/edumatch/plan", {"date": "2027-03-23", "time": "20:00", "questions": "oops"}
    )
    assert garbled.status_code == 422
    assert "needs a minute, a bar and the question" in garbled.content.decode()


def test_an_outsider_gets_404_for_host_pages_and_nothing_changes(edumatch, cat, client_for):
    client = client_for(cat)
    sessions = ChatSession.objects.count()
    plan = {"date": "2027-03-20", "time": "20:00", "questions": "1 | Mine?"}
    assert client.post("/chats/edumatch/plan", plan).status_code == 404
    assert client.get("/chats/edumatch/edit").status_code == 404
    assert client.post("/chats/edumatch/cohosts", {"username": "cat"}).status_code == 404
    assert ChatSession.objects.count() == sessions
    assert not ChatQuestion.objects.exists()
    assert edumatch.hosts.count() == 1


def test_following_from_the_chat_page(edumatch, bob, client_for):
    client = client_for(bob)
    assert client.post("/chats/edumatch/follow", {"remind_minutes": "30"}).status_code == 302
    assert ChatFollow.objects.get(account=bob).remind_minutes == 30
    bad = client.post("/chats/edumatch/follow", {"remind_minutes": "5000"})
    assert bad.status_code == 422
    assert client.post("/chats/edumatch/unfollow").status_code == 302
    assert not ChatFollow.objects.exists()
    assert Client().post("/chats/edumatch/follow", {"remind_minutes": "5"}).status_code == 302


def test_the_week_shows_followed_chats_by_day_in_the_viewers_zone(
    edumatch, londoner, client_for, clock
):
    actions.follow_chat(londoner, edumatch)
    clock.move_to(datetime(2027, 3, 15, 12, 0, tzinfo=UTC))
    page = client_for(londoner).get("/chats/calendar").content.decode()
    wednesday = page.split("Wednesday 17 March", 1)[1].split("</section>", 1)[0]
    assert "00:00–01:00" in wednesday and "#EduMatch" in wednesday
    tuesday = page.split("Tuesday 16 March", 1)[1].split("</section>", 1)[0]
    assert "No chats." in tuesday
    assert Client().get("/chats/calendar").status_code == 302
    # The week is the next seven days from today, not a calendar week.
    clock.shift(timedelta(days=1))
    assert "#EduMatch" in client_for(londoner).get("/chats/calendar").content.decode()


def test_a_host_edits_the_schedule_and_manages_cohosts(edumatch, ann, bob, cat, client_for):
    client = client_for(ann)
    assert client.get("/chats/edumatch/edit").status_code == 200
    form = {
        "title": "EduMatch, now on Thursdays",
        "time_zone": "America/New_York",
        "first_date": "2027-01-07",
        "start_time": "20:00",
        "duration": "60",
        "pattern": "weekly",
    }
    assert client.post("/chats/edumatch/edit", form).status_code == 302
    edumatch.refresh_from_db()
    assert (edumatch.rrule, edumatch.title) == ("FREQ=WEEKLY;BYDAY=TH", form["title"])
    assert client.post("/chats/edumatch/edit", {**form, "time_zone": ""}).status_code == 422

    assert client.post("/chats/edumatch/cohosts", {"username": "bob"}).status_code == 302
    assert "(co-host)" in client_for(cat).get("/chats/edumatch").content.decode()
    missing = client.post("/chats/edumatch/cohosts", {"username": "nobody"})
    assert missing.status_code == 422
    assert "No one here has that username." in missing.content.decode()
    assert client_for(bob).get("/chats/edumatch/edit").status_code == 200
    assert client.post("/chats/edumatch/cohosts/bob/remove").status_code == 302
    assert client_for(bob).get("/chats/edumatch/edit").status_code == 404
