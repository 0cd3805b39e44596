"""Seed a benchmark community straight into the configured database.

    python bench/seed.py [--people 10000] [--posts 1000000] [--seed 1]

It uses the same settings as the server (CONFAB_DATA_DIR, CONFAB_DATABASE_URL), migrates,
and writes in bulk: executemany on SQLite, COPY on PostgreSQL. This bypasses the actions on
purpose (a million `post()` calls would take an hour), so the rows are written the way the
actions would write them: snowflake ids that sort with `created_at`, `uri`s, rendered
`content_html`, thread ids, and the follower, following, post and reply counts.

The community is random but deterministic for a given --seed:

- people follow about 150 others each; half of those picks favour a few popular accounts
  (Zipf-like), so a handful of people have thousands of followers;
- how much people post is skewed too; posts are spread over the last year;
- 200 hashtags with Zipf-like use, on about 30% of posts (one or two each);
- mostly public posts, some unlisted and followers-only, and about 15% replies.

One extra person, `bench`, is the viewer whose home timeline the benchmark loads: they follow
about 150 people including some of the most followed. Their bio records the community's
parameters; it is the marker that lets a rerun skip seeding.
"""

import argparse
import itertools
import math
import os
import random
import re
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

VIEWER = "bench"
PASSWORD = "bench-password"
MARKER = re.compile(
    r"people=(?P<people>\d+) posts=(?P<posts>\d+) seed=(?P<seed>\d+) hashtag=(?P<hashtag>\w+)"
    r"(?: seeded_in=(?P<seconds>\d+)s)?"
)

FOLLOWS_MEAN = 150
POPULAR_SHARE = 0.4  # of each person's follows, picked by popularity rather than at random
POPULARITY_EXPONENT = 0.7
HUBS_FOLLOWED_BY_VIEWER = 10
HASHTAGS = 200
TAGGED_SHARE = 0.35  # of posts that are not replies: about 30% of all posts
REPLY_SHARE = 0.15
REPLY_WINDOW = 2000  # a reply answers one of this many newest posts
POSTS_SPAN = timedelta(days=365)
ACCOUNTS_SPAN = timedelta(days=730)  # people joined over the two years before that
BATCH = 100_000

FIRST_NAMES = [
    "Ada",
    "Ben",
    "Chioma",
    "Dana",
    "Emeka",
    "Farah",
    "Gus",
    "Hana",
    "Ivan",
    "Jia",
    "Kofi",
    "Lena",
    "Mateo",
    "Nia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sami",
    "Tara",
    "Uma",
    "Vik",
    "Wen",
    "Xavi",
    "Yara",
    "Zoe",
]
LAST_NAMES = [
    "Abe",
    "Banda",
    "Costa",
    "Diaz",
    "Eze",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ito",
    "Jensen",
    "Kim",
    "Lopez",
    "Mensah",
    "Novak",
    "Okafor",
    "Patel",
    "Quist",
    "Rossi",
    "Silva",
    "Tanaka",
    "Uddin",
    "Varga",
    "Wong",
    "Xu",
    "Yilmaz",
    "Zulu",
]
TAG_TOPICS = [
    "Edu",
    "Sci",
    "Math",
    "Tech",
    "Lib",
    "Art",
    "Music",
    "History",
    "Geo",
    "Lang",
    "Code",
    "Data",
    "Design",
    "Health",
    "Nurse",
    "Law",
    "Biz",
    "Startup",
    "Product",
    "Market",
    "Climate",
    "Food",
    "Travel",
    "Photo",
    "Film",
    "Book",
    "Game",
    "Space",
    "Bio",
    "Chem",
    "Physics",
    "Robot",
    "Maker",
    "Garden",
    "Run",
    "Cycle",
    "Chess",
    "Jazz",
    "Poetry",
    "Career",
]
TAG_SUFFIXES = ("Chat", "Tips", "News", "Talk", "Life")
POST_TEXTS = (
    "Morning all. What is one thing you are trying differently this week?",
    "Trying a new way to run the Tuesday session: six questions, eight minutes apart.",
    "Wrote up what we learned from last month's pilot: https://example.org/notes/pilot",
    "Hot take: the best professional development is an hour of good questions with peers.",
    "Reading list for the weekend, suggestions welcome.",
    "We are looking for a guest host for next week. Who would like to try it?",
    "Slides from today's talk are up at https://example.org/slides and the recording "
    "follows once it is captioned.",
    "Small win today: the whole group finished the project on time and nobody panicked.",
    "If you could change one thing about how your field shares knowledge, what would it be?",
    "Three things I wish I had known in my first year:\n\n1. ask early\n2. write it down\n"
    "3. find your people",
)
REPLY_TEXTS = (
    "Good point, we tried that last term and it worked.",
    "Thanks for sharing this!",
    "Could you say more about how you set it up?",
    "Agreed. The hard part is finding the time.",
    "Saving this for later.",
)
PUBLIC, UNLISTED, PRIVATE = "public", "unlisted", "private"


