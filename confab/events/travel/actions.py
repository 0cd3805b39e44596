"""Everything that writes trips and meetups.

Each action validates, writes in one transaction and raises ValidationError (with field
errors where a field is to blame) or Http404 (for a trip or meetup the actor may not touch).
"""

import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from confab.accounts.models import Account, Block
from confab.core import places
from confab.curation.models import List
from confab.events.models.travel import Meetup, MeetupInvite, MeetupOption, MeetupVote, Trip
from confab.events.travel.queries import acquaintances
from confab.notifications.actions import notify
from confab.notifications.models import Kind
from confab.worker.actions import enqueue

MAX_TRIP_DAYS = 366
MAX_TRIPS_AHEAD = 200
MAX_INVITEES = 10
MAX_OPTIONS = 5
MAX_MEETUP_DAYS_AHEAD = 400
DURATIONS = (30, 60, 90, 120, 180, 240, 360, 480)
REMIND_BEFORE = timedelta(hours=1)


# --- Trips --------------------------------------------------------------------------------


@dataclass
class TripDetails:
    city: str  # as typed; resolved through the gazetteer
    starts_on: date
    ends_on: date
    audience: str = Trip.Audience.MUTUALS
    audience_list_id: int | None = None
    note: str = ""


def _today_in(city: places.City) -> date:
    """Today's date where the trip happens: a trip to Auckland "today" is judged there."""
    try:
        zone = zoneinfo.ZoneInfo(city.timezone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    return timezone.now().astimezone(zone).date()


def _check_trip(
    traveller: Account, details: TripDetails, existing: Trip | None
) -> tuple[places.City | None, List | None]:
    errors: dict[str, list[str]] = {}
    city = None
    try:
        city = places.resolve_city(details.city)
    except places.PlaceError as exc:
        errors["city"] = [exc.message]
    today = _today_in(city) if city else timezone.now().date()
    # Editing a trip that is under way keeps its first day; a new one cannot start before today.
    keeps_start = existing is not None and existing.starts_on == details.starts_on
    if details.starts_on < today and not keeps_start:
        errors["starts_on"] = ["That day has passed. Pick today or a later day."]
    if details.ends_on < details.starts_on:
        errors["ends_on"] = ["The last day cannot be before the first day."]
    elif details.ends_on < today:
        errors["ends_on"] = ["That day has passed. Pick today or a later day."]
    elif (details.ends_on - details.starts_on).days >= MAX_TRIP_DAYS:
        errors["ends_on"] = ["A trip can last at most a year. Split longer stays in two."]
    if details.audience not in Trip.Audience.values:
        errors["audience"] = ["Choose who may see this trip."]
    chosen = None
    if details.audience == Trip.Audience.LIST:
        if details.audience_list_id is not None:
            chosen = List.objects.filter(pk=details.audience_list_id, owner=traveller).first()
        if chosen is None:
            errors["audience_list"] = ["Choose one of your lists."]
    if len(details.note.strip()) > 500:
        errors["note"] = [f"Keep the note to 500 characters (it has {len(details.note.strip())})."]
    if errors:
        raise ValidationError(errors)
    return city, chosen


def _apply(trip: Trip, city: places.City, chosen: List | None, details: TripDetails) -> None:
    trip.city_id, trip.city_label, trip.country_code = city.id, city.label, city.country_code
    trip.latitude, trip.longitude = city.latitude, city.longitude
    trip.starts_on, trip.ends_on = details.starts_on, details.ends_on
    trip.audience = details.audience
    trip.audience_list = chosen
    trip.note = details.note.strip()


@transaction.atomic
def create_trip(traveller: Account, details: TripDetails) -> Trip:
    """Say where one will be and when, for the audience one picks."""
    city, chosen = _check_trip(traveller, details, None)
    assert city is not None
    upcoming = Trip.objects.filter(traveller=traveller, ends_on__gte=_today_in(city))
    if upcoming.count() >= MAX_TRIPS_AHEAD:
        raise ValidationError(
            f"You can plan at most {MAX_TRIPS_AHEAD} trips ahead. Delete one first."
        )
    trip = Trip(traveller=traveller)
    _apply(trip, city, chosen, details)
    trip.save()
    return trip


@transaction.atomic
def update_trip(traveller: Account, trip: Trip, details: TripDetails) -> Trip:
    if trip.traveller_id != traveller.pk:
        raise Http404("No such trip.")
    city, chosen = _check_trip(traveller, details, trip)
    assert city is not None
    _apply(trip, city, chosen, details)
    trip.save()
    return trip


@transaction.atomic
def delete_trip(traveller: Account, trip: Trip) -> None:
    if trip.traveller_id != traveller.pk:
        raise Http404("No such trip.")
    trip.delete()


# --- Meetups ------------------------------------------------------------------------------


@dataclass
class MeetupDetails:
    title: str
    place: str
    options: list[datetime]  # naive wall-clock times in the meetup's zone
    invitees: list[str]  # usernames
    city: str = ""  # optional, as typed
    duration_minutes: int = 60
    note: str = ""
    errors: dict[str, list[str]] = field(default_factory=dict)  # from the form, kept with ours


def _blocked_either_way(a: Account, b: Account) -> bool:
    return Block.objects.filter(source=a, target=b).exists() or (
        Block.objects.filter(source=b, target=a).exists()
    )


def _resolve_invitees(organiser: Account, names: list[str], errors: dict) -> list[Account]:
    """Turn usernames into acquaintances of the organiser, or say what is wrong with each."""
    wanted: list[str] = []
    for name in names:
        name = name.strip().lstrip("@")
        if name and name.lower() not in {w.lower() for w in wanted}:
            wanted.append(name)
    if not wanted:
        errors["invitees"] = ["Invite at least one person: type their username."]
        return []
    if len(wanted) > MAX_INVITEES:
        errors["invitees"] = [
            f"Invite at most {MAX_INVITEES} people to one meetup (you named {len(wanted)})."
        ]
        return []
    known = {a.username.lower(): a for a in acquaintances(organiser)}
    problems, found = [], []
    for name in wanted:
        account = known.get(name.lower())
        if account is not None:
            found.append(account)
            continue
        if name.lower() == organiser.username.lower():
            problems.append("You are the organiser; invite other people.")
            continue
        other = Account.objects.filter(username__iexact=name, domain="").first()
        if other is None:
            problems.append(f"There is nobody called {name} here.")
        elif _blocked_either_way(organiser, other):
            problems.append(
                f"You cannot invite {name}: one of you blocks the other, so no meetup is possible."
            )
        else:
            problems.append(
                f"You can only invite people you follow who follow you back; {name} is not one yet."
            )
    if problems:
        errors["invitees"] = problems
    return found


def _meetup_zone(organiser: Account, city: places.City | None) -> zoneinfo.ZoneInfo:
    for name in (city.timezone if city else "", organiser.time_zone, "UTC"):
        try:
            if name:
                return zoneinfo.ZoneInfo(name)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            continue
    return zoneinfo.ZoneInfo("UTC")


def _check_options(
    options: list[datetime], zone: zoneinfo.ZoneInfo, errors: dict
) -> list[datetime]:
    """Return the options as instants, or record why they cannot be."""
    now = timezone.now()
    if not options:
        errors["options"] = ["Suggest at least one time."]
        return []
    if len(options) > MAX_OPTIONS:
        errors["options"] = [
            f"Suggest at most {MAX_OPTIONS} times (you gave {len(options)}); fewer are easier to agree on."
        ]
        return []
    instants = sorted({o.replace(tzinfo=zone) if o.tzinfo is None else o for o in options})
    if any(i <= now for i in instants):
        errors["options"] = ["One of the times has passed. Suggest times in the future."]
    elif any(i > now + timedelta(days=MAX_MEETUP_DAYS_AHEAD) for i in instants):
        errors["options"] = ["Suggest times within the next year."]
    return instants


def _meetup_link(meetup: Meetup) -> str:
    return reverse("events:meetup", args=[meetup.pk])


@transaction.atomic
def propose_meetup(organiser: Account, details: MeetupDetails) -> Meetup:
    """Invite a few acquaintances to meet, at one of several times, at a place."""
    errors: dict[str, list[str]] = {k: list(v) for k, v in details.errors.items()}
    title, place, note = details.title.strip(), details.place.strip(), details.note.strip()
    if not title:
        errors["title"] = ["Say what the meetup is, e.g. “Coffee in Austin”."]
    elif len(title) > 100:
        errors["title"] = ["Keep the title to 100 characters."]
    if not place:
        errors["place"] = ["Say where to meet, e.g. a café or “the conference lobby”."]
    elif len(place) > 200:
        errors["place"] = ["Keep the place to 200 characters."]
    if len(note) > 500:
        errors["note"] = [f"Keep the note to 500 characters (it has {len(note)})."]
    if details.duration_minutes not in DURATIONS:
        errors["duration_minutes"] = ["Choose how long the meetup lasts."]
    city = None
    if details.city.strip():
        try:
            city = places.resolve_city(details.city)
        except places.PlaceError as exc:
            errors["city"] = [exc.message]
    zone = _meetup_zone(organiser, city)
    instants: list[datetime] = []
    if "options" not in errors:
        instants = _check_options(details.options, zone, errors)
    invitees = _resolve_invitees(organiser, details.invitees, errors)
    if errors:
        raise ValidationError(errors)
    meetup = Meetup.objects.create(
        organiser=organiser,
        title=title,
        place=place,
        city_id=city.id if city else None,
        city_label=city.label if city else "",
        time_zone=zone.key,
        duration_minutes=details.duration_minutes,
        note=note,
    )
    MeetupOption.objects.bulk_create(
        [MeetupOption(meetup=meetup, starts_at=instant) for instant in instants]
    )
    MeetupInvite.objects.bulk_create(
        [MeetupInvite(meetup=meetup, account=account) for account in invitees]
    )
    for account in invitees:
        notify(
            account,
            Kind.MEETUP,
            organiser,
            link=_meetup_link(meetup),
            detail=f"invites you: {title}"[:200],
        )
    return meetup


def _own_meetup(organiser: Account, meetup: Meetup) -> None:
    if meetup.organiser_id != organiser.pk:
        raise Http404("No such meetup.")


def _invite_of(account: Account, meetup: Meetup) -> MeetupInvite:
    """Return the account's invitation, or raise Http404 (also when a block came between)."""
    invite = MeetupInvite.objects.filter(meetup=meetup, account=account).first()
    if invite is None or _blocked_either_way(account, meetup.organiser):
        raise Http404("No such meetup.")
    return invite


@transaction.atomic
def respond(
    account: Account, meetup: Meetup, answer: str, votes: set[int] | None = None
) -> MeetupInvite:
    """Accept (voting for the times that suit) or decline an invitation.

    Accepting replaces one's earlier votes; declining withdraws them. Once the meetup is
    confirmed, votes no longer matter, but one can still say whether one comes.
    """
    invite = _invite_of(account, meetup)
    if meetup.state == Meetup.State.CANCELLED:
        raise ValidationError("This meetup was cancelled.")
    if answer not in (MeetupInvite.Response.ACCEPTED, MeetupInvite.Response.DECLINED):
        raise ValidationError({"response": ["Say whether you come."]})
    option_ids = set(meetup.options.values_list("id", flat=True))
    votes = set(votes or ())
    if votes - option_ids:
        raise ValidationError({"votes": ["Pick among the times suggested."]})
    if answer == MeetupInvite.Response.ACCEPTED and meetup.is_open and not votes:
        raise ValidationError({"votes": ["Tick at least one time that suits you."]})
    if meetup.is_open:
        MeetupVote.objects.filter(option__meetup=meetup, account=account).delete()
        if answer == MeetupInvite.Response.ACCEPTED:
            MeetupVote.objects.bulk_create(
                [MeetupVote(option_id=option_id, account=account) for option_id in sorted(votes)]
            )
    changed = invite.response != answer
    invite.response, invite.responded_at = answer, timezone.now()
    invite.save(update_fields=["response", "responded_at"])
    if changed or meetup.is_open:
        words = "is coming" if answer == MeetupInvite.Response.ACCEPTED else "cannot come"
        if answer == MeetupInvite.Response.ACCEPTED and meetup.is_open:
            words = f"voted for {len(votes)} time{'s' if len(votes) != 1 else ''}"
        notify(
            meetup.organiser,
            Kind.MEETUP,
            account,
            link=_meetup_link(meetup),
            detail=f"{words}: {meetup.title}"[:200],
        )
    return invite


def _attendees(meetup: Meetup) -> list[Account]:
    """The invitees who have not declined (they hear of confirmation and are reminded)."""
    return [
        invite.account
        for invite in MeetupInvite.objects.filter(meetup=meetup)
        .exclude(response=MeetupInvite.Response.DECLINED)
        .select_related("account")
    ]


@transaction.atomic
def confirm_meetup(organiser: Account, meetup: Meetup, option_id: int) -> Meetup:
    """Settle on one of the times: it enters calendars, everyone hears, a reminder is planned."""
    _own_meetup(organiser, meetup)
    meetup = Meetup.objects.select_for_update().get(pk=meetup.pk)
    if not meetup.is_open:
        raise ValidationError(
            "This meetup is already confirmed."
            if meetup.is_confirmed
            else "This meetup was cancelled."
        )
    option = MeetupOption.objects.filter(meetup=meetup, pk=option_id).first()
    if option is None:
        raise ValidationError({"option": ["Pick one of the times suggested."]})
    if option.starts_at <= timezone.now():
        raise ValidationError({"option": ["That time has passed. Pick a later one."]})
    meetup.state, meetup.confirmed_option = Meetup.State.CONFIRMED, option
    meetup.confirmed_at = timezone.now()
    meetup.save(update_fields=["state", "confirmed_option", "confirmed_at"])
    when = option.starts_at.astimezone(meetup.zone)
    for account in _attendees(meetup):
        notify(
            account,
            Kind.MEETUP,
            organiser,
            link=_meetup_link(meetup),
            detail=f"confirmed {meetup.title}: {when:%a %d %b %H:%M} at {meetup.place}"[:200],
        )
    enqueue(
        "events.meetup_remind",
        {"meetup": meetup.pk, "option": option.pk},
        due_at=max(option.starts_at - REMIND_BEFORE, timezone.now()),
        key=f"meetup-remind:{meetup.pk}:{option.pk}",
    )
    return meetup


@transaction.atomic
def cancel_meetup(organiser: Account, meetup: Meetup) -> Meetup:
    """Call the meetup off; those who had not declined hear of it, calendars drop it."""
    _own_meetup(organiser, meetup)
    if meetup.state == Meetup.State.CANCELLED:
        return meetup
    meetup.state = Meetup.State.CANCELLED
    meetup.save(update_fields=["state"])
    for account in _attendees(meetup):
        notify(
            account,
            Kind.MEETUP,
            organiser,
            link=_meetup_link(meetup),
            detail=f"cancelled {meetup.title}"[:200],
        )
    return meetup
