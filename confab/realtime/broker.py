"""The event broker: actions publish to named streams; live pages subscribe.

Streams are named `home:<account>`, `local`, `tag:<name>`, `notifications:<account>`,
`relations:<account>` (and later `room:<session>`, `list:<id>`). `Broker` is the interface;
`InProcessBroker` is the embedded one: a ring buffer per stream so a reconnecting browser
can resume from Last-Event-ID, and an asyncio queue per subscriber. A Redis Streams broker
can implement the same four methods for several processes without touching callers.

Publishing happens in ordinary (sync) threads after a transaction commits; subscribers
are coroutines on the server's event loop. Hand-off between them is
`loop.call_soon_threadsafe`, so a publish never blocks on a slow reader: a subscriber whose
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
    streams: frozenset[str]
    loop: asyncio.AbstractEventLoop
    queue: asyncio.Queue = field(default_factory=lambda: asyncio.Queue(QUEUE_SIZE))
    lagging: bool = False

    def offer(self, event: Event) -> None:
        """Called on the subscriber's loop: queue the event, or mark the reader as lagging."""
        if self.lagging:
            return
        try:
            self.queue.put_nowait(event)
        except asyncio.QueueFull:
            self.lagging = True


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
        event = Event(id=next_id(), stream=stream, type=type, data=data)
        with self._lock:
            ring = self._rings.get(stream)
            if ring is None:
                ring = self._rings[stream] = deque(maxlen=self._ring_size)
            ring.append(event)
            subscribers = list(self._subscribers.get(stream, ()))
        for subscription in subscribers:
            try:
                subscription.loop.call_soon_threadsafe(subscription.offer, event)
            except RuntimeError:
                # The subscriber's loop has closed: it is gone, whatever it said.
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
