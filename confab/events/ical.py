"""iCalendar for events: one file per event, and the events in someone's private feed.

As for chats (`confab.chats.ical`), start and end carry the TZID of the organiser's zone
with its VTIMEZONE, so a calendar app shows the organiser's wall-clock time converted to
its reader's zone, right across clock changes. The UID is the event's and stays the same
when it is edited (SEQUENCE counts the edits by their time), so calendar apps update the
entry in place; a cancelled event keeps its entry with STATUS:CANCELLED, which removes it.
"""

import zoneinfo
from collections.abc import Iterable
from datetime import datetime, timedelta

import icalendar
from django.conf import settings
from django.utils import timezone

from confab.chats import recurrence
from confab.events.models import Event
from confab.events.queries import calendar_events

PRODID = "-//Confab//Events//EN"


def _absolute(path: str) -> str:
    scheme = "https" if settings.SECURE_SSL else "http"
    return f"{scheme}://{settings.INSTANCE_DOMAIN}{path}"


def event_uid(event: Event) -> str:
    return f"event-{event.pk}@{settings.INSTANCE_DOMAIN}"


def component(event: Event, now: datetime | None = None) -> icalendar.Event:
    """Return the VEVENT of one event (its hashtag must be loaded)."""
    now = now or timezone.now()
    zone = event_zone(event)
    entry = icalendar.Event()
    entry.add("uid", event_uid(event))
    entry.add("dtstamp", now)
    entry.add("last-modified", event.updated_at)
    entry.add("sequence", int(event.updated_at.timestamp()) - int(event.created_at.timestamp()))
    entry.add("dtstart", event.starts_at.astimezone(zone))
    entry.add("dtend", event.ends_at.astimezone(zone))
    entry.add("summary", f"{event.title} #{event.hashtag.display_name}")
    url = _absolute(event.get_absolute_url())
    entry.add("url", url)
    if event.is_virtual:
        entry.add("location", event.online_url)
    else:
        entry.add("location", f"{event.venue}, {event.city_label}")
        if event.latitude is not None and event.longitude is not None:
            entry.add("geo", (event.latitude, event.longitude))
    entry.add("description", f"{event.description or event.title}\n\n{url}")
    entry.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    return entry


def event_zone(event: Event) -> zoneinfo.ZoneInfo:
    return recurrence.get_zone(event.time_zone)


def add_timezones(calendar: icalendar.Calendar, now: datetime, events: list[Event]) -> None:
    """Add the VTIMEZONEs the entries need, covering today and every event's dates."""
    first = min([now.date(), *(e.starts_at.date() for e in events)]) - timedelta(days=366)
    last = max([now.date(), *(e.ends_at.date() for e in events)]) + timedelta(days=366)
    calendar.add_missing_timezones(first_date=first, last_date=last)


def feed(name: str, events: Iterable[Event], now: datetime | None = None) -> bytes:
    """Return an iCalendar file with one VEVENT per event."""
    now = now or timezone.now()
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("refresh-interval", timedelta(hours=6), parameters={"VALUE": "DURATION"})
    events = list(events)
    for event in events:
        calendar.add_component(component(event, now))
    add_timezones(calendar, now, events)
    return calendar.to_ical()


# How far ahead the private feed carries events (they are announced months ahead).
PRIVATE_FEED_DAYS = 366


def private_feed_components(account, now: datetime) -> list[icalendar.Event]:
    """The VEVENTs of the events `account` hosts or goes to, for their private feed.

    Events that ended within the last week stay, so a calendar app does not drop them
    the minute they end.
    """
    events = calendar_events(
        account, now - timedelta(days=7), now + timedelta(days=PRIVATE_FEED_DAYS)
    )
    return [component(event, now) for event in events]
