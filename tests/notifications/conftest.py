import pytest

from confab.notifications.models import Notification


@pytest.fixture
def told():
    """Return what an account has been notified of, newest first: [(kind, actor), …]."""

    def read(account) -> list[tuple[str, str]]:
        rows = Notification.objects.filter(recipient=account).select_related("actor")
        return [(n.kind, n.actor.username) for n in rows.order_by("-id")]

    return read
