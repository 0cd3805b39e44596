"""Edited answers follow their label; a host's live cards get the host's buttons, no one else's."""

from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client

from confab.chats import actions, rooms
from confab.chats.models import ChatSession, RoomEntry
from confab.posts import actions as post_actions
from confab.realtime.broker import get_broker

FIRST = datetime(2027, 3, 3, 1, 0, tzinfo=UTC)


@pytest.fixture
def live(edumatch, ann, bob, clock):
    session = actions.plan_session(
        edumatch,
        ann,
        FIRST,
        guests=[bob],
        questions=[("Favourite lab?", 0), ("What broke?", 10), ("What next?", 20)],
    )
    clock.move_to(FIRST + timedelta(minutes=1))
    for number in (1, 2):
        actions.post_question(session.questions.get(number=number).pk)
    return session


def question_of(post) -> int | None:
    return RoomEntry.objects.get(post=post).question


def room_url(session) -> str:
    return f"/chats/EduMatch/sessions/{session.pk}"


# --- An edited answer -----------------------------------------------------------------


def test_a_relabelled_answer_moves_to_the_question_it_now_names(live, cat, make_post):
    answer = make_post(cat, "A1 the egg drop #EduMatch")
    assert question_of(answer) == 1
    post_actions.edit(cat, answer.pk, "A2 the egg drop #EduMatch")
    assert question_of(answer) == 2


def test_an_edit_without_a_label_keeps_the_question_it_got_first(live, cat, make_post):
    answer = make_post(cat, "the egg drop #EduMatch")  # bare: the current question, Q2
    actions.post_question(live.questions.get(number=3).pk)  # Q3 is current now
    post_actions.edit(cat, answer.pk, "the egg drop, with parachutes #EduMatch")
    assert question_of(answer) == 2


def test_a_reply_to_a_question_stays_with_it_whatever_its_label(live, cat, make_post):
    q1 = live.questions.get(number=1).posted_post
    answer = make_post(cat, "the egg drop #EduMatch", in_reply_to_id=q1.pk)
    post_actions.edit(cat, answer.pk, "A2 the egg drop #EduMatch")
    assert question_of(answer) == 1


def test_a_label_beyond_the_plan_answers_nothing_as_when_posting(live, cat, make_post):
    answer = make_post(cat, "A1 the egg drop #EduMatch")
    post_actions.edit(cat, answer.pk, "A9 the egg drop #EduMatch")
    assert question_of(answer) is None


def test_a_question_post_never_moves(live, ann):
    q1 = live.questions.get(number=1).posted_post
    post_actions.edit(ann, q1.pk, "A2 Favourite lab? #EduMatch")
    entry = RoomEntry.objects.get(post=q1)
    assert (entry.question, entry.is_question) == (1, True)


def test_the_room_and_transcript_follow_the_move_and_the_room_hears_it(
    live, cat, make_post, client_for, django_capture_on_commit_callbacks
):
    answer = make_post(cat, "A1 the egg drop #EduMatch")
    broker = get_broker()
    broker.reset()
    with django_capture_on_commit_callbacks(execute=True):
        post_actions.edit(cat, answer.pk, "A2 the egg drop #EduMatch")
    moves = [e for e in broker.recent(f"room:{live.pk}") if e.type == "move"]
    assert [e.data for e in moves] == [{"post_id": answer.pk, "question": 2}]
    page = client_for(cat).get(room_url(live)).content.decode()
    q2 = page.split('id="q2"', 1)[1]
    assert f'id="entry-{answer.pk}"' in q2
    assert f'id="entry-{answer.pk}"' not in page.split('id="q2"', 1)[0]


def test_a_hidden_answer_moves_quietly(
    live, ann, cat, make_post, django_capture_on_commit_callbacks
):
    answer = make_post(cat, "A1 the egg drop #EduMatch")
    rooms.hide_entry(ann, live, answer.pk)
    broker = get_broker()
    broker.reset()
    with django_capture_on_commit_callbacks(execute=True):
        post_actions.edit(cat, answer.pk, "A2 the egg drop #EduMatch")
    assert question_of(answer) == 2
    assert not [e for e in broker.recent(f"room:{live.pk}") if e.type == "move"]


# --- Host buttons on cards that arrive live ----------------------------------------------