@dataclass(frozen=True)
class Community:
    """What to seed; equal parameters give the same community."""

    people: int = 10_000
    posts: int = 1_000_000
    seed: int = 1

    def marker(self, hashtag: str, seconds: float) -> str:
        return (
            f"Benchmark viewer. people={self.people} posts={self.posts} "
            f"seed={self.seed} hashtag={hashtag} seeded_in={seconds:.0f}s"
        )


@dataclass(frozen=True)
class Seeded:
    """What the benchmark needs to know about a seeded community."""

    community: Community
    viewer: str  # username of the person whose home timeline is measured
    hashtag: str  # normalised name of a hashtag of medium popularity
    seconds: float | None = None  # how long seeding took, when known


class NotSeedable(Exception):
    """The database holds something other than this benchmark's community."""


def _log(message: str) -> None:
    print(message, flush=True)


def seeded(community: Community) -> Seeded | None:
    """Return the community if the database already holds it; raise if it holds another."""
    from confab.accounts.models import Account, User

    note = Account.objects.filter(username=VIEWER, domain="").values_list("note", flat=True)
    match = MARKER.search(note.first() or "")
    if match is None:
        if User.objects.exists() or Account.objects.exists():
            raise NotSeedable(
                "the database has accounts but no complete benchmark community "
                "(an interrupted seed, or real data): use an empty database"
            )
        return None
    found = Community(int(match["people"]), int(match["posts"]), int(match["seed"]))
    if found != community:
        raise NotSeedable(f"the database holds another benchmark community: {found}")
    seconds = float(match["seconds"]) if match["seconds"] else None
    return Seeded(community, VIEWER, match["hashtag"], seconds)


def ensure(community: Community, log: Callable[[str], None] = _log) -> Seeded:
    """Seed the community unless the database holds it already."""
    existing = seeded(community)
    if existing is not None:
        log(f"seed: the database already holds {community}; not seeding")
        return existing
    return _Seeder(community, log).run()


class _Writer:
    """Insert rows fast: executemany on SQLite, COPY on PostgreSQL.

    Columns the caller does not give get the model field's default, so a field added later
    with a default does not break the seed; a required field without one does, loudly.
    """

    def __init__(self) -> None:
        from django.db import connection

        connection.ensure_connection()
        self.connection = connection
        self.vendor = connection.vendor

    def datetime(self, moment: datetime):
        return self.connection.ops.adapt_datetimefield_value(moment)

    def insert(self, model, given: Sequence[str], rows: Iterable[tuple]) -> int:
        fields = {f.attname: f for f in model._meta.concrete_fields}
        unknown = set(given) - set(fields)
        if unknown:
            raise ValueError(f"{model.__name__} has no fields {sorted(unknown)}")
        columns = [fields[name].column for name in given]
        defaults = []
        for name, field in fields.items():
            if name in given or getattr(field, "db_returning", False):
                continue  # given, or an auto-increment key the database fills in
            value = field.get_default()
            if value is None and not field.null:
                raise ValueError(f"{model.__name__}.{name} has no default: give it")
            columns.append(field.column)
            defaults.append(field.get_db_prep_save(value, self.connection))
        rest = tuple(defaults)
        table = model._meta.db_table
        quoted = ", ".join(f'"{c}"' for c in columns)
        raw = self.connection.connection
        count = 0
        if self.vendor == "postgresql":
            with (
                raw.cursor() as cursor,
                cursor.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy,
            ):
                for row in rows:
                    copy.write_row(row + rest)
                    count += 1
        else:
            marks = ", ".join("?" * len(columns))
            full = [row + rest for row in rows]
            raw.executemany(f'INSERT INTO "{table}" ({quoted}) VALUES ({marks})', full)
            count = len(full)
        return count


