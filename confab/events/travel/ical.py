"""Confirmed meetups as iCalendar VEVENTs, for the private feed and a one-meetup file.

Start and end carry the TZID of the meetup's zone (the city's, or the organiser's), so a
calendar app shows the wall-clock time of the place, converted to the reader's zone. The
UID names the meetup alone, so a calendar keeps one entry per meetup.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

import icalendar
from django.conf import settings
from django.utils import timezone

from confab.accounts.models import Account
from confab.events.models.travel import Meetup
from confab.events.travel import queries

PRODID = "-//Confab//Meetups//EN"


def _absolute(path: str) -> str:
    scheme = "https" if settings.SECURE_SSL else "http"
    return f"{scheme}://{settings.INSTANCE_DOMAIN}{path}"


def meetup_uid(meetup: Meetup) -> str:
    return f"meetup-{meetup.pk}@{settings.INSTANCE_DOMAIN}"


def meetup_event(meetup: Meetup, now: datetime) -> icalendar.Event:
    """Return the VEVENT of a confirmed meetup."""
    option = meetup.confirmed_option
    assert option is not None
    zone = meetup.zone
    url = _absolute(meetup.get_absolute_url())
    event = icalendar.Event()
    event.add("uid", meetup_uid(meetup))
    event.add("dtstamp", now)
    event.add("dtstart", option.starts_at.astimezone(zone))
    event.add("dtend", (option.starts_at + meetup.duration).astimezone(zone))
    event.add("summary", meetup.title)
    location = meetup.place + (f", {meetup.city_label}" if meetup.city_label else "")
    event.add("location", location)
    event.add("url", url)
    lines = [f"Organised by {meetup.organiser.name} (@{meetup.organiser.acct})."]
    if meetup.note:
        lines.append(meetup.note)
    lines.append(url)
    event.add("description", "\n\n".join(lines))
    event.add("status", "CONFIRMED")
    return event


def meetup_events(account: Account, now: datetime | None = None) -> list[icalendar.Event]:
    """Return VEVENTs of the confirmed meetups `account` is going to, for their feed."""
    now = now or timezone.now()
    return [
        meetup_event(m, now)
        for m in queries.calendar_meetups(account, since=now - timedelta(days=7))
    ]


def calendar(name: str, events: Iterable[icalendar.Event], now: datetime | None = None) -> bytes:
    """Return an iCalendar file holding `events`, with the time zones they name."""
    now = now or timezone.now()
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    for event in events:
        cal.add_component(event)
    today = now.date()
    cal.add_missing_timezones(
        first_date=today - timedelta(days=366), last_date=today + timedelta(days=366 * 2)
    )
    return cal.to_ical()
