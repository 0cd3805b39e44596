"""A busy chat room: how long an answer takes to reach 1,000 people reading the room live.

    python bench/room.py [--quick] [--subscribers N] [--duration S] [--rate R]
                         [--clients N] [--no-docs]

What it does (issue 4, "Speed"), once against Confab and once against a bare broadcaster,
with bench/live.py's machinery (subscriber processes, open-loop publisher, bare server):

1. Uses a small SQLite database of its own (bench/out/room), migrated, with a host,
   `roomhost`, and an answerer, `roomguest`, signed in by creating a session as logging
   in would. Each run makes a one-off chat with a fresh hashtag (`#RoomBench<n>`) whose
   session started a minute ago and lasts two hours, and posts its Q1 through
   `confab.chats.actions.post_question`, as the worker would.
2. Starts `confab serve --no-worker` (uvicorn, uvloop, httptools; debug off) under
   bench.settings on a free port of 127.0.0.1.
3. Opens --subscribers anonymous SSE connections to the room's stream,
   `/live/rooms/<session>`, from --clients processes (asyncio protocols on raw sockets),
   each noting when every event's bytes arrived (CLOCK_MONOTONIC).
4. Once all are connected, the answerer posts --rate answers a second for --duration
   seconds through the real composer endpoint, `POST /posts/new`, with the text a person
   types in the room ("A1 … #RoomBench<n>"): each answer joins the room (hashtag during
   the session), is linked to Q1 by its label, is rendered once as a room card, and goes
   out on the room stream as an "entry" event, checked against each reader's relations.
5. Waits 5 s for stragglers, then pairs every (answer, subscriber): delivery latency is
   arrival minus the moment the POST was sent (publishing happens inside the request, so
   "from the POST's return" says little; both are printed), and a pair with no arrival is
   a lost event. Server CPU time (user + system, /proc) over the posting window, per answer.
6. Does the same against bench/bare_sse.py (a raw ASGI app with an in-memory fan-out, the
   same uvicorn settings, events of the same size) and prints Confab's p99 over the bare
   one's. The goal: within 3 x, no event lost. Writes its section of docs/performance.md
   (not with --quick).
"""

import argparse
import os
import signal
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import live  # noqa: E402
from bench import run as bench_run  # noqa: E402

OUT = REPO / "bench" / "out"
HOST = "roomhost"
ANSWERER = "roomguest"
GOAL_RATIO = 3.0


class Answerer(live.Publisher):
    """live.Publisher posting what a person types in the room: "A1 <answer> #<hashtag>"."""

    def __init__(self, port: int, cookie: str, token: str, hashtag: str) -> None:
        super().__init__(port, cookie, token, pad=0)
        self.hashtag = hashtag

    def post(self) -> live.Published:
        number = next(self.numbers)
        fields = {
            "text": f"A1 answer number {number}: we start with what the class wonders about "
            f"#{self.hashtag}",
            "visibility": "public",
            "spoiler_text": "",
            "csrfmiddlewaretoken": self.token,
        }
        connection = self.free.get()
        try:
            sent = time.monotonic()
            connection.request("POST", "/posts/new", urlencode(fields), self.headers)
            response = connection.getresponse()
            response.read()
            returned = time.monotonic()
        finally:
            self.free.put(connection)
        location = response.headers.get("Location", "").rstrip("/")
        if response.status != 302 or not location.rsplit("/", 1)[-1].isdigit():
            raise RuntimeError(f"POST /posts/new answered {response.status} ({location!r})")
        return live.Published(int(location.rsplit("/", 1)[-1]), sent, returned)


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--subscribers", type=int, help="default 1000 (200 with --quick)")
    parser.add_argument("--duration", type=float, help="seconds of answers (default 60; 10 quick)")
    parser.add_argument("--rate", type=float, default=20.0, help="answers a second (default 20)")
    parser.add_argument("--clients", type=int, default=2, help="subscriber processes (default 2)")
    parser.add_argument("--data-dir", type=Path, default=OUT / "room")
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


