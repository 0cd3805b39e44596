"""The room page: the current question on top, answers under their questions, in fixed queries."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from confab.chats import actions, rooms
from confab.chats.models import ChatSession
from confab.posts.models import Visibility

FIRST = datetime(2027, 3, 3, 1, 0, tzinfo=UTC)


@pytest.fixture
def live(edumatch, ann, bob, clock):
    session = actions.plan_session(
        edumatch,
        ann,
        FIRST,
        guests=[bob],
        questions=[("Favourite lab?", 0), ("What broke?", 10)],
    )
    clock.move_to(FIRST + timedelta(minutes=1))
    return session


def room_url(session) -> str:
    return f"/chats/EduMatch/sessions/{session.pk}"


def section(page: str, anchor: str) -> str:
    return page.split(f'id="{anchor}"', 1)[1].split('class="question-group"', 1)[0]


def test_it_groups_answers_under_their_questions(live, ann, bob, cat, make_post, client_for, clock):
    actions.post_question(live.questions.get(number=1).pk)
    make_post(cat, "A1 the egg drop #EduMatch")
    clock.move_to(FIRST + timedelta(minutes=10))
    actions.post_question(live.questions.get(number=2).pk)
    make_post(bob, "A2 the kiln, again #EduMatch")
    make_post(cat, "A1: also volcanoes #EduMatch")

    page = client_for(cat).get(room_url(live)).content.decode()
    q1, q2 = section(page, "q1"), section(page, "q2")
    assert "Favourite lab?" in q1 and "egg drop" in q1 and "volcanoes" in q1
    assert q1.index("egg drop") < q1.index("volcanoes")  # time order
    assert "kiln" in q2 and "egg drop" not in q2
    # The current question is on top, and the composer answers it.
    top = page.split('class="current-question"', 1)[1].split("</section>", 1)[0]
    assert "Q2" in top and "What broke?" in top
    assert "A2  #EduMatch</textarea>" in page
    composer = page.split('class="room-composer"', 1)[1].split("</form>", 1)[0]
    assert f'name="next" value="{room_url(live).lower()}"' in composer
    # Host and guest set apart; a newcomer gets a first-time badge.
    assert "host-badge" in q1 and "guest-badge" in q2
    assert "first-time-badge" in page.split("participants-heading", 1)[1]


def test_replies_sit_under_the_answer_they_reply_to(live, ann, bob, cat, make_post, client_for):
    actions.post_question(live.questions.get(number=1).pk)
    answer = make_post(cat, "A1 the egg drop #EduMatch")
    make_post(bob, "@cat great one", in_reply_to_id=answer.pk)
    page = client_for(cat).get(room_url(live)).content.decode()
    replies = page.split(f'data-replies-for="{answer.pk}"', 1)[1].split('class="room-thread"', 1)[0]
    assert "great one" in replies


def test_hidden_and_invisible_posts_stay_out(live, ann, bob, cat, make_post, client_for):
    actions.post_question(live.questions.get(number=1).pk)
    hidden = make_post(cat, "A1 something rude #EduMatch")
    rooms.hide_entry(ann, live, hidden.pk)
    make_post(cat, "A1 quiet aside #EduMatch", visibility=Visibility.PRIVATE)
    for client in (client_for(bob), client_for(ann)):
        page = client.get(room_url(live)).content.decode()
        assert "something rude" not in page
        assert "quiet aside" not in page


def test_a_returning_participant_has_no_first_time_badge(
    edumatch, live, ann, cat, make_post, client_for, clock
):
    make_post(cat, "A1 first time here #EduMatch")
    clock.move_to(live.starts_at + timedelta(days=7, minutes=1))
    later = ChatSession.objects.get(chat=edumatch, starts_at=live.starts_at + timedelta(days=7))
    make_post(cat, "A1 back again #EduMatch")
    page = client_for(ann).get(room_url(later)).content.decode()
    assert "back again" in page
    assert "first-time-badge" not in page


def test_the_catch_up_view_collapses_each_question_with_counts(
    live, ann, cat, make_post, client_for
):
    actions.post_question(live.questions.get(number=1).pk)
    make_post(cat, "A1 one #EduMatch")
    make_post(cat, "A1 two #EduMatch")
    page = client_for(cat).get(room_url(live) + "?view=questions").content.decode()
    assert "<details><summary>" in page
    assert "· 2 posts" in page
    assert 'href="#q1"' in page


def test_only_hosts_see_the_controls(live, ann, cat, client_for):
    assert "Host controls" in client_for(ann).get(room_url(live)).content.decode()
    page = client_for(cat).get(room_url(live)).content.decode()
    assert "Host controls" not in page
    assert "Hide from the room" not in page


def test_an_unknown_session_or_another_chats_session_is_404(live, ann, client_for, clock):
    other = actions.create_chat(
        ann,
        "OtherChat",
        actions.ChatDetails(
            title="Other", time_zone="UTC", starts_at_local=datetime(2027, 3, 20, 12, 0)
        ),
    )
    session = ChatSession.objects.filter(chat=other).first()
    assert client_for(ann).get(f"/chats/EduMatch/sessions/{session.pk}").status_code == 404
    assert client_for(ann).get("/chats/EduMatch/sessions/1").status_code == 404


@pytest.mark.parametrize("signed_in", [True, False])
def test_the_room_costs_the_same_queries_however_full(
    live, ann, bob, cat, make_post, client_for, signed_in
):
    actions.post_question(live.questions.get(number=1).pk)
    client = client_for(cat) if signed_in else Client()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(room_url(live)).status_code == 200
        return len(queries)

    for n in range(3):
        make_post(bob if n % 2 else cat, f"A1 answer {n} #EduMatch")
    few = count()
    for n in range(27):
        make_post(bob if n % 2 else cat, f"A1 more {n} #EduMatch")
    assert count() == few


def test_the_chat_page_links_each_stored_session_to_its_room(live, cat, client_for):
    page = client_for(cat).get("/chats/EduMatch").content.decode()
    assert f'href="{room_url(live).lower()}"' in page


def test_the_room_says_live_by_the_clock_before_the_worker_moves_it(live, cat, client_for):
    assert live.state == "scheduled"
    assert "Live now" in client_for(cat).get(room_url(live)).content.decode()


def test_an_ended_room_offers_the_transcript_instead_of_a_composer(live, bob, client_for, clock):
    client = client_for(bob)
    assert 'aria-label="Answer in the room"' in client.get(room_url(live)).content.decode()

    clock.move_to(live.ends_at + timedelta(minutes=16))
    page = client.get(room_url(live)).content.decode()

    assert 'aria-label="Answer in the room"' not in page
    assert "Read the transcript" in page
