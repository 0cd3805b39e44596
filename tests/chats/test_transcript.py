"""After a session: the transcript, its exports, the people you met and the hosts' trend.

The story: ann hosts #EduMatch on Tuesday 2 March 2027 (8 pm New York, 01:00 UTC on the
3rd) with three questions. bob and dan answer Q1 and share a link, dan replies to bob and
bob replies back, cat answers Q1 and Q2, a spam post is hidden, nobody answers Q3. Posts
join the room through `confab.posts.actions.post` (confab.chats.rooms.record_post), on a
clock moved into the session, as they would live.
"""

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from confab.accounts import actions as account_actions
from confab.chats import actions, rooms, transcript
from confab.chats.models import ChatSession, RoomEntry
from confab.posts import actions as post_actions
from confab.posts.models import Post
from tests.chats.conftest import details

STARTS = datetime(2027, 3, 3, 1, 0, tzinfo=UTC)  # Tuesday 8 pm in New York
NEXT_WEEK = STARTS + timedelta(days=7)
QUESTIONS = [("What lab do you love?", 5), ("Favourite tool?", 20), ("Hardest topic?", 40)]
URL = "/chats/edumatch/sessions/{}/transcript"
PHET = "https://phet.colorado.edu/sims"


@pytest.fixture
def dan(make_account):
    return make_account("dan", display_name="Dan Teacher")


def plan(chat, host, starts=STARTS, questions=QUESTIONS) -> ChatSession:
    return actions.plan_session(chat, host, starts, topic="Science labs", questions=questions)


def at(clock, session: ChatSession, minute: int) -> None:
    clock.move_to(session.starts_at + timedelta(minutes=minute))


def ask(clock, session: ChatSession, number: int) -> Post:
    question = session.questions.get(number=number)
    at(clock, session, question.offset_minutes)
    posted = actions.post_question(question.pk)
    assert posted is not None
    return posted


def say(clock, session, minute, account, text, reply_to: Post | None = None, **kwargs) -> Post:
    at(clock, session, minute)
    return post_actions.post(
        account, text, in_reply_to_id=reply_to.pk if reply_to else None, **kwargs
    )


def ids(posts: dict[str, Post], *names: str) -> list[int]:
    return [posts[name].pk for name in names]


def shown(found: transcript.Transcript) -> set[int]:
    return {post.id for post in found.posts}


def end(clock, session: ChatSession) -> ChatSession:
    clock.move_to(session.ends_at + timedelta(hours=1))
    assert actions.set_session_state(session.pk, "ended")
    session.refresh_from_db()
    return session


@pytest.fixture
def story(clock, edumatch, ann, bob, cat, dan):
    session = plan(edumatch, ann)
    posts = {"q1": ask(clock, session, 1)}
    posts["bob_a1"] = say(clock, session, 6, bob, f"A1 Density towers! {PHET} #EduMatch")
    posts["dan_a1"] = say(clock, session, 7, dan, f"A1 anything from {PHET} #EduMatch")
    posts["dan_reply"] = say(clock, session, 8, dan, "@bob towers are great", posts["bob_a1"])
    posts["bob_reply"] = say(clock, session, 9, bob, "@dan thanks!", posts["dan_reply"])
    posts["cat_a1"] = say(clock, session, 10, cat, "A1 Owl pellets #EduMatch")
    posts["spam"] = say(clock, session, 11, cat, "Buy followers https://spam.example #EduMatch")
    rooms.hide_entry(ann, session, posts["spam"].pk)
    posts["q2"] = ask(clock, session, 2)
    posts["cat_a2"] = say(clock, session, 21, cat, "A2 a good microscope #EduMatch")
    posts["bob_a2"] = say(clock, session, 22, bob, "A2 my whiteboard #EduMatch")
    posts["q3"] = ask(clock, session, 3)
    end(clock, session)
    return session, posts


def test_it_records_the_story_in_the_room(story):
    session, posts = story
    entries = {e.post_id: e for e in RoomEntry.objects.filter(session=session)}
    assert entries[posts["bob_a1"].pk].question == 1
    assert entries[posts["dan_reply"].pk].question == 1
    assert entries[posts["cat_a2"].pk].question == 2
    assert entries[posts["spam"].pk].hidden


