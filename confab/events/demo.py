"""Events, trips and meetups for the demo community (`confab demo`).

Everything is written through `confab.events.actions` and `confab.events.travel.actions`,
after the people, follows, chats and kits exist. Who answers, travels and meets is drawn
from a generator seeded by the demo's seed, over people read in a fixed order (usernames),
so the same seed gives the same events, RSVPs, trips and meetups; only the dates move with
"now" (events are so many days from today, at a wall-clock time in their city).
"""

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone

from confab.accounts.models import Account
from confab.core import places
from confab.curation.models import List
from confab.events import actions
from confab.events.models import Event, RSVPState
from confab.events.models.travel import Meetup, MeetupInvite, Trip
from confab.events.travel import actions as travel
from confab.events.travel.queries import acquaintances


@dataclass(frozen=True)
class DemoEvent:
    host: str
    title: str
    hashtag: str
    days_ahead: int  # from today in the event's zone; negative for one that has happened
    local_time: tuple[int, int]
    minutes: int
    description: str
    interests: tuple[str, ...]
    city: str = ""  # a gazetteer label; empty for an online event
    venue: str = ""
    online_url: str = ""
    time_zone: str = ""  # an online event's zone (an in-person one uses its city's)
    chat: str = ""  # the hashtag of a demo chat to link
    cohosts: tuple[str, ...] = ()
    rsvps: int = 12  # how many people answer
    ada: str = ""  # the main login's own answer (an RSVPState), "" to leave it to chance


EVENTS = (
    DemoEvent(
        host="ada",
        title="Lab swap night: bring a lab, take a lab",
        hashtag="LabSwapPDX",
        days_ahead=9,
        local_time=(18, 0),
        minutes=150,
        city="Portland, Oregon, United States",
        venue="Hollow Tree Makerspace, 1200 SE Water Ave",
        description="Bring one lab or demo that worked with your students (and the handout), "
        "leave with a dozen. Snacks provided, goggles optional. Before it, the "
        "#SciTeachChat session is about which labs to bring.",
        interests=("STEM", "MakerEd", "SciComm"),
        chat="SciTeachChat",
        cohosts=("marcus_edtech",),
        rsvps=14,
    ),
    DemoEvent(
        host="marcus_edtech",
        title="AI in the classroom: an honest hour",
        hashtag="HonestAIHour",
        days_ahead=4,
        local_time=(19, 0),
        minutes=60,
        online_url="https://example.org/live/honest-ai-hour",
        time_zone="America/New_York",
        description="No hype, no doom: five teachers show what they tried with AI tools this "
        "term, what worked and what they stopped doing. Questions welcome throughout.",
        interests=("AIinEducation", "EdTech", "EduMatch"),
        chat="EduMatch",
        rsvps=18,
        ada=RSVPState.GOING,
    ),
    DemoEvent(
        host="leticia_reads",
        title="Library makerspace open evening",
        hashtag="MakerspaceSA",
        days_ahead=16,
        local_time=(17, 30),
        minutes=120,
        city="San Antonio, Texas, United States",
        venue="Roosevelt High School Library, back room",
        description="Come and try the 3D printers, the sewing machines and the button maker "
        "our students run. Librarians and teachers from any school welcome.",
        interests=("Libraries", "SchoolLibraries", "MakerEd"),
        rsvps=10,
        ada=RSVPState.GOING,  # during her trip to San Antonio
    ),
    DemoEvent(
        host="niamh_ld",
        title="Onboarding that sticks: L&D breakfast",
        hashtag="LDBreakfastDublin",
        days_ahead=12,
        local_time=(8, 0),
        minutes=90,
        city="Dublin, Ireland",
        venue="The Library Project, 4 Temple Bar",
        description="Coffee, pastries and three short talks on first weeks at work that new "
        "starters remember for the right reasons.",
        interests=("LearningAndDevelopment", "TalentDev", "Coaching"),
        rsvps=8,
    ),
    DemoEvent(
        host="marcus_edtech",
        title="EduMatch spring social",
        hashtag="EduMatchSocial",
        days_ahead=-6,
        local_time=(20, 0),
        minutes=90,
        online_url="https://example.org/live/edumatch-social",
        time_zone="America/New_York",
        description="An hour of no agenda at all: bring a drink and a story from this term.",
        interests=("EduMatch", "K12"),
        cohosts=("leticia_reads",),
        rsvps=12,
        ada=RSVPState.GOING,
    ),
)
# How long before a past event its host created it and people answered.
PAST_EVENT_PLANNED_DAYS = 10
UNLISTED_SHARE = 0.25  # of people answering, who keep their name off the list


