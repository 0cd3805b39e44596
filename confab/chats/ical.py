"""iCalendar feeds of chat sessions, for calendar apps to subscribe to.

Each occurrence is its own VEVENT (expanded, not one VEVENT with the RRULE): a session can
have its own topic and guests, an extra session can be planned off the schedule, and
calendar apps differ in how well they apply RRULE exceptions, while every one of them reads
plain events. Start and end carry the TZID of the host's zone (with its VTIMEZONE), so
the app shows them at the host's wall-clock time, converted to the reader's zone, across
clock changes. UIDs name the chat and the UTC start, so an occurrence keeps its UID when
its row is materialised or planned later. The feed covers the next FEED_WEEKS weeks.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

import icalendar
from django.conf import settings
from django.utils import timezone

from confab.chats.queries import Occurrence

FEED_WEEKS = 12
PRODID = "-//Confab//Chats//EN"


def _absolute(path: str) -> str:
    scheme = "https" if settings.SECURE_SSL else "http"
    return f"{scheme}://{settings.INSTANCE_DOMAIN}{path}"


def occurrence_uid(occurrence: Occurrence) -> str:
    return f"chat-{occurrence.chat.pk}-{occurrence.starts_at:%Y%m%dT%H%M%SZ}@{settings.INSTANCE_DOMAIN}"


def feed(
    name: str,
    occurrences: Iterable[Occurrence],
    now: datetime | None = None,
    extra: Iterable[icalendar.Event] = (),
) -> bytes:
    """Return an iCalendar file with one VEVENT per occurrence, then the `extra` ones.

    `extra` holds other apps' entries for the private feed (events, meetups), made by
    their own ical modules; their zones get VTIMEZONEs like the chats'.
    """
    now = now or timezone.now()
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    for occurrence in occurrences:
        chat = occurrence.chat
        zone = chat.schedule.zone
        event = icalendar.Event()
        event.add("uid", occurrence_uid(occurrence))
        event.add("dtstamp", now)
        event.add("dtstart", occurrence.starts_at.astimezone(zone))
        event.add("dtend", occurrence.ends_at.astimezone(zone))
        summary = f"#{chat.hashtag.display_name}: {chat.title}"
        if occurrence.topic:
            summary += f" — {occurrence.topic}"
        event.add("summary", summary)
        event.add("url", _absolute(chat.get_absolute_url()))
        description = chat.description or chat.title
        event.add("description", f"{description}\n\n{_absolute(chat.get_absolute_url())}")
        calendar.add_component(event)
    for component in extra:
        calendar.add_component(component)
    today = now.date()
    calendar.add_missing_timezones(
        first_date=today - timedelta(days=366), last_date=today + timedelta(days=366 * 2)
    )
    return calendar.to_ical()
