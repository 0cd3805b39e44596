"""Who hears of what: each kind of notification, and everyone who must never be told.

ann writes, bob follows ann and reacts to her posts, cat is an outsider; dan joins when a
test needs a third voice.
"""

import pytest

from confab.accounts import actions as account_actions
from confab.notifications import actions
from confab.notifications.models import Notification
from confab.posts import actions as post_actions
from confab.posts.models import Visibility


@pytest.fixture
def dan(make_account):
    return make_account("dan", display_name="Dan Reader")


# --- Each kind ----------------------------------------------------------------------------


def test_it_tells_ann_that_bob_followed_her(ann, bob, told):
    assert told(ann) == [("follow", "bob")]


def test_it_tells_a_locked_account_of_a_follow_request(make_account, cat, told):
    lou = make_account("lou", locked=True)

    assert account_actions.follow(cat, lou) == "requested"
    account_actions.follow(cat, lou)  # asking twice is one request

    assert told(lou) == [("follow_request", "cat")]


def test_it_tells_the_people_a_post_mentions(ann, bob, cat, make_post, told):
    post = make_post(ann, "Welcome @bob and @cat, and @nobody_here and @someone@example.com")

    assert told(bob)[0] == ("mention", "ann")
    assert told(cat) == [("mention", "ann")]
    assert Notification.objects.get(recipient=cat).post == post


def test_it_tells_the_author_of_the_post_replied_to(ann, bob, make_post, told):
    question = make_post(ann, "Q1: what got you into teaching?")

    make_post(bob, "A1: a great teacher", in_reply_to_id=question.id)

    assert told(ann) == [("reply", "bob"), ("follow", "bob")]


def test_it_tells_someone_replied_to_and_mentioned_once_as_a_reply(ann, bob, cat, make_post, told):
    question = make_post(ann, "Q1: what got you into teaching?")

    make_post(bob, "@ann A1: a great teacher, ask @cat too", in_reply_to_id=question.id)

    assert told(ann) == [("reply", "bob"), ("follow", "bob")]
    assert told(cat) == [("mention", "bob")]


def test_it_tells_ann_of_favourites_and_boosts(ann, bob, make_post, told):
    post = make_post(ann, "Q1 is up")

    post_actions.favourite(bob, post.id)
    post_actions.favourite(bob, post.id)  # favouriting twice is one favourite
    post_actions.boost(bob, post.id)

    assert told(ann) == [("boost", "bob"), ("favourite", "bob"), ("follow", "bob")]
    assert {n.post for n in Notification.objects.filter(kind__in=["favourite", "boost"])} == {post}


def test_it_tells_ann_of_a_favourite_through_a_boost(ann, bob, cat, make_post, told):
    post = make_post(ann, "Q1 is up")
    boosted = post_actions.boost(bob, post.id)

    post_actions.favourite(cat, boosted.id)

    assert told(ann)[0] == ("favourite", "cat")
    assert Notification.objects.get(kind="favourite").post == post


def test_it_tells_a_mentioned_person_of_a_direct_post(ann, cat, make_post, told):
    make_post(ann, "@cat just between us", visibility=Visibility.DIRECT)

    assert told(cat) == [("mention", "ann")]


# --- Nobody hears of their own doings, or of what they may not see --------------------------


def test_it_does_not_tell_people_of_their_own_doings(ann, make_post, told):
    post = make_post(ann, "Note to self, @ann")
    make_post(ann, "and a reply to myself", in_reply_to_id=post.id)
    post_actions.favourite(ann, post.id)
    post_actions.boost(ann, post.id)

    assert told(ann) == []


def test_it_does_not_tell_someone_of_a_reply_they_cannot_see(ann, bob, make_post, told):
    question = make_post(ann, "Q1 is up")

    # A direct reply that does not mention ann is for bob's eyes only.
    make_post(bob, "note to self", in_reply_to_id=question.id, visibility=Visibility.DIRECT)

    assert ("reply", "bob") not in told(ann)


# --- Blocks and mutes ---------------------------------------------------------------------


def test_it_does_not_tell_ann_of_someone_she_blocked(ann, cat, make_post, told):
    account_actions.block(ann, cat)

    make_post(cat, "Hey @ann")

    assert told(ann) == []


def test_it_does_not_tell_ann_of_someone_who_blocked_her(ann, cat, make_post, told):
    account_actions.block(cat, ann)

    make_post(cat, "Talking about @ann behind her back")

    assert told(ann) == []


def test_it_does_not_tell_ann_of_someone_she_muted(ann, cat, make_post, told):
    post = make_post(ann, "Q1 is up")
    account_actions.mute(ann, cat)

    account_actions.follow(cat, ann)
    make_post(cat, "@ann hello", in_reply_to_id=post.id)
    make_post(cat, "Hey @ann")
    post_actions.favourite(cat, post.id)
    post_actions.boost(cat, post.id)

    assert told(ann) == []


def test_it_tells_ann_again_once_she_unmutes(ann, cat, make_post, told):
    account_actions.mute(ann, cat)
    account_actions.unmute(ann, cat)

    make_post(cat, "Hey @ann")

    assert told(ann) == [("mention", "cat")]


# --- Settings -----------------------------------------------------------------------------


def test_it_does_not_tell_ann_of_a_kind_she_turned_off(ann, bob, make_post, told):
    actions.update_settings(ann, {"favourite": False})
    post = make_post(ann, "Q1 is up")

    post_actions.favourite(bob, post.id)
    make_post(bob, "Nice one @ann")

    assert told(ann) == [("mention", "bob"), ("follow", "bob")]


def test_it_refuses_a_setting_that_is_not_a_kind(ann):
    with pytest.raises(ValueError, match="poke"):
        actions.update_settings(ann, {"poke": False})


# --- Undoing ------------------------------------------------------------------------------


def test_it_takes_back_an_unread_favourite_and_boost_when_undone(ann, bob, make_post, told):
    post = make_post(ann, "Q1 is up")
    post_actions.favourite(bob, post.id)
    post_actions.boost(bob, post.id)

    post_actions.unfavourite(bob, post.id)
    post_actions.unboost(bob, post.id)

    assert told(ann) == [("follow", "bob")]


def test_it_keeps_a_read_favourite_when_undone(ann, bob, make_post, told):
    post = make_post(ann, "Q1 is up")
    post_actions.favourite(bob, post.id)
    actions.mark_all_read(ann)

    post_actions.unfavourite(bob, post.id)

    assert told(ann) == [("favourite", "bob"), ("follow", "bob")]


def test_it_takes_back_a_follow_and_a_follow_request(ann, bob, make_account, told):
    lou = make_account("lou", locked=True)
    account_actions.follow(bob, lou)

    account_actions.unfollow(bob, ann)
    account_actions.unfollow(bob, lou)

    assert told(ann) == []
    assert told(lou) == []


def test_it_forgets_what_a_deleted_post_caused(ann, bob, cat, make_post, told):
    post = make_post(ann, "Q1 is up, @cat")
    post_actions.favourite(bob, post.id)

    post_actions.delete(ann, post.id)

    assert told(ann) == [("follow", "bob")]
    assert told(cat) == []
