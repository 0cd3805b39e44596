import pytest

from confab.curation import actions
from confab.curation.actions import ListDetails
from confab.curation.models import List


@pytest.fixture
def make_list():
    def make(owner, title: str = "Science teachers", **details) -> List:
        return actions.create_list(owner, ListDetails(title=title, **details))

    return make
