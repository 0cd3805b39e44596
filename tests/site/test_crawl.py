"""A site-wide crawl: build a small community through the actions, then walk every page.

Eight features landed side by side; the seams between them are where bugs hide. This test
builds one community touching all of them (profiles in cities, follows both ways and one
way, a locked account, a block, a mute, posts of every visibility, a boost, a reply, a
direct conversation, lists, a chat with a live and a past session, an event, a trip, a
meetup, a scheduled post, an introduction, a starter kit), then crawls the site with the
test client as several people, following every internal link, GET form and hx-get
fragment, and then every query it met with nonsense values.

It asserts that no page fails (5xx or a debug page), that every HTML page (error pages too)
has exactly one <main> and one <h1>, that no link leads its reader to a 4xx, and that the
owner's private things are a 404 (or a login redirect) for everyone else and their words
show on no page those people can reach (search and downloads included), while the words
each person may see do show somewhere. Downloads (.ics, .csv, .json, .md) are fetched once.
CRAWL_DUMP=/tmp/crawl.txt writes down every page each person reached, with its time.
"""

from __future__ import annotations

import os
import re
import time
from collections import deque
from dataclasses import dataclass, field
from datetime import timedelta
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from confab.accounts import actions as account_actions
from confab.chats import actions as chat_actions
from confab.chats.actions import ChatDetails
from confab.connections.people import actions as people_actions
from confab.core import places
from confab.curation import actions as curation_actions
from confab.curation.actions import ListDetails
from confab.events import actions as event_actions
from confab.events.actions import EventDetails
from confab.events.models.travel import Trip
from confab.events.travel import actions as travel_actions
from confab.events.travel.actions import MeetupDetails, TripDetails
from confab.insights import actions as scheduling
from confab.posts import actions as post_actions
from confab.posts.models import Visibility

# Words that only the owner's private things contain (plain words, so search can find them).
PRIVATE_LIST = "quokkalist"
DIRECT = "quokkadirect"
TRIP = "quokkatrip"
MEETUP = "quokkameetup"
SCHEDULED = "quokkascheduled"
FOLLOWERS_ONLY = "quokkafollowers"
INTRODUCTION = "quokkaintro"
OWNER_PUBLIC = "quokkapublic"
MUTUALS_TRIP = "quokkamutualtrip"
UNLISTED_EVENT = "quokkaunlisted"  # an unlisted event: only its link (and its people) lead to it
INTRO_DONE = "quokkaconnected"  # an accepted introduction: its three-way conversation
DAN_FOLLOWERS = "quokkadanfollowers"  # dan's followers-only posts: olive follows him, mem not
BLOCKED = "quokkablocked"  # blk's public posts, which olive (who blocked blk) must not see
MUTED = "quokkamuted"

PAGE_BUDGET = 300  # per person
MUTATION_BUDGET = 80
PER_SHAPE = 2  # pages of one shape (/@x/123, /lists/1?max_id=…) per person
DOWNLOAD = re.compile(r"\.(ics|csv|json|md)$")
SKIP = re.compile(r"^/(logout|live/|media/|admin/.)")
DEBUG_PAGE = ("You're seeing this error because you have", "Traceback (most recent call last)")


# --- The community --------------------------------------------------------------------------


def _lives_in(text: str) -> dict:
    city = places.resolve_city(text)
    return {
        "city_id": city.id,
        "city_label": city.label,
        "country_code": city.country_code,
        "latitude": city.latitude,
        "longitude": city.longitude,
        "time_zone": city.timezone,
    }


def _private_answers(owner, people: dict) -> None:
    """Answers in the room that only some may read: followers-only, direct, a blocked person's."""
    post_actions.post(owner, f"A1 {FOLLOWERS_ONLY} #EduMatch", visibility=Visibility.PRIVATE)
    post_actions.post(owner, f"@dan A1 {DIRECT} #EduMatch", visibility=Visibility.DIRECT)
    post_actions.post(people["dan"], f"A1 {DAN_FOLLOWERS} #EduMatch", visibility=Visibility.PRIVATE)
    post_actions.post(people["blk"], f"A1 {BLOCKED} #EduMatch")


