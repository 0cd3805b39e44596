"""Search, conversations, people worth meeting and introductions: one module each."""

from confab.connections.models.conversations import *  # noqa: F403
from confab.connections.models.people import *  # noqa: F403
from confab.connections.models.search import *  # noqa: F403
