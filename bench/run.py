"""Load the home timeline and a hashtag page of a seeded community; compare with baselines.

    python bench/run.py [--quick] [--people N] [--posts N] [--duration S]
                        [--database-url postgresql://…] [--data-dir DIR] [--no-docs]

What it does, in one process plus the server it starts:

1. Uses a data directory of its own (bench/out/data by default), migrates it and seeds the
   community with bench/seed.py unless it holds it already (SQLite by default; PostgreSQL
   with --database-url, which should name an empty database of its own).
2. Signs the viewer `bench` in by creating a session, as logging in would.
3. Times the SQL the pages run, replayed in-process on the same database: the posts query
   of each page alone, and every query the page makes.
4. Starts `confab serve` itself (uvicorn with uvloop and httptools, one process with its
   embedded worker, no access log) with debug off on a free port of 127.0.0.1, under
   bench.settings: Confab's settings plus one URL, `/bench/hello`, which answers "hello"
   through the same middleware.
5. Loads `/bench/hello`, `/` (home, signed in) and `/tags/<a medium hashtag>` with wrk,
   one after the other, reading the server's CPU time before and after each: the load
   generator shares the cores with the server, so CPU per request is the steadier figure.
6. Prints a table with the ratios and the goals, and rewrites this benchmark's section of
   docs/performance.md (one section per database engine).
"""

import argparse
import http.client
import json
import os
import platform
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import seed as seeding  # noqa: E402

OUT = REPO / "bench" / "out"
DOC = REPO / "docs" / "performance.md"
WRK_SCRIPT = REPO / "bench" / "wrk_report.lua"
GOAL_P99_MS = 50.0
GOAL_HOME_VS_HELLO = 0.3
PLAN_LINES = 30
PAGES = ("home", "hashtag")
HELLO_SIGNED_OUT = "hello, signed out"


@dataclass
class Load:
    """What wrk measured for one URL, and the server's CPU time meanwhile."""

    name: str
    path: str
    requests: int
    seconds: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    errors: dict
    cpu_seconds: float
    db_cpu_seconds: float | None  # PostgreSQL's own processes; None when not measurable

    @property
    def rps(self) -> float:
        return self.requests / self.seconds

    @property
    def cpu_ms_per_request(self) -> float:
        return self.cpu_seconds * 1000 / max(1, self.requests)

    @property
    def db_cpu_ms_per_request(self) -> float | None:
        if self.db_cpu_seconds is None:
            return None
        return self.db_cpu_seconds * 1000 / max(1, self.requests)


@dataclass
class SqlTiming:
    """One page's SQL replayed in-process on one connection, one run after another."""

    name: str
    statements: list = field(repr=False)
    samples_ms: list = field(repr=False)
    cpu_seconds: float

    @property
    def runs(self) -> int:
        return len(self.samples_ms)

    @property
    def p50_ms(self) -> float:
        return _percentile(self.samples_ms, 50)

    @property
    def p99_ms(self) -> float:
        return _percentile(self.samples_ms, 99)

    @property
    def rps(self) -> float:
        return 1000 / statistics.fmean(self.samples_ms)

    @property
    def cpu_ms_per_request(self) -> float:
        return self.cpu_seconds * 1000 / self.runs


def _percentile(samples: list[float], pct: float) -> float:
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, help="default 10000 (1000 with --quick)")
    parser.add_argument("--posts", type=int, help="default 1000000 (50000 with --quick)")
    parser.add_argument("--seed", type=int, default=seeding.Community.seed)
    parser.add_argument(
        "--duration", type=float, help="seconds of load per URL (default 12; 3 with --quick)"
    )
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument(
        "--database-url", help="PostgreSQL database to seed and use (default: SQLite)"
    )
    parser.add_argument("--data-dir", type=Path, help="default bench/out/data[-…]")
    parser.add_argument(
        "--settings",
        default="bench.settings",
        help="Django settings module to run with, to try a change (it must keep bench.urls)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="1,000 people, 50,000 posts, 3 s loads"
    )
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/performance.md")
    args = parser.parse_args(argv)
    quick = args.quick
    args.people = args.people or (1_000 if quick else seeding.Community.people)
    args.posts = args.posts or (50_000 if quick else seeding.Community.posts)
    args.duration = args.duration or (3.0 if quick else 12.0)
    # Quick figures are for checking the script, not for the record.
    args.write_docs = not (args.no_docs or quick)
    if args.data_dir is None:
        default = (seeding.Community.people, seeding.Community.posts)
        suffix = "" if (args.people, args.posts) == default else f"-{args.people}x{args.posts}"
        # With PostgreSQL the directory only holds the secret key and media.
        args.data_dir = OUT / f"data{suffix}{'-pg' if args.database_url else ''}"
    return args


