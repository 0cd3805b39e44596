"""Reading trips and meetups with the permission check built in.

A trip is seen by its traveller and its audience (mutual follows, the people on one of the
traveller's lists, or nobody else); a meetup by its organiser and its invitees. A block
either way hides both, and everything someone may not see is "not found" (404).
"""

import math
import zoneinfo
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.utils import timezone

from confab.accounts.models import Account, Follow
from confab.accounts.queries import visible_accounts
from confab.core import places
from confab.curation.models import List, ListMember
from confab.events.models.events import RSVP, Event, EventHost, EventVisibility, RSVPState
from confab.events.models.travel import Meetup, MeetupInvite, MeetupOption, MeetupVote, Trip
from confab.events.queries import visible_events
from confab.posts.visibility import blocked_ids

# How far from the trip's city people count as "around", as the trip page offers it.
DISTANCES_KM = (25, 50, 100, 250, 500)
DEFAULT_DISTANCE_KM = 100
KM_PER_DEGREE = 111.2  # of latitude; of longitude, times the cosine of the latitude
NEARBY_SHOWN = 200
EVENTS_SHOWN = 30
ATTENDEES_SHOWN = 50


# --- Who is whose -------------------------------------------------------------------------


def acquaintances(account: Account) -> QuerySet[Account]:
    """People `account` follows who follow them back: whom they may invite to a meetup."""
    return (
        visible_accounts(account)
        .filter(pk__in=Follow.objects.filter(source=account).values("target_id"))
        .filter(pk__in=Follow.objects.filter(target=account).values("source_id"))
    )


def _not_blocked(viewer: Account, column: str) -> Q:
    blocking, blocked_by = blocked_ids(viewer)
    return ~Q(**{f"{column}__in": blocking}) & ~Q(**{f"{column}__in": blocked_by})


# --- Trips --------------------------------------------------------------------------------


def trip_audience_q(viewer: Account) -> Q:
    """Return the condition a Trip row must meet for `viewer` to see it."""
    mutual = (
        Q(audience=Trip.Audience.MUTUALS)
        & Q(traveller_id__in=Follow.objects.filter(target=viewer).values("source_id"))
        & Q(traveller_id__in=Follow.objects.filter(source=viewer).values("target_id"))
    )
    on_list = Q(audience=Trip.Audience.LIST) & Q(
        Exists(
            ListMember.objects.filter(
                list_id=OuterRef("audience_list_id"),
                list__owner_id=OuterRef("traveller_id"),
                account=viewer,
            )
        )
    )
    return Q(traveller=viewer) | ((mutual | on_list) & _not_blocked(viewer, "traveller_id"))


def visible_trips(viewer: Account | None) -> QuerySet[Trip]:
    if viewer is None:
        return Trip.objects.none()
    return Trip.objects.filter(trip_audience_q(viewer))


def get_trip_for(viewer: Account | None, trip_id: int) -> Trip:
    """Return the trip if `viewer` is in its audience, else raise Http404."""
    found = (
        visible_trips(viewer)
        .select_related("traveller", "audience_list")
        .filter(pk=trip_id)
        .first()
    )
    if found is None:
        raise Http404("No such trip.")
    return found


def get_own_trip(viewer: Account, trip_id: int) -> Trip:
    found = (
        Trip.objects.select_related("traveller", "audience_list")
        .filter(pk=trip_id, traveller=viewer)
        .first()
    )
    if found is None:
        raise Http404("No such trip.")
    return found


def own_trips(viewer: Account, today: date) -> tuple[list[Trip], list[Trip]]:
    """Return the viewer's upcoming (soonest first) and past (latest first) trips."""
    trips = list(
        Trip.objects.filter(traveller=viewer).select_related("audience_list").order_by("starts_on")
    )
    upcoming = [t for t in trips if t.ends_on >= today]
    past = [t for t in trips if t.ends_on < today][::-1]
    return upcoming, past


def connections_trips(viewer: Account, today: date, limit: int = 100) -> list[Trip]:
    """Upcoming trips of other people that the viewer is allowed to see, soonest first."""
    return list(
        visible_trips(viewer)
        .exclude(traveller=viewer)
        .filter(ends_on__gte=today)
        .select_related("traveller")
        .order_by("starts_on", "id")[:limit]
    )


def _box(latitude: float, longitude: float, km: float, prefix: str = "") -> Q:
    """A latitude/longitude box around a point that holds every place within `km` of it.

    It lets the database drop faraway rows; the exact great-circle distance is checked
    afterwards. Near the poles or the date line the longitude range is left open.
    """
    lat_span = km / KM_PER_DEGREE
    box = Q(**{f"{prefix}latitude__gte": latitude - lat_span}) & Q(
        **{f"{prefix}latitude__lte": latitude + lat_span}
    )
    cos = math.cos(math.radians(latitude))
    if cos > 0.05:
        lon_span = km / (KM_PER_DEGREE * cos)
        if longitude - lon_span >= -180 and longitude + lon_span <= 180:
            box &= Q(**{f"{prefix}longitude__gte": longitude - lon_span}) & Q(
                **{f"{prefix}longitude__lte": longitude + lon_span}
            )
    return box


