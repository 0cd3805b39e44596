"""Transcript numbers and "people you met", over a small room with a known cast.

Hana hosts (her posts are the questions); Ann, Bob and Cat take part; Dev's only post is
hidden by the host, so as far as the transcript is concerned Dev was never there.
"""

import dataclasses
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from confab.chats.stats import MOST_REPLIED, RoomPost, people_you_met, transcript_stats

HANA, ANN, BOB, CAT, DEV = 1, 2, 3, 4, 5
START = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)
DUNE = "https://books.example/dune"
RULES = "https://chat.example/rules"
SPAM = "https://spam.example/"


def post(
    id,
    author,
    *,
    question=None,
    reply_to=None,
    hidden=False,
    links=(),
    minute=None,
):
    return RoomPost(
        id=id,
        author_id=author,
        question=question,
        in_reply_to_id=reply_to,
        is_host=author == HANA,
        hidden=hidden,
        links=tuple(links),
        created_at=START + timedelta(minutes=id - 100 if minute is None else minute),
    )


ROOM = [
    post(101, HANA, question=1),  # Q1
    post(102, ANN, question=1, links=[DUNE]),
    post(103, BOB, question=1, reply_to=101),  # answers Q1 by replying to it
    post(104, CAT, question=1, reply_to=102, links=[DUNE]),
    post(105, ANN, question=1, reply_to=104),
    post(106, HANA, question=1, reply_to=102),
    post(107, HANA, question=2, links=[RULES]),  # Q2
    post(108, ANN, question=2),
    post(109, BOB, question=2, links=[DUNE, DUNE]),
    post(110, CAT, question=2, reply_to=108),
    post(111, BOB, question=2, reply_to=108),
    post(112, ANN, question=2, reply_to=108),  # Ann continuing her own thread
    post(113, DEV, question=2, reply_to=108, hidden=True, links=[SPAM]),
    post(114, BOB, question=2, reply_to=113),  # a reply to the hidden post
    post(115, CAT, reply_to=999),  # replies to a post outside the room, no question
]


def test_it_counts_a_small_room():
    stats = transcript_stats(ROOM, previous_participants={HANA, BOB})

    assert stats.posts == 14
    assert stats.participants == 4  # Hana, Ann, Bob, Cat; not Dev
    assert stats.first_timers == 2  # Ann, Cat
    assert stats.answers_per_question == {1: 4, 2: 6}
    assert stats.most_replied == [(102, 2), (108, 2), (104, 1)]
    assert stats.links == [(DUNE, 3), (RULES, 1)]


def test_it_counts_a_person_answering_several_questions_once():
    room = [
        post(1, HANA, question=1),
        post(2, ANN, question=1),
        post(3, ANN, question=1),
        post(4, HANA, question=2),
        post(5, ANN, question=2),
        post(6, HANA, question=3),
        post(7, ANN, question=3),
    ]
    stats = transcript_stats(room, previous_participants=set())

    assert stats.participants == 2
    assert stats.first_timers == 2
    assert stats.answers_per_question == {1: 2, 2: 1, 3: 1}


def test_it_counts_hosts_as_participants_but_not_as_answers():
    room = [post(1, HANA, question=1), post(2, HANA, question=1, reply_to=1)]
    stats = transcript_stats(room, previous_participants=set())

    assert stats.participants == 1
    assert stats.answers_per_question == {}


def test_it_counts_only_people_new_to_the_chat_as_first_timers():
    stats = transcript_stats(ROOM, previous_participants={HANA, ANN, BOB, CAT, DEV, 77})
    assert stats.first_timers == 0

    stats = transcript_stats(ROOM, previous_participants=frozenset())
    assert stats.first_timers == stats.participants == 4


def test_it_leaves_hidden_posts_out_of_everything():
    visible_only = [p for p in ROOM if not p.hidden]
    everyone_hidden = [dataclasses.replace(p, hidden=True) for p in ROOM]

    assert transcript_stats(ROOM, previous_participants=set()) == transcript_stats(
        visible_only, previous_participants=set()
    )
    stats = transcript_stats(everyone_hidden, previous_participants=set())
    assert stats.posts == stats.participants == stats.first_timers == 0
    assert stats.answers_per_question == {}
    assert stats.most_replied == stats.links == []
    assert people_you_met(everyone_hidden, ANN) == []


