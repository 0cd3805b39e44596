"""Live delivery: how long a new post takes to reach 1,000 server-sent-events subscribers.

    python bench/live.py [--quick] [--subscribers N] [--duration S] [--rate R]
                         [--clients N] [--stream local|tag] [--no-docs]

What it does (issue 3, "Speed"), once against Confab and once against a bare broadcaster:

1. Uses a small SQLite database of its own (bench/out/live), migrated, with one author,
   `liveauthor`, signed in by creating a session as logging in would; the CSRF cookie
   comes from a GET of /login, and is sent back in X-CSRFToken and in the form.
2. Starts `confab serve --no-worker` (uvicorn, uvloop, httptools; debug off) under
   bench.settings on a free port of 127.0.0.1.
3. Starts --clients subscriber processes which together open --subscribers SSE connections
   to one stream (`/live/local` by default, or `/live/tags/livebench`), anonymous, with
   asyncio protocols on raw sockets. Each records, per connection, the time.monotonic() at
   which each event's bytes arrived (CLOCK_MONOTONIC: comparable across processes).
4. Once every connection has its 200 and its first bytes, this process publishes --rate
   posts a second for --duration seconds through the real endpoint, `POST /posts/new`,
   open loop on up to PUBLISHERS keep-alive connections (a slow answer does not delay the
   next post), and notes for each post when the request was sent and when the response
   (302, the post's id at the end of `Location`) had been read.
5. Waits 5 s for stragglers, then stops the clients and pairs every (post, subscriber):
   latency = arrival - the POST's return (the issue's measure), and also arrival - the
   POST's sending, and per post the spread from first to last subscriber (the fan-out).
   A pair with no arrival is a lost event. Server CPU time (user + system, /proc) over the
   publishing window, per post.
6. Does the same against bench/bare_sse.py, a raw ASGI app with an in-memory fan-out,
   served by uvicorn with the same settings and sending events of the same size, and prints
   Confab's p99 over the bare one's (the goal: within 3 x). Writes its section of
   docs/performance.md (not with --quick).

The publisher and the subscriber processes share the machine's cores with the server; their
CPU use is printed so you can see whether they, rather than the server, set the pace.
"""

import argparse
import asyncio
import http.client
import itertools
import multiprocessing
import os
import queue
import re
import resource
import secrets
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import run as bench_run  # noqa: E402

OUT = REPO / "bench" / "out"
AUTHOR = "liveauthor"
TAG = "livebench"
GOAL_RATIO = 3.0
DRAIN_SECONDS = 5.0
WARMUP_POSTS = 5
CONNECT_BATCH = 50
PUBLISHERS = 8  # POSTs in flight at most
# The post id in an event's data: Confab's and the bare server's events both start so.
EVENT_ID = re.compile(rb'\ndata: \{"id":(\d+),')


# Subscriber processes ---------------------------------------------------------------