def _city_distance(city_a: int | None, city_b: int | None) -> float | None:
    """Return km between two gazetteer cities, or None if either is unknown."""
    a = places.get_city(city_a) if city_a is not None else None
    b = places.get_city(city_b) if city_b is not None else None
    if a is None or b is None:
        return None
    return places.distance_km(a, b)


@dataclass
class Nearby:
    """A person around the trip's city: where they live (city only) or are staying."""

    account: Account
    city_label: str
    km: float
    trips: list[Trip] = field(default_factory=list)  # their overlapping trips there
    lives_there: bool = False
    acquaintance: bool = True  # may be invited to a meetup (a visitor may not be)


def around(trip: Trip, within_km: int) -> list[Nearby]:
    """Return the traveller's connections around the trip's city during the trip.

    Connections who live within `within_km` of the city (by their profile's city), and
    anyone whose overlapping trip there the traveller may see. One entry per person,
    nearest first. Only cities are used and shown, never a point.
    """
    traveller = trip.traveller
    residents = (
        acquaintances(traveller)
        .filter(city_id__isnull=False)
        .filter(_box(trip.latitude, trip.longitude, within_km))
        .only("id", "username", "domain", "display_name", "avatar", "city_id", "city_label")
    )
    found: dict[int, Nearby] = {}
    for account in residents[: NEARBY_SHOWN * 4]:
        km = _city_distance(trip.city_id, account.city_id)
        if km is not None and km <= within_km:
            found[account.pk] = Nearby(account, account.city_label, km, lives_there=True)
    visiting = (
        visible_trips(traveller)
        .exclude(traveller=traveller)
        .filter(starts_on__lte=trip.ends_on, ends_on__gte=trip.starts_on)
        .filter(_box(trip.latitude, trip.longitude, within_km))
        .select_related("traveller")
        .order_by("starts_on", "id")
    )
    for other in visiting[: NEARBY_SHOWN * 4]:
        km = _city_distance(trip.city_id, other.city_id)
        if km is None or km > within_km:
            continue
        entry = found.get(other.traveller_id)
        if entry is None:
            entry = found[other.traveller_id] = Nearby(other.traveller, other.city_label, km)
        entry.trips.append(other)
    # A visitor who put the traveller on a list may not follow them back: not invitable.
    visitors = [pk for pk, n in found.items() if not n.lives_there]
    if visitors:
        mutual = set(acquaintances(traveller).filter(pk__in=visitors).values_list("pk", flat=True))
        for pk in visitors:
            found[pk].acquaintance = pk in mutual
    return sorted(found.values(), key=lambda n: (n.km, n.account.username.lower()))[:NEARBY_SHOWN]


@dataclass
class EventThere:
    """An event in or near the trip's city during the trip, with who is going (named)."""

    event: Event
    going: list[Account]
    going_count: int

    @property
    def going_unnamed(self) -> int:
        return self.going_count - len(self.going)


def _day_bounds(trip: Trip) -> tuple[datetime, datetime]:
    """The trip's first midnight and the midnight after its last day, in the city's zone."""
    city = places.get_city(trip.city_id)
    try:
        zone = zoneinfo.ZoneInfo(city.timezone if city else "UTC")
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo("UTC")
    start = datetime.combine(trip.starts_on, time(0), tzinfo=zone)
    end = datetime.combine(trip.ends_on + timedelta(days=1), time(0), tzinfo=zone)
    return start, end