def test_it_shows_not_over_yet_before_the_end(clock, edumatch, ann):
    session = plan(edumatch, ann)
    page = Client().get(URL.format(session.pk))
    assert page.status_code == 200
    assert "This session has not ended yet" in page.content.decode()
    assert f'href="/chats/edumatch/sessions/{session.pk}">Go to the room' in page.content.decode()
    assert Client().get(URL.format(session.pk) + ".md").status_code == 404


def test_it_groups_answers_under_their_questions_with_replies_nested(story):
    session, posts = story
    found = transcript.transcript(None, session.chat, session)
    assert [(b.number, b.text) for b in found.questions] == [
        (1, "What lab do you love?"),
        (2, "Favourite tool?"),
        (3, "Hardest topic?"),
    ]
    q1, q2, q3 = found.questions
    assert q1.post.id == posts["q1"].pk
    assert [a.post.id for a in q1.answers] == ids(posts, "bob_a1", "dan_a1", "cat_a1")
    # The reply to the reply sits one level down, under the answer that began it.
    assert [r.id for r in q1.answers[0].replies] == ids(posts, "dan_reply", "bob_reply")
    assert [a.post.id for a in q2.answers] == ids(posts, "cat_a2", "bob_a2")
    assert q3.answers == []
    assert posts["spam"].pk not in shown(found)


def test_it_counts_with_stats_and_fills_zeros_for_unanswered_questions(story):
    session, posts = story
    numbers = transcript.transcript(None, session.chat, session)
    assert numbers.stats.posts == 10  # three questions, seven answers and replies
    assert numbers.stats.participants == 4  # ann, bob, cat, dan
    assert numbers.stats.first_timers == 4  # the chat's first session
    assert [(b.number, b.answer_count) for b in numbers.questions] == [(1, 5), (2, 2), (3, 0)]
    assert [(p.id, n) for p, n in numbers.most_replied] == [
        (posts["bob_a1"].pk, 1),
        (posts["dan_reply"].pk, 1),
    ]
    assert numbers.links == [(PHET, 2)]  # the hidden spam link is not there


def test_first_timers_are_people_new_to_the_chat(story, clock, edumatch, ann, bob, make_account):
    clock.move_to(STARTS + timedelta(days=1))
    later = plan(edumatch, ann, NEXT_WEEK, questions=[("Back again?", 5)])
    ask(clock, later, 1)
    say(clock, later, 6, bob, "A1 yes #EduMatch")
    say(clock, later, 7, make_account("eve"), "A1 first time here! #EduMatch")
    end(clock, later)
    numbers = transcript.session_stats(edumatch, later)
    assert (numbers.participants, numbers.first_timers) == (3, 1)


def test_the_page_shows_questions_numbers_links_and_participants(story, client_for, bob):
    session, posts = story
    page = client_for(bob).get(URL.format(session.pk)).content.decode()
    assert "Q1. What lab do you love?" in page
    assert "Q3. Hardest topic?" in page
    assert "No answers." in page
    assert f'href="{PHET}"' in page
    assert "Owl pellets" in page
    assert "Buy followers" not in page
    assert f'href="#post-{posts["bob_a1"].pk}"' in page  # most replied, linked
    assert '<a href="/@dan">Dan Teacher</a>' in page  # a participant


def test_a_followers_only_post_or_a_block_hides_posts_but_not_the_numbers(
    story, client_for, cat, dan, ann
):
    session, posts = story
    # dan's answer became followers-only after the session; bob blocked cat.
    Post.objects.filter(pk=posts["dan_a1"].pk).update(visibility="private")
    account_actions.block(posts["bob_a1"].account, cat)

    for_cat = transcript.transcript(cat, session.chat, session)
    assert posts["dan_a1"].pk not in shown(for_cat)
    assert posts["bob_a1"].pk not in shown(for_cat)
    assert "bob" not in [author.acct for author in for_cat.participants]
    # dan's reply to bob stays (dan is not blocked); with its parent gone it stands alone.
    q1 = for_cat.questions[0]
    assert [a.post.id for a in q1.answers] == ids(posts, "dan_reply", "cat_a1")
    assert [(p.id, n) for p, n in for_cat.most_replied] == [
        (posts["dan_reply"].pk, 1)
    ]  # bob's answer is left out
    assert for_cat.links == []  # the only posts sharing the link are hidden from cat

    for_dan = transcript.transcript(dan, session.chat, session)
    assert posts["dan_a1"].pk in shown(for_dan)  # the author still sees their own post

    # The numbers: public and unlisted entries not hidden, the same for everyone.
    assert for_cat.stats.participants == for_dan.stats.participants == 4
    assert for_cat.stats.posts == for_dan.stats.posts == 9


