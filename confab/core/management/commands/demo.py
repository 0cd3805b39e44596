"""`confab demo`: fill an empty database with a believable professional community.

The community is planned first, entirely in memory and from one seeded random generator,
then written through the ordinary actions (register, update_profile, follow, post,
favourite, boost), all in one transaction. Planning before writing is what makes it
deterministic: the same seed gives the same people, follows and post texts whatever the
clock says; only the timestamps move with "now".

After the people, posts, chats and starter kits, each app's `demo` module adds its part
through its own actions: events, trips and meetups (confab.events.demo), messages,
introductions and people worth meeting (confab.connections.demo) and scheduled posts
(confab.insights.demo). Each draws from its own generator seeded from the same seed, so
adding one leaves the others as they were.
"""

import random
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from confab.accounts import actions as account_actions
from confab.accounts.models import Account, Follow, FollowOrigin, FollowRequest
from confab.connections import demo as connections_demo
from confab.core import demo_chats, places
from confab.core import demo_data as data
from confab.core.ids import id_for_time, time_of
from confab.curation import demo as curation_demo
from confab.events import demo as events_demo
from confab.insights import demo as insights_demo
from confab.posts import actions as post_actions
from confab.posts.models import Favourite, Post, Visibility

DEFAULT_SEED = 2026
DEFAULT_PEOPLE = 60
POSTS_PER_PERSON = 6.0
DAYS = 30
LOGINS_SHOWN = 8
ADMIN_POST_DAYS = (1, 9, 16, 24)
DIRECT_DAYS = (26, 12)
# Local hours people post at, and how often: before school, lunch, after school, evening.
HOURS = (6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23)
HOUR_WEIGHTS = (2, 4, 3, 2, 2, 2, 4, 3, 2, 3, 4, 4, 3, 5, 6, 5, 3, 1)
# Posting hours are planned with each zone's offset on this fixed day, not today's: the
# plan must not depend on the clock (daylight saving time would reorder posts, and with
# them who replies to what). A naive time: the same wall-clock moment in every zone.
OFFSET_REFERENCE_DAY = datetime(2026, 1, 15, 12)
# Hashing with Argon2 takes about 0.3 s; everyone shares the one printed demo password, so
# it is hashed once and every login gets that hash (_create_people).


@dataclass
class _Person:
    index: int
    username: str
    display_name: str
    role: str
    country: str
    city: str  # a gazetteer label
    city_name: str
    utc_offset: int  # seconds, on OFFSET_REFERENCE_DAY
    interests: list[str]
    note: str
    links: list[tuple[str, str]]
    locked: bool
    hub: bool
    language: str
    local_share: float
    grade: str
    maths: str
    subject: str
    activity: float

    @property
    def group(self) -> str:
        return data.ROLES[self.role].group


@dataclass
class _Post:
    author: int
    text: str
    offset: int  # seconds after the plan's start
    kind: str  # a key of data.REPLIES (what replies to it look like), "reply" or "direct"
    template: str = ""  # a reply's template, so its author's answer can fit it
    spoiler_text: str = ""
    visibility: str = Visibility.PUBLIC
    parent: int | None = None  # index in the plan's posts
    depth: int = 1


@dataclass
class Summary:
    people: int
    follows: int
    requests: int
    posts: int
    replies: int
    favourites: int
    boosts: int
    chats: int
    usernames: list[str]
    events: int = 0
    trips: int = 0
    meetups: int = 0
    introductions: int = 0
    scheduled: int = 0
    recommendations: int = 0


def _ascii_name(name: str) -> str:
    """Return the letters and digits of a name, without accents: "O'Sullivan" → "osullivan"."""
    folded = unicodedata.normalize("NFKD", places.fold(name))
    return "".join(ch for ch in folded if ch.isascii() and ch.isalnum())


def _kind(text: str, spoiler_text: str) -> str:
    """Say what sort of top-level post this is, so replies can fit it."""
    if spoiler_text:
        return "moan"
    words = [word for word in text.split() if not word.startswith("https://")]
    if any("?" in word for word in words):
        return "question"
    if "https://" in text:
        return "share"
    return "story"


