"""Row keys that sort by creation time and never collide between laptops.

Rows are created offline on many laptops and merged at the province, so keys
are generated on the client: UUID version 7 (RFC 9562), whose first 48 bits
are the Unix time in milliseconds. Keys created later sort later, which keeps
B-tree inserts at the end of the index and lets a list sort by key.
"""

from __future__ import annotations

import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_last_rand = 0


def uuid7() -> str:
    """A new UUIDv7 as a lowercase string, monotonic within this process.

    Within one millisecond the 74 random bits are incremented instead of drawn
    again (RFC 9562, method 2), so keys made in a burst still sort in order.
    """
    global _last_ms, _last_rand
    with _lock:
        now_ms = time.time_ns() // 1_000_000
        if now_ms <= _last_ms:
            now_ms = _last_ms
            rand = _last_rand + 1
        else:
            rand = int.from_bytes(os.urandom(10), "big") >> 6
        _last_ms, _last_rand = now_ms, rand
    rand_a = (rand >> 62) & 0xFFF
    rand_b = rand & ((1 << 62) - 1)
    value = (now_ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76 | rand_a << 64 | 0b10 << 62 | rand_b
    return str(uuid.UUID(int=value))


def uuid7_time_ms(key: str) -> int:
    """The creation time in milliseconds carried by a UUIDv7 key."""
    return uuid.UUID(key).int >> 80