def test_a_hidden_post_is_not_replied_to_and_its_replies_do_not_count():
    room = [
        post(1, ANN, question=1, hidden=True),
        post(2, BOB, question=1, reply_to=1),
        post(3, CAT, question=1),
        post(4, DEV, question=1, reply_to=3, hidden=True),
    ]
    stats = transcript_stats(room, previous_participants=set())

    assert stats.most_replied == []
    assert people_you_met(room, ANN) == []
    assert people_you_met(room, CAT) == [(BOB, ["answered Q1 too"])]


def test_it_leaves_replies_to_questions_and_to_oneself_out_of_most_replied():
    room = [
        post(1, HANA, question=1),
        post(2, ANN, question=1, reply_to=1),
        post(3, BOB, question=1, reply_to=1),
        post(4, ANN, question=1, reply_to=2),
        post(5, ANN, question=1, reply_to=4),
    ]
    assert transcript_stats(room, previous_participants=set()).most_replied == []


def test_it_keeps_the_five_most_replied_and_breaks_ties_by_the_earlier_post():
    answers = [post(i, ANN, question=1) for i in range(1, 8)]
    # Post 7 gets three replies, posts 6..2 two each, post 1 one.
    wanted = {7: 3, 6: 2, 5: 2, 4: 2, 3: 2, 2: 2, 1: 1}
    replies = []
    for target, count in wanted.items():
        for _ in range(count):
            replies.append(post(100 + len(replies), BOB, question=1, reply_to=target))

    stats = transcript_stats(answers + replies, previous_participants=set())

    assert len(stats.most_replied) == MOST_REPLIED
    assert stats.most_replied == [(7, 3), (2, 2), (3, 2), (4, 2), (5, 2)]


def test_it_counts_a_link_once_per_post_and_orders_ties_by_who_shared_first():
    room = [
        # Loaded out of order: the earliest post by time shares RULES first.
        post(1, ANN, links=[DUNE, DUNE, DUNE], minute=5),
        post(2, BOB, links=[RULES], minute=1),
        post(3, CAT, links=[SPAM, RULES], minute=9),
        post(4, HANA, links=[DUNE, SPAM], minute=12),
    ]
    stats = transcript_stats(room, previous_participants=set())

    assert stats.links == [(RULES, 2), (DUNE, 2), (SPAM, 2)]


def test_it_counts_an_empty_room():
    stats = transcript_stats([], previous_participants={ANN})

    assert stats.posts == stats.participants == stats.first_timers == 0
    assert stats.answers_per_question == {}
    assert stats.most_replied == []
    assert stats.links == []


class TestPeopleYouMet:
    def test_it_puts_replies_both_ways_first(self):
        assert people_you_met(ROOM, ANN) == [
            (CAT, ["replied to you", "you replied to them", "answered Q1 too", "answered Q2 too"]),
            (BOB, ["replied to you", "answered Q1 too", "answered Q2 too"]),
            (HANA, ["replied to you"]),
        ]

    def test_it_ranks_more_replies_then_more_shared_questions(self):
        assert people_you_met(ROOM, BOB) == [
            (ANN, ["you replied to them", "answered Q1 too", "answered Q2 too"]),
            (HANA, ["you replied to them"]),
            (CAT, ["answered Q1 too", "answered Q2 too"]),
        ]

    def test_it_gives_a_host_the_people_they_talked_with(self):
        # Hana asked the questions; she answered none, so shares none.
        assert people_you_met(ROOM, HANA) == [
            (ANN, ["you replied to them"]),
            (BOB, ["replied to you"]),
        ]

    def test_it_counts_repeated_replies_as_stronger(self):
        room = [
            post(1, ANN, question=1),
            post(2, BOB, reply_to=1),
            post(3, CAT, reply_to=1),
            post(4, CAT, reply_to=1),
        ]
        assert people_you_met(room, ANN) == [
            (CAT, ["replied to you"]),
            (BOB, ["replied to you"]),
        ]

    def test_it_leaves_out_me_and_people_i_did_not_meet(self):
        room = [
            post(1, ANN, question=1),
            post(2, ANN, question=1, reply_to=1),
            post(3, BOB, question=2),
            post(4, CAT, question=2, reply_to=3),
        ]
        assert people_you_met(room, ANN) == []

    def test_it_is_empty_for_someone_who_was_not_there(self):
        assert people_you_met(ROOM, 42) == []