def raise_open_files_limit(wanted: int) -> int:
    """Raise the soft limit on open files towards `wanted` (within the hard limit)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


class _Subscriber(asyncio.Protocol):
    """One SSE connection: note when each event's bytes arrive, keyed by the post's id."""

    def __init__(self, request: bytes, connected: asyncio.Future) -> None:
        self.request = request
        self.connected = connected
        self.arrivals: dict[int, float] = {}
        self.buffer = b""
        self.headers_done = False
        self.status = 0
        self.bytes = 0
        self.events = 0
        self.closed = False

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(self.request)

    def data_received(self, data: bytes) -> None:
        now = time.monotonic()
        self.bytes += len(data)
        buffer = self.buffer + data
        if not self.headers_done:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                self.buffer = buffer
                return
            self.status = int(buffer.split(b" ", 2)[1])
            self.headers_done = True
            buffer = buffer[end + 4 :]
            if self.status != 200 and not self.connected.done():
                self.connected.set_exception(RuntimeError(f"stream answered {self.status}"))
        # Events end with a blank line; keep a partial one for the next read. (Chunk-size
        # lines of the chunked encoding fall between events and match nothing.)
        cut = buffer.rfind(b"\n\n")
        if cut < 0:
            self.buffer = buffer
            return
        complete, self.buffer = buffer[: cut + 2], buffer[cut + 2 :]
        if not self.connected.done():
            self.connected.set_result(None)  # the `retry:` line: subscribed
        for match in EVENT_ID.finditer(complete):
            self.arrivals.setdefault(int(match.group(1)), now)
            self.events += 1

    def connection_lost(self, exc) -> None:
        self.closed = True
        if not self.connected.done():
            self.connected.set_exception(ConnectionError("stream closed before its first event"))


async def _subscribe_all(port: int, path: str, count: int, conn) -> None:
    loop = asyncio.get_running_loop()
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        "Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n"
    ).encode()
    subscribers: list[_Subscriber] = []

    async def open_one() -> None:
        connected = loop.create_future()
        _, protocol = await loop.create_connection(
            lambda: _Subscriber(request, connected), "127.0.0.1", port
        )
        subscribers.append(protocol)
        await asyncio.wait_for(connected, 60)

    started = time.monotonic()
    for first in range(0, count, CONNECT_BATCH):
        await asyncio.gather(*(open_one() for _ in range(first, min(count, first + CONNECT_BATCH))))
    conn.send(("ready", len(subscribers), time.monotonic() - started))
    assert await loop.run_in_executor(None, conn.recv) == "go"
    cpu_started = time.process_time()
    assert await loop.run_in_executor(None, conn.recv) == "stop"
    cpu = time.process_time() - cpu_started
    for subscriber in subscribers:
        subscriber.transport.close()
    conn.send(
        (
            "done",
            [s.arrivals for s in subscribers],
            sum(s.bytes for s in subscribers),
            sum(s.events for s in subscribers),
            sum(s.closed for s in subscribers),
            cpu,
        )
    )


def subscriber_process(port: int, path: str, count: int, conn) -> None:
    """Open `count` SSE connections and record arrivals until told to stop (a child process)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops us
    raise_open_files_limit(count + 100)
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    try:
        asyncio.run(_subscribe_all(port, path, count, conn))
    except Exception as exc:  # report it to the parent rather than hang it
        conn.send(("error", repr(exc)))


# The run ---------------------------------------------------------------------------


@dataclass
class Published:
    post_id: int
    sent: float
    returned: float


@dataclass
class Result:
    name: str
    subscribers: int
    posts: list[Published]
    latencies_ms: list[float]  # from the POST's return, over every (post, subscriber)
    from_send_ms: list[float]  # from the moment the POST was sent
    post_ms: list[float]  # how long each POST took
    spread_ms: list[float]  # per post: last subscriber's arrival - first subscriber's
    lateness: float  # the most a POST was sent after its scheduled moment (s)
    lost: int
    closed_early: int
    connect_seconds: float
    seconds: float  # the publishing window
    server_cpu: float
    client_cpu: float
    publisher_cpu: float
    event_bytes: float

    @property
    def pairs(self) -> int:
        return len(self.posts) * self.subscribers

    def p(self, pct: float, samples: list[float] | None = None) -> float:
        values = self.latencies_ms if samples is None else samples
        return bench_run._percentile(values, pct) if values else float("nan")

    @property
    def rate(self) -> float:
        return len(self.posts) / self.seconds

    @property
    def cpu_ms_per_post(self) -> float:
        return self.server_cpu * 1000 / max(1, len(self.posts))


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, help="default 1000 (200 with --quick)")
    parser.add_argument("--duration", type=float, help="seconds of posting (default 60; 10 quick)")
    parser.add_argument("--rate", type=float, default=10.0, help="posts a second (default 10)")
    parser.add_argument("--clients", type=int, default=2, help="subscriber processes (default 2)")
    parser.add_argument("--stream", choices=("local", "tag"), default="local")
    parser.add_argument("--data-dir", type=Path, default=OUT / "live")
    parser.add_argument("--settings", default="bench.settings")
    parser.add_argument("--only", choices=("confab", "bare"), help="measure only one server")
    parser.add_argument("--quick", action="store_true", help="200 subscribers, 10 s")
    parser.add_argument("--no-docs", action="store_true", help="do not write docs/performance.md")
    args = parser.parse_args(argv)
    args.subscribers = args.subscribers or (200 if args.quick else 1000)
    args.duration = args.duration or (10.0 if args.quick else 60.0)
    args.write_docs = not (args.no_docs or args.quick or args.only)
    args.database_url = None
    return args


def prepare_author() -> str:
    """Migrate, make sure the author exists, and return their session cookie."""
    from django.core.management import call_command

    from confab.accounts import actions
    from confab.accounts.models import User

    call_command("migrate", interactive=False, verbosity=0)
    if not User.objects.filter(username=AUTHOR).exists():
        actions.register(
            AUTHOR, f"{AUTHOR}@example.com", secrets.token_urlsafe(16), policy_check=False
        )
    return bench_run.session_cookie(AUTHOR)


