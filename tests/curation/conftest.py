import pytest

from confab.curation import actions
from confab.curation.actions import ListDetails
from confab.curation.models import List


@pytest.fixture
def make_list():
    def make(owner, title: str = "Science teachers", **details) -> List:
        return actions.create_list(owner, ListDetails(title=title, **details))

    return make


def chat_details(**changes):
    from datetime import datetime

    from confab.chats.actions import ChatDetails

    fields = {
        "title": "Educators who match",
        "time_zone": "America/New_York",
        "starts_at_local": datetime(2027, 1, 5, 20, 0),
        "duration": 60,
        "rrule": "FREQ=WEEKLY;BYDAY=TU",
        "description": "Teachers talking shop.",
        "interests": ["STEM", "EdTech"],
    }
    fields.update(changes)
    return ChatDetails(**fields)


@pytest.fixture
def make_chat():
    from confab.chats import actions as chat_actions

    def make(owner, hashtag: str = "EduMatch", **changes):
        return chat_actions.create_chat(owner, hashtag, chat_details(**changes))

    return make


@pytest.fixture
def make_kit():
    def make(owner, title: str = "Science teachers to follow", description: str = ""):
        return actions.create_kit(owner, title, description)

    return make
