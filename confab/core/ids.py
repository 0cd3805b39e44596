"""64-bit time-ordered ids ("snowflakes").

Layout: milliseconds since 2020-01-01 UTC in the high bits, then 8 bits of a per-process
node number and 14 bits of sequence. Ids sort by creation time, fit a signed 64-bit column
and let feeds page by id (max_id / since_id / min_id) the way the Mastodon API does.
"""

import os
import random
import threading
import time
from datetime import UTC, datetime

EPOCH_MS = 1_577_836_800_000  # 2020-01-01T00:00:00Z
NODE_BITS = 8
SEQUENCE_BITS = 14
TIME_SHIFT = NODE_BITS + SEQUENCE_BITS
SEQUENCE_MASK = (1 << SEQUENCE_BITS) - 1

_lock = threading.Lock()
_node = (os.getpid() ^ random.getrandbits(NODE_BITS)) & ((1 << NODE_BITS) - 1)
_last_ms = 0
_sequence = 0


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def next_id() -> int:
    """Return a new id, strictly greater than any this process returned before."""
    global _last_ms, _sequence
    with _lock:
        ms = max(_now_ms(), _last_ms)
        if ms == _last_ms:
            _sequence = (_sequence + 1) & SEQUENCE_MASK
            if _sequence == 0:
                # 16,384 ids in one millisecond: borrow the next millisecond.
                ms += 1
        else:
            _sequence = 0
        _last_ms = ms
        return ((ms - EPOCH_MS) << TIME_SHIFT) | (_node << SEQUENCE_BITS) | _sequence


def id_for_time(moment: datetime, sequence: int = 0) -> int:
    """Return an id that sorts at `moment` (for back-dated demo and benchmark rows)."""
    ms = int(moment.timestamp() * 1000)
    return ((ms - EPOCH_MS) << TIME_SHIFT) | (sequence & ((1 << TIME_SHIFT) - 1))


def time_of(snowflake: int) -> datetime:
    """Return the UTC instant encoded in an id."""
    ms = (snowflake >> TIME_SHIFT) + EPOCH_MS
    return datetime.fromtimestamp(ms / 1000, tz=UTC)
