"""The demo's messages, introductions and people worth meeting (confab.connections.demo)."""

import random

import pytest

from confab.accounts import actions as account_actions
from confab.accounts.models import Follow
from confab.connections import demo
from confab.connections.models import (
    ConversationParticipant,
    Introduction,
    IntroductionState,
    Recommendation,
)

pytestmark = pytest.mark.django_db


def _connect(a, b):
    account_actions.follow(a, b)
    account_actions.follow(b, a)


@pytest.fixture
def cast(make_account):
    """ada is connected to bob and cat; each of them is connected to a stranger to ada."""
    ada, bob, cat, dan, eve = (make_account(n) for n in ("ada", "bob", "cat", "dan", "eve"))
    _connect(ada, bob)
    _connect(ada, cat)
    _connect(bob, dan)
    _connect(cat, eve)
    return [ada, bob, cat, dan, eve]


def test_a_friend_writes_to_ada_and_waits_for_her(cast, client_for):
    ada = cast[0]
    assert demo.create_conversations(cast, random.Random(3)) == 1

    (row,) = ConversationParticipant.objects.filter(account=ada)
    assert row.last_post_id > row.last_read_id  # unread: the friend wrote last
    friend = ConversationParticipant.objects.exclude(account=ada).get(conversation=row.conversation)
    assert friend.account.username in ("bob", "cat")
    assert friend.last_read_id == friend.last_post_id
    html = client_for(ada).get("/conversations").content.decode()
    assert f"/conversations/{row.conversation_id}" in html
    # Someone outside it gets a 404.
    outsider = client_for(cast[3]).get(f"/conversations/{row.conversation_id}")
    assert outsider.status_code == 404


def test_ada_gets_one_introduction_accepted_and_one_waiting(cast):
    ada = cast[0]
    assert demo.create_introductions(cast, random.Random(3)) == 2

    done = Introduction.objects.get(state=IntroductionState.CONNECTED)
    waiting = Introduction.objects.get(state=IntroductionState.PENDING)
    assert ada.pk in (done.first_id, done.second_id)
    assert ada.pk in (waiting.first_id, waiting.second_id)
    other = done.second if done.first_id == ada.pk else done.first
    assert Follow.objects.filter(source=ada, target=other).exists()
    assert Follow.objects.filter(source=other, target=ada).exists()
    # ada has read the "meet each other" message; the waiting one needs her answer only.
    (row,) = ConversationParticipant.objects.filter(account=ada)
    assert row.last_read_id == row.last_post_id
    ada_answer = waiting.first_answer if waiting.first_id == ada.pk else waiting.second_answer
    other_answer = waiting.second_answer if waiting.first_id == ada.pk else waiting.first_answer
    assert (ada_answer, other_answer) == ("", "accepted")


def test_recommendations_are_computed_for_everyone(cast):
    assert demo.create_recommendations() > 0
    assert Recommendation.objects.filter(account=cast[0]).exists()