def _zone(spec: DemoEvent) -> str:
    return places.resolve_city(spec.city).timezone if spec.city else spec.time_zone


def _event_details(spec: DemoEvent, now: datetime) -> actions.EventDetails:
    zone = _zone(spec)
    day = now.astimezone(ZoneInfo(zone)).date() + timedelta(days=spec.days_ahead)
    starts = datetime(day.year, day.month, day.day, *spec.local_time)
    return actions.EventDetails(
        title=spec.title,
        hashtag=spec.hashtag,
        time_zone=zone,
        starts_local=starts,
        ends_local=starts + timedelta(minutes=spec.minutes),
        is_virtual=not spec.city,
        venue=spec.venue,
        city=spec.city,
        online_url=spec.online_url,
        description=spec.description,
        interests=spec.interests,
        chat=spec.chat,
    )


def _by_name(accounts: list[Account]) -> dict[str, Account]:
    return {account.username: account for account in accounts}


def _interested_people(
    spec: DemoEvent,
    accounts: list[Account],
    interests: dict[int, set[str]],
    host: Account,
    country: str,
) -> list[Account]:
    """People who would answer: those who name one of its interests, or live in its country."""
    wanted = {name.lower() for name in spec.interests}
    found = [
        account
        for account in accounts
        if account.pk != host.pk
        and (interests[account.pk] & wanted or (country and account.country_code == country))
    ]
    return sorted(found, key=lambda account: account.username)


def create_events(accounts: list[Account], rng: random.Random, now: datetime | None = None) -> int:
    """Create the demo events with co-hosts and RSVPs (some unnamed); return how many."""
    now = now or timezone.now()
    by_name = _by_name(accounts)
    ada = by_name.get("ada")
    interests: dict[int, set[str]] = defaultdict(set)
    for account_id, name in Account.interests.through.objects.filter(
        account__in=accounts
    ).values_list("account_id", "hashtag__name"):
        interests[account_id].add(name)
    made = 0
    for spec in EVENTS:
        host = by_name.get(spec.host)
        if host is None:
            continue
        details = _event_details(spec, now)
        planned_at = None
        if spec.days_ahead < 0:
            planned_at = now + timedelta(days=spec.days_ahead - PAST_EVENT_PLANNED_DAYS)
        event = actions.create_event(host, details, now=planned_at)
        for name in spec.cohosts:
            if name in by_name and name != spec.host:
                actions.add_cohost(host, event, by_name[name])
        country = places.resolve_city(spec.city).country_code if spec.city else ""
        people = _interested_people(spec, accounts, interests, host, country)
        answering = rng.sample(people, min(len(people), spec.rsvps))
        if spec.ada and ada is not None and ada.pk != host.pk and ada not in answering:
            answering.append(ada)  # the main login has plans of her own
        for account in answering:
            state: str = rng.choices(
                [RSVPState.GOING, RSVPState.INTERESTED, RSVPState.NOT_GOING], [6, 3, 1]
            )[0]
            if account == ada and spec.ada:
                state = spec.ada
            actions.rsvp(
                account,
                event.pk,
                state,
                listed=rng.random() >= UNLISTED_SHARE,
                now=planned_at,
            )
        made += 1
    return made


# --- Trips and meetups -------------------------------------------------------------------


def _friends(account: Account) -> QuerySet[Account]:
    """People who follow `account` back, in a fixed order (whom a meetup may invite)."""
    return acquaintances(account).exclude(user__is_staff=True).order_by("username")


def _today(city: str, now: datetime) -> date:
    return now.astimezone(ZoneInfo(places.resolve_city(city).timezone)).date()