def configure_environment(args) -> None:
    """Set what both this process and the server read: debug off, a fresh secret key."""
    args.data_dir.mkdir(parents=True, exist_ok=True)
    os.environ["CONFAB_DATA_DIR"] = str(args.data_dir.resolve())
    os.environ["CONFAB_DEBUG"] = "0"
    os.environ["CONFAB_HTTPS"] = "0"
    os.environ["CONFAB_SECRET_KEY"] = secrets.token_urlsafe(50)
    os.environ["CONFAB_LOG_LEVEL"] = "WARNING"
    os.environ["DJANGO_SETTINGS_MODULE"] = args.settings
    os.environ.pop("CONFAB_SQLITE_PATH", None)
    if args.database_url:
        os.environ["CONFAB_DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("CONFAB_DATABASE_URL", None)
    existing = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO), existing]))


def prepare_database(args) -> tuple[seeding.Seeded, float | None]:
    """Migrate and seed; return the community and the seconds seeding took (None: skipped)."""
    from django.core.management import call_command
    from django.db import connection

    def migrate_and_seed():
        call_command("migrate", interactive=False, verbosity=0)
        community = seeding.Community(args.people, args.posts, args.seed)
        existing = seeding.seeded(community)
        if existing is not None:
            print(f"seed: the database already holds {community}; not seeding")
            return existing, None
        started = time.perf_counter()
        result = seeding.ensure(community)
        return result, time.perf_counter() - started

    try:
        return migrate_and_seed()
    except seeding.NotSeedable as exc:
        owned = not args.database_url and OUT in args.data_dir.resolve().parents
        if not owned:
            sys.exit(f"bench: {exc}")
        # Our own SQLite file under bench/out (say, a seed interrupted earlier): start again.
        print(f"bench: {exc}; deleting {args.data_dir} and seeding again")
        name = Path(connection.settings_dict["NAME"])
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)
        return migrate_and_seed()