class _Slots(dict):
    """The values of one template's slots, drawn on first use (so in the template's order)."""

    def __init__(self, plan: "_Plan", person: _Person) -> None:
        super().__init__()
        self.plan, self.person = plan, person
        self.tags: list[str] = []

    def __missing__(self, key: str) -> str:
        value = self.plan.slot(key, self.person, self)
        self[key] = value
        return value


class _Plan:
    """The whole community, decided in memory: people, follows, posts, favourites, boosts."""

    def __init__(self, seed: int, size: int) -> None:
        self.rng = random.Random(seed)
        self.people = self._plan_people(size)
        self.admin = next(p.index for p in self.people if p.username == "admin")
        self.ada = next(p.index for p in self.people if p.username == "ada")
        self.follows, self.pending = self._plan_follows()
        self.following: dict[int, set[int]] = defaultdict(set)  # accepted follows only
        self.followers: dict[int, set[int]] = defaultdict(set)
        self.asked: dict[int, list[int]] = defaultdict(list)  # with pending requests
        for source, target in self.follows:
            self.asked[source].append(target)
            if (source, target) not in self.pending:
                self.following[source].add(target)
                self.followers[target].add(source)
        self.template_uses: Counter[str] = Counter()
        self.posts = self._plan_posts()
        self.favourites = self._plan_favourites()
        self.boosts = self._plan_boosts()

    # --- people ---------------------------------------------------------------------

    def _plan_people(self, size: int) -> list[_Person]:
        rng = self.rng
        people: list[_Person] = []
        taken: set[str] = set()
        full_names: set[str] = set()
        for anchor in data.ANCHORS:
            person = self._person(
                len(people), anchor.username, anchor.display_name, anchor.role, anchor.country
            )
            person.city = anchor.city
            person.interests = list(anchor.interests)
            person.note = anchor.note
            person.links = list(anchor.links)
            person.locked, person.hub = anchor.locked, anchor.hub
            person.local_share = anchor.local_share
            people.append(person)
            taken.add(anchor.username.lower())
            full_names.add(anchor.display_name)

        country_keys = list(data.COUNTRIES)
        country_weights = [c.weight for c in data.COUNTRIES.values()]
        role_keys = list(data.ROLES)
        role_weights = [r.weight for r in data.ROLES.values()]
        while len(people) < size:
            country_key = rng.choices(country_keys, country_weights)[0]
            country = data.COUNTRIES[country_key]
            pool_name = rng.choices([k for k, _ in country.pools], [w for _, w in country.pools])
            pool = data.NAME_POOLS[pool_name[0]]
            first, last = rng.choice(pool.first), rng.choice(pool.last)
            first_latin = first if isinstance(first, str) else first[0]
            last_latin = last if isinstance(last, str) else last[0]
            display = f"{first_latin} {last_latin}"
            if display in full_names:
                continue
            full_names.add(display)
            if isinstance(first, tuple) and isinstance(last, tuple) and rng.random() < 0.5:
                display = f"{last[1]} {first[1]}"  # written form, family name first
            role_key = rng.choices(role_keys, role_weights)[0]
            role = data.ROLES[role_key]
            if rng.random() < 0.2:
                display = f"{display} {rng.choice(role.emoji)}"
            username = self._username(first_latin, last_latin, role, taken)
            person = self._person(len(people), username, display[:30], role_key, country_key)
            person.city = rng.choice(country.cities)
            person.interests = self._interests(role, country)
            person.links = self._profile_links(username)
            person.note = self._bio(person)
            people.append(person)
        for person in people:
            city = places.resolve_city(person.city)
            offset = ZoneInfo(city.timezone).utcoffset(OFFSET_REFERENCE_DAY)
            assert offset is not None
            person.city_name, person.utc_offset = city.name, int(offset.total_seconds())

        # A few locked accounts besides ada's, so follow requests are part of the picture.
        ordinary = people[len(data.ANCHORS) :]
        for person in rng.sample(ordinary, min(len(ordinary), max(1, size // 20))):
            person.locked = True
        return people

    def _person(
        self, index: int, username: str, display_name: str, role_key: str, country_key: str
    ) -> _Person:
        rng = self.rng
        country = data.COUNTRIES[country_key]
        return _Person(
            index=index,
            username=username,
            display_name=display_name,
            role=role_key,
            country=country_key,
            city="",
            city_name="",
            utc_offset=0,
            interests=[],
            note="",
            links=[],
            locked=False,
            hub=False,
            language=country.language,
            local_share=0.3,
            grade=rng.choice(data.GRADES[country.grades]),
            maths=country.maths,
            subject=rng.choice(country.languages),
            # Most people post a little, a few a lot.
            activity=min(4.0, rng.lognormvariate(0, 0.6)),
        )

    def _username(self, first: str, last: str, role: data.Role, taken: set[str]) -> str:
        rng = self.rng
        f, last_name = _ascii_name(first), _ascii_name(last)
        suffix = rng.choice(role.username_suffixes)
        styles = [
            (f"{f}_{last_name}", 5),
            (f"{f}{last_name}", 3),
            (f"{f[0]}{last_name}", 3),
            (f"{f}_{suffix}", 3),
            (f"{f}{last_name[0]}", 1),
            (f"{f.capitalize()}{last_name.capitalize()}", 2),
            (f"{last_name}_{suffix}", 1),
        ]
        username = rng.choices([s for s, _ in styles], [w for _, w in styles])[0][:30]
        while username.lower() in taken:
            username = f"{username[:27]}{rng.randint(2, 99)}"
        taken.add(username.lower())
        return username

    def _interests(self, role: data.Role, country: data.Country) -> list[str]:
        rng = self.rng
        picked = rng.sample(role.interests, rng.randint(2, 3))
        picked += rng.sample(data.GENERAL_INTERESTS[role.group], rng.randint(1, 2))
        # Country hashtags are teachers' and librarians' chats, not L&D's.
        if role.group != "ld" and country.tags and rng.random() < 0.5:
            picked.append(rng.choice(country.tags))
        return list(dict.fromkeys(picked))

    def _profile_links(self, username: str) -> list[tuple[str, str]]:
        rng = self.rng
        slug = username.lower()
        options = [
            ("Blog", f"https://example.org/blog/{slug}"),
            ("Classroom site", f"https://example.net/class/{slug}"),
            ("Portfolio", f"https://example.com/{slug}"),
            ("Resources", f"https://example.org/resources/{slug}"),
        ]
        return rng.sample(options, rng.choices([0, 1, 2], [4, 4, 2])[0])

    def _topical(self, person: _Person) -> list[str]:
        """Return the person's interests that belong to their role (or all of them)."""
        role_tags = set(data.ROLES[person.role].interests)
        return [t for t in person.interests if t in role_tags] or person.interests

    def _bio(self, person: _Person) -> str:
        rng = self.rng
        role = data.ROLES[person.role]
        values = {
            "grade": person.grade,
            "city": person.city.split(",")[0],
            "years": rng.randint(3, 25),
            "maths": person.maths,
            "subject": person.subject,
        }
        first = rng.choice(role.bios).format(**values)
        sentences = [first[0].upper() + first[1:]]
        if rng.random() < 0.5:
            sentences.append(rng.choice(data.BIO_EXTRAS))
        topical = self._topical(person)
        tags = rng.sample(topical, min(len(topical), rng.randint(1, 2)))
        return " ".join(sentences) + " " + " ".join(f"#{t}" for t in tags)

    # --- follows --------------------------------------------------------------------

    def _affinity(self, a: _Person, b: _Person) -> float:
        shared = len(set(a.interests) & set(b.interests))
        return (
            1.0
            + 3.0 * (a.role == b.role)
            + 2.0 * (a.group == b.group)
            + 1.5 * shared
            + 1.0 * (a.country == b.country)
        )

    def _plan_follows(self) -> tuple[list[tuple[int, int]], set[tuple[int, int]]]:
        rng = self.rng
        people, admin = self.people, self.admin
        hubs = [p.index for p in people if p.hub]
        pairs: list[tuple[int, int]] = []
        seen: set[tuple[int, int]] = set()

        def add(source: int, target: int) -> None:
            if source != target and (source, target) not in seen:
                seen.add((source, target))
                pairs.append((source, target))

        # With few people, "10 to 25 each" would make everyone follow everyone.
        most = max(3, (len(people) - 2) // 2)
        for person in people:
            if person.index == admin:
                for hub in hubs:
                    add(admin, hub)
                continue
            for hub in hubs:
                if rng.random() < 0.8:
                    add(person.index, hub)
            if rng.random() < 0.3:
                add(person.index, admin)
            candidates = [
                other
                for other in people
                if other.index not in (person.index, admin)
                and (person.index, other.index) not in seen
            ]
            weights = [self._affinity(person, other) for other in candidates]
            for _ in range(min(rng.randint(8, 18), most, len(candidates))):
                chosen = rng.choices(range(len(candidates)), weights)[0]
                add(person.index, candidates.pop(chosen).index)
                weights.pop(chosen)
        for source, target in list(pairs):  # following back
            if target != admin and rng.random() < 0.35:
                add(target, source)

        # Locked people have accepted most requests; the latest few still wait, so the
        # follow-request page has something on it (for ada most of all).
        pending: set[tuple[int, int]] = set()
        for person in people:
            if person.locked:
                incoming = [pair for pair in pairs if pair[1] == person.index]
                waiting = 3 if person.username == "ada" else (1 if len(incoming) >= 3 else 0)
                pending.update(incoming[len(incoming) - waiting :] if waiting else [])
        return pairs, pending

    # --- texts ----------------------------------------------------------------------

    def slot(self, key: str, person: _Person, slots: _Slots) -> str:
        rng = self.rng
        if key in ("tag", "tag2"):
            topical = self._topical(person) if rng.random() < 0.75 else person.interests
            tag = rng.choice([t for t in topical if t not in slots.tags] or person.interests)
            slots.tags.append(tag)
            # People type the same hashtag in different ways; Confab files them together.
            if tag.isascii() and rng.random() < 0.15:
                tag = tag.lower()
            return f"#{tag}"
        if key == "link":
            path = rng.choice(data.ROLES[person.role].links + data.GENERAL_LINKS)
            return f"https://example.org/{path}"
        if key == "friend":
            asked = [i for i in self.asked[person.index] if i != self.admin]
            close = [i for i in asked if self.people[i].group == person.group]
            others = [p.index for p in self.people if p.index not in (person.index, self.admin)]
            choices = close if close and rng.random() < 0.7 else (asked or others)
            return "@" + self.people[rng.choice(choices)].username
        if key == "city":
            return person.city_name
        if key in ("grade", "maths", "subject"):
            return getattr(person, key)
        if key == "n":
            return str(rng.randint(3, 40))
        if key == "book":
            return rng.choice(data.BOOKS)
        if key == "tool":
            return rng.choice(data.TOOLS)
        if key == "topic":
            return rng.choice(data.TOPICS)
        raise KeyError(key)

    def _fill(self, template: str, person: _Person, slots: _Slots | None = None) -> str:
        return template.format_map(slots if slots is not None else _Slots(self, person))

    def _least_used(self, templates: tuple[str, ...]) -> str:
        # Spread the templates out, so the same sentence comes back as rarely as possible.
        fewest = min(self.template_uses[t] for t in templates)
        choice = self.rng.choice([t for t in templates if self.template_uses[t] == fewest])
        self.template_uses[choice] += 1
        return choice

    # --- posts ----------------------------------------------------------------------

    def _event_offset(self, person: _Person, day: int, hour: int) -> int:
        local = hour * 3600 + self.rng.randrange(3600)
        return day * 86400 + local - person.utc_offset

    def _plan_posts(self) -> list[_Post]:
        rng = self.rng
        people = self.people
        direct_pairs = self._direct_pairs()
        scripts = [
            [line for line in data.DIRECT_SCRIPTS[number] if line]
            for number in range(len(direct_pairs))
        ]
        total = round(len(people) * POSTS_PER_PERSON)
        budget = max(0, total - len(data.ADMIN_POSTS) - sum(map(len, scripts)))

        # (offset, sequence, kind, author, detail); the sequence breaks ties.
        events: list[tuple[int, int, str, int, tuple[int, int]]] = []
        admin = people[self.admin]
        for number, day in enumerate(ADMIN_POST_DAYS[: len(data.ADMIN_POSTS)]):
            offset = self._event_offset(admin, day, 10)
            events.append((offset, len(events), "admin", admin.index, (number, 0)))
        for number, ((first, second), lines) in enumerate(zip(direct_pairs, scripts, strict=True)):
            start = self._event_offset(people[first], DIRECT_DAYS[number], 20)
            for step in range(len(lines)):
                speaker = (first, second)[step % 2]
                events.append((start + step * 2400, len(events), "direct", speaker, (number, step)))
        others = [p for p in people if p.index != self.admin]
        for poster in rng.choices(others, [p.activity for p in others], k=budget):
            day, hour = rng.randrange(DAYS), rng.choices(HOURS, HOUR_WEIGHTS)[0]
            offset = self._event_offset(poster, day, hour)
            events.append((offset, len(events), "post", poster.index, (0, 0)))
        events.sort()

        posts: list[_Post] = []
        replied: set[tuple[int, int]] = set()  # (person, post) already answered
        has_posted: set[int] = set()
        conversations: dict[int, int] = {}  # direct script → its latest post
        for offset, _, kind, author_index, (number, step) in events:
            author = people[author_index]
            if kind == "admin":
                posts.append(_Post(author.index, data.ADMIN_POSTS[number], offset, "admin"))
            elif kind == "direct":
                first, second = direct_pairs[number]
                other = people[second if author.index == first else first]
                parent = conversations.get(number)
                posts.append(
                    _Post(
                        author.index,
                        f"@{other.username} {scripts[number][step]}",
                        offset,
                        "direct",
                        visibility=Visibility.DIRECT,
                        parent=parent,
                        depth=1 if parent is None else posts[parent].depth + 1,
                    )
                )
                conversations[number] = len(posts) - 1
            else:
                roll = rng.random()
                planned = None
                if author.index not in has_posted and roll < 0.25:
                    text = self._fill(data.INTRODUCTION, author)
                    planned = _Post(author.index, text, offset, "intro")
                elif roll < 0.33:
                    planned = self._reply(author, offset, posts, replied)
                elif roll < 0.37:
                    planned = self._continuation(author, offset, posts)
                posts.append(planned or self._top_level(author, offset))
            has_posted.add(author.index)
        return posts

    def _top_level(self, author: _Person, offset: int) -> _Post:
        rng = self.rng
        visibility = rng.choices(
            [Visibility.PUBLIC, Visibility.UNLISTED, Visibility.PRIVATE], [86, 7, 7]
        )[0]
        spoiler = ""
        from_role = False
        local = data.LOCAL_POSTS.get(author.language)
        if local and rng.random() < author.local_share:
            text = self._fill(self._least_used(local), author)
        elif rng.random() < 0.06:
            warned = dict(data.CONTENT_WARNED)
            spoiler = self._least_used(tuple(warned))
            slots = _Slots(self, author)  # shared, so "{book}" is the same book in both
            text = self._fill(warned[spoiler], author, slots)
            spoiler = self._fill(spoiler, author, slots)
        else:
            from_role = rng.random() < 0.65
            templates = data.ROLES[author.role].posts if from_role else data.GENERAL_POSTS
            text = self._fill(self._least_used(templates), author)
            if "#EduMatch" in text and rng.random() < 0.3:
                text = text.replace("#EduMatch", "#edumatch")
            if "#" not in text and rng.random() < 0.5:
                topical = self._topical(author)
                tags = rng.sample(topical, min(len(topical), rng.randint(1, 2)))
                text += " " + " ".join(f"#{t}" for t in tags)
        kind = _kind(text, spoiler)
        if kind == "story" and from_role:
            kind = "idea"  # something they did at work, which invites questions
        return _Post(
            author.index,
            text,
            offset,
            kind,
            spoiler_text=spoiler,
            visibility=visibility,
        )

    def _may_see(self, person: _Person, post: _Post) -> bool:
        if post.visibility in (Visibility.PUBLIC, Visibility.UNLISTED):
            return True
        if post.visibility == Visibility.PRIVATE:
            return post.author in self.following[person.index]
        return False

    def _reply(
        self, author: _Person, offset: int, posts: list[_Post], replied: set[tuple[int, int]]
    ) -> _Post | None:
        """Plan a reply to a post from the last two days that the author can see, or None."""
        rng = self.rng
        candidates: list[int] = []
        weights: list[float] = []
        for index in range(len(posts) - 1, -1, -1):
            parent = posts[index]
            if parent.offset < offset - 2 * 86400:
                break
            if (
                parent.author == author.index
                or parent.depth >= 4
                or (author.index, index) in replied
                or not self._may_see(author, parent)
            ):
                continue
            if parent.parent is not None and posts[parent.parent].author == author.index:
                weight = 6.0  # someone answered me: I answer back
            elif parent.author in self.following[author.index]:
                weight = 3.0
            elif self.people[parent.author].hub:
                weight = 1.5
            else:
                weight = 0.5
            candidates.append(index)
            weights.append(weight)
        if not candidates:
            return None
        index = rng.choices(candidates, weights)[0]
        replied.add((author.index, index))
        parent = posts[index]
        parent_author = self.people[parent.author]
        if parent.parent is not None and posts[parent.parent].author == author.index:
            template = data.FOLLOW_UPS.get(parent.template) or self._least_used(data.ANSWERS)
        elif parent.kind == "reply":
            template = self._least_used(data.REPLIES["thread"])
        elif parent_author.city == author.city and rng.random() < 0.5:
            template = data.SAME_CITY_REPLY
        else:
            template = self._least_used(data.REPLIES[parent.kind])
        visibility = parent.visibility
        if visibility == Visibility.PUBLIC and rng.random() < 0.05:
            visibility = Visibility.UNLISTED
        return _Post(
            author.index,
            f"@{parent_author.username} {self._fill(template, author)}",  # as Mastodon does
            offset,
            "reply",
            template=template,
            spoiler_text=parent.spoiler_text,
            visibility=visibility,
            parent=index,
            depth=parent.depth + 1,
        )

    def _continuation(self, author: _Person, offset: int, posts: list[_Post]) -> _Post | None:
        """Plan a follow-up to the author's own post of the last few hours, or None."""
        for index in range(len(posts) - 1, -1, -1):
            parent = posts[index]
            if parent.offset < offset - 6 * 3600:
                return None
            if parent.author == author.index and parent.parent is None:
                if parent.visibility == Visibility.DIRECT:
                    return None
                text = self._fill(self._least_used(data.THREAD_CONTINUATIONS), author)
                return _Post(
                    author.index,
                    text,
                    offset,
                    "reply",
                    spoiler_text=parent.spoiler_text,
                    visibility=parent.visibility,
                    parent=index,
                    depth=parent.depth + 1,
                )
        return None

    def _direct_pairs(self) -> list[tuple[int, int]]:
        """Return up to two pairs of people who follow each other and will talk privately."""
        rng = self.rng
        mutual = sorted(
            (a, b)
            for a, b in self.follows
            if a < b
            and b in self.following[a]
            and a in self.following[b]
            and self.admin not in (a, b)
        )
        pairs: list[tuple[int, int]] = []
        with_ada = [pair for pair in mutual if self.ada in pair]
        if with_ada:
            a, b = rng.choice(with_ada)
            pairs.append((self.ada, b if a == self.ada else a))
        rest = [pair for pair in mutual if self.ada not in pair]
        if rest:
            pairs.append(rng.choice(rest))
        return pairs[: len(data.DIRECT_SCRIPTS)]

    # --- favourites and boosts -------------------------------------------------------

    def _plan_favourites(self) -> list[tuple[int, int]]:
        rng = self.rng
        everyone = [p.index for p in self.people]
        planned: list[tuple[int, int]] = []
        seen: set[tuple[int, int]] = set()

        def add(person: int, post: int) -> None:
            if (person, post) not in seen and person != self.posts[post].author:
                seen.add((person, post))
                planned.append((person, post))

        for index, post in enumerate(self.posts):
            if post.visibility == Visibility.DIRECT:
                continue
            for follower in sorted(self.followers[post.author]):
                if rng.random() < 0.12:
                    add(follower, index)
            if post.visibility != Visibility.PRIVATE and rng.random() < 0.3:
                add(rng.choice(everyone), index)
            if post.parent is not None and rng.random() < 0.5:
                add(self.posts[post.parent].author, index)  # mentioned, so may see it
        return planned

    def _plan_boosts(self) -> list[tuple[int, int]]:
        rng = self.rng
        shareable = [
            index
            for index, post in enumerate(self.posts)
            if post.visibility == Visibility.PUBLIC
            and post.parent is None
            and self.followers[post.author]
        ]
        planned: list[tuple[int, int]] = []
        for index in rng.sample(shareable, min(len(shareable), max(2, len(self.people) // 5))):
            booster = rng.choice(sorted(self.followers[self.posts[index].author]))
            planned.append((booster, index))
        return planned


def _create_people(plan: _Plan, password: str) -> list[Account]:
    password_hash = make_password(password)
    accounts = [
        account_actions.register(
            person.username,
            f"{person.username.lower()}@{data.DEMO_EMAIL_DOMAIN}",
            password,
            policy_check=False,
            password_hash=password_hash,
        )
        for person in plan.people
    ]
    for person, account in zip(plan.people, accounts, strict=True):
        account_actions.update_profile(
            account,
            account_actions.ProfileChanges(
                display_name=person.display_name,
                note=person.note,
                city=person.city,
                time_zone="",  # the city's
                interests=person.interests,
                links=person.links,
                locked=person.locked,
            ),
        )
    account_actions.make_admin(accounts[plan.admin])
    return accounts


def _plan_origins(plan: _Plan, rng: random.Random) -> dict[tuple[int, int], str]:
    """Say where some follows came from, so insights' "where connections came from" has
    figures: people who share a chat's hashtags met there; people in a starter kit were
    followed from its list; a few came from an event or a search."""
    chats = [{tag.lower() for tag in chat.interests} for chat in demo_chats.CHATS]
    in_kits = {name for kit in data.KITS for name in kit.people}
    kit_tags = {kit.people_with.lower() for kit in data.KITS}
    origins: dict[tuple[int, int], str] = {}
    for source, target in plan.follows:
        mine = {t.lower() for t in plan.people[source].interests}
        theirs = {t.lower() for t in plan.people[target].interests}
        person = plan.people[target]
        roll = rng.random()
        if any(mine & tags and theirs & tags for tags in chats) and roll < 0.4:
            origins[source, target] = FollowOrigin.CHAT
        elif (person.username in in_kits or theirs & kit_tags) and roll < 0.55:
            origins[source, target] = FollowOrigin.LIST
        elif roll < 0.62:
            origins[source, target] = FollowOrigin.EVENT
        elif roll < 0.68:
            origins[source, target] = FollowOrigin.SEARCH
    return origins


def _create_follows(
    plan: _Plan, accounts: list[Account], origins: dict[tuple[int, int], str]
) -> None:
    for source, target in plan.follows:
        account_actions.follow(
            accounts[source], accounts[target], origin=origins.get((source, target), "")
        )
    requests = {
        (request.source_id, request.target_id): request.pk
        for request in FollowRequest.objects.filter(target__in=accounts)
    }
    for source, target in plan.follows:
        key = (accounts[source].pk, accounts[target].pk)
        if key in requests and (source, target) not in plan.pending:
            account_actions.accept_follow_request(accounts[target], requests[key])


def _create_posts(plan: _Plan, accounts: list[Account], now: datetime) -> None:
    start = now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=DAYS)
    ids: list[int] = []
    count = len(plan.posts)
    for number, planned in enumerate(plan.posts):
        # The plan runs on each person's own clock, so a few evening posts west of
        # Greenwich would land later than now: those are squeezed into the last minutes.
        created_at = min(
            start + timedelta(seconds=planned.offset),
            now - timedelta(seconds=90 * (count - number)),
        )
        new = post_actions.post(
            accounts[planned.author],
            planned.text,
            spoiler_text=planned.spoiler_text,
            visibility=planned.visibility,
            in_reply_to_id=ids[planned.parent] if planned.parent is not None else None,
            created_at=created_at,
            post_id=id_for_time(created_at, number),  # so id order is time order
        )
        ids.append(new.pk)
    for person, index in plan.favourites:
        # Favourites come within a day of the post, not all at the moment of seeding (the
        # insights heatmap reads when people were active).
        liked_at = min(
            time_of(ids[index]) + timedelta(minutes=20 + (person * 37 + index) % 1400), now
        )
        post_actions.favourite(accounts[person], ids[index], created_at=liked_at)
    for person, index in plan.boosts:
        # A boost comes a few hours after the post it shares, not at the moment of seeding.
        boosted_at = min(time_of(ids[index]) + timedelta(hours=3), now)
        post_actions.boost(accounts[person], ids[index], created_at=boosted_at)


def build_community(seed: int, size: int, password: str) -> Summary:
    """Create the demo community in the (empty) database and say what was made."""
    plan = _Plan(seed, size)
    # Each part draws from its own generator, so adding one leaves the others as they were.
    origins = _plan_origins(plan, random.Random(f"{seed}-origins"))
    now = timezone.now()
    with transaction.atomic():
        accounts = _create_people(plan, password)
        _create_follows(plan, accounts, origins)
        _create_posts(plan, accounts, now)
        chats = demo_chats.create_chats(accounts)
        demo_chats.create_past_sessions(accounts)
        curation_demo.create_kits(accounts)
        events = events_demo.create_events(accounts, random.Random(f"{seed}-events"), now)
        trips, meetups = events_demo.create_travel(accounts, random.Random(f"{seed}-travel"), now)
        connections_demo.create_conversations(accounts, random.Random(f"{seed}-conversations"), now)
        introductions = connections_demo.create_introductions(
            accounts, random.Random(f"{seed}-introductions")
        )
        scheduled = insights_demo.create_scheduled_posts(accounts, now)
        # Last, so every signal above (follows, rooms, interests) counts.
        recommendations = connections_demo.create_recommendations()
    return Summary(
        people=len(accounts),
        follows=Follow.objects.count(),
        requests=FollowRequest.objects.count(),
        posts=Post.objects.filter(boost_of__isnull=True).count(),
        replies=Post.objects.filter(in_reply_to__isnull=False).count(),
        favourites=Favourite.objects.count(),
        boosts=Post.objects.filter(boost_of__isnull=False).count(),
        chats=chats,
        usernames=[p.username for p in plan.people],
        events=events,
        trips=trips,
        meetups=meetups,
        introductions=introductions,
        scheduled=scheduled,
        recommendations=recommendations,
    )


def login_line(usernames: list[str], password: str) -> str:
    others = [u for u in usernames if u not in ("ada", "admin")][:LOGINS_SHOWN]
    line = f"Log in as ada / {password}"
    if others:
        line += f" (or any of: {', '.join(others)})"
    return f"{line}; admin: admin / {password}"


class Command(BaseCommand):
    help = (
        "Fill an empty database with a demo community: people, follows, posts, replies, "
        "favourites, chats, starter kits, events, trips, meetups, messages, introductions, "
        "scheduled posts and people worth meeting. The same seed gives the same community."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
        parser.add_argument(
            "--people",
            type=int,
            default=DEFAULT_PEOPLE,
            help=f"How many people, at least {len(data.ANCHORS)} (default {DEFAULT_PEOPLE}).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the database already has people in it (for `make run`).",
        )
        parser.add_argument(
            "--password",
            default=data.DEMO_PASSWORD,
            help=f"The password of every demo person (default {data.DEMO_PASSWORD}).",
        )

    def handle(self, *args, seed, people, if_empty, password, **options):
        if Account.objects.exists():
            if if_empty:
                self.stdout.write("Demo community already there.")
                self.stdout.write(
                    f"If the demo made it: log in as ada / {password}; admin: admin / {password}"
                )
                return
            raise CommandError(
                "This database already has people in it; the demo fills an empty one "
                "(`confab demo --if-empty` skips quietly)."
            )
        if people < len(data.ANCHORS):
            raise CommandError(f"--people must be at least {len(data.ANCHORS)}.")
        try:
            validate_password(password)
        except ValidationError as exc:
            raise CommandError("--password: " + " ".join(exc.messages)) from None

        started = time.monotonic()
        try:
            summary = build_community(seed, people, password)
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from None
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo community ready in {elapsed:.1f} s: {summary.people} people, "
                f"{summary.follows} follows ({summary.requests} requests waiting), "
                f"{summary.posts} posts ({summary.replies} replies), "
                f"{summary.favourites} favourites, {summary.boosts} boosts, "
                f"{summary.chats} chats (#NewcomersChat goes live in "
                f"{int(demo_chats.LIVE_SOON_DELAY.total_seconds() // 60)} minutes), "
                f"{summary.events} events, {summary.trips} trips, {summary.meetups} meetups, "
                f"{summary.introductions} introductions, {summary.scheduled} scheduled posts, "
                f"{summary.recommendations} people-worth-meeting suggestions."
            )
        )
        self.stdout.write(login_line(summary.usernames, password))