def _chat_with_two_sessions(owner, answerer, people: dict):
    """#EduMatch: a session three days ago with an answer, and one live now."""
    now = timezone.now().replace(second=0, microsecond=0)
    past = now - timedelta(days=3)
    with time_machine.travel(past - timedelta(minutes=10), tick=False) as clock:
        chat = chat_actions.create_chat(
            owner,
            "EduMatch",
            ChatDetails(
                title="Educators who match",
                time_zone="UTC",
                starts_at_local=past.replace(tzinfo=None),
                description="Teachers talking shop.",
                code_of_conduct="Be kind.",
                interests=["stem"],
            ),
        )
        session = chat_actions.plan_session(
            chat, owner, past, topic="Labs", questions=[("What lab do you love?", 5)]
        )
        clock.move_to(past + timedelta(minutes=5))
        chat_actions.set_session_state(session.pk, "live")
        question = session.questions.get(number=1)
        assert chat_actions.post_question(question.pk) is not None
        clock.move_to(past + timedelta(minutes=7))
        post_actions.post(answerer, "A1 Density towers, always #EduMatch")
        _private_answers(owner, people)
        clock.move_to(past + timedelta(hours=2))
        assert chat_actions.set_session_state(session.pk, "ended")
    live_start = now - timedelta(minutes=1)
    with time_machine.travel(live_start - timedelta(minutes=5), tick=False):
        live = chat_actions.plan_session(
            chat, owner, live_start, topic="Tools", questions=[("Favourite tool?", 30)]
        )
    chat_actions.set_session_state(live.pk, "live")
    post_actions.post(answerer, "Joining the chat now #EduMatch")
    _private_answers(owner, people)
    return chat


@dataclass
class Community:
    people: dict
    private_urls: list[tuple[str, str]]  # (what, URL) only the owner (and its parties) may open
    mem_trip: str  # mem's trip to where and when olive goes "only me"


