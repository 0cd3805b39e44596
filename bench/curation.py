"""Time a curated home timeline and a 500-member list timeline (goal: p99 under 50 ms).

    python bench/curation.py [--quick] [--people N] [--posts N] [--budget S]
                             [--database-url postgresql://…] [--data-dir DIR] [--no-docs]

On the benchmark community of bench/seed.py (10,000 people, 1,000,000 posts; seeded into
bench/out/data-curation unless it is there already), it adds one person, `bench_curator`,
through the actions: they follow the same ~150 people as the seed's viewer `bench`, follow
10 hashtags of middling popularity, keep 2 exclusive lists of 5 followed people each, and
a private list of 500 people who post. Then, in this process, signed in as the curator:

1. the home page `/` and the list page `/lists/<id>` through Django's test client (the
   whole stack but the socket: middleware, session, queries, templates), again and again
   for a time budget: p50, p99 and CPU per page;
2. the posts queries as the views build them (`paginate` of the timeline's queryset);
3. the floor: hand-written SQL that returns the same 20 rows (checked) in the same run.

It prints the ratios of the pages and of the ORM queries against the floor, and rewrites
its own section of docs/performance.md (one per database engine).
"""

import argparse
import os
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import run  # noqa: E402
from bench import seed as seeding  # noqa: E402

CURATOR = "bench_curator"
READING_LIST = "Bench: 500 people"
FOLLOWED_HASHTAGS = 10
EXCLUSIVE_LISTS = 2
EXCLUSIVE_MEMBERS = 5
LIST_MEMBERS = 500
GOAL_P99_MS = 50.0
SCRIPT = "bench/curation.py"


@dataclass
class Timing:
    name: str
    samples_ms: list = field(repr=False)
    cpu_seconds: float

    @property
    def p50(self) -> float:
        return run._percentile(self.samples_ms, 50)

    @property
    def p99(self) -> float:
        return run._percentile(self.samples_ms, 99)

    @property
    def cpu_ms(self) -> float:
        return self.cpu_seconds * 1000 / len(self.samples_ms)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, help="default 10000 (1000 with --quick)")
    parser.add_argument("--posts", type=int, help="default 1000000 (50000 with --quick)")
    parser.add_argument("--seed", type=int, default=seeding.Community.seed)
    parser.add_argument("--budget", type=float, help="seconds per measurement (default 10)")
    parser.add_argument("--database-url", help="PostgreSQL database to use (default: SQLite)")
    parser.add_argument("--data-dir", type=Path, help="default bench/out/data-curation[-…]")
    parser.add_argument("--quick", action="store_true", help="1,000 people, 50,000 posts")
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/performance.md")
    args = parser.parse_args(argv)
    args.people = args.people or (1_000 if args.quick else seeding.Community.people)
    args.posts = args.posts or (50_000 if args.quick else seeding.Community.posts)
    args.budget = args.budget or (2.0 if args.quick else 10.0)
    args.write_docs = not (args.no_docs or args.quick)
    args.settings = "confab.config.settings"
    if args.data_dir is None:
        default = (seeding.Community.people, seeding.Community.posts)
        size = "" if (args.people, args.posts) == default else f"-{args.people}x{args.posts}"
        args.data_dir = run.OUT / f"data-curation{size}{'-pg' if args.database_url else ''}"
    return args


