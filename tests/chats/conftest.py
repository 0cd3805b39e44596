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
