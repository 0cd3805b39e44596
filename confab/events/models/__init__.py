"""Events with RSVPs; trips and meetups: one module each."""

from confab.events.models.events import *  # noqa: F403
from confab.events.models.travel import *  # noqa: F403
