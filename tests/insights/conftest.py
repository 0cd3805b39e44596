"""Scheduled posts and insights run on a frozen clock in early 2027: Monday 1 March, noon
UTC, before the clock changes of March 2027 (US on the 14th, Europe on the 28th)."""

from datetime import UTC, datetime

import pytest
import time_machine

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)  # a Monday


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def berliner(make_account):
    """ann's colleague in Berlin, one hour ahead of UTC in winter."""
    return make_account("berta", time_zone="Europe/Berlin")