def start(command: list[str], port: int, log_path: Path) -> subprocess.Popen:
    """Start a server and wait until it answers on `port` (any status)."""
    log = log_path.open("w")
    server = subprocess.Popen(command, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"bench: the server stopped at start; see {log_path}")
        try:
            bench_run.get(port, "/bench/hello", "")
            return server
        except OSError:
            time.sleep(0.2)
    bench_run.stop_server(server)
    sys.exit(f"bench: the server did not answer within 60 s; see {log_path}")


def csrf_token(port: int) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", "/login")
        response = connection.getresponse()
        response.read()
        cookies = SimpleCookie()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookies.load(header)
        if response.status != 200 or "csrftoken" not in cookies:
            sys.exit(f"bench: GET /login answered {response.status} without a CSRF cookie")
        return cookies["csrftoken"].value
    finally:
        connection.close()


class Publisher:
    """POST posts as a signed-in browser's form would, on a few keep-alive connections.

    Open loop: each post is sent at its scheduled moment on a free connection, so one slow
    answer does not hold the next post back (up to PUBLISHERS posts in flight).
    """

    def __init__(self, port: int, cookie: str, token: str, pad: int) -> None:
        self.port = port
        self.headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": token,
            "Cookie": f"{cookie}; csrftoken={token}" if cookie else "",
        }
        self.token = token
        self.pad = pad
        self.numbers = itertools.count(1)
        self.free: queue.SimpleQueue = queue.SimpleQueue()
        self.connections = [
            http.client.HTTPConnection("127.0.0.1", port, timeout=30) for _ in range(PUBLISHERS)
        ]
        for connection in self.connections:
            self.free.put(connection)
        self.pool = ThreadPoolExecutor(PUBLISHERS)

    def post(self) -> Published:
        fields = {
            "text": f"Live delivery check number {next(self.numbers)} #{TAG}",
            "visibility": "public",
            "spoiler_text": "",
            "csrfmiddlewaretoken": self.token,
        }
        if self.pad:
            fields["pad"] = str(self.pad)
        body = urlencode(fields)
        connection = self.free.get()
        try:
            sent = time.monotonic()
            connection.request("POST", "/posts/new", body, self.headers)
            response = connection.getresponse()
            response.read()
            returned = time.monotonic()
        finally:
            self.free.put(connection)
        location = response.headers.get("Location", "")
        if response.status != 302 or not location.rstrip("/").rsplit("/", 1)[-1].isdigit():
            raise RuntimeError(f"POST /posts/new answered {response.status} ({location!r})")
        return Published(int(location.rstrip("/").rsplit("/", 1)[-1]), sent, returned)

    def schedule(self, count: int, rate: float) -> tuple[list[Published], float]:
        """Send `count` posts at `rate` a second; return them and the largest lateness (s)."""
        began = time.monotonic()
        futures = []
        for number in range(count):
            delay = began + number / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            futures.append(self.pool.submit(self.post))
        posts = [future.result() for future in futures]
        lateness = max(p.sent - (began + n / rate) for n, p in enumerate(posts))
        return posts, lateness

    def close(self) -> None:
        self.pool.shutdown()
        for connection in self.connections:
            connection.close()


def _wait(conns, kind: str, timeout: float) -> list[tuple]:
    replies = []
    for conn in conns:
        if not conn.poll(timeout):
            raise RuntimeError(f"a subscriber process sent no {kind!r} within {timeout:.0f} s")
        reply = conn.recv()
        if reply[0] != kind:
            raise RuntimeError(f"a subscriber process failed: {reply[1:]}")
        replies.append(reply)
    return replies