def _zipf_cumulative(n: int, exponent: float) -> list[float]:
    return list(itertools.accumulate(1 / (rank + 1) ** exponent for rank in range(n)))


def _chunks(n: int, size: int) -> Iterator[range]:
    for start in range(0, n, size):
        yield range(start, min(n, start + size))


class _Seeder:
    def __init__(self, community: Community, log: Callable[[str], None]) -> None:
        self.c = community
        self.log = log
        self.rng = random.Random(community.seed)
        self.writer = _Writer()
        self.started = time.perf_counter()
        self.phase_started = self.started
        # The newest post is written just before midnight UTC of today.
        today = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
        self.posts_start = today - POSTS_SPAN
        self.accounts_start = self.posts_start - ACCOUNTS_SPAN

    def _phase(self, message: str) -> None:
        now = time.perf_counter()
        self.log(f"seed: {message} ({now - self.phase_started:.1f} s)")
        self.phase_started = now

    def run(self) -> Seeded:
        from django.db import connection

        self.log(
            f"seed: seeding {self.c} into {connection.vendor} ({connection.settings_dict['NAME']})"
        )
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                # A lost seed is simply redone, so durability can wait until it is over.
                cursor.execute("PRAGMA synchronous=OFF")
                cursor.execute("PRAGMA cache_size=-1000000")
                cursor.execute("PRAGMA temp_store=MEMORY")
        from confab.insights import rollup

        # The insights rollup's triggers fan each post out to everyone its author follows
        # (~150 upserts a post here): off for the bulk load, then one rebuild of its window.
        rollup.uninstall(connection)
        try:
            self._people()
            self._follows()
            self._hashtags()
            self._posts()
        finally:
            rollup.rebuild(connection)  # and puts the triggers back
            self._phase("insights rollup rebuilt")
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA synchronous=NORMAL")
                    cursor.execute("PRAGMA cache_size=-64000")
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            # A fresh bulk load has no statistics yet; autovacuum would gather them soon.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        self._phase("checkpoint / analyze")
        total = time.perf_counter() - self.started
        # Written last: a seed that stopped half-way has no marker and is not taken for done.
        hashtag = self._marker(total)
        self.log(f"seed: done in {total:.1f} s")
        return Seeded(self.c, VIEWER, hashtag, total)

    # People --------------------------------------------------------------------------

    def _people(self) -> None:
        from confab.accounts.models import local_uri
        from confab.core.ids import id_for_time

        rng = self.rng
        n = self.c.people + 1  # the community and the viewer, who is the last to join
        self.names = [f"person{i:05d}" for i in range(self.c.people)] + [VIEWER]
        span = int(ACCOUNTS_SPAN.total_seconds())
        joined = [*sorted(rng.randrange(span) for _ in range(n - 1)), span - 3600]
        self.joined = [self.accounts_start + timedelta(seconds=s) for s in joined]
        self.account_ids = _ids_for(self.joined, id_for_time)
        self.uris = [local_uri(name) for name in self.names]
        self.display = [
            f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}" for _ in range(n - 1)
        ] + ["Bench Viewer"]

    def _write_users(self) -> None:
        from django.contrib.auth.hashers import make_password
        from django.db import transaction

        from confab.accounts.models import User

        # Argon2 is slow on purpose: hash once, share it.
        password = make_password(PASSWORD)
        dt = self.writer.datetime
        with transaction.atomic():
            self.writer.insert(
                User,
                ["username", "email", "password", "date_joined"],
                (
                    (name, f"{name}@bench.invalid", password, dt(self.joined[i]))
                    for i, name in enumerate(self.names)
                ),
            )
        ids = dict(User.objects.filter(username__in=self.names).values_list("username", "id"))
        self.user_ids = [ids[name] for name in self.names]
        self._phase(f"{len(self.names)} users")

    def _write_accounts(self) -> None:
        from django.db import transaction

        from confab.accounts.models import Account

        dt = self.writer.datetime
        with transaction.atomic():
            self.writer.insert(
                Account,
                [
                    "id",
                    "user_id",
                    "username",
                    "uri",
                    "display_name",
                    "created_at",
                    "followers_count",
                    "following_count",
                    "posts_count",
                ],
                (
                    (
                        self.account_ids[i],
                        self.user_ids[i],
                        name,
                        self.uris[i],
                        self.display[i],
                        dt(self.joined[i]),
                        self.followers[i],
                        self.following[i],
                        self.posts_count[i],
                    )
                    for i, name in enumerate(self.names)
                ),
            )
        self._phase(f"{len(self.names)} accounts")

    # Follows -------------------------------------------------------------------------

    def _follows(self) -> None:
        rng = self.rng
        people = self.c.people
        viewer = people
        # Popularity: a random order of the community, Zipf-like weights by rank.
        ranked = list(range(people))
        rng.shuffle(ranked)
        self.hubs = ranked[:30]
        weights = [0.0] * people
        for rank, person in enumerate(ranked):
            weights[person] = 1 / (rank + 1) ** POPULARITY_EXPONENT
        cumulative = list(itertools.accumulate(weights))
        population = range(people)
        sigma = 0.6
        mu = math.log(FOLLOWS_MEAN) - sigma * sigma / 2

        def pick(source: int, count: int, chosen: set[int]) -> set[int]:
            count = min(count, people - 1)
            popular = round(count * POPULAR_SHARE)
            while len(chosen) < popular:
                chosen.update(
                    rng.choices(population, cum_weights=cumulative, k=popular - len(chosen))
                )
                chosen.discard(source)
            while len(chosen) < count:
                target = rng.randrange(people)
                if target != source:
                    chosen.add(target)
            return chosen

        self.follow_lists: list[list[int]] = []
        for source in range(people):
            count = max(10, round(rng.lognormvariate(mu, sigma)))
            self.follow_lists.append(sorted(pick(source, count, set())))
        viewer_hubs = set(rng.sample(self.hubs, min(HUBS_FOLLOWED_BY_VIEWER, len(self.hubs))))
        self.follow_lists.append(sorted(pick(viewer, FOLLOWS_MEAN, viewer_hubs)))
        self.following = [len(targets) for targets in self.follow_lists]
        counts = Counter(t for targets in self.follow_lists for t in targets)
        self.followers = [counts.get(i, 0) for i in range(people + 1)]
        self._phase(f"{sum(self.following)} follows picked")

    def _write_follows(self) -> None:
        from django.db import transaction

        from confab.accounts.models import Follow
        from confab.core.ids import id_for_time

        # Someone follows another person shortly after both have joined.
        pairs = [
            (source, target)
            for source, targets in enumerate(self.follow_lists)
            for target in targets
        ]
        when = [
            max(self.joined[s], self.joined[t]) + timedelta(seconds=1 + (s * 7 + t) % 3600)
            for s, t in pairs
        ]
        ids = _ids_for(when, id_for_time)
        dt = self.writer.datetime
        for chunk in _chunks(len(pairs), BATCH * 2):
            with transaction.atomic():
                self.writer.insert(
                    Follow,
                    ["id", "source_id", "target_id", "created_at"],
                    (
                        (
                            ids[k],
                            self.account_ids[pairs[k][0]],
                            self.account_ids[pairs[k][1]],
                            dt(when[k]),
                        )
                        for k in chunk
                    ),
                )
        self._phase(f"{len(pairs)} follows")

    # Hashtags ------------------------------------------------------------------------

    def _hashtags(self) -> None:
        from confab.core.text import normalize_hashtag

        displays = [f"{topic}{suffix}" for topic in TAG_TOPICS for suffix in TAG_SUFFIXES]
        displays = displays[:HASHTAGS]
        self.rng.shuffle(displays)  # the order is the popularity rank
        self.tag_displays = displays
        self.tag_names = [normalize_hashtag(d) for d in displays]
        self.tag_cumulative = _zipf_cumulative(len(displays), 1.0)

    def _write_hashtags(self, first_use: dict[int, datetime]) -> None:
        from django.db import transaction

        from confab.posts.models import Hashtag

        dt = self.writer.datetime
        used = sorted(first_use)
        with transaction.atomic():
            self.writer.insert(
                Hashtag,
                ["name", "display_name", "created_at"],
                ((self.tag_names[t], self.tag_displays[t], dt(first_use[t])) for t in used),
            )
        ids = dict(Hashtag.objects.values_list("name", "id"))
        self.tag_ids = {t: ids[self.tag_names[t]] for t in used}
        self._phase(f"{len(used)} hashtags")

    # Posts ---------------------------------------------------------------------------

    def _posts(self) -> None:
        from confab.core.ids import id_for_time

        rng = self.rng
        total = self.c.posts
        people = self.c.people + 1
        span = int(POSTS_SPAN.total_seconds())
        seconds = sorted(rng.randrange(span) for _ in range(total))
        self.post_times = [self.posts_start + timedelta(seconds=s) for s in seconds]
        self.post_ids = _ids_for(self.post_times, id_for_time)
        # How much each person posts; the viewer posts like the median person.
        activity = [rng.lognormvariate(0, 1.0) for _ in range(people - 1)] + [1.0]
        authors = rng.choices(
            range(people), cum_weights=list(itertools.accumulate(activity)), k=total
        )
        visibility: list[str] = []
        parents: list[int] = []
        texts: list[int] = []
        tags: list[tuple[int, ...]] = []
        first_use: dict[int, datetime] = {}
        tag_population = range(len(self.tag_displays))
        for i in range(total):
            parent = -1
            if i and rng.random() < REPLY_SHARE:
                candidate = i - 1 - rng.randrange(min(i, REPLY_WINDOW))
                # Only open posts get replies here: a follower check per reply is not worth it.
                if visibility[candidate] != PRIVATE:
                    parent = candidate
            parents.append(parent)
            if parent >= 0:
                visibility.append(visibility[parent])
                texts.append(rng.randrange(len(REPLY_TEXTS)))
                tags.append(())
                continue
            roll = rng.random()
            visibility.append(PUBLIC if roll < 0.85 else UNLISTED if roll < 0.93 else PRIVATE)
            texts.append(rng.randrange(len(POST_TEXTS)))
            if rng.random() < TAGGED_SHARE:
                picked = rng.choices(tag_population, cum_weights=self.tag_cumulative, k=2)
                chosen = tuple(dict.fromkeys(picked if rng.random() < 0.3 else picked[:1]))
                for t in chosen:
                    first_use.setdefault(t, self.post_times[i])
                tags.append(chosen)
            else:
                tags.append(())
        self.authors, self.visibility, self.parents = authors, visibility, parents
        self.texts, self.tags = texts, tags
        self.posts_count = [0] * people
        for a in authors:
            self.posts_count[a] += 1
        self.replies_count = Counter(p for p in parents if p >= 0)
        # Medium popularity: the hashtag at the edge of the most used tenth (20th of 200).
        uses = Counter(t for chosen in tags for t in chosen).most_common()
        self.medium_tag = uses[min(len(uses) - 1, len(self.tag_displays) // 10)][0]
        self._phase(f"{total} posts planned")
        # Everything is planned; write it, people first.
        self._write_users()
        self._write_accounts()
        self._write_follows()
        self._write_hashtags(first_use)
        self._write_posts()

    def _write_posts(self) -> None:
        from django.db import transaction

        from confab.posts.formatting import format_text
        from confab.posts.models import Post, PostHashtag

        rendered: dict[tuple[int, int, tuple[int, ...]], tuple[str, str]] = {}

        def content(i: int) -> tuple[str, str]:
            key = (int(self.parents[i] >= 0), self.texts[i], self.tags[i])
            found = rendered.get(key)
            if found is None:
                base = REPLY_TEXTS[key[1]] if key[0] else POST_TEXTS[key[1]]
                text = " ".join([base, *(f"#{self.tag_displays[t]}" for t in key[2])])
                found = rendered[key] = (text, format_text(text).html)
            return found

        ids, threads = self.post_ids, [0] * self.c.posts
        dt = self.writer.datetime
        columns = [
            "id",
            "account_id",
            "uri",
            "text",
            "content_html",
            "visibility",
            "local",
            "in_reply_to_id",
            "in_reply_to_account_id",
            "thread_id",
            "created_at",
            "replies_count",
        ]

        def row(i: int) -> tuple:
            author, parent = self.authors[i], self.parents[i]
            text, html = content(i)
            if parent >= 0:
                threads[i] = threads[parent]
                reply_to, reply_to_account = ids[parent], self.account_ids[self.authors[parent]]
            else:
                threads[i] = ids[i]
                reply_to = reply_to_account = None
            return (
                ids[i],
                self.account_ids[author],
                f"{self.uris[author]}/statuses/{ids[i]}",
                text,
                html,
                self.visibility[i],
                True,
                reply_to,
                reply_to_account,
                threads[i],
                dt(self.post_times[i]),
                self.replies_count.get(i, 0),
            )

        links = 0
        for number, chunk in enumerate(_chunks(self.c.posts, BATCH)):
            with transaction.atomic():
                self.writer.insert(Post, columns, (row(i) for i in chunk))
                links += self.writer.insert(
                    PostHashtag,
                    ["post_id", "hashtag_id"],
                    ((ids[i], self.tag_ids[t]) for i in chunk for t in self.tags[i]),
                )
            if number % 5 == 4:
                self.log(f"seed:   {chunk.stop} posts written")
        self._phase(
            f"{self.c.posts} posts and {links} hashtag links ({len(rendered)} texts rendered)"
        )

    def _marker(self, seconds: float) -> str:
        from django.db import transaction

        from confab.accounts.models import Account
        from confab.posts.formatting import format_text

        hashtag = self.tag_names[self.medium_tag]
        note = self.c.marker(hashtag, seconds)
        with transaction.atomic():
            Account.objects.filter(username=VIEWER, domain="").update(
                note=note, note_html=format_text(note).html
            )
        return hashtag


def _ids_for(moments: Sequence[datetime], id_for_time) -> list[int]:
    """Return unique snowflakes for these moments: same instant, next sequence number."""
    order = sorted(range(len(moments)), key=moments.__getitem__)
    ids = [0] * len(moments)
    previous, sequence = None, 0
    for index in order:
        moment = moments[index]
        sequence = sequence + 1 if moment == previous else 0
        previous = moment
        ids[index] = id_for_time(moment, sequence)
    return ids


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=Community.people)
    parser.add_argument("--posts", type=int, default=Community.posts)
    parser.add_argument("--seed", type=int, default=Community.seed)
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "confab.config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    try:
        result = ensure(Community(args.people, args.posts, args.seed))
    except NotSeedable as exc:
        sys.exit(f"seed: {exc}")
    print(f"viewer @{result.viewer} (password {PASSWORD!r}), hashtag #{result.hashtag}")


if __name__ == "__main__":
    main()
