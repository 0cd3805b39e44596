"""The demo's scheduled posts (confab.insights.demo): waiting in ada's queue, in her zone."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from confab.insights import demo
from confab.insights.models import ScheduledPost, ScheduledState
from confab.worker.models import Job

pytestmark = pytest.mark.django_db


def test_adas_posts_wait_at_her_local_times(make_account, client_for):
    ada = make_account("ada", time_zone="America/Los_Angeles")
    other = make_account("bob")
    now = datetime(2027, 1, 10, 18, 0, tzinfo=UTC)  # 10:00 in Los Angeles

    assert demo.create_scheduled_posts([other, ada], now=now) == len(demo.SCHEDULED)

    rows = ScheduledPost.objects.filter(account=ada, state=ScheduledState.PENDING)
    local = sorted(row.scheduled_at.astimezone(ZoneInfo(ada.time_zone)) for row in rows)
    assert [(t.day, t.hour, t.minute) for t in local] == [(11, 7, 30), (13, 16, 0), (18, 12, 15)]
    assert Job.objects.filter(kind="insights.publish_scheduled").count() == 3
    assert not ScheduledPost.objects.filter(account=other).exists()
    html = client_for(ada).get("/scheduled").content.decode()
    assert "labs that failed gloriously" in html
    # Nobody else sees ada's queue.
    assert "labs that failed gloriously" not in client_for(other).get("/scheduled").content.decode()