def measure(args, name: str, server: subprocess.Popen, port: int, path: str, publisher) -> Result:
    context = multiprocessing.get_context("spawn")
    shares = [
        args.subscribers // args.clients + (i < args.subscribers % args.clients)
        for i in range(args.clients)
    ]
    pipes, processes = [], []
    for share in shares:
        parent, child = context.Pipe()
        process = context.Process(target=subscriber_process, args=(port, path, share, child))
        process.start()
        pipes.append(parent)
        processes.append(process)
    try:
        ready = _wait(pipes, "ready", 180)
        connect_seconds = max(r[2] for r in ready)
        print(
            f"{name}: {sum(r[1] for r in ready)} subscribers on {path} in {connect_seconds:.1f} s"
        )
        publisher.schedule(WARMUP_POSTS, args.rate)
        time.sleep(1)
        for conn in pipes:
            conn.send("go")
        count = round(args.duration * args.rate)
        server_before = bench_run.cpu_seconds(server.pid)
        publisher_before = time.process_time()
        began = time.monotonic()
        posts, lateness = publisher.schedule(count, args.rate)
        window = time.monotonic() - began
        server_cpu = bench_run.cpu_seconds(server.pid) - server_before
        publisher_cpu = time.process_time() - publisher_before
        time.sleep(DRAIN_SECONDS)
        for conn in pipes:
            conn.send("stop")
        done = _wait(pipes, "done", 120)
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    arrivals = [a for reply in done for a in reply[1]]
    latencies, from_send, spread = [], [], []
    lost = 0
    for post in posts:
        times = []
        for subscriber in arrivals:
            at = subscriber.get(post.post_id)
            if at is None:
                lost += 1
                continue
            times.append(at)
            latencies.append((at - post.returned) * 1000)
            from_send.append((at - post.sent) * 1000)
        if times:
            spread.append((max(times) - min(times)) * 1000)
    events = sum(reply[3] for reply in done)
    result = Result(
        name=name,
        subscribers=len(arrivals),
        posts=posts,
        latencies_ms=latencies,
        from_send_ms=from_send,
        post_ms=[(p.returned - p.sent) * 1000 for p in posts],
        spread_ms=spread,
        lateness=lateness,
        lost=lost,
        closed_early=sum(reply[4] for reply in done),
        connect_seconds=connect_seconds,
        seconds=window,
        server_cpu=server_cpu,
        client_cpu=sum(reply[5] for reply in done),
        publisher_cpu=publisher_cpu,
        event_bytes=sum(reply[2] for reply in done) / max(1, events),
    )
    print(
        f"{name}: {len(posts)} posts in {window:.1f} s to {result.subscribers} subscribers; "
        f"latency p50 {result.p(50):.2f} ms, p99 {result.p(99):.2f} ms "
        f"(from send: p50 {result.p(50, from_send):.2f}, p99 {result.p(99, from_send):.2f}); "
        f"fan-out p99 {result.p(99, spread):.2f} ms; POST p50 {result.p(50, result.post_ms):.1f} "
        f"ms; {result.rate:.1f} posts/s (late by up to {lateness * 1000:.0f} ms); "
        f"lost {lost}; server CPU {result.cpu_ms_per_post:.1f} ms/post; "
        f"clients CPU {result.client_cpu / window:.2f} s/s; ~{result.event_bytes:.0f} B/event"
    )
    return result


