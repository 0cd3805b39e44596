"""The event cast: ann organises in Chicago, bob goes, cat is an outsider (see tests/conftest).

Tests run on a frozen clock on 1 March 2027, so the clock changes of March 2027 (US on
the 14th, UK and EU on the 28th) are ahead.
"""

from datetime import UTC, datetime

import pytest
import time_machine

from confab.events import actions
from confab.events.actions import EventDetails

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def details(**changes) -> EventDetails:
    fields = {
        "title": "PyData Austin meetup",
        "hashtag": "PyDataAustin",
        "time_zone": "America/Chicago",
        # After the US change (14 March), before the UK one (28 March): 19:00 CDT = 00:00 UTC.
        "starts_local": datetime(2027, 3, 20, 19, 0),
        "ends_local": datetime(2027, 3, 20, 21, 0),
        "venue": "Capital Factory",
        "city": "Austin, Texas",
        "description": "Talks and pizza.",
        "interests": ["python", "data"],
    }
    fields.update(changes)
    return EventDetails(**fields)


@pytest.fixture
def pydata(clock, ann):
    return actions.create_event(ann, details())


def form_data(**changes) -> dict:
    data = {
        "title": "PyData Austin meetup",
        "hashtag": "PyDataAustin",
        "description": "Talks and pizza.",
        "kind": "live",
        "venue": "Capital Factory",
        "city": "Austin, Texas",
        "online_url": "",
        "time_zone": "America/Chicago",
        "start_date": "2027-03-20",
        "start_time": "19:00",
        "end_date": "2027-03-20",
        "end_time": "21:00",
        "visibility": "public",
        "interests": "python data",
        "chat": "",
    }
    data.update(changes)
    return data
