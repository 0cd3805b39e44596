"""Time people-worth-meeting for a community of 100,000 against the bare two-hop floor.

    python bench/recommendations.py [--people 100000] [--follows 15000000] [--rounds 2]
                                    [--page-people 20000] [--page-runs 200] [--no-docs]

1. Recommendations for everyone. A synthetic community is built in memory: `--people`
   people in groups of 1,000 (a school district, a chat's regulars), ~`--follows` follow
   edges (70% inside the group, the rest to popular people: a Pareto tail), 2,000 chat
   sessions of 100 people with answers to 6 questions, 2M interactions (replies, favourites,
   boosts, mentions), 5 hashtags each out of 200, a city for 80% of people out of 500, and
   50,000 blocks, mutes and dismissals. Then, alternating for `--rounds` rounds (the machine
   is shared: the best round of each is kept):
   - the floor: the bare sparse two-hop computation, A[rows]·A by chunks of 2,000 rows;
   - the real thing: `confab.connections.people.compute.compute` for every person, that is
     the two-hop counts plus every other signal, the exclusions, the ranking and the exact
     signal counts behind each reason, 20 recommendations per person.
   Goal: within 2x the floor, in one process (one core), well within 24 GiB.
2. One person's recommendations page. A throwaway SQLite database with `--page-people`
   accounts, 20 stored recommendations for each of 5,000 of them (with chat, hashtag and
   city reasons), the viewer following 150 people and having dismissed one. Before those
   rows are written, the same database gets 30 follows per person in groups of 1,000 and
   `refresh_everyone` runs end to end (read the graph, compute, store), timed once.
   In-process with Django's test client: p50 and p99 of `--page-runs` GETs of /people, and
   of the follow-requests page (a short list page with the same layout) as the baseline.
   Goal: p99 under 50 ms.

Prints the figures and ratios and rewrites its section of docs/performance.md.
"""

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
DOC = REPO / "docs" / "performance.md"
sys.path.insert(0, str(REPO))

from confab.connections.people import compute  # noqa: E402

GROUP = 1000
DB_FOLLOWS = 30  # follows per person in the database of the page and end-to-end part


