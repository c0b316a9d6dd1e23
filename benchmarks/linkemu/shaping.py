"""Token-bucket pacing for one direction of the link (shared by all its connections)."""

from __future__ import annotations

import asyncio
import time

# Pace in slices of about this long, so 64 kbit/s trickles out like a real
# modem instead of arriving in one burst after a pause.
SLICE_SECONDS = 0.01
MIN_SLICE_BYTES = 64
UNSHAPED_SLICE_BYTES = 64 * 1024


class TokenBucket:
    """Bytes-per-second bucket; ``rate_bps=None`` lets everything through.

    Tokens may go negative: a consumer takes what it needs and sleeps off the
    debt, so concurrent connections share the rate in aggregate. The burst is
    capped at ``burst_s`` worth of traffic so a link that was idle does not
    suddenly deliver a large block at once.
    """

    def __init__(self, rate_bps: int | None, burst_s: float = 0.02) -> None:
        self._burst_s = burst_s
        self._rate: float | None = None
        self._capacity = 0.0
        self._tokens = 0.0
        self._stamp = time.monotonic()
        self.set_rate(rate_bps)

    def set_rate(self, rate_bps: int | None) -> None:
        self._refill()
        self._rate = None if rate_bps is None else rate_bps / 8.0
        if self._rate is not None:
            self._capacity = max(float(MIN_SLICE_BYTES), self._rate * self._burst_s)
            self._tokens = min(self._tokens, self._capacity)

    @property
    def slice_bytes(self) -> int:
        """Largest piece to pass at once: about ``SLICE_SECONDS`` of traffic."""
        if self._rate is None:
            return UNSHAPED_SLICE_BYTES
        return max(MIN_SLICE_BYTES, int(self._rate * SLICE_SECONDS))

    def _refill(self) -> None:
        now = time.monotonic()
        if self._rate is not None:
            self._tokens = min(self._capacity, self._tokens + (now - self._stamp) * self._rate)
        self._stamp = now

    async def consume(self, n_bytes: int) -> None:
        if self._rate is None:
            return
        self._refill()
        self._tokens -= n_bytes
        if self._tokens < 0:
            await asyncio.sleep(-self._tokens / self._rate)