def test_exports_carry_the_same_posts_as_the_page(story, client_for, cat):
    session, posts = story
    account_actions.block(cat, posts["bob_a1"].account)
    base = URL.format(session.pk)

    md = client_for(cat).get(base + ".md")
    assert md["Content-Disposition"] == 'attachment; filename="edumatch-2027-03-02.md"'
    text = md.content.decode()
    assert "## Q1. What lab do you love?" in text
    assert "Owl pellets" in text
    assert "Density towers" not in text  # bob is blocked
    assert "Buy followers" not in text

    rows = list(csv.reader(io.StringIO(client_for(cat).get(base + ".csv").content.decode())))
    assert rows[0] == [
        "question",
        "post_id",
        "url",
        "author",
        "created_at",
        "text",
        "in_reply_to",
        "is_host",
    ]
    by_id = {row[1]: row for row in rows[1:]}
    assert str(posts["bob_a1"].pk) not in by_id
    q1 = by_id[str(posts["q1"].pk)]
    assert q1[0] == "1" and q1[3] == "ann" and q1[7] == "true"
    assert q1[4] == "2027-03-03T01:05:00Z"
    assert q1[2] == f"http://testserver/@ann/{posts['q1'].pk}"

    response = Client().get(base + ".json")
    assert response["Content-Disposition"] == 'attachment; filename="edumatch-2027-03-02.json"'
    data = json.loads(response.content)
    assert data["chat"]["hashtag"] == "EduMatch"
    assert data["session"] == {"starts_at": "2027-03-03T01:00:00Z", "topic": "Science labs"}
    assert data["stats"]["answers_per_question"] == {"1": 5, "2": 2, "3": 0}
    assert [q["number"] for q in data["questions"]] == [1, 2, 3]
    first = data["questions"][0]["answers"][0]
    assert first["author"] == "bob"
    assert [r["author"] for r in first["replies"]] == ["dan", "bob"]
    assert Client().get(base + ".pdf").status_code == 404


def test_signed_out_readers_get_only_public_and_unlisted_posts(story):
    session, posts = story
    Post.objects.filter(pk=posts["cat_a1"].pk).update(visibility="private")
    text = Client().get(URL.format(session.pk) + ".md").content.decode()
    assert "Owl pellets" not in text
    assert "Density towers" in text


def test_it_is_404_for_another_chats_session_or_no_session(story, clock, ann):
    session, _ = story
    actions.create_chat(ann, "SciChat", details(starts_at_local=datetime(2027, 1, 6, 20, 0)))
    assert Client().get(f"/chats/scichat/sessions/{session.pk}/transcript").status_code == 404
    assert Client().get(URL.format(12345)).status_code == 404


def test_the_transcript_page_costs_the_same_queries_for_5_or_50_entries(
    clock, edumatch, ann, make_account, client_for, django_assert_num_queries
):
    reader = make_account("reader")
    client = client_for(reader)

    def session_with(starts: datetime, answers: int) -> ChatSession:
        clock.move_to(starts - timedelta(days=1))
        session = plan(edumatch, ann, starts, questions=[("One?", 5)])
        first = ask(clock, session, 1)
        people = [make_account() for _ in range(min(answers, 10))]
        for n in range(answers - 1):
            replying = first if n % 3 else None
            say(clock, session, 6, people[n % len(people)], f"A1 idea {n} #EduMatch", replying)
        return end(clock, session)

    small = session_with(STARTS, 5)
    large = session_with(NEXT_WEEK, 50)
    assert RoomEntry.objects.filter(session=large).count() == 50

    with CaptureQueriesContext(connection) as few:
        assert client.get(URL.format(small.pk)).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL.format(large.pk)).status_code == 200
    assert len(few.captured_queries) == len(many.captured_queries)
    with django_assert_num_queries(len(few.captured_queries)):
        client.get(URL.format(large.pk))


# --- People you met ---------------------------------------------------------------------