def test_live_cards_carry_no_host_buttons_but_the_data_to_add_them(
    live, cat, make_post, django_capture_on_commit_callbacks
):
    broker = get_broker()
    broker.reset()
    with django_capture_on_commit_callbacks(execute=True):
        answer = make_post(cat, "A2 the egg drop #EduMatch")
    (event,) = [e for e in broker.recent(f"room:{live.pk}") if e.type == "entry"]
    for html in (event.data["html"], event.data["html_anon"]):
        assert "Hide from the room" not in html and "/hide" not in html
        assert f'data-post-id="{answer.pk}"' in html
        assert 'data-acct="cat"' in html and 'data-role=""' in html


def test_the_hosts_page_has_the_button_template_and_a_participants_has_not(
    live, ann, cat, client_for
):
    host_page = client_for(ann).get(room_url(live)).content.decode()
    assert '<template id="room-moderation"' in host_page
    assert f'data-hide-url="/chats/edumatch/sessions/{live.pk}/posts/{{post}}/hide"' in host_page
    assert f'data-mute-url="/chats/edumatch/sessions/{live.pk}/people/{{acct}}/mute"' in host_page
    assert 'name="csrfmiddlewaretoken"' in host_page.split('<template id="room-moderation"')[1]
    for page in (client_for(cat).get(room_url(live)), Client().get(room_url(live))):
        assert "room-moderation" not in page.content.decode()


def test_the_filled_in_urls_moderate_for_a_host_and_are_404_for_anyone_else(
    live, ann, bob, cat, make_post, client_for
):
    answer = make_post(cat, "A2 the egg drop #EduMatch")
    hide = f"/chats/edumatch/sessions/{live.pk}/posts/{answer.pk}/hide"
    mute = f"/chats/edumatch/sessions/{live.pk}/people/cat/mute"
    assert client_for(bob).post(hide).status_code == 404
    assert client_for(bob).post(mute, {"hide_existing": "1"}).status_code == 404
    assert not RoomEntry.objects.get(post=answer).hidden
    assert client_for(ann).post(hide).status_code == 302
    assert RoomEntry.objects.get(post=answer).hidden
    assert client_for(ann).post(mute, {"hide_existing": "1"}).status_code == 302
    assert live.mutes.filter(account=cat).exists()


def test_server_rendered_cards_keep_the_host_buttons(live, ann, cat, make_post, client_for):
    answer = make_post(cat, "A2 the egg drop #EduMatch")
    page = client_for(ann).get(room_url(live)).content.decode()
    card = page.split(f'id="entry-{answer.pk}"', 1)[1]
    assert f"/posts/{answer.pk}/hide" in card
    assert 'Mute @<span class="moderate-acct">cat</span> in this session' in card


# --- Replying without leaving the room ------------------------------------------------------


def reply_url(session) -> str:
    return f"/chats/EduMatch/sessions/{session.pk}/reply"


def test_a_reply_written_in_the_room_lands_under_its_answer(live, bob, cat, make_post, client_for):
    answer = make_post(cat, "A1 the egg drop #EduMatch")
    client = client_for(bob)
    page = client.get(room_url(live) + f"?reply_to={answer.pk}").content.decode()
    assert 'id="room-reply"' in page and "Replying to" in page
    assert "@cat </textarea>" in page  # the reply starts with the author's @mention
    assert 'aria-label="Answer in the room"' not in page  # one composer at a time

    response = client.post(reply_url(live), {"in_reply_to_id": answer.pk, "text": "@cat love it"})

    assert response.status_code == 302
    reply = RoomEntry.objects.get(session=live, post__in_reply_to=answer)
    assert response["Location"] == f"{room_url(live).lower()}#entry-{reply.post_id}"
    assert reply.question == 1  # an unlabelled reply continues its answer's question
    room = client.get(room_url(live)).content.decode()
    replies = room.split(f'data-replies-for="{answer.pk}"', 1)[1].split("room-thread", 1)[0]
    assert "love it" in replies


def test_every_room_card_offers_a_reply_to_signed_in_readers_only(live, cat, make_post, client_for):
    answer = make_post(cat, "A1 the egg drop #EduMatch")
    assert f"?reply_to={answer.pk}" in client_for(cat).get(room_url(live)).content.decode()
    assert "reply_to=" not in Client().get(room_url(live)).content.decode()