def build_community(make_account) -> Community:
    olive = make_account("olive", display_name="Olive Owner", **_lives_in("Austin, Texas"))
    mem = make_account("mem", display_name="Mem Member", **_lives_in("Austin, Texas"))
    dan = make_account("dan", display_name="Dan Friend", **_lives_in("Chicago, Illinois"))
    fan = make_account("fan", display_name="Fan One-Way", **_lives_in("Boston, Massachusetts"))
    lara = make_account("lara", display_name="Lara Locked", locked=True)
    blk = make_account("blk", display_name="Blocked Person")
    noisy = make_account("noisy", display_name="Noisy Person")
    admin = make_account("admin", display_name="Ada Admin")
    account_actions.make_admin(admin)

    for a, b in ((olive, mem), (olive, dan)):
        account_actions.follow(a, b)
        account_actions.follow(b, a)
    account_actions.follow(fan, olive)
    account_actions.follow(blk, olive)
    account_actions.follow(mem, lara)  # stays a request
    account_actions.follow(olive, lara)
    olive_asks = lara.incoming_follow_requests.get(source=olive)
    account_actions.accept_follow_request(lara, olive_asks.pk)
    account_actions.block(olive, blk)
    account_actions.mute(olive, noisy)
    curation_actions.set_interests(olive, ["STEM", "EduMatch"])
    curation_actions.set_interests(mem, ["STEM"])

    people = {
        "olive": olive,
        "mem": mem,
        "dan": dan,
        "fan": fan,
        "lara": lara,
        "blk": blk,
        "noisy": noisy,
        "admin": admin,
    }
    chat = _chat_with_two_sessions(olive, mem, people)

    public = post_actions.post(olive, f"Pendulum lab {OWNER_PUBLIC} with @mem #EduMatch #STEM")
    post_actions.post(olive, "Unlisted thought #STEM", visibility=Visibility.UNLISTED)
    followers = post_actions.post(
        olive, f"For followers {FOLLOWERS_ONLY} #STEM", visibility=Visibility.PRIVATE
    )
    post_actions.edit(olive, followers.pk, f"For my followers {FOLLOWERS_ONLY} #STEM")
    post_actions.edit(olive, public.pk, f"Pendulum lab {OWNER_PUBLIC} with @mem #EduMatch #STEM!")
    direct = post_actions.post(olive, f"@dan {DIRECT} see you", visibility=Visibility.DIRECT)
    post_actions.post(
        dan, "@olive sounds good", visibility=Visibility.DIRECT, in_reply_to_id=direct.pk
    )
    post_actions.boost(mem, public.pk)
    post_actions.post(dan, "@olive lovely lab!", in_reply_to_id=public.pk)
    post_actions.favourite(dan, public.pk)
    post_actions.post(noisy, f"So loud {MUTED} #STEM")
    post_actions.post(blk, f"Hello from the other side {BLOCKED} #STEM")
    post_actions.post(
        dan, f"Only for my followers {DAN_FOLLOWERS} #STEM", visibility=Visibility.PRIVATE
    )
    post_actions.post(lara, "Locked thoughts", visibility=Visibility.PRIVATE)

    secret_list = curation_actions.create_list(olive, ListDetails(title=f"Watch {PRIVATE_LIST}"))
    curation_actions.add_member(olive, secret_list, mem)
    open_list = curation_actions.create_list(
        olive, ListDetails(title="Austin teachers", visibility="public")
    )
    curation_actions.add_member(olive, open_list, dan)
    curation_actions.add_hashtag(olive, open_list, "STEM")

    today = timezone.now().date()
    start = timezone.now() + timedelta(days=8)
    event = event_actions.create_event(
        olive,
        EventDetails(
            title="Austin science teachers meetup",
            hashtag="AustinSci",
            time_zone="America/Chicago",
            starts_local=start.replace(tzinfo=None, hour=18, minute=0, second=0, microsecond=0),
            ends_local=start.replace(tzinfo=None, hour=20, minute=0, second=0, microsecond=0),
            venue="Capital Factory",
            city="Austin, Texas",
            description="Talks and tacos.",
            interests=["stem"],
            chat="EduMatch",
        ),
    )
    post_actions.post(olive, f"See you {FOLLOWERS_ONLY} #AustinSci", visibility=Visibility.PRIVATE)
    post_actions.post(olive, f"@dan coming? {DIRECT} #AustinSci", visibility=Visibility.DIRECT)
    post_actions.post(blk, f"Crashing it {BLOCKED} #AustinSci")
    event_actions.rsvp(mem, event.pk, "going")
    event_actions.rsvp(dan, event.pk, "interested", listed=False)

    trip = travel_actions.create_trip(
        olive,
        TripDetails(
            city="Denver, Colorado",
            starts_on=today + timedelta(days=10),
            ends_on=today + timedelta(days=12),
            audience=Trip.Audience.ONLY_ME,
            note=f"Conference {TRIP}",
        ),
    )
    travel_actions.create_trip(
        olive,
        TripDetails(
            city="Boston, Massachusetts",
            starts_on=today + timedelta(days=20),
            ends_on=today + timedelta(days=21),
            note=f"Visiting friends {MUTUALS_TRIP}",
        ),
    )
    denver = timezone.now() + timedelta(days=11)
    unlisted = event_actions.create_event(
        olive,
        EventDetails(
            title=f"Rooftop {UNLISTED_EVENT}",
            hashtag="DenverSci",
            time_zone="America/Denver",
            starts_local=denver.replace(tzinfo=None, hour=18, minute=0, second=0, microsecond=0),
            ends_local=denver.replace(tzinfo=None, hour=20, minute=0, second=0, microsecond=0),
            venue="A rooftop",
            city="Denver, Colorado",
            interests=["stem"],
            chat="EduMatch",
            visibility="unlisted",
        ),
    )
    event_actions.rsvp(dan, unlisted.pk, "going")
    # mem goes to Denver at the same time: her trip page must not give olive's trip away.
    mem_trip = travel_actions.create_trip(
        mem,
        TripDetails(
            city="Denver, Colorado",
            starts_on=today + timedelta(days=9),
            ends_on=today + timedelta(days=13),
        ),
    )
    option = (timezone.now() + timedelta(days=5)).replace(tzinfo=None, hour=12, minute=0)
    meetup = travel_actions.propose_meetup(
        olive,
        MeetupDetails(
            title=f"Tacos {MEETUP}",
            place="Veracruz All Natural",
            city="Austin, Texas",
            options=[option.replace(second=0, microsecond=0)],
            invitees=["dan"],
        ),
    )
    scheduled = scheduling.schedule(
        olive, f"Tomorrow {SCHEDULED} #STEM", scheduled_for=timezone.now() + timedelta(days=1)
    )
    introduction = people_actions.introduce(olive, mem, dan, f"You both love labs {INTRODUCTION}")

    eve = make_account("eve", display_name="Eve Colleague")
    account_actions.follow(olive, eve)
    account_actions.follow(eve, olive)
    done = people_actions.introduce(olive, mem, eve, f"Both run labs {INTRO_DONE}")
    people_actions.answer(mem, done.pk, True)
    people_actions.answer(eve, done.pk, True)
    # dan says which time suits him; olive confirms it: it enters calendars and notifications.
    meetup_option = meetup.options.get()
    travel_actions.respond(dan, meetup, "accepted", {meetup_option.pk})
    travel_actions.confirm_meetup(olive, meetup, meetup_option.pk)

    kit = curation_actions.create_kit(olive, "Science teachers", "People and hashtags.")
    curation_actions.add_kit_person(olive, kit, mem)
    curation_actions.add_kit_hashtag(olive, kit, "STEM")
    curation_actions.add_kit_chat(olive, kit, chat)
    curation_actions.add_kit_list(olive, kit, open_list)
    curation_actions.set_kit_featured(admin, kit, True)

    from confab.connections.conversations.queries import conversation_for_post

    conversation_id = conversation_for_post(olive, direct.pk)
    assert conversation_id is not None
    private_urls = [
        (PRIVATE_LIST, f"/lists/{secret_list.pk}"),
        (PRIVATE_LIST, f"/lists/{secret_list.pk}/members"),
        (DIRECT, f"/conversations/{conversation_id}"),
        (DIRECT, f"/@olive/{direct.pk}"),
        (TRIP, f"/trips/{trip.pk}"),
        (TRIP, f"/trips/{trip.pk}/edit"),
        (MEETUP, f"/meetups/{meetup.pk}"),
        (MEETUP, f"/meetups/{meetup.pk}.ics"),
        (SCHEDULED, f"/scheduled/{scheduled.pk}/edit"),
        (FOLLOWERS_ONLY, f"/@olive/{followers.pk}"),
        (FOLLOWERS_ONLY, f"/@olive/{followers.pk}/history"),
        (INTRODUCTION, f"/introductions/{introduction.pk}"),
    ]
    return Community(people=people, private_urls=private_urls, mem_trip=f"/trips/{mem_trip.pk}")