def session_cookie(username: str) -> str:
    """Sign `username` in the way the login view does and return the Cookie header value."""
    from django.conf import settings
    from django.test import Client

    from confab.accounts.models import User

    client = Client()
    client.force_login(User.objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


class _Recorder:
    """Keep every statement Django sends to the database, with its parameters."""

    def __init__(self) -> None:
        self.statements: list[tuple[str, tuple]] = []

    def __call__(self, execute, sql, params, many, context):
        if not many:
            self.statements.append((sql, tuple(params or ())))
        return execute(sql, params, many, context)


def capture_sql(seeded: seeding.Seeded) -> dict[str, list[tuple[str, tuple]]]:
    """Return the SQL of each page's posts query, and of everything the page runs."""
    from django.db import connection
    from django.test import Client

    from confab.accounts.models import Account, User
    from confab.core.paging import paginate
    from confab.posts.models import Hashtag
    from confab.timelines import queries

    viewer = Account.objects.get(username=seeded.viewer, domain="")
    tag = Hashtag.objects.get(name=seeded.hashtag)
    captured = {}
    # The posts query exactly as the views run it (page_for with no paging parameters):
    # the shape is made first (home looks up the followed hashtags), then only the query
    # (or queries, one per arm) that picks the page's posts is recorded.
    for name, make_shape, key in (
        ("home", lambda: queries.home_shape(viewer), "id"),
        ("hashtag", lambda: queries.hashtag_shape(viewer, tag.pk), queries.TAGGED_KEY),
    ):
        shape = make_shape()
        recorder = _Recorder()
        with connection.execute_wrapper(recorder):
            paginate(None, shape=shape, key=key, loaded_key="id", load=lambda ids: [])
        captured[f"{name} posts query"] = recorder.statements
    # Everything one page costs in SQL, from the session lookup to the last prefetch.
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(User.objects.get(username=seeded.viewer))
    for name, path in (("home", "/"), ("hashtag", f"/tags/{seeded.hashtag}")):
        recorder = _Recorder()
        with connection.execute_wrapper(recorder):
            response = client.get(path)
        if response.status_code != 200:
            sys.exit(f"bench: {path} answered {response.status_code} in-process")
        selects = [s for s in recorder.statements if s[0].lstrip().upper().startswith("SELECT")]
        captured[f"{name} page, all SQL"] = selects
    return captured


def time_sql(name: str, statements, budget: float) -> SqlTiming:
    """Run the statements again and again on one connection; time each whole run."""
    from django.db import connection

    def run(cursor) -> None:
        for sql, params in statements:
            cursor.execute(sql, params)
            cursor.fetchall()

    with connection.cursor() as cursor:
        for _ in range(3):
            run(cursor)
        samples: list[float] = []
        cpu_started = time.process_time()
        deadline = time.perf_counter() + budget
        # At least `budget` seconds and 10 runs: thousands of samples for a fast query, and a
        # slow one (a second a run) does not hold the benchmark up for minutes.
        while len(samples) < 10 or (time.perf_counter() < deadline and len(samples) < 20_000):
            started = time.perf_counter_ns()
            run(cursor)
            samples.append((time.perf_counter_ns() - started) / 1e6)
        cpu = time.process_time() - cpu_started
    return SqlTiming(name, list(statements), samples, cpu)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(port: int, log_path: Path) -> subprocess.Popen:
    """Start `confab serve` itself, with bench.settings (Confab plus /bench/hello)."""
    command = [sys.executable, "-m", "confab", "serve", "--host", "127.0.0.1", "--port", str(port)]
    log = log_path.open("w")
    server = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"bench: the server stopped at start; see {log_path}")
        try:
            if get(port, "/bench/hello", "")[0] == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    stop_server(server)
    sys.exit(f"bench: the server did not answer within 60 s; see {log_path}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def get(port: int, path: str, cookie: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def _stat(pid: int) -> list[str]:
    # The fields after the command name, which may itself hold spaces and parentheses.
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def cpu_seconds(pid: int) -> float:
    """User plus system CPU time of a process so far, from /proc."""
    fields = _stat(pid)
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def postmaster_pid() -> int | None:
    """Return the pid of the PostgreSQL server we talk to, if it runs on this machine."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        backend = cursor.fetchone()[0]
    try:
        parent = int(_stat(backend)[1])
    except (OSError, ValueError):
        return None  # another machine, or another PID namespace
    return parent if parent > 1 else None


def tree_cpu_seconds(pid: int) -> float:
    """CPU time of a process, its live children and the children it has reaped.

    PostgreSQL runs a process per connection, and Confab opens a connection per request, so
    most backends have ended (and been added to the postmaster's reaped total) by the time
    we look.
    """
    ticks = 0
    fields = _stat(pid)
    ticks += sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    for child in Path("/proc").iterdir():
        if not child.name.isdigit():
            continue
        try:
            child_fields = _stat(int(child.name))
        except OSError:
            continue
        if int(child_fields[1]) == pid:
            ticks += int(child_fields[11]) + int(child_fields[12])
    return ticks / os.sysconf("SC_CLK_TCK")


def wrk(args, port: int, path: str, cookie: str, seconds: float, report: bool) -> dict:
    command = [
        "wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds:g}s",
        "--timeout", "60s", "--latency",
    ]  # fmt: skip
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    if report:
        command += ["-s", str(WRK_SCRIPT)]
    command.append(f"http://127.0.0.1:{port}{path}")
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    if not report:
        return {}
    for line in done.stdout.splitlines():
        if line.startswith("WRK_JSON "):
            return json.loads(line.removeprefix("WRK_JSON "))
    raise RuntimeError(f"no figures from wrk:\n{done.stdout}\n{done.stderr}")


def load(args, server: subprocess.Popen, port: int, name: str, path: str, cookie: str) -> Load:
    status, body = get(port, path, cookie)
    if status != 200:
        stop_server(server)
        sys.exit(f"bench: {path} answered {status}, not 200: {body[:300]!r}")
    wrk(args, port, path, cookie, min(2.0, args.duration), report=False)  # warm up
    database = args.postmaster
    before = cpu_seconds(server.pid)
    db_before = tree_cpu_seconds(database) if database else 0.0
    figures = wrk(args, port, path, cookie, args.duration, report=True)
    used = cpu_seconds(server.pid) - before
    db_used = tree_cpu_seconds(database) - db_before if database else None
    result = Load(
        name=name,
        path=path,
        requests=figures["requests"],
        seconds=figures["duration_us"] / 1e6,
        p50_ms=figures["p50_us"] / 1000,
        p90_ms=figures["p90_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        max_ms=figures["max_us"] / 1000,
        errors={k: v for k, v in figures["errors"].items() if v},
        cpu_seconds=used,
        db_cpu_seconds=db_used,
    )
    if result.errors:
        print(f"bench: {path} had errors: {result.errors}")
    print(
        f"load: {name:8} {result.rps:8.0f} req/s  p50 {result.p50_ms:6.2f} ms  "
        f"p99 {result.p99_ms:6.2f} ms  CPU {result.cpu_ms_per_request:.2f} ms/req"
        + (f" + database {result.db_cpu_ms_per_request:.2f}" if database else "")
    )
    return result


# Report ------------------------------------------------------------------------------


def machine() -> str:
    model = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    return f"{os.cpu_count()} × {model}, Python {platform.python_version()}, {platform.system()}"


def database_engine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT sqlite_version()")
            return f"SQLite {cursor.fetchone()[0]} (WAL)"
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0].split()[0]}"


def community_facts(seeded: seeding.Seeded) -> dict:
    from django.db.models import Max

    from confab.accounts.models import Account, Follow
    from confab.posts.models import Post, PostHashtag

    viewer = Account.objects.get(username=seeded.viewer, domain="")
    return {
        "accounts": Account.objects.count(),
        "follows": Follow.objects.count(),
        "posts": Post.objects.count(),
        "most_followers": Account.objects.aggregate(m=Max("followers_count"))["m"],
        "viewer_follows": viewer.following_count,
        "hashtag_posts": PostHashtag.objects.filter(hashtag__name=seeded.hashtag).count(),
    }


def _ratio(value: float) -> str:
    return f"{value:.2f}" if value >= 0.05 else f"{value:.1g}"


def _ms(value: float) -> str:
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"


def table(loads: dict[str, Load], sql: dict[str, SqlTiming]) -> list[str]:
    with_db = any(result.db_cpu_seconds is not None for result in loads.values())
    rows = [
        "| what | p50 ms | p99 ms | req/s | CPU ms/req |"
        + (" PostgreSQL CPU ms/req |" if with_db else ""),
        "| --- | ---: | ---: | ---: | ---: |" + (" ---: |" if with_db else ""),
    ]
    for result in loads.values():
        db = f" {result.db_cpu_ms_per_request:.2f} |" if with_db else ""
        rows.append(
            f"| {result.name} `{result.path}` | {_ms(result.p50_ms)} | {_ms(result.p99_ms)} "
            f"| {result.rps:.0f} | {result.cpu_ms_per_request:.2f} |{db}"
        )
        for timing in sql.values():
            if not timing.name.startswith(f"{result.name} "):
                continue
            count = len(timing.statements)
            what = "posts query" if "posts query" in timing.name else f"all {count} queries"
            rows.append(
                f"| ↳ raw SQL, {what} | {_ms(timing.p50_ms)} | {_ms(timing.p99_ms)} "
                f"| {timing.rps:.0f} | {timing.cpu_ms_per_request:.2f} |"
                + (" |" if with_db else "")
            )
    return rows


def query_plan(statement: tuple[str, tuple]) -> list[str]:
    """Return how the database runs a statement (EXPLAIN), to see which index it uses."""
    from django.db import connection

    sql, params = statement
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
            # The main loop only: how posts are found and ordered. The subqueries (follows,
            # blocks, mutes, the viewer's favourites…) each use their own index.
            lines, skipped = [], set()
            depth = {0: -1}
            for node, parent, _, detail in cursor.fetchall():
                depth[node] = depth.get(parent, -1) + 1
                if parent in skipped or detail.startswith(("LIST SUBQUERY", "CORRELATED")):
                    skipped.add(node)
                    continue
                lines.append("  " * depth[node] + detail)
            return lines
        cursor.execute(f"EXPLAIN (COSTS OFF) {sql}", params)
        # The plan nodes only, without their filters and subplans (hashed look-ups of the
        # follows, blocks and mutes), which make it long and say little about the speed.
        lines, subplan_indent = [], None
        for (line,) in cursor.fetchall():
            indent = len(line) - len(line.lstrip())
            if subplan_indent is not None and indent > subplan_indent:
                continue
            subplan_indent = None
            text = line.strip()
            if text.startswith("SubPlan"):
                subplan_indent = indent
                continue
            if lines and not text.startswith("->"):
                continue  # Filter:, Index Cond:, Join Filter: …
            lines.append(line.rstrip())
        return lines


def ratios(loads: dict[str, Load], sql: dict[str, SqlTiming]) -> tuple[list[str], list[str]]:
    hello = loads["hello"]
    lines, goals = [], []
    for page in PAGES:
        result = loads[page]
        posts_sql = sql[f"{page} posts query"]
        page_sql = sql[f"{page} page, all SQL"]
        lines.append(
            f"- **{page}**: {_ratio(result.rps / hello.rps)} × hello's throughput "
            f"({_ratio(result.rps / loads[HELLO_SIGNED_OUT].rps)} × signed-out hello's), "
            f"{result.cpu_ms_per_request / hello.cpu_ms_per_request:.1f} × its CPU per request; "
            f"p99 {result.p99_ms / posts_sql.p99_ms:.1f} × the raw posts query's p99 "
            f"({result.p99_ms / page_sql.p99_ms:.1f} × all the page's SQL run back to back)."
        )
        met = result.p99_ms < GOAL_P99_MS
        goals.append(
            f"- {page} p99 < {GOAL_P99_MS:.0f} ms: **{'met' if met else 'NOT met'}** "
            f"({_ms(result.p99_ms)} ms)"
        )
    share = loads["home"].rps / hello.rps
    goals.append(
        f"- home throughput ≥ {GOAL_HOME_VS_HELLO} × hello (signed in, as the pages): "
        f"**{'met' if share >= GOAL_HOME_VS_HELLO else 'NOT met'}** ({_ratio(share)} ×)"
    )
    return lines, goals


def section(args, seeded, facts, loads, sql, plans, seed_seconds, engine) -> tuple[str, str]:
    kind = "postgresql" if args.database_url else "sqlite"
    rate_lines, goal_lines = ratios(loads, sql)
    if seed_seconds is not None:
        seeding_line = f"Seeding took {seed_seconds:.0f} s in this run."
    elif seeded.seconds is not None:
        seeding_line = f"An earlier run seeded it in {seeded.seconds:.0f} s."
    else:
        seeding_line = "An earlier run seeded it."
    body = [
        f"## Timelines under load: {engine.split()[0]}",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/run.py` on {machine()} "
        f"(load average {args.load_average:.1f} just before the load); database {engine}.",
        "",
        f"Community: {facts['accounts']:,} accounts, {facts['follows']:,} follows (the most "
        f"followed person has {facts['most_followers']:,} followers), {facts['posts']:,} posts. "
        f"The viewer `@{seeded.viewer}` follows {facts['viewer_follows']} people, some of them "
        f"the most followed; the hashtag `#{seeded.hashtag}` is on {facts['hashtag_posts']:,} "
        f"posts. {seeding_line}",
        "",
        f"Load: wrk, {args.connections} connections on {args.threads} threads, "
        f"{args.duration:g} s per URL after a warm-up, signed in as the viewer (all but the "
        "first row), one server "
        "process (`confab serve`: uvicorn, uvloop, httptools, embedded worker; debug off) "
        "on 127.0.0.1. wrk and the server share the machine's cores, so CPU ms per request "
        "(the server process's user + system time over the requests it answered) is the "
        "steadier figure"
        + (
            "; PostgreSQL's own processes (a backend per connection) are counted apart. "
            if args.postmaster
            else ". "
        )
        + "Raw SQL rows replay the SQL Django generated for the page on one connection in the "
        "benchmark process, one run after another; their req/s is runs per second on one "
        "thread.",
        "",
        *table(loads, sql),
        "",
        "Ratios:",
        "",
        *rate_lines,
        "",
        "Goals:",
        "",
        *goal_lines,
    ]
    for page, plan in plans.items():
        shown = plan[:PLAN_LINES] + (["…"] if len(plan) > PLAN_LINES else [])
        body += ["", f"How the database runs the {page} posts query (EXPLAIN):", "", "```text"]
        body += [*shown, "```"]
    return kind, "\n".join(body)


DOC_INTRO = """# Performance

Figures from `make bench` (`bench/run.py`; `--help` lists its options). Each benchmark
writes its figures between its own markers below and leaves the rest of this file alone;
notes outside the markers are written by hand.
"""


def write_doc(kind: str, body: str, script: str = "bench/run.py") -> None:
    """Replace the section between `script`'s markers for `kind` (or append one)."""
    start = f"<!-- {script} {kind}: start -->"
    end = f"<!-- {script} {kind}: end -->"
    block = f"{start}\n{body}\n{end}"
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else DOC_INTRO
    if start in text and end in text:
        before, rest = text.split(start, 1)
        after = rest.split(end, 1)[1]
        text = f"{before}{block}{after}"
    else:
        text = f"{text.rstrip()}\n\n{block}\n"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")


def main(argv=None) -> None:
    args = parse_args(argv)
    # Stopped with SIGTERM: unwind, so the server started below is stopped too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if shutil.which("wrk") is None:
        sys.exit("bench: wrk is missing; install the Debian package: apt-get install -y wrk")
    configure_environment(args)
    import django

    django.setup()
    from django.db import connection

    print(f"bench: data in {args.data_dir}; database {connection.vendor}")
    seeded, seed_seconds = prepare_database(args)
    engine = database_engine()
    facts = community_facts(seeded)
    cookie = session_cookie(seeded.viewer)

    sql = {}
    for name, statements in capture_sql(seeded).items():
        sql[name] = time_sql(name, statements, budget=1.0 if args.quick else 4.0)
        timing = sql[name]
        print(
            f"sql:  {name:24} p50 {timing.p50_ms:6.2f} ms  p99 {timing.p99_ms:6.2f} ms  "
            f"({len(statements)} statements, {timing.runs} runs)"
        )
    plans = {page: query_plan(sql[f"{page} posts query"].statements[0]) for page in PAGES}
    args.postmaster = postmaster_pid()
    connection.close()

    OUT.mkdir(parents=True, exist_ok=True)
    # Other work on the machine skews the figures: say how busy it was.
    args.load_average = os.getloadavg()[0]
    port = free_port()
    log_path = OUT / "server.log"
    server = start_server(port, log_path)
    try:
        # Every URL is loaded signed in, as a browser would send the cookie; hello also
        # signed out, to show what the session, user and account lookups cost.
        loads = {
            name: load(args, server, port, name, path, cookie if signed_in else "")
            for name, path, signed_in in (
                (HELLO_SIGNED_OUT, "/bench/hello", False),
                ("hello", "/bench/hello", True),
                ("home", "/", True),
                ("hashtag", f"/tags/{seeded.hashtag}", True),
            )
        }
    finally:
        stop_server(server)

    kind, body = section(args, seeded, facts, loads, sql, plans, seed_seconds, engine)
    print()
    print(body)
    if args.write_docs:
        write_doc(kind, body)
        print(f"\nbench: wrote {DOC.relative_to(REPO)}")


if __name__ == "__main__":
    main()
