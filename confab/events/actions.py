"""Everything that changes events, their hosts and RSVPs.

Each action validates, writes in one transaction and raises ValidationError (with field
errors), PermissionDenied (someone who is not a host) or Http404 (an event the actor may
not see). The reminder is a job enqueued with a key naming the event and its start:

- `events.remind`, key `event-remind:<event>:<start>`, REMIND_BEFORE_* before the start.
  A rescheduled event gets a new job (a new key); the old one finds the start moved and
  does nothing. Each person is reminded once per start (`EventReminder`).
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from confab.accounts.models import Account
from confab.chats import recurrence
from confab.chats.models import Chat
from confab.core import places
from confab.core.text import is_valid_hashtag, normalize_hashtag
from confab.events import queries
from confab.events.models import (
    RSVP,
    Event,
    EventHost,
    EventHostRole,
    EventVisibility,
    RSVPState,
)
from confab.notifications import actions as notifications
from confab.notifications.models import Kind
from confab.posts.tags import get_or_create_hashtags
from confab.posts.visibility import blocked_between
from confab.worker.actions import enqueue

MAX_INTERESTS = 10
MAX_DAYS = 14
MAX_COHOSTS = 10
# People need longer to get to a venue than to open a link.
REMIND_BEFORE_LIVE = timedelta(hours=24)
REMIND_BEFORE_VIRTUAL = timedelta(hours=1)

_url = URLValidator(schemes=["http", "https"])


@dataclass
class EventDetails:
    """What a host fills in on the event form. Times are wall-clock in `time_zone`."""

    title: str
    hashtag: str
    time_zone: str
    starts_local: datetime  # naive
    ends_local: datetime  # naive
    is_virtual: bool = False
    venue: str = ""
    city: str = ""  # as typed; resolved through the gazetteer
    online_url: str = ""
    description: str = ""
    visibility: str = EventVisibility.PUBLIC
    interests: Sequence[str] = ()
    chat: str = ""  # the hashtag of a chat to link, "" for none


@dataclass
class _Checked:
    tag: str
    interests: list[str]
    city: places.City | None
    starts_at: datetime
    ends_at: datetime
    chat: Chat | None


def _check_place(details: EventDetails, errors: dict[str, list[str]]) -> places.City | None:
    url = details.online_url.strip()
    if url:
        try:
            _url(url)
        except ValidationError:
            errors["online_url"] = [
                "That is not a web address: give the whole link, starting with https://."
            ]
    if details.is_virtual:
        if not url:
            errors["online_url"] = ["An online event needs the link people join at."]
        return None
    if not details.venue.strip():
        errors["venue"] = ["Say where it happens: the venue's name or address."]
    elif len(details.venue.strip()) > 200:
        errors["venue"] = ["Keep the venue to 200 characters."]
    if not details.city.strip():
        errors["city"] = ["Name the city it happens in."]
        return None
    try:
        return places.resolve_city(details.city)
    except places.PlaceError as exc:
        errors["city"] = [exc.message]
        return None


def _check_times(
    details: EventDetails, errors: dict[str, list[str]], previous: Event | None, now: datetime
) -> tuple[datetime, datetime]:
    if details.starts_local.tzinfo is not None or details.ends_local.tzinfo is not None:
        raise ValueError("starts_local and ends_local must be naive (wall-clock times)")
    try:
        zone = recurrence.get_zone(details.time_zone.strip())
    except ValidationError as exc:
        errors.update(exc.message_dict)
        zone = recurrence.get_zone("UTC")
    starts_at = recurrence.to_utc(details.starts_local.replace(second=0, microsecond=0), zone)
    ends_at = recurrence.to_utc(details.ends_local.replace(second=0, microsecond=0), zone)
    # Editing a running event's description must not fail because it started already.
    moved = previous is None or previous.starts_at != starts_at
    if moved and starts_at <= now:
        errors["starts_at"] = ["That time has passed: the event must start in the future."]
    if ends_at <= starts_at:
        errors["ends_at"] = ["The end must come after the start."]
    elif ends_at - starts_at > timedelta(days=MAX_DAYS):
        errors["ends_at"] = [f"An event lasts at most {MAX_DAYS} days."]
    return starts_at, ends_at


def _check(
    details: EventDetails, previous: Event | None = None, now: datetime | None = None
) -> _Checked:
    errors: dict[str, list[str]] = {}
    now = now or timezone.now()
    title = details.title.strip()
    if not title:
        errors["title"] = ["Give the event a title."]
    elif len(title) > 120:
        errors["title"] = ["Keep the title to 120 characters."]
    if len(details.description) > 5000:
        errors["description"] = ["Keep the description to 5,000 characters."]
    tag = details.hashtag.strip().removeprefix("#")
    if not is_valid_hashtag(tag):
        errors["hashtag"] = [
            f"“{details.hashtag.strip()}” is not a hashtag: use letters, digits and "
            "underscores, with at least one letter."
        ]
    if details.visibility not in EventVisibility.values:
        errors["visibility"] = ["Choose who can find the event."]
    city = _check_place(details, errors)
    starts_at, ends_at = _check_times(details, errors, previous, now)
    interests: list[str] = []
    bad = []
    for raw in details.interests:
        name = raw.strip().lstrip("#")
        if not name:
            continue
        if not is_valid_hashtag(name):
            bad.append(raw.strip())
        elif normalize_hashtag(name) not in {normalize_hashtag(t) for t in interests}:
            interests.append(name)
    if bad:
        errors["interests"] = [f"Not hashtags: {', '.join(bad)}."]
    elif len(interests) > MAX_INTERESTS:
        errors["interests"] = [f"Pick at most {MAX_INTERESTS} interests."]
    chat = None
    chat_tag = details.chat.strip().lstrip("#")
    if chat_tag:
        chat = Chat.objects.filter(hashtag__name=normalize_hashtag(chat_tag)).first()
        if chat is None:
            errors["chat"] = [f"No chat here uses #{chat_tag}. Leave it empty for none."]
    if errors:
        raise ValidationError(errors)
    return _Checked(tag, interests, city, starts_at, ends_at, chat)


def _apply(event: Event, details: EventDetails, checked: _Checked) -> None:
    event.title = details.title.strip()
    event.description = details.description.strip()
    event.is_virtual = details.is_virtual
    event.online_url = details.online_url.strip()
    city = checked.city
    event.venue = "" if details.is_virtual else details.venue.strip()
    event.city_id = city.id if city else None
    event.city_label = city.label if city else ""
    event.country_code = city.country_code if city else ""
    event.latitude = city.latitude if city else None
    event.longitude = city.longitude if city else None
    event.time_zone = details.time_zone.strip()
    event.starts_at = checked.starts_at
    event.ends_at = checked.ends_at
    event.visibility = details.visibility
    event.chat = checked.chat


@transaction.atomic
def create_event(owner: Account, details: EventDetails, *, now: datetime | None = None) -> Event:
    """Create an event hosted by `owner` and plan its reminder.

    `now` is for back-dated demo data (an event that has happened); pages never pass it.
    """
    checked = _check(details, now=now)
    (tag,) = get_or_create_hashtags([checked.tag])
    event = Event(hashtag=tag, created_by=owner)
    _apply(event, details, checked)
    event.save()
    event.interests.set(get_or_create_hashtags(checked.interests))
    EventHost.objects.create(event=event, account=owner, role=EventHostRole.HOST)
    _enqueue_reminder(event)
    return event


def _host_or_403(actor: Account, event: Event, *, owner: bool = False) -> str:
    role = (
        EventHost.objects.filter(event=event, account=actor).values_list("role", flat=True).first()
    )
    if role is None or (owner and role != EventHostRole.HOST):
        raise PermissionDenied("Only the event's hosts can do that.")
    return role


def _what_changed(before: dict, event: Event) -> list[str]:
    changed = []
    if (before["starts_at"], before["ends_at"]) != (event.starts_at, event.ends_at):
        changed.append("time")
    if (before["venue"], before["city_id"], before["is_virtual"]) != (
        event.venue,
        event.city_id,
        event.is_virtual,
    ):
        changed.append("place")
    if before["online_url"] != event.online_url:
        changed.append("link")
    return changed


@transaction.atomic
def update_event(actor: Account, event: Event, details: EventDetails) -> list[str]:
    """Change an event (hosts only); return what changed that attendees hear about.

    A new time, place or link is told to the hosts and everyone going or interested; a
    new start plans a new reminder. The hashtag can change (a typo), not the owner.
    """
    _host_or_403(actor, event)
    if event.is_cancelled:
        raise ValidationError("A cancelled event cannot be edited.")
    checked = _check(details, previous=event)
    before = {
        name: getattr(event, name)
        for name in ("starts_at", "ends_at", "venue", "city_id", "is_virtual", "online_url")
    }
    if normalize_hashtag(checked.tag) != event.hashtag.name:
        (event.hashtag,) = get_or_create_hashtags([checked.tag])
    _apply(event, details, checked)
    event.save()
    event.interests.set(get_or_create_hashtags(checked.interests))
    changed = _what_changed(before, event)
    if changed:
        if "time" in changed:
            _enqueue_reminder(event)
        _tell(event, actor, f"{event.title}: new {' and '.join(changed)}")
    return changed


@transaction.atomic
def cancel_event(actor: Account, event: Event) -> None:
    """Call the event off (hosts only): everyone going or interested hears of it."""
    _host_or_403(actor, event)
    if event.is_cancelled:
        return
    event.cancelled_at = timezone.now()
    event.save(update_fields=["cancelled_at", "updated_at"])
    _tell(event, actor, f"{event.title} is cancelled")


def _tell(event: Event, actor: Account, detail: str) -> None:
    link = reverse("events:event", args=[event.pk])
    # `notify` leaves out anyone blocked either way, or who turned event news off.
    for account in queries.answered_accounts(event).exclude(pk=actor.pk):
        notifications.notify(account, Kind.EVENT, actor, link=link, detail=detail[:200])


@transaction.atomic
def rsvp(
    account: Account,
    event_id: int,
    state: str,
    *,
    listed: bool = True,
    now: datetime | None = None,
) -> RSVP:
    """Answer an event: going, interested or not going; `listed` False keeps you unnamed.

    Someone who may not see the event gets Http404, as if it did not exist. A cancelled or
    finished event takes no new answers. The hosts hear when someone new is going.
    """
    event = queries.get_event(account, event_id)
    if state not in RSVPState.values:
        raise ValidationError({"state": ["Choose going, interested or not going."]})
    if event.is_cancelled:
        raise ValidationError({"state": ["This event is cancelled."]})
    if event.ends_at <= (now or timezone.now()):
        raise ValidationError({"state": ["This event is over."]})
    found = RSVP.objects.select_for_update().filter(event=event, account=account).first()
    was_going = found is not None and found.state == RSVPState.GOING
    if found is None:
        # get_or_create: two quick clicks answer once (the second finds the first's row).
        found, created = RSVP.objects.get_or_create(
            event=event, account=account, defaults={"state": state, "listed": listed}
        )
        was_going = not created and found.state == RSVPState.GOING
    if (found.state, found.listed) != (state, listed):
        found.state, found.listed = state, listed
        found.save(update_fields=["state", "listed", "updated_at"])
    if state == RSVPState.GOING and not was_going:
        link = reverse("events:event", args=[event.pk])
        for host in event.hosts.all():
            notifications.notify(
                host.account, Kind.EVENT, account, link=link, detail=f"Going to {event.title}"
            )
    return found


@transaction.atomic
def add_cohost(actor: Account, event: Event, account: Account) -> EventHost:
    """Make `account` a co-host (any host may); they hear of it."""
    _host_or_403(actor, event)
    if not account.is_local:
        raise ValidationError({"account": ["Only people on this server can co-host."]})
    if blocked_between(actor, account):
        raise ValidationError({"account": ["No one here has that username."]})
    if EventHost.objects.filter(event=event).count() > MAX_COHOSTS:
        raise ValidationError({"account": [f"An event has at most {MAX_COHOSTS} co-hosts."]})
    found, created = EventHost.objects.get_or_create(
        event=event, account=account, defaults={"role": EventHostRole.COHOST}
    )
    if created:
        notifications.notify(
            account,
            Kind.EVENT,
            actor,
            link=reverse("events:event", args=[event.pk]),
            detail=f"You co-host {event.title}",
        )
    return found


@transaction.atomic
def remove_cohost(actor: Account, event: Event, account: Account) -> None:
    """Remove a co-host: the owner may remove anyone but themself; a co-host, themself."""
    _host_or_403(actor, event, owner=actor.pk != account.pk)
    EventHost.objects.filter(event=event, account=account, role=EventHostRole.COHOST).delete()


def remind_before(event: Event) -> timedelta:
    return REMIND_BEFORE_VIRTUAL if event.is_virtual else REMIND_BEFORE_LIVE


def reminder_key(event: Event) -> str:
    return f"event-remind:{event.pk}:{event.starts_at:%Y%m%dT%H%M%SZ}"


def _enqueue_reminder(event: Event) -> None:
    enqueue(
        "events.remind",
        {"event": event.pk, "starts_at": event.starts_at.isoformat()},
        due_at=event.starts_at - remind_before(event),
        key=reminder_key(event),
    )