def prepare_room() -> tuple[int, str, str]:
    """Migrate, make the people and a live session with Q1 asked; return it and a cookie."""
    import secrets

    import time_machine
    from django.core.management import call_command
    from django.utils import timezone

    from confab.accounts import actions as account_actions
    from confab.accounts.models import Account, User
    from confab.chats import actions
    from confab.chats.models import Chat

    call_command("migrate", interactive=False, verbosity=0)
    for name in (HOST, ANSWERER):
        if not User.objects.filter(username=name).exists():
            account_actions.register(
                name, f"{name}@example.com", secrets.token_urlsafe(16), policy_check=False
            )
    host = Account.objects.get(user__username=HOST)
    hashtag = f"RoomBench{Chat.objects.count() + 1}"
    starts_at = timezone.now().replace(second=0, microsecond=0) - timedelta(minutes=1)
    # A one-off chat cannot be made to start in the past: make it a few minutes earlier.
    with time_machine.travel(starts_at - timedelta(minutes=5), tick=False):
        chat = actions.create_chat(
            host,
            hashtag,
            actions.ChatDetails(
                title="A busy room",
                time_zone="UTC",
                starts_at_local=starts_at.replace(tzinfo=None),
                duration=120,
                rrule="",
                description="The room benchmark.",
                interests=[],
            ),
        )
        session = actions.plan_session(
            chat, host, starts_at, questions=[("What do your students wonder about?", 0)]
        )
    actions.post_question(session.questions.get(number=1).pk)
    return session.pk, hashtag, bench_run.session_cookie(ANSWERER)


def run_confab(args, session_id: int, hashtag: str, cookie: str) -> live.Result:
    port = bench_run.free_port()
    command = [sys.executable, "-m", "confab", "serve", "--no-worker"]
    command += ["--host", "127.0.0.1", "--port", str(port)]
    server = live.start(command, port, OUT / "room-confab.log")
    try:
        answerer = Answerer(port, cookie, live.csrf_token(port), hashtag)
        try:
            return live.measure(args, "confab", server, port, f"/live/rooms/{session_id}", answerer)
        finally:
            answerer.close()
    finally:
        bench_run.stop_server(server)


def joined_the_room(session_id: int, posts: list[live.Published]) -> tuple[int, int]:
    """Return how many of the answers are in the room, and how many of those under Q1."""
    from confab.chats.models import RoomEntry

    entries = RoomEntry.objects.filter(
        session_id=session_id, post_id__in=[p.post_id for p in posts]
    )
    return entries.count(), entries.filter(question=1).count()


def _row(result: live.Result) -> str:
    def pair(samples: list[float]) -> str:
        return f"{result.p(50, samples):.1f} | {result.p(99, samples):.1f}"

    return (
        f"| {result.name} | {result.subscribers:,} | {len(result.posts)} ({result.rate:.1f}/s) "
        f"| {pair(result.from_send_ms)} | {pair(result.latencies_ms)} | {pair(result.spread_ms)} "
        f"| {pair(result.post_ms)} | {result.lost} | {result.cpu_ms_per_post:.1f} "
        f"| {result.client_cpu / result.seconds:.2f} |"
    )


def kept_pace(result: live.Result, rate: float) -> bool:
    """Whether the server answered fast enough for the answers to go out at `rate`.

    The publisher is open loop, but with all its connections waiting on a saturated server
    it sends late; latencies then describe a slower room than the one asked for.
    """
    return result.rate >= 0.95 * rate and result.lateness < 1.0


def _verdict(what: str, confab: float, bare: float, lost: int, paced: bool) -> str:
    ratio = confab / bare
    met = ratio <= GOAL_RATIO and lost == 0 and paced
    pace = "" if paced else "; the server could not keep the answer rate"
    return (
        f"- p99 {what} within {GOAL_RATIO:g} × the bare floor, no answer lost, at the full "
        f"rate: **{'met' if met else 'NOT met'}** ({confab:.1f} ms against {bare:.1f} ms: "
        f"{ratio:.1f} ×; {lost} lost{pace})"
    )


