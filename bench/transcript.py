"""Time a chat transcript page for a session of 5,000 posts (goal: under 200 ms).

    python bench/transcript.py [--entries 5000] [--runs 20] [--seed 1]

It makes a throwaway SQLite database in a temporary directory, migrates it and seeds one
chat: an earlier session of 500 posts (so first-timers are counted against real history)
and the measured session with `--entries` posts in its room: the host's 10 questions,
answers spread over 200 people, a third of them replies, one in ten sharing a link, a few
hidden by the host. People are registered through the actions; posts and room entries are
bulk-written through the models (5,000 `post()` calls would time the seeding, not the page).

Then, in-process with Django's test client, signed in as a participant: one warm-up and
`--runs` timed GETs of the transcript page (p50 and p99), and the page's SQL replayed on
the same connection `--runs` times, to show how much of the time is the database. The
baseline, measured in the same run with the same client: `/bench/hello` (bench/urls.py),
which goes through the same middleware and session but touches no page code; the page is
printed as a ratio against it, wall time and CPU time. The figures are printed and written
to their section of docs/performance.md (not with --no-docs).
"""

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

QUESTIONS = 10
PEOPLE = 200
HIDDEN_SHARE = 0.01
REPLY_SHARE = 0.33
LINK_SHARE = 0.1
STARTS = datetime(2026, 3, 3, 1, 0, tzinfo=UTC)


