"""The chat cast: ann hosts #EduMatch (Tuesdays, 8 pm New York), bob follows it, cat is
an outsider. Tests run on a frozen clock in early 2027, so the clock changes of March 2027
(US on the 14th, UK on the 28th) are ahead."""

from datetime import UTC, datetime

import pytest
import time_machine

from confab.chats import actions
from confab.chats.actions import ChatDetails

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def details(**changes) -> ChatDetails:
    fields = {
        "title": "Educators who match",
        "time_zone": "America/New_York",
        "starts_at_local": datetime(2027, 1, 5, 20, 0),
        "duration": 60,
        "rrule": "FREQ=WEEKLY;BYDAY=TU",
        "description": "Teachers talking shop.",
        "interests": ["stem", "edtech"],
    }
    fields.update(changes)
    return ChatDetails(**fields)


@pytest.fixture
def edumatch(clock, ann):
    return actions.create_chat(ann, "EduMatch", details())


def live_session(owner, hashtag: str, questions=(), guests=()):
    """Make a one-off chat whose session started a minute ago, by the real clock.

    For tests where a server runs in another thread or an event loop: they share the
    process clock, so a session made live this way needs no time travel while they run.
    """
    from datetime import timedelta

    from django.utils import timezone

    starts_at = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=1)
    local = starts_at.replace(tzinfo=None)
    with time_machine.travel(starts_at - timedelta(minutes=5), tick=False):
        chat = actions.create_chat(
            owner, hashtag, details(time_zone="UTC", starts_at_local=local, rrule="")
        )
        return actions.plan_session(
            chat, owner, starts_at, questions=list(questions), guests=list(guests)
        )