def section(args, results: dict[str, live.Result], joined: tuple[int, int]) -> str:
    confab, bare = results["confab"], results["bare"]
    lines = [
        "## Chat room: 1,000 readers, 20 answers a second",
        "",
        f"Measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by `bench/room.py` "
        f"(`make bench-room`) on {bench_run.machine()} (load average {args.load_average:.1f} "
        "just before); Confab on SQLite.",
        "",
        f"{args.subscribers:,} anonymous readers of one live session's room "
        f"(`/live/rooms/<session>`), opened by {args.clients} client processes (asyncio "
        f"protocols on raw sockets). One person answers {args.rate:g} times a second for "
        f"{args.duration:g} s through the composer's endpoint, `POST /posts/new`, with "
        '"A1 … #RoomBench<n>": each answer joins the room, is linked to Q1 by its label, is '
        "rendered once as a room card and goes out as an `entry` event, checked against each "
        "reader's relations. Server: one process, `confab serve --no-worker` (uvicorn, "
        "uvloop, httptools; debug off). Baseline, in the same run: `bench/bare_sse.py`, the "
        "raw ASGI broadcaster of the live benchmark, same uvicorn settings, events of the "
        f"same size (~{confab.event_bytes:,.0f} bytes). {joined[0]} of {len(confab.posts)} "
        f"answers joined the room, {joined[1]} of them under Q1.",
        "",
        "Every figure is over all (answer, reader) pairs, from `time.monotonic()` in the "
        "publisher and the reader processes: *from send* is arrival minus the moment the "
        "POST was sent (the delivery latency; Confab publishes after commit, inside the "
        "request); *from return* counts from the moment its response had been read; "
        "*fan-out* is, per answer, the last reader's arrival minus the first's. Server CPU is "
        "the server process's user + system time over the answering window, per answer.",
        "",
        "| server | readers | answers | from send p50 ms | p99 | from return p50 ms | p99 "
        "| fan-out p50 ms | p99 | POST p50 ms | p99 | lost | server CPU ms/answer "
        "| clients CPU s/s |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: |",
        _row(confab),
        _row(bare),
        "",
        f"The answers went out at {confab.rate:.1f} a second to Confab (sent up to "
        f"{confab.lateness:.1f} s late) and {bare.rate:.1f} to the bare server. A server "
        f"that needs more than {1000 / args.rate:.0f} ms of CPU per answer cannot keep "
        f"{args.rate:g} a second on one core.",
        "",
        "Goal (issue 4):",
        "",
        _verdict(
            "delivery (from send)",
            confab.p(99, confab.from_send_ms),
            bare.p(99, bare.from_send_ms),
            confab.lost,
            kept_pace(confab, args.rate),
        ),
        _verdict(
            "of the fan-out",
            confab.p(99, confab.spread_ms),
            bare.p(99, bare.spread_ms),
            confab.lost,
            kept_pace(confab, args.rate),
        ),
        "",
        f"Server CPU per answer: {confab.cpu_ms_per_post:.1f} ms against "
        f"{bare.cpu_ms_per_post:.1f} ms ({confab.cpu_ms_per_post / bare.cpu_ms_per_post:.1f} ×)."
        + (
            f" {confab.closed_early} of Confab's streams were closed early."
            if confab.closed_early
            else ""
        ),
    ]
    return "\n".join(lines)


def main(argv=None) -> None:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    limit = live.raise_open_files_limit(args.subscribers + 200)
    if limit < args.subscribers + 200:
        print(f"bench: only {limit} open files allowed; the server may refuse subscribers")
    bench_run.configure_environment(args)  # the server inherits the raised limit too
    import django

    django.setup()
    from django.db import connection

    session_id, hashtag, cookie = prepare_room()
    connection.close()
    OUT.mkdir(parents=True, exist_ok=True)
    args.load_average = os.getloadavg()[0]
    results: dict[str, live.Result] = {}
    joined = (0, 0)
    if args.only != "bare":
        results["confab"] = run_confab(args, session_id, hashtag, cookie)
        joined = joined_the_room(session_id, results["confab"].posts)
        connection.close()
        print(f"confab: {joined[0]} answers in the room, {joined[1]} under Q1")
    if args.only != "confab":
        size = results["confab"].event_bytes if "confab" in results else 2500
        results["bare"] = live.run_bare(args, size)
    if len(results) < 2:
        return
    body = section(args, results, joined)
    print()
    print(body)
    if args.write_docs:
        bench_run.write_doc("room", body, script="bench/room.py")
        print(f"\nbench: wrote {bench_run.DOC.relative_to(REPO)}")


if __name__ == "__main__":
    main()
