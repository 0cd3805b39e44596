"""The unread badge goes out live, once the write that changed it has committed."""

import pytest

from confab.notifications import actions
from confab.posts import actions as post_actions
from confab.realtime.broker import get_broker


@pytest.fixture(autouse=True)
def _fresh_broker():
    get_broker().reset()
    yield
    get_broker().reset()


def unread_events(account) -> list[dict]:
    ring = get_broker()._rings.get(f"notifications:{account.pk}", [])
    return [event.data for event in ring if event.type == "unread"]


def test_it_publishes_the_unread_count_after_commit(
    ann, bob, make_post, django_capture_on_commit_callbacks
):
    post = make_post(ann, "Q1 is up")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        post_actions.favourite(bob, post.id)
        assert unread_events(ann) == []

    for callback in callbacks:
        callback()
    assert unread_events(ann) == [{"count": 2}]


def test_it_publishes_the_count_when_ann_reads_and_when_bob_takes_back(
    ann, bob, make_post, django_capture_on_commit_callbacks
):
    post = make_post(ann, "Q1 is up")
    with django_capture_on_commit_callbacks(execute=True):
        post_actions.favourite(bob, post.id)
        post_actions.unfavourite(bob, post.id)
        actions.mark_all_read(ann)

    assert unread_events(ann) == [{"count": 2}, {"count": 1}, {"count": 0}]


def test_it_publishes_nothing_for_a_notification_not_sent(
    ann, make_post, django_capture_on_commit_callbacks
):
    post = make_post(ann, "Q1 is up")
    with django_capture_on_commit_callbacks(execute=True):
        post_actions.favourite(ann, post.id)

    assert unread_events(ann) == []