def events_during(trip: Trip, within_km: int, viewer: Account) -> list[EventThere]:
    """Live events within `within_km` of the trip's city while the traveller is there.

    Public events only (an unlisted one is for those with its link), plus any the viewer
    hosts or answered. Attendees are those going who chose to be listed, minus blocks, all
    fetched in one query for all the events.
    """
    start, end = _day_bounds(trip)
    mine = Q(Exists(RSVP.objects.filter(event_id=OuterRef("pk"), account=viewer))) | Q(
        Exists(EventHost.objects.filter(event_id=OuterRef("pk"), account=viewer))
    )
    candidates = (
        visible_events(viewer)
        .filter(Q(visibility=EventVisibility.PUBLIC) | mine)
        .filter(is_virtual=False, cancelled_at__isnull=True, city_id__isnull=False)
        .filter(starts_at__lt=end, ends_at__gt=start)
        .filter(_box(trip.latitude, trip.longitude, within_km))
        .annotate(going_count=Count("rsvps", filter=Q(rsvps__state=RSVPState.GOING), distinct=True))
        .order_by("starts_at", "id")
    )
    events = [
        e
        for e in candidates[:EVENTS_SHOWN]
        if (km := _city_distance(trip.city_id, e.city_id)) is not None and km <= within_km
    ]
    if not events:
        return []
    blocking, blocked_by = blocked_ids(viewer)
    rsvps = (
        RSVP.objects.filter(event__in=events, state=RSVPState.GOING)
        .filter(Q(listed=True) | Q(account=viewer))
        .exclude(account_id__in=blocking)
        .exclude(account_id__in=blocked_by)
        .exclude(account__user__is_active=False)
        .select_related("account")
        .order_by("id")
    )
    going: dict[int, list[Account]] = {e.pk: [] for e in events}
    for rsvp in rsvps[: EVENTS_SHOWN * ATTENDEES_SHOWN]:
        if len(going[rsvp.event_id]) < ATTENDEES_SHOWN:
            going[rsvp.event_id].append(rsvp.account)
    return [EventThere(e, going[e.pk], e.going_count) for e in events]  # type: ignore[attr-defined]


def audience_lists(viewer: Account) -> QuerySet[List]:
    return List.objects.filter(owner=viewer).order_by("title", "id")


# --- Meetups ------------------------------------------------------------------------------


def visible_meetups(viewer: Account | None) -> QuerySet[Meetup]:
    """Meetups the viewer organises, or is invited to by someone with no block between them."""
    if viewer is None:
        return Meetup.objects.none()
    invited = Exists(MeetupInvite.objects.filter(meetup_id=OuterRef("pk"), account=viewer))
    return Meetup.objects.filter(
        Q(organiser=viewer) | (Q(invited) & _not_blocked(viewer, "organiser_id"))
    )


def get_meetup_for(viewer: Account | None, meetup_id: int) -> Meetup:
    """Return the meetup if the viewer organises it or is invited, else raise Http404."""
    found = (
        visible_meetups(viewer)
        .select_related("organiser", "confirmed_option")
        .filter(pk=meetup_id)
        .first()
    )
    if found is None:
        raise Http404("No such meetup.")
    return found


def my_meetups(viewer: Account, limit: int = 200) -> list[Meetup]:
    """The viewer's meetups, newest first, each with `my_response` ("" when organising)."""
    response = MeetupInvite.objects.filter(meetup_id=OuterRef("pk"), account=viewer).values(
        "response"
    )[:1]
    return list(
        visible_meetups(viewer)
        .select_related("organiser", "confirmed_option")
        .annotate(
            my_response=Subquery(response),
            invite_count=Count("invites", distinct=True),
        )
        .order_by("-id")[:limit]
    )


@dataclass
class OptionTally:
    option: MeetupOption
    voters: list[Account]

    @property
    def count(self) -> int:
        return len(self.voters)


@dataclass
class MeetupDetail:
    meetup: Meetup
    invites: list[MeetupInvite]
    options: list[OptionTally]
    my_invite: MeetupInvite | None
    my_votes: set[int]

    @property
    def best_count(self) -> int:
        return max((tally.count for tally in self.options), default=0)


def meetup_detail(viewer: Account, meetup: Meetup) -> MeetupDetail:
    """Everything a meetup page shows, in three queries whatever its size."""
    invites = list(
        MeetupInvite.objects.filter(meetup=meetup).select_related("account").order_by("id")
    )
    options = list(
        MeetupOption.objects.filter(meetup=meetup).prefetch_related(
            Prefetch("votes", queryset=MeetupVote.objects.select_related("account").order_by("id"))
        )
    )
    tallies = [OptionTally(o, [vote.account for vote in o.votes.all()]) for o in options]
    mine = next((i for i in invites if i.account_id == viewer.pk), None)
    my_votes = {
        tally.option.pk for tally in tallies if any(a.pk == viewer.pk for a in tally.voters)
    }
    return MeetupDetail(meetup, invites, tallies, mine, my_votes)


def calendar_meetups(account: Account, since: datetime | None = None) -> list[Meetup]:
    """Confirmed meetups `account` is going to (organising, or invited and not declined)."""
    since = since or timezone.now() - timedelta(days=7)
    attending = Exists(
        MeetupInvite.objects.filter(meetup_id=OuterRef("pk"), account=account).exclude(
            response=MeetupInvite.Response.DECLINED
        )
    )
    return list(
        visible_meetups(account)
        .filter(Q(organiser=account) | Q(attending))
        .filter(state=Meetup.State.CONFIRMED, confirmed_option__starts_at__gte=since)
        .select_related("organiser", "confirmed_option")
        .order_by("confirmed_option__starts_at", "id")
    )
