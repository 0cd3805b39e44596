"""Which function runs each kind of job.

    from confab.worker.registry import handler

    @handler("chats.post_question")
    def post_question(job):
        ...

A handler gets the claimed `Job` (its `payload`, and `attempts` to know whether this is a
retry) and returns when the work is done; raising anything means "try again later".

Handlers must be idempotent. The worker runs a handler inside one database transaction and
marks the job done in that same transaction, so database writes either all happen once or
are rolled back. But a worker can die after the work and before the commit, or a handler
can outlive its lease while another worker takes the job over; then the handler runs again.
So a handler checks for its own earlier effect first ("is question 1 of session 42 already
posted?") and anything outside the database (mail, HTTP) must tolerate a repeat.

Keep handlers short. Their transaction holds SQLite's one write lock while they run, so web
requests that write wait for them; work that waits on the network needs another shape.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from confab.worker.models import DEFAULT_MAX_ATTEMPTS

if TYPE_CHECKING:
    from confab.worker.models import Job

HandlerFunction = Callable[["Job"], object]

# How long a worker may hold a job before others treat it as abandoned. A handler that may
# take longer must say so, or a second worker starts it while the first still runs.
DEFAULT_LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class Handler:
    kind: str
    function: HandlerFunction
    lease: timedelta
    max_attempts: int
    # A recurring kind runs once a period, at the period's start (periods count from the
    # Unix epoch in UTC): see confab.worker.actions.schedule_recurring.
    every: timedelta | None = None


_handlers: dict[str, Handler] = {}


def handler(
    kind: str,
    *,
    lease: timedelta = DEFAULT_LEASE,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    every: timedelta | None = None,
) -> Callable[[HandlerFunction], HandlerFunction]:
    """Register the decorated function as the handler of jobs of `kind`; with `every`, a
    job of that kind is kept queued for the start of each period (housekeeping)."""

    def register(function: HandlerFunction) -> HandlerFunction:
        existing = _handlers.get(kind)
        if existing is not None and _name(existing.function) != _name(function):
            raise ValueError(
                f"Job kind {kind!r} already has a handler: {_name(existing.function)}."
            )
        _handlers[kind] = Handler(kind, function, lease, max_attempts, every)
        return function

    return register


def get(kind: str) -> Handler | None:
    return _handlers.get(kind)


def kinds() -> list[str]:
    return sorted(_handlers)


def recurring() -> list[Handler]:
    """The kinds that run once a period, by kind."""
    return [_handlers[kind] for kind in sorted(_handlers) if _handlers[kind].every]


def _name(function: HandlerFunction) -> str:
    return f"{function.__module__}.{function.__qualname__}"