def community(people: int, follows: int, seed: int) -> compute.Community:
    rng = np.random.default_rng(seed)
    n = people
    src = rng.integers(0, n, follows)
    inside = rng.random(follows) < 0.7
    popular = (rng.pareto(1.2, follows) * 50).astype(np.int64) % n
    tgt = np.where(inside, (src // GROUP) * GROUP + rng.integers(0, GROUP, follows), popular)
    keep = src != tgt
    follow_m = compute.binary(compute._csr(src[keep], tgt[keep], (n, n)))
    sessions = 2000
    members = rng.integers(0, n, (sessions, 100)).ravel()
    member_session = np.repeat(np.arange(sessions), 100)
    sessions_m = compute.binary(compute._csr(members, member_session, (n, sessions)))
    answered = rng.random(len(members)) < 0.6
    question = rng.integers(0, 6, len(members))
    answers_m = compute.binary(
        compute._csr(
            members[answered], (member_session * 6 + question)[answered], (n, sessions * 6)
        )
    )
    actor = rng.integers(0, n, 2_000_000)
    other = (actor // GROUP) * GROUP + rng.integers(0, GROUP, len(actor))
    inter = compute._csr(actor, other, (n, n))
    inter = (inter + inter.T).tocsr()
    inter.setdiag(0)
    inter.eliminate_zeros()
    tags = compute.binary(
        compute._csr(np.repeat(np.arange(n), 5), rng.integers(0, 200, n * 5), (n, 200))
    )
    city = np.where(rng.random(n) < 0.8, rng.integers(0, 500, n), -1)
    excluded = compute.binary(
        compute._csr(rng.integers(0, n, 50_000), rng.integers(0, n, 50_000), (n, n))
    )
    popularity = np.asarray(follow_m.sum(axis=0)).ravel()
    return compute.Community(
        follows=follow_m,
        answers=answers_m,
        sessions=sessions_m,
        interactions=inter,
        tags=tags,
        city=city,
        excluded=excluded,
        popularity=popularity,
    )


def time_everyone(c: compute.Community, rounds: int) -> dict:
    """Alternate floor and full rounds; keep wall and CPU seconds of each.

    Both run in this one thread, so CPU seconds measure the work even when other
    processes share the cores; the ratio is taken on them, per round, and the best round
    is reported (with every round listed).
    """
    rounds_seen = []
    entries = stored = 0
    for _ in range(rounds):
        wall, cpu = time.perf_counter(), time.process_time()
        entries = compute.two_hop_floor(c.follows)
        floor = (time.perf_counter() - wall, time.process_time() - cpu)
        wall, cpu = time.perf_counter(), time.process_time()
        stored = sum(len(chunk) for chunk in compute.compute(c))
        full = (time.perf_counter() - wall, time.process_time() - cpu)
        rounds_seen.append((floor, full))
        print(
            f"  round: floor {floor[0]:.1f} s wall / {floor[1]:.1f} s CPU, "
            f"full {full[0]:.1f} s wall / {full[1]:.1f} s CPU: {full[1] / floor[1]:.2f}x"
        )
    best = min(rounds_seen, key=lambda r: r[1][1] / r[0][1])
    return {
        "floor": best[0][1],
        "full": best[1][1],
        "floor_wall": best[0][0],
        "full_wall": best[1][0],
        "rounds": rounds_seen,
        "two_hop_entries": entries,
        "stored": stored,
    }


def peak_rss_gib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20


def setup_django(data_dir: str) -> None:
    os.environ["CONFAB_DATA_DIR"] = data_dir
    os.environ["CONFAB_DEBUG"] = "0"
    os.environ["CONFAB_SECRET_KEY"] = "bench-recommendations-not-secret"
    os.environ["CONFAB_HTTPS"] = "0"
    os.environ.pop("CONFAB_DATABASE_URL", None)
    os.environ.pop("CONFAB_SQLITE_PATH", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "confab.config.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed_page(people: int, rng: np.random.Generator):
    from datetime import UTC, datetime, timedelta

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from confab.accounts import actions as account_actions
    from confab.accounts.models import Account, Follow, local_uri
    from confab.chats import actions as chat_actions
    from confab.connections.models import Dismissal, Recommendation
    from confab.connections.people import refresh
    from confab.posts.models import Hashtag

    password = make_password("bench-password")
    viewer = account_actions.register(
        "viewer", "viewer@example.org", "bench-password", password_hash=password
    )
    Account.objects.filter(pk=viewer.pk).update(city_label="Austin, Texas, United States")
    Account.objects.bulk_create(
        [
            Account(username=f"p{k}", uri=local_uri(f"p{k}"), display_name=f"Person {k}")
            for k in range(people)
        ],
        batch_size=5000,
    )
    ids = list(Account.objects.exclude(pk=viewer.pk).order_by("id").values_list("id", flat=True))
    Follow.objects.bulk_create(
        [Follow(source_id=viewer.pk, target_id=i) for i in ids[:150]], batch_size=5000
    )
    Dismissal.objects.bulk_create([Dismissal(account_id=viewer.pk, candidate_id=ids[200])])
    # A graph for the end-to-end refresh: groups of 1,000, `DB_FOLLOWS` follows each.
    edges = set()
    for k, source in enumerate(ids):
        group = (k // GROUP) * GROUP
        for target in rng.integers(group, min(group + GROUP, len(ids)), DB_FOLLOWS):
            if int(target) != k:
                edges.add((source, ids[int(target)]))
    Follow.objects.bulk_create(
        [Follow(source_id=a, target_id=b) for a, b in edges],
        batch_size=5000,
        ignore_conflicts=True,
    )
    host = Account.objects.get(pk=ids[0])
    with_time = datetime.now(UTC) + timedelta(days=1)
    chat = chat_actions.create_chat(
        host,
        "EduMatch",
        chat_actions.ChatDetails(
            title="Educators",
            time_zone="UTC",
            starts_at_local=with_time.replace(tzinfo=None, minute=0, second=0, microsecond=0),
            duration=60,
            rrule="",
            description="",
        ),
    )
    session = chat.sessions.first()
    started = time.perf_counter()
    refreshed = refresh.refresh_everyone()
    end_to_end = (time.perf_counter() - started, refreshed, Follow.objects.count())
    Recommendation.objects.all().delete()
    tags = [Hashtag.objects.create(name=f"tag{k}", display_name=f"Tag{k}") for k in range(10)]
    now = timezone.now()
    rows = []
    for person in [viewer.pk, *ids[:4999]]:
        for candidate in rng.choice(ids[150:], 22, replace=False):
            rows.append(
                Recommendation(
                    account_id=person,
                    candidate_id=int(candidate),
                    score=float(rng.random() * 10),
                    mutual_follows=int(rng.integers(0, 8)),
                    shared_answers=1,
                    shared_sessions=1,
                    interactions=int(rng.integers(0, 3)),
                    shared_tags=2,
                    same_city=bool(rng.random() < 0.3),
                    session_id=session.pk if session else None,
                    question=3,
                    tag_a_id=tags[int(rng.integers(0, 10))].pk,
                    tag_b_id=tags[int(rng.integers(0, 10))].pk,
                    computed_at=now,
                )
            )
    Recommendation.objects.bulk_create(rows, batch_size=5000)
    return viewer, end_to_end


def time_page(viewer, runs: int) -> dict:
    from django.test import Client

    client = Client()
    client.force_login(viewer.user)

    def sample(url: str) -> list[float]:
        assert client.get(url).status_code == 200
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200
        return sorted(times)

    page = sample("/people")
    base = sample("/follow-requests")

    def pct(values: list[float], p: float) -> float:
        return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]

    return {
        "p50": pct(page, 50),
        "p99": pct(page, 99),
        "base_p50": pct(base, 50),
        "base_p99": pct(base, 99),
    }


def write_doc(body: str) -> None:
    start = "<!-- bench/recommendations.py: start -->"
    end = "<!-- bench/recommendations.py: end -->"
    block = f"{start}\n{body}\n{end}"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = f"{before}{block}{rest.split(end, 1)[1]}"
    else:
        text = f"{text.rstrip()}\n\n{block}\n"
    DOC.write_text(text, encoding="utf-8")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--follows", type=int, default=15_000_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--page-people", type=int, default=20_000)
    parser.add_argument("--page-runs", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args(argv)

    started = time.perf_counter()
    c = community(args.people, args.follows, args.seed)
    built = time.perf_counter() - started
    print(
        f"community: {c.size:,} people, {c.follows.nnz:,} follows, "
        f"{c.sessions.nnz:,} room memberships, {c.interactions.nnz // 2:,} interacting pairs "
        f"(built in {built:.1f} s)"
    )
    everyone = time_everyone(c, args.rounds)
    ratio = everyone["full"] / everyone["floor"]
    rss = peak_rss_gib()
    print(
        f"floor (A·A by rows): {everyone['floor']:.1f} s CPU, "
        f"{everyone['two_hop_entries']:,} entries"
    )
    print(
        f"recommendations for everyone: {everyone['full']:.1f} s CPU, "
        f"{everyone['stored']:,} stored: {ratio:.2f}x the floor (goal <= 2x)"
    )
    print(f"peak memory: {rss:.1f} GiB (goal <= 24 GiB)")

    with tempfile.TemporaryDirectory(prefix="confab-bench-recs-") as data_dir:
        setup_django(data_dir)
        viewer, end_to_end = seed_page(args.page_people, np.random.default_rng(args.seed))
        page = time_page(viewer, args.page_runs)
    print(
        f"/people p50 {page['p50']:.1f} ms, p99 {page['p99']:.1f} ms (goal < 50 ms); "
        f"baseline /follow-requests p50 {page['base_p50']:.1f} ms, p99 {page['base_p99']:.1f} ms: "
        f"{page['p99'] / page['base_p99']:.2f}x the baseline's p99"
    )
    seconds, refreshed, db_follows = end_to_end
    print(
        f"end to end on SQLite (read the graph, compute, store): {args.page_people:,} people, "
        f"{db_follows:,} follows, {refreshed:,} rows stored in {seconds:.1f} s"
    )
    if args.no_docs:
        return
    rounds = ", ".join(
        f"{floor[1]:.1f}/{full[1]:.1f} ({full[1] / floor[1]:.2f}x)"
        for floor, full in everyone["rounds"]
    )
    body = f"""## People worth meeting: {c.size:,} people, {c.follows.nnz:,} follows

Written by `make bench-recommendations` (bench/recommendations.py) on {time.strftime("%Y-%m-%d")}:
one thread; {args.rounds} alternating rounds, timed in CPU seconds because the two cores are
shared with other work (floor/full CPU seconds per round: {rounds}); the best round is shown.

| measure | figure | ratio | goal |
| --- | --- | --- | --- |
| floor: bare two-hop A·A by chunks of {compute.CHUNK} rows | {everyone["floor"]:.1f} s CPU ({everyone["floor_wall"]:.1f} s wall) | 1.00x | |
| recommendations for everyone (every signal, exclusions, ranking, reasons; {compute.KEEP} each) | {everyone["full"]:.1f} s CPU ({everyone["full_wall"]:.1f} s wall) | {ratio:.2f}x the floor | <= 2x |
| peak memory of the run | {rss:.1f} GiB | | <= 24 GiB |
| /people page p50 / p99 ({args.page_runs} GETs, SQLite, {args.page_people:,} people) | {page["p50"]:.1f} / {page["p99"]:.1f} ms | {page["p99"] / page["base_p99"]:.2f}x the follow-requests page's p99 ({page["base_p99"]:.1f} ms) | p99 < 50 ms |

The community: groups of 1,000, 70% of follows inside the group and the rest to a Pareto
tail of popular people; 2,000 chat sessions of 100 people answering 6 questions; 2M
interactions; 5 of 200 hashtags each; a city for 80% of people; 50,000 exclusions. The
two-hop product had {everyone["two_hop_entries"]:,} entries. Reading the graph and storing
the rows is not in the timed figure; end to end on SQLite (`refresh_everyone`: read, compute,
store a chunk of people per transaction) for the page's database of {args.page_people:,}
people and {db_follows:,} follows took {seconds:.1f} s wall for {refreshed:,} rows."""
    write_doc(body)


if __name__ == "__main__":
    main()