# --- The crawler ------------------------------------------------------------------------------


class _Page(HTMLParser):
    """Counts <main> and <h1>, and collects links and GET forms (with their default values)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.mains = self.h1s = 0
        self.links: list[str] = []
        self.fragments: list[str] = []  # hx-get addresses, fetched as htmx would
        self.forms: list[tuple[str, list[tuple[str, str]]]] = []
        self.post_forms: list[tuple[str, list[tuple[str, str]]]] = []
        self._form_method = "get"
        self._form: tuple[str, list[tuple[str, str]]] | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "main":
            self.mains += 1
        elif tag == "h1":
            self.h1s += 1
        if "hx-get" in a:
            self.fragments.append(a["hx-get"])
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "form":
            method = a.get("method", "get").lower()
            self._form = (a.get("action", ""), [])
            self._form_method = method
        elif self._form is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("submit", "button", "image", "file", "reset"):
                return
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            self._form[1].append((a["name"], a.get("value", "")))
        elif tag == "select" and a.get("name"):
            self._select, self._select_value = a["name"], None
        elif tag == "option" and self._select is not None:
            if self._select_value is None or "selected" in a:
                self._select_value = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = a["name"]
            self._form[1].append((a["name"], ""))
        elif tag == "button" and a.get("name"):
            self._form[1].append((a["name"], a.get("value", "")))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            (self.forms if self._form_method == "get" else self.post_forms).append(self._form)
            self._form = None
        elif tag == "select" and self._select is not None and self._form is not None:
            self._form[1].append((self._select, self._select_value or ""))
            self._select = None
        elif tag == "textarea":
            self._textarea = None


@dataclass
class Visit:
    url: str
    status: int
    referrer: str
    seconds: float = 0.0


@dataclass
class Crawl:
    visits: list[Visit] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # url → body, for the privacy check
    unvisited: int = 0
    post_forms: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # action → fields


def _internal(base: str, href: str) -> str | None:
    if not href or href.startswith(("#", "mailto:", "javascript:", "data:", "tel:")):
        return None
    url = urljoin(base, href)
    parts = urlsplit(url)
    if parts.scheme not in ("http", "") or parts.netloc not in ("testserver", ""):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _shape(url: str) -> str:
    parts = urlsplit(url)
    keys = sorted({pair.split("=")[0] for pair in parts.query.split("&") if pair})
    return re.sub(r"\d+", "N", parts.path) + "?" + "&".join(keys)


def _mutations(url: str) -> list[str]:
    """The same address with each query value (and a page cursor) made nonsense or extreme."""
    parts = urlsplit(url)
    pairs = parse_qsl(parts.query, keep_blank_values=True)
    variants = [[*pairs, ("max_id", "zz")], [*pairs, ("min_id", "-1")], [*pairs, ("offset", "x")]]
    for index, (key, _) in enumerate(pairs):
        for bad in ("zz", "-1", "99999999999999999999999", "\x00"):
            variants.append([*pairs[:index], (key, bad), *pairs[index + 1 :]])
    return [f"{parts.path}?{urlencode(variant)}" for variant in variants]


def _fetch(client: Client, url: str, fragment: bool):
    if fragment:
        return client.get(url, headers={"HX-Request": "true"})
    return client.get(url)


def crawl(client: Client, seeds: list[str], budget: int = PAGE_BUDGET) -> Crawl:
    """Walk from the seeds through links, GET forms and hx-get fragments, then mutate queries."""
    found = Crawl()
    queue: deque[tuple[str, str, bool]] = deque((url, "(seed)", False) for url in seeds)
    seen = {(url, False) for url in seeds}
    shapes: dict[str, int] = {}
    pages = 0
    mutated: list[str] = []

    def enqueue(target: str | None, referrer: str, fragment: bool) -> None:
        if target and (target, fragment) not in seen:
            seen.add((target, fragment))
            queue.append((target, referrer, fragment))

    while queue and pages < budget:
        url, referrer, fragment = queue.popleft()
        path = urlsplit(url).path
        if SKIP.match(path):
            continue
        shape = _shape(url) + ("#hx" if fragment else "")
        if shapes.get(shape, 0) >= PER_SHAPE and referrer != "(seed)":
            continue
        shapes[shape] = shapes.get(shape, 0) + 1
        pages += 1
        started = time.perf_counter()
        response = _fetch(client, url, fragment)
        took = time.perf_counter() - started
        found.visits.append(
            Visit(url + (" [htmx]" if fragment else ""), response.status_code, referrer, took)
        )
        body = response.content.decode("utf-8", "replace")
        if response.status_code >= 500:
            error = getattr(response, "exc_info", None)
            cause = repr(error[1]) if error else ""
            found.problems.append(f"{url} (from {referrer}) → {response.status_code} {cause}")
            continue
        if 400 <= response.status_code < 500 and referrer not in ("(seed)", "(mutation)"):
            found.problems.append(f"{url} (linked from {referrer}) → {response.status_code}")
        if any(marker in body for marker in DEBUG_PAGE):
            found.problems.append(f"{url} (from {referrer}) is a debug page")
        found.texts[url] = body
        if DOWNLOAD.search(path):
            if response.status_code not in (200, 404):
                found.problems.append(f"{url} (download) → {response.status_code}")
            continue
        if response.status_code in (301, 302, 303, 307, 308):
            enqueue(_internal(url, response["Location"]), url, False)
            continue
        if "text/html" not in response.get("Content-Type", ""):
            continue
        if response.status_code == 200 and "?" in url and referrer != "(mutation)":
            mutated.append(url)
        parsed = _Page()
        parsed.feed(body)
        if not fragment and (parsed.mains, parsed.h1s) != (1, 1):
            found.problems.append(
                f"{url} has {parsed.mains} <main> and {parsed.h1s} <h1> (from {referrer})"
            )
        for href in parsed.links:
            enqueue(_internal(url, href), url, False)
        for action, fields in parsed.forms:
            target = _internal(url, action or url)
            if target:
                query = urlencode(fields)
                enqueue(urlsplit(target).path + (f"?{query}" if query else ""), url, False)
        for action, fields in parsed.post_forms:
            target = _internal(url, action or url)
            if target and not SKIP.match(urlsplit(target).path):
                found.post_forms.setdefault(target, fields)
        for hx in parsed.fragments:
            enqueue(_internal(url, hx), url, True)
        if not queue and mutated:
            # Once the links are walked, try every query seen with values nobody links to.
            for source in mutated:
                for variant in _mutations(source):
                    if (variant, False) not in seen:
                        seen.add((variant, False))
                        queue.append((variant, "(mutation)", False))
            mutated = []
            shapes.clear()
            budget = pages + MUTATION_BUDGET
    found.unvisited = len(queue)
    return found


# --- The test -----------------------------------------------------------------------------------

SEEDS = [
    "/",
    "/local",
    "/search",
    "/chats",
    "/events",
    "/events/mine",
    "/people",
    "/introductions",
    "/conversations",
    "/lists",
    "/trips",
    "/meetups",
    "/scheduled",
    "/insights",
    "/kits",
    "/hashtags/trending",
    "/notifications",
    "/bookmarks",
    "/follow-requests",
    "/welcome",
    "/admin/",
    "/@olive",
    "/@mem",
    "/@blk",
    "/@lara",
    "/tags/stem",
    "/chats/edumatch",
]
ALL = {
    INTRO_DONE,
    PRIVATE_LIST,
    DIRECT,
    TRIP,
    MEETUP,
    SCHEDULED,
    FOLLOWERS_ONLY,
    INTRODUCTION,
    MUTUALS_TRIP,
    UNLISTED_EVENT,
}
# Who crawls, and the words they must never meet. The owner sees everything of hers; mem and
# dan are her mutuals (dan is in her conversation and meetup); fan follows her one way.
PERSONAS = {
    "anonymous": ALL | {DAN_FOLLOWERS},
    "mem": {PRIVATE_LIST, DIRECT, TRIP, MEETUP, SCHEDULED, DAN_FOLLOWERS, UNLISTED_EVENT},
    "dan": {PRIVATE_LIST, TRIP, SCHEDULED, INTRO_DONE},
    "fan": ALL - {FOLLOWERS_ONLY} | {DAN_FOLLOWERS},
    "olive": {BLOCKED},
    "blk": ALL | {OWNER_PUBLIC, DAN_FOLLOWERS},
    "admin": ALL | {DAN_FOLLOWERS},
}

# Words each person must meet somewhere on the crawl: the privacy check is not vacuous.
EXPECTED = {
    "anonymous": {OWNER_PUBLIC, BLOCKED},
    "mem": {OWNER_PUBLIC, FOLLOWERS_ONLY, INTRODUCTION, MUTUALS_TRIP, BLOCKED, INTRO_DONE},
    "dan": {
        OWNER_PUBLIC,
        FOLLOWERS_ONLY,
        DIRECT,
        MEETUP,
        MUTUALS_TRIP,
        DAN_FOLLOWERS,
        UNLISTED_EVENT,
    },
    "fan": {OWNER_PUBLIC, FOLLOWERS_ONLY},
    "olive": ALL | {DAN_FOLLOWERS, OWNER_PUBLIC},
    "blk": {BLOCKED},
    "admin": {OWNER_PUBLIC, BLOCKED},
}


def _searches(words: set[str]) -> list[str]:
    return [
        f"/search?{urlencode({'q': word, 'type': kind})}"
        for word in sorted(words)
        for kind in ("posts", "people")
    ]


def _shown(url: str, body: str) -> str:
    """The page's words, less what echoes its own address (a search box keeps its query)."""
    body = body.lower()
    if "?" in url:
        body = re.sub(r"<title>.*?</title>", "", body, flags=re.S)
        body = re.sub(r'="[^"]*"', '=""', body)
    return body


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_whole_site_survives_a_crawl(make_account, persona):
    community = build_community(make_account)
    forbidden = PERSONAS[persona]
    client = Client(raise_request_exception=False)
    if persona != "anonymous":
        client.force_login(community.people[persona].user)
    found = crawl(client, [*SEEDS, *_searches(ALL | {OWNER_PUBLIC, MUTED})])
    problems = list(found.problems)
    for url, body in found.texts.items():
        problems += [f"{url} shows {word!r}" for word in forbidden if word in _shown(url, body)]
    met = {
        word
        for word in EXPECTED[persona]
        for url, body in found.texts.items()
        if word in _shown(url, body)
    }
    problems += [f"never met {word!r}, which {persona} may see" for word in EXPECTED[persona] - met]
    for word, url in community.private_urls:
        if word not in forbidden:
            continue
        response = client.get(url)
        refused = response.status_code == 404 or (
            persona == "anonymous"
            and response.status_code == 302
            and response["Location"].startswith("/login")
        )
        if not refused:
            problems.append(f"{url} ({word}) → {response.status_code}, not a 404")
    if persona == "mem":
        trip_page = client.get(community.mem_trip).content.decode()
        if "olive" in trip_page.lower():
            problems.append(f"{community.mem_trip} gives away olive's only-me trip")
    if persona == "olive":  # her muted person's post stays out of her timelines and search
        for url in ("/", "/local", *_searches({MUTED})):
            if MUTED in _shown(url, client.get(url).content.decode()):
                problems.append(f"{url} shows the muted person's post")
    _dump(persona, found)
    assert len(found.visits) > 60, "the crawl found too few pages to mean anything"
    assert not problems, f"{persona}:\n" + "\n".join(problems)


