"""The unread badge goes out live, once the write that changed it has committed."""

import pytest

from confab.notifications import actions
from confab.notifications.models import Notification
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
    # Each action commits on its own, and its count is taken once it has.
    for action in (
        lambda: post_actions.favourite(bob, post.id),
        lambda: post_actions.unfavourite(bob, post.id),
        lambda: actions.mark_all_read(ann),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            action()

    assert unread_events(ann) == [{"count": 2}, {"count": 1}, {"count": 0}]


def test_it_publishes_nothing_for_a_notification_not_sent(
    ann, make_post, django_capture_on_commit_callbacks
):
    post = make_post(ann, "Q1 is up")
    with django_capture_on_commit_callbacks(execute=True):
        post_actions.favourite(ann, post.id)

    assert unread_events(ann) == []


def test_a_count_that_fails_after_commit_does_not_fail_the_action(
    ann, bob, make_post, django_capture_on_commit_callbacks, monkeypatch
):
    post = make_post(ann, "Q1 is up")

    def broken(recipient):
        raise RuntimeError("the count failed")

    monkeypatch.setattr("confab.notifications.actions.unread_count", broken)
    with django_capture_on_commit_callbacks(execute=True):
        post_actions.favourite(bob, post.id)  # committed: must not raise

    assert Notification.objects.filter(recipient=ann, kind="favourite").exists()
    assert unread_events(ann) == []
