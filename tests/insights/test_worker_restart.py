"""Scheduled posts published exactly once by a worker process killed halfway and restarted."""

import signal
import time
from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from confab.insights import actions
from confab.insights.models import ScheduledPost, ScheduledState
from confab.posts.models import Post
from confab.worker.registry import DEFAULT_LEASE
from confab.worker.runner import Worker
from tests.worker.conftest import shared_database  # noqa: F401  (the fixture)
from tests.worker.test_race import wait_for

POSTS = 150
TIMEOUT = 60


@pytest.mark.usefixtures("shared_database")
def test_a_killed_and_restarted_worker_publishes_each_post_once(shared_database, ann):  # noqa: F811
    due = timezone.now().replace(second=0, microsecond=0)
    for number in range(POSTS):
        # Scheduled "six minutes ago" for this minute, so they are all due now.
        actions.schedule(
            ann, f"Scheduled {number}", scheduled_for=due, now=due - timedelta(minutes=6)
        )
    process, ready, go = shared_database.start_worker("doomed")
    wait_for(ready, process)
    go.touch()
    deadline = time.monotonic() + TIMEOUT
    while ScheduledPost.objects.filter(state=ScheduledState.PUBLISHED).count() < 10:
        assert process.poll() is None, process.stdout.read()
        assert time.monotonic() < deadline, "the worker published nothing"
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=TIMEOUT)
    published_before = ScheduledPost.objects.filter(state=ScheduledState.PUBLISHED).count()
    assert published_before < POSTS, "the worker finished before it was killed"

    # The restarted worker takes the rest, and the job the killed one held after its lease.
    with time_machine.travel(timezone.now() + DEFAULT_LEASE + timedelta(seconds=1)):
        Worker(name="restarted").drain()

    rows = ScheduledPost.objects.all()
    assert set(rows.values_list("state", flat=True)) == {ScheduledState.PUBLISHED}
    texts = Counter(Post.objects.values_list("text", flat=True))
    assert len(texts) == POSTS
    assert set(texts.values()) == {1}, "a scheduled post was published twice"
    assert set(rows.values_list("post_id", flat=True)) == set(
        Post.objects.values_list("id", flat=True)
    )
