"""The event broker: actions publish to named streams; live pages subscribe.

Streams are named `home:<account>`, `local`, `tag:<name>`, `notifications:<account>`,
`relations:<account>` (and later `room:<session>`, `list:<id>`). `Broker` is the interface;
`InProcessBroker` is the embedded one: a ring buffer per stream so a reconnecting browser
can resume from Last-Event-ID, and an asyncio queue per subscriber. A Redis Streams broker
can implement the same four methods for several processes without touching callers.

Publishing happens in ordinary (sync) threads after a transaction commits; subscribers
are coroutines on the server's event loop. Hand-off between them is one
`loop.call_soon_threadsafe` per event and loop, so a publish never blocks on a slow reader: a subscriber whose
queue is full is marked lagging and closed, and its browser resumes from the ring buffer.
"""

import asyncio
import threading
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from confab.core.ids import next_id

RING_SIZE = 500
QUEUE_SIZE = 1000


@dataclass(frozen=True)
class Event:
    id: int
    stream: str
    type: str
    data: dict[str, Any]


@dataclass(eq=False)
class Subscription:
    """One reader's inbox, living on its event loop: events wait in `pending` until taken.

    A deque and one waiting future rather than an asyncio.Queue: `offer` runs for every
    reader of every event, so it does the least it can (append, wake the reader if asleep).
    """

    streams: frozenset[str]
    loop: asyncio.AbstractEventLoop
    pending: deque[Event] = field(default_factory=deque)
    lagging: bool = False
    closed: bool = False
    # Set by a heartbeat tick (confab.realtime.asgi) when the reader has sent nothing lately.
    beat: bool = False
    quiet: bool = True
    _waiter: asyncio.Future | None = None

    def offer(self, event: Event) -> None:
        """Called on the subscriber's loop: queue the event, or mark the reader as lagging."""
        if self.lagging:
            return
        if len(self.pending) >= QUEUE_SIZE:
            self.lagging = True
        else:
            self.pending.append(event)
        self._wake()

    def heartbeat(self) -> None:
        self.beat = True
        self._wake()

    def close(self) -> None:
        """The reader went away: wake its loop so it ends."""
        self.closed = True
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None:
            self._waiter = None
            if not waiter.done():
                waiter.set_result(None)

    async def take(self) -> list[Event]:
        """Wait until there is something to do; return every pending event (maybe none).

        Returns at once when lagging, closed or due a heartbeat, with what is pending.
        """
        while not (self.pending or self.lagging or self.closed or self.beat):
            self._waiter = self.loop.create_future()
            try:
                await self._waiter
            finally:
                self._waiter = None
        events = list(self.pending)
        self.pending.clear()
        return events


# Readers woken per turn of the loop. Waking a thousand at once queues a thousand task
# steps (about 15 ms of work) ahead of anything else the loop has to do, such as handing a
# request back from its thread; a slice at a time lets that work in between.
OFFER_SLICE = 100


def _offer_all(
    loop: asyncio.AbstractEventLoop, subscriptions: list[Subscription], event: Event, start: int
) -> None:
    end = start + OFFER_SLICE
    for subscription in subscriptions[start:end]:
        subscription.offer(event)
    if end < len(subscriptions):
        # Later events' slices queue behind this one's, so each reader keeps the order.
        loop.call_soon(_offer_all, loop, subscriptions, event, end)


class Broker(Protocol):
    def publish(self, stream: str, type: str, data: dict[str, Any]) -> Event: ...

    def subscribe(
        self, streams: Iterable[str], last_event_id: int | None = None
    ) -> tuple[Subscription, list[Event]]: ...

    def unsubscribe(self, subscription: Subscription) -> None: ...

    def has_subscribers(self, stream: str) -> bool: ...

    def active_streams(self, prefix: str) -> set[str]: ...


class InProcessBroker:
    def __init__(self, ring_size: int = RING_SIZE):
        self._lock = threading.Lock()
        self._rings: dict[str, deque[Event]] = {}
        self._subscribers: dict[str, set[Subscription]] = {}
        self._ring_size = ring_size

    def publish(self, stream: str, type: str, data: dict[str, Any]) -> Event:
        """Append an event to a stream and hand it to the stream's subscribers."""
        gone: list[Subscription] = []
        with self._lock:
            # Under the lock: ids, ring order and hand-off order agree across publishers.
            event = Event(id=next_id(), stream=stream, type=type, data=data)
            ring = self._rings.get(stream)
            if ring is None:
                ring = self._rings[stream] = deque(maxlen=self._ring_size)
            ring.append(event)
            by_loop: dict[asyncio.AbstractEventLoop, list[Subscription]] = {}
            for subscription in self._subscribers.get(stream, ()):
                by_loop.setdefault(subscription.loop, []).append(subscription)
            # One wake-up per event loop, not per subscriber: a thousand readers on the
            # server's loop are one call_soon_threadsafe handing the event to all of them.
            for loop, subscriptions in by_loop.items():
                try:
                    loop.call_soon_threadsafe(_offer_all, loop, subscriptions, event, 0)
                except RuntimeError:
                    # The subscribers' loop has closed: they are gone, whatever they said.
                    gone.extend(subscriptions)
        for subscription in gone:
            self.unsubscribe(subscription)
        return event

    def subscribe(
        self, streams: Iterable[str], last_event_id: int | None = None
    ) -> tuple[Subscription, list[Event]]:
        """Subscribe the running loop to `streams`; return events missed since `last_event_id`."""
        subscription = Subscription(streams=frozenset(streams), loop=asyncio.get_running_loop())
        missed: list[Event] = []
        with self._lock:
            for stream in subscription.streams:
                self._subscribers.setdefault(stream, set()).add(subscription)
                if last_event_id is not None:
                    missed.extend(e for e in self._rings.get(stream, ()) if e.id > last_event_id)
        missed.sort(key=lambda e: e.id)
        return subscription, missed

    def unsubscribe(self, subscription: Subscription) -> None:
        with self._lock:
            for stream in subscription.streams:
                subscribers = self._subscribers.get(stream)
                if subscribers is not None:
                    subscribers.discard(subscription)
                    if not subscribers:
                        del self._subscribers[stream]

    def has_subscribers(self, stream: str) -> bool:
        with self._lock:
            return bool(self._subscribers.get(stream))

    def active_streams(self, prefix: str) -> set[str]:
        with self._lock:
            return {
                name for name, subs in self._subscribers.items() if subs and name.startswith(prefix)
            }

    def recent(self, stream: str) -> list[Event]:
        """Return the events still in a stream's ring buffer, oldest first."""
        with self._lock:
            return list(self._rings.get(stream, ()))

    def subscriber_count(self) -> int:
        with self._lock:
            return len({s for subs in self._subscribers.values() for s in subs})

    def reset(self) -> None:
        """Forget every stream and subscriber (tests)."""
        with self._lock:
            self._rings.clear()
            self._subscribers.clear()


_broker = InProcessBroker()


def get_broker() -> InProcessBroker:
    return _broker


def publish_on_commit(stream: str, type: str, data: dict[str, Any]) -> None:
    """Publish once the current transaction commits (at once outside a transaction)."""
    from django.db import transaction

    transaction.on_commit(lambda: get_broker().publish(stream, type, data))


def active_streams(prefix: str) -> set[str]:
    """Return the streams starting with `prefix` that someone is subscribed to right now."""
    return get_broker().active_streams(prefix)