def _trip(
    traveller: Account,
    city: str,
    now: datetime,
    first_day: int,
    days: int,
    audience: str,
    note: str,
    audience_list: List | None = None,
) -> Trip:
    start = _today(city, now) + timedelta(days=first_day)
    return travel.create_trip(
        traveller,
        travel.TripDetails(
            city=city,
            starts_on=start,
            ends_on=start + timedelta(days=days - 1),
            audience=Trip.Audience.ONLY_ME
            if audience == Trip.Audience.LIST and audience_list is None
            else audience,
            audience_list_id=audience_list.pk if audience_list else None,
            note=note,
        ),
    )


def _options(trip: Trip, hours: tuple[tuple[int, int], ...]) -> list[datetime]:
    """Wall-clock times on the trip's days (in its city), one per (day, hour)."""
    return [
        datetime.combine(trip.starts_on + timedelta(days=day), time(hour)) for day, hour in hours
    ]


def create_travel(
    accounts: list[Account], rng: random.Random, now: datetime | None = None
) -> tuple[int, int]:
    """Give ada two trips (mutuals; her list) and a friend one to Portland, with an open
    meetup ada proposes and a confirmed one a friend organises for her; return
    (trips, meetups) made."""
    now = now or timezone.now()
    by_name = _by_name(accounts)
    ada = by_name.get("ada")
    if ada is None:
        return 0, 0
    trips = meetups = 0
    to_texas = _trip(
        ada,
        "San Antonio, Texas, United States",
        now,
        15,
        4,
        Trip.Audience.MUTUALS,
        "In town for the library makerspace evening. Coffee, anyone?",
    )
    science_list = List.objects.filter(owner=ada).order_by("id").first()
    _trip(
        ada,
        "Dublin, Ireland",
        now,
        40,
        5,
        Trip.Audience.LIST,
        "A week of school visits in Dublin. Happy to swap lab ideas.",
        audience_list=science_list,
    )
    trips += 2
    if "niamh_ld" in by_name:
        _trip(
            by_name["niamh_ld"],
            "Osaka, Japan",
            now,
            60,
            6,
            Trip.Audience.ONLY_ME,
            "Holiday. Maybe a school visit if I can arrange one.",
        )
        trips += 1

    friends = list(_friends(ada))
    if friends:
        invited = rng.sample(friends, min(len(friends), 3))
        coffee = travel.propose_meetup(
            ada,
            travel.MeetupDetails(
                title="Coffee in San Antonio",
                place="La Panadería, 301 E Houston St",
                city=to_texas.city_label,
                options=_options(to_texas, ((0, 8), (1, 16), (2, 8))),
                invitees=[f.username for f in invited],
                duration_minutes=60,
                note="I'm in town for a few days: which morning suits you?",
            ),
        )
        options = list(coffee.options.order_by("starts_at").values_list("id", flat=True))
        for number, friend in enumerate(invited[:-1] if len(invited) > 1 else invited):
            travel.respond(
                friend,
                coffee,
                MeetupInvite.Response.ACCEPTED,
                set(rng.sample(options, 1 + number % len(options))),
            )
        meetups += 1

        # A friend of ada's comes to Portland, tells their friends and settles a lunch.
        visitor = by_name.get("marcus_edtech")
        if visitor not in friends:
            visitor = friends[0]
        to_portland = _trip(
            visitor,
            "Portland, Oregon, United States",
            now,
            7,
            3,
            Trip.Audience.MUTUALS,
            "Workshop for a district here, evenings free.",
        )
        trips += 1
        others = [f for f in _friends(visitor) if f.pk != ada.pk and f.city_label == ada.city_label]
        lunch = travel.propose_meetup(
            visitor,
            travel.MeetupDetails(
                title="Lunch in Portland",
                place="Pine Street Market, 126 SW 2nd Ave",
                city=to_portland.city_label,
                options=_options(to_portland, ((0, 12), (1, 12))),
                invitees=["ada", *(o.username for o in others[:2])],
                duration_minutes=90,
            ),
        )
        _, second = lunch.options.order_by("starts_at").values_list("id", flat=True)
        travel.respond(ada, lunch, MeetupInvite.Response.ACCEPTED, {second})
        travel.confirm_meetup(visitor, lunch, second)
        meetups += 1
    return trips, meetups


def counts() -> dict[str, int]:
    return {
        "events": Event.objects.count(),
        "trips": Trip.objects.count(),
        "meetups": Meetup.objects.count(),
    }