def prepare_curator(seeded: seeding.Seeded):
    """Make (or find) the curator, their follows, hashtags and lists, through the actions."""
    from django.contrib.auth.hashers import make_password
    from django.db.models import Count

    from confab.accounts import actions as account_actions
    from confab.accounts.models import Account, Follow
    from confab.curation import actions
    from confab.curation.models import List
    from confab.posts.models import PostHashtag

    curator = Account.objects.filter(username=CURATOR, domain="").first()
    if curator is not None:
        return curator, List.objects.get(owner=curator, title=READING_LIST)
    started = time.perf_counter()
    curator = account_actions.register(
        CURATOR,
        f"{CURATOR}@example.org",
        seeding.PASSWORD,
        password_hash=make_password(seeding.PASSWORD),
    )
    viewer = Account.objects.get(username=seeded.viewer, domain="")
    followed = list(
        Account.objects.filter(
            pk__in=Follow.objects.filter(source=viewer).values("target_id")
        ).order_by("id")
    )
    for target in followed:
        account_actions.follow(curator, target)
    # Hashtags of middling popularity: ranks 20 to 29 by use.
    ranked = list(
        PostHashtag.objects.values("hashtag_id")
        .annotate(n=Count("*"))
        .order_by("-n", "hashtag_id")
        .values_list("hashtag__name", flat=True)[20 : 20 + FOLLOWED_HASHTAGS]
    )
    for name in ranked:
        actions.follow_hashtag(curator, name)
    quiet = [a for a in followed if a.followers_count < 1000]
    for n in range(EXCLUSIVE_LISTS):
        lst = actions.create_list(
            curator, actions.ListDetails(title=f"Exclusive {n + 1}", exclusive=True)
        )
        for member in quiet[n * EXCLUSIVE_MEMBERS : (n + 1) * EXCLUSIVE_MEMBERS]:
            actions.add_member(curator, lst, member)
    reading = actions.create_list(curator, actions.ListDetails(title=READING_LIST))
    members = (
        Account.objects.filter(posts_count__gt=0)
        .exclude(pk=curator.pk)
        .order_by("-posts_count", "id")[:LIST_MEMBERS]
    )
    for member in members:
        actions.add_member(curator, reading, member)
    # Fresh statistics for the tables the curator just wrote to, as the seed does for its own.
    from django.db import connection

    with connection.cursor() as cursor:
        for table in ("accounts_follow", "curation_followedhashtag", "curation_listmember"):
            cursor.execute(f"ANALYZE {table}")
    print(f"curator: made in {time.perf_counter() - started:.1f} s")
    return curator, reading


# The floors: the same rows, by hand. Both engines read them; `%s` are Django's params.
HOME_FLOOR = """
SELECT id FROM (
  SELECT id FROM (
    SELECT p.id FROM posts_post p
    WHERE p.account_id IN (SELECT target_id FROM accounts_follow WHERE source_id = %(me)s
                           UNION ALL SELECT %(me)s)
      AND p.account_id NOT IN ({exclusive})
      AND ({replies})
    ORDER BY p.id DESC LIMIT 20
  ) AS by_people
  UNION
  SELECT id FROM (
    SELECT p.id FROM posts_post p
    WHERE p.id IN (SELECT post_id FROM posts_posthashtag WHERE hashtag_id IN
                    (SELECT hashtag_id FROM curation_followedhashtag WHERE account_id = %(me)s))
      AND p.visibility = 'public' AND p.boost_of_id IS NULL
      AND p.account_id NOT IN ({exclusive})
      AND ({replies})
    ORDER BY p.id DESC LIMIT 20
  ) AS by_tags
) AS found ORDER BY id DESC LIMIT 20
"""
EXCLUSIVE = """SELECT m.account_id FROM curation_listmember m
    JOIN curation_list l ON l.id = m.list_id
    WHERE l.owner_id = %(me)s AND l.exclusive AND m.account_id <> %(me)s"""
HOME_REPLIES = """p.in_reply_to_account_id IS NULL OR p.account_id = %(me)s
    OR p.in_reply_to_account_id = %(me)s
    OR p.in_reply_to_account_id IN (SELECT target_id FROM accounts_follow WHERE source_id = %(me)s)"""