# Properties over random rooms: six people, person 1 hosts, up to four questions.

URLS = [DUNE, RULES, SPAM, "https://example.org/a"]


@st.composite
def rooms(draw):
    size = draw(st.integers(0, 30))
    posts = []
    for index in range(size):
        author = draw(st.integers(1, 6))
        earlier = st.integers(1, index) if index else st.nothing()
        posts.append(
            RoomPost(
                id=index + 1,
                author_id=author,
                question=draw(st.none() | st.integers(1, 4)),
                in_reply_to_id=draw(st.none() | earlier | st.just(10_000)),
                is_host=author == 1,
                hidden=draw(st.integers(0, 4)) == 0,
                links=tuple(draw(st.lists(st.sampled_from(URLS), max_size=3))),
                created_at=START + timedelta(seconds=draw(st.integers(0, 3600))),
            )
        )
    return posts


previous = st.sets(st.integers(1, 8))


@settings(max_examples=200, deadline=None)
@given(rooms(), previous)
def test_the_numbers_agree_with_each_other(room, before):
    stats = transcript_stats(room, previous_participants=before)
    visible = [p for p in room if not p.hidden]

    assert stats.posts == len(visible)
    assert sum(stats.answers_per_question.values()) <= stats.posts
    assert stats.first_timers <= stats.participants <= stats.posts
    assert list(stats.answers_per_question) == sorted(stats.answers_per_question)
    assert len(stats.most_replied) <= MOST_REPLIED
    assert stats.most_replied == sorted(stats.most_replied, key=lambda item: (-item[1], item[0]))
    assert {post_id for post_id, _ in stats.most_replied} <= {p.id for p in visible}
    assert all(count > 0 for _, count in stats.most_replied + stats.links)
    assert [count for _, count in stats.links] == sorted(
        (count for _, count in stats.links), reverse=True
    )
    assert {url for url, _ in stats.links} == {url for p in visible for url in p.links}


@settings(max_examples=200, deadline=None)
@given(rooms(), previous, st.randoms(use_true_random=False))
def test_hidden_posts_and_loading_order_change_nothing(room, before, random):
    shuffled = list(room)
    random.shuffle(shuffled)
    visible = [p for p in room if not p.hidden]

    stats = transcript_stats(room, previous_participants=before)
    assert transcript_stats(shuffled, previous_participants=before) == stats
    assert transcript_stats(visible, previous_participants=before) == stats
    for me in range(1, 7):
        assert people_you_met(shuffled, me) == people_you_met(room, me)
        assert people_you_met(visible, me) == people_you_met(room, me)


@settings(max_examples=200, deadline=None)
@given(rooms(), st.integers(1, 6))
def test_everyone_met_was_really_met(room, me):
    visible = {p.id: p for p in room if not p.hidden}
    replies = [
        (p.author_id, visible[p.in_reply_to_id].author_id)
        for p in visible.values()
        if p.in_reply_to_id in visible
    ]
    answered = {(p.author_id, p.question) for p in visible.values() if not p.is_host and p.question}
    mine = {question for author, question in answered if author == me}

    people = people_you_met(room, me)

    assert me not in [author for author, _ in people]
    assert len({author for author, _ in people}) == len(people)
    for author, reasons in people:
        assert reasons
        assert ("replied to you" in reasons) == ((author, me) in replies)
        assert ("you replied to them" in reasons) == ((me, author) in replies)
        shared = sorted(q for a, q in answered if a == author and q in mine)
        assert [r for r in reasons if r.startswith("answered")] == [
            f"answered Q{q} too" for q in shared
        ]
    # Replies both ways come first.
    both = ["replied to you" in r and "you replied to them" in r for _, r in people]
    assert both == sorted(both, reverse=True)