def run_confab(args, cookie: str) -> Result:
    port = bench_run.free_port()
    command = [sys.executable, "-m", "confab", "serve", "--no-worker"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    server = start(command, port, OUT / "live-confab.log")
    try:
        publisher = Publisher(port, cookie, csrf_token(port), pad=0)
        path = "/live/local" if args.stream == "local" else f"/live/tags/{TAG}"
        try:
            return measure(args, "confab", server, port, path, publisher)
        finally:
            publisher.close()
    finally:
        bench_run.stop_server(server)


def run_bare(args, event_bytes: float) -> Result:
    port = bench_run.free_port()
    command = [
        sys.executable, "-m", "uvicorn", "bench.bare_sse:app",
        "--host", "127.0.0.1", "--port", str(port),
        "--loop", "uvloop", "--http", "httptools", "--no-access-log", "--lifespan", "off",
    ]  # fmt: skip
    server = start(command, port, OUT / "live-bare.log")
    try:
        # The same bytes per event as Confab's (less the envelope and the chunk framing).
        publisher = Publisher(port, "", "unused", pad=max(0, round(event_bytes) - 100))
        try:
            return measure(args, "bare", server, port, "/live", publisher)
        finally:
            publisher.close()
    finally:
        bench_run.stop_server(server)


# Report ------------------------------------------------------------------------------


def _row(result: Result) -> str:
    def pair(samples: list[float]) -> str:
        return f"{result.p(50, samples):.1f} | {result.p(99, samples):.1f}"

    return (
        f"| {result.name} | {result.subscribers:,} | {len(result.posts)} ({result.rate:.1f}/s) "
        f"| {pair(result.latencies_ms)} | {pair(result.from_send_ms)} | {pair(result.spread_ms)} "
        f"| {pair(result.post_ms)} | {result.lost} | {result.cpu_ms_per_post:.1f} "
        f"| {result.client_cpu / result.seconds:.2f} |"
    )


def _verdict(what: str, confab: float, bare: float, lost: int) -> str:
    ratio = confab / bare
    met = ratio <= GOAL_RATIO and lost == 0
    return (
        f"- p99 {what} within {GOAL_RATIO:g} × the bare floor, no event lost: "
        f"**{'met' if met else 'NOT met'}** ({confab:.1f} ms against {bare:.1f} ms: "
        f"{ratio:.1f} ×; {lost} lost)"
    )


def section(args, results: dict[str, Result]) -> str:
    confab, bare = results["confab"], results["bare"]
    stream = "/live/local" if args.stream == "local" else f"/live/tags/{TAG}"
    lines = [
        "## Live delivery: server-sent events",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/live.py` on "
        f"{bench_run.machine()} (load average {args.load_average:.1f} just before); "
        "Confab on SQLite.",
        "",
        f"{args.subscribers:,} anonymous subscribers on one stream (`{stream}`), opened by "
        f"{args.clients} client processes (asyncio protocols on raw sockets). One author posts "
        f"{args.rate:g} posts a second for {args.duration:g} s through `POST /posts/new` "
        f"(session cookie and CSRF token; open loop on up to {PUBLISHERS} keep-alive "
        "connections, so a slow answer does not delay the next post). Server: one process, "
        "`confab serve --no-worker` (uvicorn, uvloop, httptools; debug off). Baseline: "
        "`bench/bare_sse.py`, a raw ASGI app with an in-memory fan-out to one queue per "
        "subscriber and a POST endpoint that broadcasts, served by uvicorn with the same "
        f"settings and sending events of the same size (~{confab.event_bytes:,.0f} bytes).",
        "",
        "Every figure is over all (post, subscriber) pairs, from `time.monotonic()` in the "
        "publisher and in the subscriber processes: *from return* is arrival minus the moment "
        "the POST's response had been read (the issue's measure); *from send* counts from the "
        "moment the POST was sent; *fan-out* is, per post, the last subscriber's arrival minus "
        "the first's. Server CPU is the server process's user + system time over the posting "
        "window, per post; clients CPU is the subscriber processes' CPU seconds per second "
        "(the machine has 2 cores for everything).",
        "",
        "| server | subscribers | posts | from return p50 ms | p99 | from send p50 ms | p99 "
        "| fan-out p50 ms | p99 | POST p50 ms | p99 | lost | server CPU ms/post "
        "| clients CPU s/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: |",
        _row(confab),
        _row(bare),
        "",
        "Goals:",
        "",
        _verdict("from return", confab.p(99), bare.p(99), confab.lost),
        _verdict(
            "from send",
            confab.p(99, confab.from_send_ms),
            bare.p(99, bare.from_send_ms),
            confab.lost,
        ),
        _verdict(
            "of the fan-out",
            confab.p(99, confab.spread_ms),
            bare.p(99, bare.spread_ms),
            confab.lost,
        ),
        "",
        f"Server CPU per post: {confab.cpu_ms_per_post:.1f} ms against "
        f"{bare.cpu_ms_per_post:.1f} ms ({confab.cpu_ms_per_post / bare.cpu_ms_per_post:.1f} ×)."
        + (
            f" {confab.closed_early} of Confab's streams were closed early."
            if confab.closed_early
            else ""
        ),
    ]
    if confab.p(99) <= 0:
        lines += [
            "",
            "Confab publishes after the post's transaction commits, inside the request, before "
            "it answers; every event here reached every subscriber before the POST returned, so "
            "the *from return* measure cannot miss and says nothing. *From send* and *fan-out* "
            "are the ones to read.",
        ]
    return "\n".join(lines)


def main(argv=None) -> None:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    limit = raise_open_files_limit(args.subscribers + 200)
    if limit < args.subscribers + 200:
        print(f"bench: only {limit} open files allowed; the server may refuse subscribers")
    bench_run.configure_environment(args)  # the server inherits the raised limit too
    import django

    django.setup()
    from django.db import connection

    cookie = prepare_author()
    connection.close()
    OUT.mkdir(parents=True, exist_ok=True)
    args.load_average = os.getloadavg()[0]
    results: dict[str, Result] = {}
    if args.only != "bare":
        results["confab"] = run_confab(args, cookie)
    if args.only != "confab":
        size = results["confab"].event_bytes if "confab" in results else 2500
        results["bare"] = run_bare(args, size)
    if len(results) < 2:
        return
    body = section(args, results)
    print()
    print(body)
    if args.write_docs:
        bench_run.write_doc("sse", body, script="bench/live.py")
        print(f"\nbench: wrote {bench_run.DOC.relative_to(REPO)}")


if __name__ == "__main__":
    main()