def people_url(session: ChatSession) -> str:
    return f"/chats/edumatch/sessions/{session.pk}/people"


def test_people_you_met_lists_ties_with_reasons_and_follow_buttons(story, client_for, bob):
    session, _ = story
    page = client_for(bob).get(people_url(session)).content.decode()
    dan_at, cat_at = page.index("Dan Teacher"), page.index("Cat Outsider")
    assert dan_at < cat_at  # replies both ways come first
    assert "Replied to you, you replied to them, answered Q1 too." in page
    assert "Answered Q1 too, answered Q2 too." in page
    assert 'action="/@dan/follow"' in page
    assert f'name="next" value="{people_url(session)}"' in page
    # bob follows ann (the cast), and ann's questions are not answers: she is not listed.
    assert "Ann Author" not in page.split('<ul class="people-met">', 1)[1]


def test_the_follow_button_comes_back_to_the_page_and_says_following(story, client_for, bob):
    session, _ = story
    client = client_for(bob)
    response = client.post("/@dan/follow", {"next": people_url(session)})
    assert response.status_code == 302 and response["Location"] == people_url(session)
    page = client.get(people_url(session)).content.decode()
    assert 'action="/@dan/follow"' not in page
    assert '<p class="badge">Following</p>' in page


def test_blocked_people_are_never_listed_either_way(story, client_for, bob, cat, dan):
    session, _ = story
    account_actions.block(bob, cat)
    account_actions.block(dan, bob)
    page = client_for(bob).get(people_url(session)).content.decode()
    assert "Cat Outsider" not in page
    assert "Dan Teacher" not in page
    assert "Bob Follower" not in client_for(cat).get(people_url(session)).content.decode()


def test_people_you_met_is_empty_for_someone_who_did_not_take_part(story, client_for, make_account):
    session, _ = story
    page = client_for(make_account("eve")).get(people_url(session)).content.decode()
    assert "You did not post in this session" in page
    assert Client().get(people_url(session)).status_code == 302  # to the login page


# --- The hosts' trend -------------------------------------------------------------------


def test_hosts_see_the_trend_and_everyone_else_gets_404(
    story, clock, edumatch, ann, bob, cat, client_for, make_account
):
    clock.move_to(STARTS + timedelta(days=1))
    later = plan(edumatch, ann, NEXT_WEEK, questions=[("Back again?", 5)])
    ask(clock, later, 1)
    say(clock, later, 6, bob, "A1 yes #EduMatch")
    say(clock, later, 7, make_account("eve"), "A1 first time here! #EduMatch")
    end(clock, later)

    counts = transcript.trend(edumatch)
    assert [(c.participants, c.first_timers) for c in counts] == [(4, 4), (3, 1)]

    page = client_for(ann).get("/chats/edumatch/trend").content.decode()
    assert '<svg role="img" aria-labelledby="trend-title trend-desc"' in page
    assert '<title id="trend-title">' in page
    assert "3 Mar 2027: 4 participants, 4 first-timers." in page
    assert "<details>" in page and "<td>3</td><td>1</td>" in page

    assert client_for(cat).get("/chats/edumatch/trend").status_code == 404
    assert client_for(bob).get("/chats/edumatch/trend").status_code == 404
    assert Client().get("/chats/edumatch/trend").status_code == 302


def test_people_you_met_go_onto_a_list_in_one_step(story, client_for, bob, dan, cat):
    from confab.curation import actions as curation_actions
    from confab.curation.actions import ListDetails
    from confab.curation.models import ListMember

    session, _ = story
    client = client_for(bob)
    assert "Make a list" in client.get(people_url(session)).content.decode()
    lst = curation_actions.create_list(bob, ListDetails(title="People from #EduMatch"))
    page = client.get(people_url(session)).content.decode()
    assert "People from #EduMatch" in page

    response = client.post(
        "/lists/add-people",
        {"list": lst.pk, "acct": ["dan", "cat"], "next": people_url(session)},
    )

    assert response.status_code == 302
    assert set(ListMember.objects.filter(list=lst).values_list("account__username", flat=True)) == {
        "dan",
        "cat",
    }
    # Someone else's list is not found.
    assert (
        client_for(dan).post("/lists/add-people", {"list": lst.pk, "acct": ["cat"]}).status_code
        == 404
    )