def setup(data_dir: str) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ["CONFAB_DATA_DIR"] = data_dir
    os.environ["CONFAB_DEBUG"] = "0"
    os.environ["CONFAB_SECRET_KEY"] = "bench-transcript-not-secret"
    os.environ["CONFAB_HTTPS"] = "0"
    os.environ.pop("CONFAB_DATABASE_URL", None)
    os.environ.pop("CONFAB_SQLITE_PATH", None)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"  # Confab's, plus /bench/hello
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(entries: int, rng: random.Random):
    from django.contrib.auth.hashers import make_password

    from confab.accounts import actions as account_actions
    from confab.chats import actions
    from confab.chats.models import ChatQuestion, ChatSession, RoomEntry, SessionState
    from confab.core.ids import id_for_time
    from confab.posts.formatting import format_text
    from confab.posts.models import Hashtag, Post, PostHashtag

    password = make_password("bench-password")

    def person(name: str):
        return account_actions.register(
            name, f"{name}@example.org", "bench-password", password_hash=password
        )

    host = person("host")
    people = [person(f"p{n}") for n in range(PEOPLE)]
    chat = actions.create_chat(
        host,
        "BenchChat",
        actions.ChatDetails(
            title="A busy chat",
            time_zone="America/New_York",
            starts_at_local=datetime(2026, 1, 5, 20, 0),
            duration=60,
            rrule="FREQ=WEEKLY;BYDAY=MO",
            description="",
            interests=[],
        ),
    )
    tag = Hashtag.objects.get(name="benchchat")
    sequence = iter(range(1, 10_000_000))

    def fill(starts: datetime, count: int) -> ChatSession:
        session = ChatSession.objects.create(
            chat=chat,
            starts_at=starts,
            ends_at=starts + timedelta(minutes=60),
            state=SessionState.ENDED,
            topic="Benchmarks",
        )
        posts: list[Post] = []
        rows: list[RoomEntry] = []
        current = 0
        for n in range(count):
            minute = 60 * n / count
            at = starts + timedelta(minutes=minute)
            if n % (count // QUESTIONS) == 0 and current < QUESTIONS:
                current += 1
                author, text, question, is_q = (
                    host,
                    f"Q{current} Question {current}?",
                    current,
                    True,
                )
                ChatQuestion.objects.create(
                    session=session,
                    number=current,
                    text=f"Question {current}?",
                    offset_minutes=int(minute),
                    posted_at=at,
                )
            else:
                author = rng.choice(people)
                link = (
                    f" https://example.org/r/{rng.randrange(300)}"
                    if rng.random() < LINK_SHARE
                    else ""
                )
                text = f"A{current} an answer with a few words in it{link}"
                question, is_q = current, False
            parent = (
                rng.choice(posts) if posts and rng.random() < REPLY_SHARE and not is_q else None
            )
            text += " #BenchChat"
            post_id = id_for_time(at, next(sequence) % 65536)
            posts.append(
                Post(
                    id=post_id,
                    account=author,
                    uri=f"{author.uri}/statuses/{post_id}",
                    text=text,
                    content_html=format_text(text).html,
                    in_reply_to=parent,
                    in_reply_to_account_id=parent.account_id if parent else None,
                    thread_id=parent.thread_id if parent else post_id,
                    created_at=at,
                )
            )
            rows.append(
                RoomEntry(
                    session=session,
                    post_id=post_id,
                    question=question,
                    is_question=is_q,
                    hidden=not is_q and rng.random() < HIDDEN_SHARE,
                )
            )
        Post.objects.bulk_create(posts, batch_size=500)
        PostHashtag.objects.bulk_create(
            [PostHashtag(post_id=p.id, hashtag=tag) for p in posts], batch_size=500
        )
        RoomEntry.objects.bulk_create(rows, batch_size=500)
        return session

    fill(STARTS, 500)
    measured = fill(STARTS + timedelta(days=7), entries)
    return chat, measured, people[0]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/performance.md")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="confab-bench-transcript-") as data_dir:
        setup(data_dir)
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        started = time.perf_counter()
        chat, session, reader = seed(options.entries, random.Random(options.seed))
        seeded = time.perf_counter() - started
        url = f"/chats/{chat.hashtag.name}/sessions/{session.pk}/transcript"
        client = Client()
        client.force_login(reader.user)
        load = os.getloadavg()

        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, response.status_code
        # Read now: captured_queries is a view of the connection's log, which requests reset.
        statements = [q["sql"] for q in captured.captured_queries]
        size = len(response.content)
        page, cpu = timed(client, url, options.runs)
        client.get("/bench/hello")
        hello, hello_cpu = timed(client, "/bench/hello", max(options.runs, 200))

        sql = []
        with connection.cursor() as cursor:
            for _ in range(options.runs):
                began = time.perf_counter()
                for statement in statements:
                    cursor.execute(statement)
                    cursor.fetchall()
                sql.append((time.perf_counter() - began) * 1000)

        print(f"transcript page, {options.entries:,} entries, {len(statements)} queries")
        print(f"  seeded in {seeded:.1f} s; page is {size / 1024:.0f} KiB")
        print(
            f"  page (test client, in-process): p50 {percentile(page, 0.5):.1f} ms, "
            f"p99 {percentile(page, 0.99):.1f} ms over {options.runs} runs"
        )
        print(
            f"  raw SQL, all {len(statements)} queries: p50 {percentile(sql, 0.5):.1f} ms, "
            f"p99 {percentile(sql, 0.99):.1f} ms"
        )
        print(
            f"  CPU time per page (steadier on a shared machine): p50 "
            f"{percentile(cpu, 0.5):.1f} ms, p99 {percentile(cpu, 0.99):.1f} ms"
        )
        print(
            f"  baseline /bench/hello, same client: p50 {percentile(hello, 0.5):.2f} ms, "
            f"p99 {percentile(hello, 0.99):.2f} ms (CPU p50 {percentile(hello_cpu, 0.5):.2f} ms)"
        )
        print(
            f"  page / hello: p50 {percentile(page, 0.5) / percentile(hello, 0.5):.0f} x, "
            f"p99 {percentile(page, 0.99) / percentile(hello, 0.99):.0f} x; CPU p50 "
            f"{percentile(cpu, 0.5) / percentile(hello_cpu, 0.5):.0f} x"
        )
        print(f"  load average before the runs: {load[0]:.1f} on {os.cpu_count()} CPUs")
        print(f"  goal p99 < 200 ms: {'met' if percentile(page, 0.99) < 200 else 'NOT met'}")
        figures = {
            "page": page,
            "cpu": cpu,
            "sql": sql,
            "hello": hello,
            "hello_cpu": hello_cpu,
            "queries": len(statements),
            "kib": size / 1024,
            "load": load[0],
        }
        if not options.no_docs:
            from bench import run as bench_run

            bench_run.write_doc(
                "transcript", section(options, figures), script="bench/transcript.py"
            )
            print(f"  wrote {bench_run.DOC.relative_to(bench_run.REPO)}")
        connection.close()


def timed(client, url: str, runs: int) -> tuple[list[float], list[float]]:
    """GET `url` `runs` times; return the wall and CPU milliseconds of each."""
    wall, cpu = [], []
    for _ in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return wall, cpu


def section(options, figures: dict) -> str:
    from bench import run as bench_run

    def row(name: str, values: list[float], base: list[float] | None = None) -> str:
        p50, p99 = percentile(values, 0.5), percentile(values, 0.99)
        ratio = ""
        if base is not None:
            ratio = f"{p50 / percentile(base, 0.5):.0f} × | {p99 / percentile(base, 0.99):.0f} ×"
        else:
            ratio = "| "
        return f"| {name} | {p50:.1f} | {p99:.1f} | {ratio} |"

    page = figures["page"]
    met = percentile(page, 0.99) < 200
    return "\n".join(
        [
            f"## Chat transcript: one session of {options.entries:,} posts",
            "",
            f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/transcript.py` "
            f"(`make bench-transcript`) on {bench_run.machine()}, SQLite, load average "
            f"{figures['load']:.1f} just before the runs.",
            "",
            "A throwaway database: one chat, an earlier session of 500 posts and the measured "
            f"session of {options.entries:,} (the host's {QUESTIONS} questions, answers from "
            f"{PEOPLE} people, a third of them replies, one in ten with a link, 1% hidden). "
            f"Signed in as a participant, {options.runs} GETs of "
            "`/chats/<tag>/sessions/<id>/transcript` in-process with Django's test client "
            f"({figures['kib']:,.0f} KiB of HTML, {figures['queries']} queries), then the "
            "page's SQL replayed on the same connection. Baseline in the same run: "
            "`/bench/hello` with the same client (same middleware and session, no page code).",
            "",
            "| what | p50 ms | p99 ms | p50 / hello | p99 / hello |",
            "| --- | ---: | ---: | ---: | ---: |",
            row("transcript page, wall time", page, figures["hello"]),
            row("↳ CPU time of the process", figures["cpu"], figures["hello_cpu"]),
            row(f"↳ raw SQL, all {figures['queries']} queries", figures["sql"]),
            row("baseline: /bench/hello, wall time", figures["hello"]),
            "",
            f"Goal: p99 under 200 ms — **{'met' if met else 'NOT met'}** "
            f"({percentile(page, 0.99):.1f} ms).",
        ]
    )


if __name__ == "__main__":
    main()