def test_an_empty_reply_is_refused_with_a_message(live, bob, cat, make_post, client_for):
    answer = make_post(cat, "A1 the egg drop #EduMatch")
    response = client_for(bob).post(reply_url(live), {"in_reply_to_id": answer.pk, "text": ""})
    assert response.status_code == 422
    assert "Write something to reply with." in response.content.decode()
    too_long = client_for(bob).post(
        reply_url(live), {"in_reply_to_id": answer.pk, "text": "x" * 501}
    )
    assert too_long.status_code == 422
    assert not RoomEntry.objects.filter(post__in_reply_to=answer).exists()


def test_replying_to_what_is_not_in_the_room_or_not_visible_is_404(
    live, ann, bob, cat, make_post, client_for
):
    from confab.accounts import actions as account_actions

    outside = make_post(cat, "no hashtag here")
    hidden = make_post(cat, "A1 spam #EduMatch")
    rooms.hide_entry(ann, live, hidden.pk)
    blocked = make_post(cat, "A1 the egg drop #EduMatch")
    account_actions.block(cat, bob)
    client = client_for(bob)
    for post in (outside, hidden, blocked):
        assert client.get(room_url(live) + f"?reply_to={post.pk}").status_code == 404
        response = client.post(reply_url(live), {"in_reply_to_id": post.pk, "text": "hi"})
        assert response.status_code == 404
    assert client.post(reply_url(live), {"in_reply_to_id": "x", "text": "hi"}).status_code == 404


def test_signed_out_readers_are_sent_to_log_in(live, cat, make_post):
    answer = make_post(cat, "A1 the egg drop #EduMatch")
    response = Client().post(reply_url(live), {"in_reply_to_id": answer.pk, "text": "hi"})
    assert response.status_code == 302 and "/login" in response["Location"]


def test_a_muted_participants_reply_is_posted_but_stays_out_of_the_room(
    live, ann, bob, cat, make_post, client_for
):
    answer = make_post(cat, "A1 the egg drop #EduMatch")
    rooms.mute_participant(ann, live, bob)
    response = client_for(bob).post(reply_url(live), {"in_reply_to_id": answer.pk, "text": "hi"})
    assert response.status_code == 302 and "#entry-" not in response["Location"]
    assert not RoomEntry.objects.filter(post__in_reply_to=answer).exists()


def test_after_the_session_the_room_takes_no_replies(live, bob, cat, make_post, client_for, clock):
    answer = make_post(cat, "A1 the egg drop #EduMatch")
    clock.move_to(live.ends_at + timedelta(minutes=16))
    client = client_for(bob)
    page = client.get(room_url(live) + f"?reply_to={answer.pk}").content.decode()
    assert 'id="room-reply"' not in page and "Reply in the room" not in page
    response = client.post(reply_url(live), {"in_reply_to_id": answer.pk, "text": "late"})
    assert response.status_code == 422
    assert "This session is over" in response.content.decode()


# --- Badges on live cards, as on the page ------------------------------------------------


def test_live_cards_carry_the_first_time_badge_as_the_page_does(
    live, ann, bob, cat, make_post, clock, django_capture_on_commit_callbacks
):
    broker = get_broker()
    broker.reset()
    with django_capture_on_commit_callbacks(execute=True):
        make_post(cat, "A2 first time here #EduMatch")
        make_post(bob, "A2 a guest answers #EduMatch")  # bob is this session's guest
    newcomer, guest = [e for e in broker.recent(f"room:{live.pk}") if e.type == "entry"]
    assert newcomer.data["first_timer"] is True and "First time" in newcomer.data["html"]
    assert guest.data["first_timer"] is False and "First time" not in guest.data["html"]
    assert guest.data["role"] == "guest"

    # A week later cat is back: no badge in the next session's room.
    clock.move_to(FIRST + timedelta(days=7, minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        make_post(cat, "back again #EduMatch")
    later = ChatSession.objects.get(chat=live.chat, starts_at=FIRST + timedelta(days=7))
    (returning,) = [e for e in broker.recent(f"room:{later.pk}") if e.type == "entry"]
    assert returning.data["first_timer"] is False
    assert "First time" not in returning.data["html"]
