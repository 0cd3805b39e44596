"""Scheduled posts for the demo community (`confab demo`): a few waiting in ada's queue.

Written through `confab.insights.actions.schedule`, so each has its publishing job and
appears at /scheduled; times are wall-clock in ada's zone, so many days from today.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from confab.accounts.models import Account
from confab.insights import actions
from confab.insights.models import ScheduledPost
from confab.posts.models import Visibility

# (days from today, local time, text, visibility)
SCHEDULED = (
    (
        1,
        time(7, 30),
        "Good morning! Tonight's #SciTeachChat is about labs that failed gloriously. "
        "Bring your best disaster story. #STEM",
        Visibility.PUBLIC,
    ),
    (
        3,
        time(16, 0),
        "Reminder for my followers: the lab swap sign-up sheet closes on Friday. "
        "Tell me which lab you're bringing! #MakerEd",
        Visibility.PRIVATE,
    ),
    (
        8,
        time(12, 15),
        "New blog post: five phenomena that hook a Monday-morning class, and the questions "
        "my students asked about each. https://example.org/ada/blog/phenomena #NGSS #SciComm",
        Visibility.PUBLIC,
    ),
)


def create_scheduled_posts(accounts: list[Account], now: datetime | None = None) -> int:
    """Queue ada's scheduled posts; return how many."""
    now = now or timezone.now()
    ada = next((a for a in accounts if a.username == "ada"), None)
    if ada is None:
        return 0
    today = now.astimezone(actions.account_zone(ada)).date()
    for days, at, text, visibility in SCHEDULED:
        actions.schedule(
            ada,
            text,
            scheduled_for=datetime.combine(today + timedelta(days=days), at),
            visibility=visibility,
            now=now,
        )
    return len(SCHEDULED)


def count() -> int:
    return ScheduledPost.objects.count()
