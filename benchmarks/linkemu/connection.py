"""One proxied connection: two directions, each shaped, delayed, counted and cuttable."""

from __future__ import annotations

import asyncio
import socket
import struct
import time
from dataclasses import dataclass, field

from .policy import Direction
from .shaping import TokenBucket
from .stats import LinkStats

# Slices waiting for their latency to elapse, per direction. Bounds memory;
# at 10 ms slices it holds several seconds of traffic, more than any RTT.
DELAY_QUEUE_SLICES = 1024
FLUSH_BEFORE_CUT_S = 1.0


@dataclass
class LinkShared:
    """What every connection reads from the link: shared buckets, current latency."""

    buckets: dict[str, TokenBucket]
    stats: LinkStats
    delay_s: float = 0.0
    #: Cleared while the link is silent (LinkEmulator.go_silent): no byte is
    #: delivered either way, nothing is reset.
    flowing: asyncio.Event = field(default_factory=asyncio.Event)

    def __post_init__(self) -> None:
        self.flowing.set()


def reset_transport(transport: asyncio.BaseTransport) -> None:
    """Close abruptly: SO_LINGER 0 makes the close send RST instead of FIN."""
    sock = transport.get_extra_info("socket")
    if sock is not None:
        try:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
    assert isinstance(transport, asyncio.WriteTransport)
    transport.abort()


def reset_writer(writer: asyncio.StreamWriter) -> None:
    reset_transport(writer.transport)


class Connection:
    """Pumps bytes both ways until both sides finish, a side resets, or a cut."""

    def __init__(self, cid: int, client: tuple[asyncio.StreamReader, asyncio.StreamWriter],
                 server: tuple[asyncio.StreamReader, asyncio.StreamWriter], link: LinkShared,
                 budget: int | None, budget_direction: Direction) -> None:
        self.cid = cid
        self._client_reader, self._client_writer = client
        self._server_reader, self._server_writer = server
        self._link = link
        self.budget = budget
        self._budget_direction = budget_direction
        self.delivered: dict[str, int] = {"up": 0, "down": 0}
        self.closed = False
        self._cutting = False
        self._tasks: list[asyncio.Task[None]] = []

    async def run(self) -> None:
        up: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue(DELAY_QUEUE_SLICES)
        down: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue(DELAY_QUEUE_SLICES)
        self._tasks = [
            asyncio.create_task(self._shape("up", self._client_reader, up)),
            asyncio.create_task(self._deliver("up", up, self._server_writer)),
            asyncio.create_task(self._shape("down", self._server_reader, down)),
            asyncio.create_task(self._deliver("down", down, self._client_writer)),
        ]
        try:
            done, _ = await asyncio.wait(self._tasks, return_when=asyncio.FIRST_EXCEPTION)
            failed = any(not t.cancelled() and t.exception() is not None for t in done)
            if failed:
                self.abort(None)  # one side reset or broke: reset the other too
        finally:
            for task in self._tasks:
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            if not self.closed:
                self.closed = True
                for writer in (self._client_writer, self._server_writer):
                    writer.close()

    def abort(self, reason: str | None) -> None:
        """Reset both sockets now; ``reason`` names the stats counter (None: not a cut)."""
        if self.closed:
            return
        self.closed = True
        if reason is not None:
            self._link.stats.add(**{f"cuts_by_{reason}": 1})
        for writer in (self._client_writer, self._server_writer):
            reset_writer(writer)
        current = asyncio.current_task()
        for task in self._tasks:
            if task is not current:
                task.cancel()

    async def _shape(self, direction: str, reader: asyncio.StreamReader,
                     queue: asyncio.Queue[tuple[float, bytes]]) -> None:
        bucket = self._link.buckets[direction]
        while True:
            data = await reader.read(bucket.slice_bytes)
            if not data:
                await queue.put((0.0, b""))
                return
            await bucket.consume(len(data))
            await queue.put((time.monotonic() + self._link.delay_s, data))

    def _remaining(self, direction: str) -> int | None:
        if self.budget is None or self._budget_direction not in (direction, "both"):
            return None
        if self._budget_direction == "both":
            used = self.delivered["up"] + self.delivered["down"]
        else:
            used = self.delivered[direction]
        return self.budget - used

    def _write(self, direction: str, writer: asyncio.StreamWriter, data: bytes) -> None:
        # Count first: the peer may read the bytes before this thread runs again.
        self.delivered[direction] += len(data)
        self._link.stats.add(**{f"bytes_{direction}": len(data)})
        writer.write(data)

    async def _deliver(self, direction: str, queue: asyncio.Queue[tuple[float, bytes]],
                       writer: asyncio.StreamWriter) -> None:
        while True:
            due, data = await queue.get()
            if not data:
                if writer.can_write_eof():
                    writer.write_eof()
                return
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if not self._link.flowing.is_set():
                await self._link.flowing.wait()
            if self._cutting:
                return
            remaining = self._remaining(direction)
            if remaining is not None and len(data) >= remaining:
                self._cutting = True
                self._write(direction, writer, data[:remaining])
                await _flush(writer)
                self.abort("bytes")
                return
            self._write(direction, writer, data)
            await writer.drain()


async def _flush(writer: asyncio.StreamWriter) -> None:
    """Let written bytes leave the proxy before a cut, so exactly N arrive."""
    deadline = time.monotonic() + FLUSH_BEFORE_CUT_S
    while writer.transport.get_write_buffer_size() > 0 and time.monotonic() < deadline:
        await asyncio.sleep(0.002)
    await asyncio.sleep(0.005)
