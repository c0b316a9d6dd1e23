"""LinkEmulator: a loopback TCP proxy with its own asyncio loop in a background thread."""

from __future__ import annotations

import asyncio
import itertools
import random
import threading
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import Literal, TypeVar

from .connection import Connection, LinkShared, reset_transport, reset_writer
from .policy import CutPolicy
from .profiles import LinkProfile, get_profile
from .shaping import TokenBucket
from .stats import LinkStats

LOOPBACK = "127.0.0.1"
OfflineMode = Literal["reset", "blackhole"]
T = TypeVar("T")
CALL_TIMEOUT_S = 10.0
SETTLE_S = 0.02


def _loopback_only(host: str) -> str:
    if host in ("127.0.0.1", "localhost"):
        return LOOPBACK
    raise ValueError(f"linkemu only proxies to 127.0.0.1, not {host!r}")


class LinkEmulator:
    """Proxy 127.0.0.1:``port`` -> ``upstream`` through an emulated bad link.

    ``profile``: a :class:`LinkProfile` or a preset name. ``cut_policy``:
    byte/timer cuts (default none). ``seed`` seeds the ``random.Random`` used
    for random cuts. ``offline_mode``: while offline, new connections are
    either reset at once (``"reset"``) or accepted and left silent until
    the link comes back, then reset (``"blackhole"``, like a dead zone where
    requests just time out). All setters are thread-safe and take effect
    before they return.
    """

    def __init__(self, upstream: tuple[str, int], profile: LinkProfile | str = "perfect", *,
                 cut_policy: CutPolicy | None = None, seed: int | None = 0,
                 listen_port: int = 0, offline_mode: OfflineMode = "reset",
                 connect_timeout_s: float = 5.0) -> None:
        self.upstream = (_loopback_only(upstream[0]), int(upstream[1]))
        self._profile = get_profile(profile) if isinstance(profile, str) else profile
        self._policy = cut_policy or CutPolicy()
        self._rng = random.Random(seed)
        self._listen_port = listen_port
        self._offline_mode: OfflineMode = offline_mode
        self._connect_timeout_s = connect_timeout_s
        self.stats = LinkStats()
        self._shared = LinkShared(
            buckets={"up": TokenBucket(self._profile.up_bps),
                     "down": TokenBucket(self._profile.down_bps)},
            stats=self.stats, delay_s=self._profile.one_way_delay_s)
        self._online = True
        self._port: int | None = None
        self._ids = itertools.count(1)
        self._conns: set[Connection] = set()
        self._handlers: set[asyncio.Task[None]] = set()
        self._accepted: set[asyncio.BaseTransport] = set()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.AbstractServer | None = None
        self._drop_task: asyncio.Task[None] | None = None
        self._drop_period: float | None = None
        self._online_event: asyncio.Event | None = None
        self._closing = False

    # -- public API -------------------------------------------------------

    @property
    def port(self) -> int:
        if self._port is None:
            raise RuntimeError("LinkEmulator is not started")
        return self._port

    @property
    def address(self) -> tuple[str, int]:
        return (LOOPBACK, self.port)

    def url_for(self, path: str = "/") -> str:
        return f"http://{LOOPBACK}:{self.port}/{path.lstrip('/')}"

    @property
    def profile(self) -> LinkProfile:
        return self._profile

    @property
    def cut_policy(self) -> CutPolicy:
        return self._policy

    @property
    def online(self) -> bool:
        return self._online

    def start(self) -> LinkEmulator:
        if self._thread is not None:
            raise RuntimeError("LinkEmulator already started")
        self._closing, self._drop_task, self._drop_period = False, None, None
        self._loop = asyncio.new_event_loop()
        ready = threading.Event()
        errors: list[BaseException] = []
        self._thread = threading.Thread(target=self._run_loop, args=(ready, errors),
                                        name="linkemu", daemon=True)
        self._thread.start()
        if not ready.wait(CALL_TIMEOUT_S):
            raise RuntimeError("linkemu did not start in time")
        if errors:
            self._thread.join(CALL_TIMEOUT_S)
            self._thread = None
            raise errors[0]
        return self

    def stop(self) -> None:
        """Reset every connection, close the listener, end the thread. Idempotent."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        if thread.is_alive():
            try:
                asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(CALL_TIMEOUT_S)
            finally:
                loop.call_soon_threadsafe(loop.stop)
                thread.join(CALL_TIMEOUT_S)
        self._thread = None
        self._port = None

    def __enter__(self) -> LinkEmulator:
        return self.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def set_profile(self, profile: LinkProfile | str) -> None:
        new = get_profile(profile) if isinstance(profile, str) else profile

        def apply() -> None:
            self._profile = new
            self._shared.buckets["up"].set_rate(new.up_bps)
            self._shared.buckets["down"].set_rate(new.down_bps)
            self._shared.delay_s = new.one_way_delay_s
            self._restart_drop_timer()
        self._call(apply)

    def set_cut_policy(self, policy: CutPolicy | None) -> None:
        """Applies to connections opened from now on (the timer applies at once)."""
        def apply() -> None:
            self._policy = policy or CutPolicy()
            self._restart_drop_timer()
        self._call(apply)

    def go_offline(self, mode: OfflineMode | None = None) -> None:
        """Enter a blank spot: reset open connections, turn new ones away."""
        def apply() -> None:
            if mode is not None:
                self._offline_mode = mode
            self._online = False
            if self._online_event is not None:
                self._online_event.clear()
            self._cut_all("offline")
        self._call(apply)

    def go_online(self) -> None:
        def apply() -> None:
            self._online = True
            if self._online_event is not None:
                self._online_event.set()
        self._call(apply)

    def go_silent(self) -> None:
        """Hold the link silent: open connections stay open but deliver no
        byte either way, new ones are accepted and hear nothing (a radio that
        still shows signal but carries nothing). :meth:`go_loud` resumes."""
        self._call(self._shared.flowing.clear)

    def go_loud(self) -> None:
        """End :meth:`go_silent`: what waited is delivered."""
        self._call(self._shared.flowing.set)

    def cut_all(self) -> int:
        """Drop the link now: reset every open connection; returns how many."""
        return self._call(lambda: self._cut_all("drop"))

    # -- loop thread ------------------------------------------------------

    def _call(self, fn: Callable[[], T]) -> T:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None or not thread.is_alive():
            return fn()

        async def run() -> T:
            return fn()
        return asyncio.run_coroutine_threadsafe(run(), loop).result(CALL_TIMEOUT_S)

    def _run_loop(self, ready: threading.Event, errors: list[BaseException]) -> None:
        loop = self._loop
        assert loop is not None
        asyncio.set_event_loop(loop)
        try:
            try:
                loop.run_until_complete(self._startup())
            except BaseException as exc:  # report to start() instead of dying silently
                errors.append(exc)
                return
            finally:
                ready.set()
            loop.run_forever()
        finally:
            pending = [t for t in asyncio.all_tasks(loop) if not t.done()]
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            self._reset_accepted()
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.close()

    async def _startup(self) -> None:
        self._online_event = asyncio.Event()
        if self._online:
            self._online_event.set()
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: _TrackedProtocol(self._handle, self._accepted), LOOPBACK, self._listen_port)
        self._port = self._server.sockets[0].getsockname()[1]
        self._restart_drop_timer()

    async def _shutdown(self) -> None:
        self._closing = True
        if self._drop_task is not None:
            self._drop_task.cancel()
        # Clients the kernel accepted just now are still on their way through
        # asyncio's accept path: keep listening briefly so they reach _handle,
        # which resets them (closing the listener would leave them hanging).
        await asyncio.sleep(SETTLE_S)
        if self._server is not None:
            self._server.close()
        self._cut_all(None)
        for task in list(self._handlers):
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)
        self._reset_accepted()
        if self._server is not None:
            await self._server.wait_closed()

    def _restart_drop_timer(self) -> None:
        if self._loop is None or self._closing:
            return
        period = self._policy.every_s or self._profile.drop_every_s
        if period == self._drop_period and self._drop_task is not None:
            return
        if self._drop_task is not None:
            self._drop_task.cancel()
            self._drop_task = None
        self._drop_period = period
        if period is not None:
            self._drop_task = asyncio.get_running_loop().create_task(self._drop_every(period))

    async def _drop_every(self, period: float) -> None:
        while not self._closing:
            await asyncio.sleep(period)
            self._cut_all("drop")

    def _reset_accepted(self) -> None:
        """Reset client sockets whose handler never ran (accepted just before shutdown)."""
        for transport in list(self._accepted):
            if not transport.is_closing():
                reset_transport(transport)
        self._accepted.clear()

    def _cut_all(self, reason: str | None) -> int:
        conns = [c for c in self._conns if not c.closed]
        for conn in conns:
            conn.abort(reason)
        return len(conns)

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        self.stats.add(connections=1)
        try:
            if self._closing:
                reset_writer(writer)
            elif not self._online:
                await self._turn_away(writer)
            else:
                await self._proxy(reader, writer)
        except asyncio.CancelledError:
            # Only _shutdown cancels handlers; the task is top-level (asyncio
            # would log a cancelled client_connected_cb as an error in 3.11).
            reset_writer(writer)
        finally:
            self._handlers.discard(task)

    async def _turn_away(self, writer: asyncio.StreamWriter) -> None:
        self.stats.add(refused=1)
        try:
            if self._offline_mode == "blackhole" and self._online_event is not None:
                await self._online_event.wait()
        finally:
            reset_writer(writer)

    async def _proxy(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        policy = self._policy
        budget = policy.budget_for_new_connection(self._rng)
        if budget is not None:
            self.stats.record_budget(budget)
        try:
            upstream = await asyncio.wait_for(asyncio.open_connection(*self.upstream),
                                              self._connect_timeout_s)
        except (OSError, asyncio.TimeoutError):
            self.stats.add(upstream_errors=1)
            reset_writer(writer)
            return
        if self._closing:  # 3.11's wait_for can swallow a cancel that races completion
            reset_writer(writer)
            reset_writer(upstream[1])
            return
        conn = Connection(next(self._ids), (reader, writer), upstream, self._shared,
                          budget, policy.direction)
        self._conns.add(conn)
        self.stats.add(active=1)
        try:
            await conn.run()
        finally:
            self._conns.discard(conn)
            self.stats.add(active=-1)
            if not conn.closed:
                conn.abort(None)


class _TrackedProtocol(asyncio.StreamReaderProtocol):
    """start_server's protocol, but remembering every accepted transport until it is lost."""

    def __init__(self, handler: Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]],
                 accepted: set[asyncio.BaseTransport]) -> None:
        super().__init__(asyncio.StreamReader(), handler)
        self._accepted = accepted
        self._tracked: asyncio.BaseTransport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._tracked = transport
        self._accepted.add(transport)
        super().connection_made(transport)

    def connection_lost(self, exc: Exception | None) -> None:
        if self._tracked is not None:
            self._accepted.discard(self._tracked)
        super().connection_lost(exc)