def _dump(persona: str, found: Crawl) -> None:
    """CRAWL_DUMP=/tmp/crawl.txt writes every visit down, to see what the crawl reached."""
    if path := os.environ.get("CRAWL_DUMP"):
        with open(path, "a") as dump:
            for visit in found.visits:
                dump.write(
                    f"{persona} {visit.status} {visit.url} <- {visit.referrer} {visit.seconds:.3f}\n"
                )


@pytest.mark.parametrize("persona", ["olive", "mem"])
def test_every_form_answers_a_careless_submit_without_a_server_error(make_account, persona):
    """Each POST form the crawl met, sent as found (defaults only) and then with every field
    blank: a person pressing the button without filling anything in gets a page, never a 500."""
    community = build_community(make_account)
    client = Client(raise_request_exception=False)
    client.force_login(community.people[persona].user)
    found = crawl(client, SEEDS, budget=150)
    problems = []
    forms = sorted(found.post_forms.items(), key=lambda item: ("delete" in item[0], item[0]))
    for action, fields in forms:
        for data in (fields, [(name, "") for name, _ in fields]):
            response = client.post(action, dict(data))
            if response.status_code >= 500:
                error = getattr(response, "exc_info", None)
                problems.append(
                    f"POST {action} {dict(data)} → {response.status_code} {error and repr(error[1])}"
                )
    assert len(forms) > 20
    assert not problems, "\n".join(problems)