LIST_FLOOR = """
SELECT p.id FROM posts_post p
WHERE p.account_id IN (SELECT account_id FROM curation_listmember WHERE list_id = %(list)s)
  AND (p.visibility IN ('public', 'unlisted') OR p.account_id = %(me)s
       OR (p.visibility = 'private'
           AND p.account_id IN (SELECT target_id FROM accounts_follow WHERE source_id = %(me)s)))
  AND (p.in_reply_to_account_id IS NULL OR p.in_reply_to_account_id = p.account_id
       OR p.in_reply_to_account_id IN
          (SELECT account_id FROM curation_listmember WHERE list_id = %(list)s))
ORDER BY p.id DESC LIMIT 20
"""
ROWS = "SELECT * FROM posts_post WHERE id IN ({ids}) ORDER BY id DESC"


def floor(sql: str, params: dict) -> list[int]:
    """Run a floor query and read the rows it names, as a page would: ids, then rows."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        ids = [row[0] for row in cursor.fetchall()]
        if ids:
            cursor.execute(ROWS.format(ids=", ".join(str(int(i)) for i in ids)))
            cursor.fetchall()
    return ids


def sample(name: str, work, budget: float) -> Timing:
    for _ in range(3):
        work()
    samples: list[float] = []
    cpu_started = time.process_time()
    deadline = time.perf_counter() + budget
    # At least 100 runs, so the p99 is not simply the slowest run.
    while len(samples) < 100 or (time.perf_counter() < deadline and len(samples) < 5000):
        started = time.perf_counter_ns()
        work()
        samples.append((time.perf_counter_ns() - started) / 1e6)
    timing = Timing(name, samples, time.process_time() - cpu_started)
    print(
        f"{name:32} p50 {timing.p50:7.2f} ms  p99 {timing.p99:7.2f} ms  "
        f"CPU {timing.cpu_ms:6.2f} ms  ({len(samples)} runs)"
    )
    return timing


def measure(args, curator, reading) -> tuple[dict[str, Timing], dict[str, int]]:
    from django.test import Client

    from confab.core.paging import paginate
    from confab.curation import queries as curation_queries
    from confab.timelines import queries as timelines

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(curator.user)
    params = {"me": curator.pk, "list": reading.pk}
    home_floor = HOME_FLOOR.format(exclusive=EXCLUSIVE, replies=HOME_REPLIES)
    cases = {
        "home": (
            "/",
            # As the home view pages it: its arms compiled once, loaded by id.
            lambda: paginate(
                None, shape=timelines.home_shape(curator), load=timelines.cards(curator)
            ),
            home_floor,
        ),
        "list": (
            f"/lists/{reading.pk}",
            # As the list view pages it: compiled once per shape, loaded by id.
            lambda: paginate(
                None,
                shape=curation_queries.list_shape(curator, reading),
                load=timelines.cards(curator),
            ),
            LIST_FLOOR,
        ),
    }
    timings: dict[str, Timing] = {}
    sizes: dict[str, int] = {}
    for name, (path, orm, sql) in cases.items():
        found = [post.pk for post in orm().items]
        floored = floor(sql, params)
        if found != floored:
            sys.exit(
                f"bench: the {name} floor returns other rows than the timeline:\n"
                f"  timeline {found}\n  floor    {floored}"
            )
        sizes[name] = len(found)

        def page(path: str = path) -> None:
            response = client.get(path)
            if response.status_code != 200:
                sys.exit(f"bench: {path} answered {response.status_code}")

        timings[f"{name} page"] = sample(f"{name} page {path}", page, args.budget)
        timings[f"{name} orm"] = sample(f"{name} posts query (ORM)", orm, args.budget)
        timings[f"{name} floor"] = sample(
            f"{name} raw SQL floor", lambda sql=sql: floor(sql, params), args.budget
        )
    return timings, sizes


def section(args, engine: str, facts: dict, timings: dict[str, Timing], sizes: dict) -> str:
    def ms(value: float) -> str:
        return f"{value:.2f}" if value < 100 else f"{value:.0f}"

    rows = [
        "| what | p50 ms | p99 ms | CPU ms/run |",
        "| --- | ---: | ---: | ---: |",
    ]
    labels = {
        "page": "page through Django's test client",
        "orm": "↳ posts query as the view builds it (ORM, both paging steps)",
        "floor": "↳ raw SQL floor: the same rows by hand",
    }
    ratios, goals = [], []
    for name in ("home", "list"):
        for part in ("page", "orm", "floor"):
            timing = timings[f"{name} {part}"]
            rows.append(
                f"| {name}: {labels[part]} | {ms(timing.p50)} | {ms(timing.p99)} "
                f"| {timing.cpu_ms:.2f} |"
            )
        page, orm, bare = (timings[f"{name} {p}"] for p in ("page", "orm", "floor"))
        ratios.append(
            f"- **{name}** ({sizes[name]} posts a page): page p99 {page.p99 / bare.p99:.1f} × "
            f"the floor's p99; the ORM posts query {orm.p99 / bare.p99:.1f} × the floor's p99; "
            f"page CPU {page.cpu_ms / bare.cpu_ms:.1f} × the floor's."
        )
        met = page.p99 < GOAL_P99_MS
        goals.append(
            f"- {name} page p99 < {GOAL_P99_MS:.0f} ms: **{'met' if met else 'NOT met'}** "
            f"({ms(page.p99)} ms)"
        )
    return "\n".join(
        [
            f"## Curation: a curated home and a 500-member list: {engine.split()[0]}",
            "",
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `{SCRIPT}` on {run.machine()} "
            f"(load average {args.load_average:.1f} before the runs); database {engine}.",
            "",
            f"Community: {facts['posts']:,} posts by {facts['accounts']:,} accounts (bench/seed.py). "
            f"The reader `@{CURATOR}` follows {facts['follows']} people and "
            f"{facts['hashtags']} hashtags (ranks 20–29 by use), keeps {EXCLUSIVE_LISTS} "
            f"exclusive lists of {EXCLUSIVE_MEMBERS} followed people each, and a list of "
            f"{facts['members']} people who post (no hashtags, replies to members).",
            "",
            "Each row runs again and again in one process on one connection for "
            f"{args.budget:g} s (at least 100 runs). The page rows go through Django's test "
            "client: middleware, session, every query, the templates; no socket. The floor is "
            "hand-written SQL returning the same 20 rows (checked in the run): the ids, then "
            "the rows. CPU is this process's only"
            + (
                " (PostgreSQL's own work is in its processes, so the floor's CPU is mostly "
                "the driver's)."
                if engine.startswith("PostgreSQL")
                else " (SQLite runs inside it)."
            ),
            "",
            *rows,
            "",
            "Ratios:",
            "",
            *ratios,
            "",
            "Goals:",
            "",
            *goals,
        ]
    )


def main(argv=None) -> None:
    args = parse_args(argv)
    run.configure_environment(args)
    import django

    django.setup()
    from django.db import connection

    from confab.accounts.models import Account, Follow
    from confab.curation.models import FollowedHashtag, ListMember
    from confab.posts.models import Post

    print(f"bench: data in {args.data_dir}; database {connection.vendor}")
    seeded, _ = run.prepare_database(args)
    curator, reading = prepare_curator(seeded)
    engine = run.database_engine()
    facts = {
        "posts": Post.objects.count(),
        "accounts": Account.objects.count(),
        "follows": Follow.objects.filter(source=curator).count(),
        "hashtags": FollowedHashtag.objects.filter(account=curator).count(),
        "members": ListMember.objects.filter(list=reading).count(),
    }
    args.load_average = os.getloadavg()[0]
    timings, sizes = measure(args, curator, reading)
    body = section(args, engine, facts, timings, sizes)
    print()
    print(body)
    if args.write_docs:
        kind = "postgresql" if connection.vendor == "postgresql" else "sqlite"
        run.write_doc(kind, body, script=SCRIPT)
        print(f"\nbench: wrote {run.DOC.relative_to(REPO)}")
    connection.close()


if __name__ == "__main__":
    main()
