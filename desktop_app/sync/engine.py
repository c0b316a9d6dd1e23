"""One sync: push what waits, then pull what others changed.

No Qt here: progress goes to a callback (the GUI's worker turns it into a
signal) and a ``cancelled`` callable is checked between requests, so a sync
stops at a safe point. Every step is resumable: a cut link leaves entries
pending or a scope's cursor where it was, and the next sync goes on from
there.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any
from dataclasses import dataclass, field

from ..store import inbox, outbox
from ..store.store import Store
from . import assignments, attachments, device_signing, relay
from .. import protocol as p
from .client import Offline, ServerRefused, SyncClient, SyncError


@dataclass(frozen=True, slots=True)
class Progress:
    phase: str  # push|pull
    done: int
    total: int
    bytes_sent: int
    bytes_received: int


@dataclass
class SyncSummary:
    pushed: int = 0
    duplicates: int = 0
    conflicts: int = 0
    parked: list[str] = field(default_factory=list)
    pulled: int = 0
    reference_rows: int = 0
    refetched_scopes: list[str] = field(default_factory=list)
    cut_requests: int = 0
    pending_left: int = 0
    parked_total: int = 0
    requests: int = 0
    bytes_sent: int = 0
    bytes_received: int = 0
    bundles_forwarded: int = 0
    #: Pulled changes this laptop could not apply (store/inbox.py), this sync.
    set_aside: int = 0
    assignments: int | None = None  # the officer's open assignments now (None: not offered)


class Cancelled(SyncError):
    reason = "cancelled"

    def __init__(self) -> None:
        super().__init__("Sinkronisasi dibatalkan; lanjutkan kapan saja.",
                         "Sync cancelled; it resumes next time.")


ProgressFn = Callable[[Progress], None]

#: Consecutive failed requests before giving up until the next sync: a link
#: that lets no connection through or stalls, or requests cut at the
#: smallest size.
#: A request cut at a larger size is not counted: it is sent again smaller
#: (urllib3 no longer resends it as it is, so counting those would end a
#: sync on a cutting link after fewer tries than before).
MAX_FAILURES = 8


class AdaptiveSize:
    """A request size that learns what the link lets through.

    It keeps the sizes of the last :attr:`RECENT_CUTS` requests the link cut;
    the smallest of them is the *ceiling*. A request that gets through grows
    the size: doubling while no cut is known (a good link reaches large
    requests in a few round trips), then by a quarter of the ceiling at a
    time up to seven eighths of it, never to the ceiling itself. So a link
    that drops every 10-20 KB settles just below what it carries, instead of
    doubling straight back to a size that cannot pass (issue 17: 1,218 of
    2,689 changes in 420 s before), and one lucky request at a larger size
    does not lift it (the ceiling is the smallest recent cut, not the last).
    A cut request halves the size, or takes an eighth off if the link has
    carried that size since (cut by the link's drop more than by its size).
    The memory fades: after :attr:`FORGET_AFTER` requests in a row get
    through, the smallest cut is forgotten, so a link that got better is
    probed again, slowly (sync-link model in tests/sync/test_sync_link.py:
    1.47x -> 1.32x the bytes of an uncut link at 10-20 KB a connection)."""

    #: Cut sizes remembered; the smallest is the ceiling.
    RECENT_CUTS = 3
    #: Requests through in a row before the smallest remembered cut is forgotten.
    FORGET_AFTER = 16

    def __init__(self, value: int, minimum: int, start: int | None = None) -> None:
        self.maximum = value
        self.minimum = min(minimum, value)
        #: ``start``: begin below the largest size and double from there.
        self.value = value if start is None else max(self.minimum, min(start, value))
        self.cuts: deque[int] = deque(maxlen=self.RECENT_CUTS)
        #: The largest size that got through since the last cut at or below
        #: it (None: none yet).
        self.good: int | None = None
        self.passed = 0

    @property
    def ceiling(self) -> int | None:
        """The smallest size recently cut (None: no cut remembered)."""
        return min(self.cuts) if self.cuts else None

    def shrink(self, failed: int | None = None) -> None:
        """A request of ``failed`` (default: the current size) was cut."""
        failed = self.value if failed is None else failed
        self.passed = 0
        self.cuts.append(max(self.minimum, failed))
        if self.good is not None and failed <= self.good:
            self.good = self.value = max(self.minimum, min(self.value, failed) * 7 // 8)
            return
        self.value = max(self.minimum, min(self.value, failed) // 2)

    def grow(self) -> None:
        """A request got through."""
        self.good = max(self.good or 0, self.value)
        self.passed += 1
        if self.cuts and self.passed >= self.FORGET_AFTER:
            self.passed = 0
            self.cuts.remove(min(self.cuts))
        ceiling = self.ceiling
        if ceiling is None:
            self.value = min(self.maximum, self.value * 2)
            return
        below = ceiling * 7 // 8
        grown = min(self.value + max(1, ceiling // 4), below)
        self.value = max(self.minimum, min(self.maximum, max(self.value, grown)))


PULL_SCOPES = (p.Scope.REGENCY, p.Scope.OWN)
#: Most changes asked for in one pull page (the server's own cap).
PULL_PAGE_MAX = 1000
#: Seconds a pull page should take on the link as last measured. Fewer,
#: larger pages save round trips; pages of a few seconds keep the stall
#: window (20 s without a byte) far away and the answer well inside a
#: kept-alive connection's life, even behind a proxy that keeps it only a
#: few seconds (the server's own keep-alive is 75 s).
PULL_PAGE_SECONDS = 3.5
#: Push requests in flight at once: the next batches go up while the server
#: applies the last. Entries stay pending until their answer, so a cut or a
#: crash with batches out sends them again (the server settles each
#: (device, seq) once). Three, not two: with two, the link idles for a round
#: trip and the server's apply time after each answer (the next batch leaves
#: only when an answer frees a place); with three it stays busy (sync-push:
#: 1.28x -> 0.86x of the floor at 256 kbit/s / 300 ms, 3,000 surveys).
PUSH_WINDOW = 3
#: The first push batches of a sync are this large (JSON; about 8 KB on the
#: wire), the size doubling with each answer up to the batch size: a link
#: that cuts connections after 10-20 KB then cuts none of the first window
#: instead of all three 256 KB batches and the two 128 KB after them (about
#: 2 s of a 256 kbit/s link, tests/sync/test_sync_link.py); a good link
#: reaches full batches within the first few answers.
PUSH_START_BYTES = 64 * 1024


class SyncEngine:
    def __init__(self, store: Store, client: SyncClient, *, batch_bytes: int = outbox.DEFAULT_BATCH_BYTES,
                 on_progress: ProgressFn | None = None,
                 cancelled: Callable[[], bool] = lambda: False,
                 push_window: int = PUSH_WINDOW) -> None:
        self.store = store
        self.client = client
        self.push_window = max(1, push_window)
        self.push_size = AdaptiveSize(batch_bytes, minimum=2 * 1024, start=PUSH_START_BYTES)
        self.page_size = AdaptiveSize(PULL_PAGE_MAX, minimum=10)
        #: Changes the link carries in PULL_PAGE_SECONDS, from the last page.
        self.page_fit = PULL_PAGE_MAX
        self.chunk_size = AdaptiveSize(attachments.DEFAULT_CHUNK_BYTES,
                                       minimum=attachments.MIN_CHUNK_BYTES)
        self.failures = 0
        self.on_progress = on_progress or (lambda _progress: None)
        self.cancelled = cancelled
        self.summary = SyncSummary()

    def run(self) -> SyncSummary:
        """Push everything pending, then pull every scope; the summary says
        what is left."""
        whole = AdaptiveSize(1, 1)  # requests that are not cut smaller: retried as they are
        # Once per laptop: the public key its sync bundles are signed with.
        self._resilient(whole, lambda _size: device_signing.register_if_needed(self.store,
                                                                               self.client))
        self.push_all()
        # Bundles an office imported from laptops without signal (sync/relay.py).
        relayed = relay.forward_all(self.store, self.client,
                                    resilient=lambda call: self._resilient(whole, call))
        self.summary.bundles_forwarded = relayed.forwarded
        # Photo bytes after their rows (the server takes bytes only for pushed rows).
        self.uploads = attachments.upload_all(
            self.store, self.client, check=self._check_cancel,
            progress=lambda done, total: self._progress("upload", done, total),
            resilient=lambda call: self._resilient(self.chunk_size, call))
        self.pull_all()
        self._resilient(whole, lambda _size: report_set_aside(self.store, self.client))
        # The visits the office gave to this officer (Home's cards).
        self.summary.assignments = self._resilient(
            whole, lambda _size: assignments.pull(self.store, self.client))
        left = outbox.counts(self.store)
        self.summary.pending_left, self.summary.parked_total = left.pending, left.parked
        self.summary.requests = self.client.requests
        self.summary.bytes_sent = self.client.bytes_sent
        self.summary.bytes_received = self.client.bytes_received
        return self.summary

    def push_all(self) -> None:
        total = outbox.counts(self.store).pending
        if self.push_window > 1 and total:
            self._push_pipelined(total)
            return
        for _attempt in range(total + 10):  # bounded: each round settles or resends a batch
            if not self._resilient(self.push_size, self._push_next):
                return
            self._progress("push", self.summary.pushed + self.summary.duplicates, total)
        raise SyncError("Pengiriman tidak selesai; coba lagi.", "The push did not finish; try again.")

    def _push_pipelined(self, total: int) -> None:
        """Up to ``push_window`` batches in flight, answered in order. Only
        this thread touches the store; the pool's threads only wait on HTTP.
        A cut or a refusal stops sending, waits for the batches still out
        (their answers are recorded), and goes on from what is still pending."""
        http = getattr(self.client, "http", None)
        if http is not None:  # lets batch n+1 wait at the server for batch n
            http.headers[p.PIPELINE_HEADER] = "1"
        in_flight: deque[tuple[list[outbox.Outgoing], Future[p.PushResponse]]] = deque()
        after = 0  # last seq read for a request of this window
        ready: tuple[list[outbox.Outgoing], p.PushRequest] | None = None

        read_at: dict[int, int] = {}  # first seq of a batch -> the size it was read at

        def read_next() -> tuple[list[outbox.Outgoing], p.PushRequest] | None:
            nonlocal after
            batch = outbox.next_batch(self.store, max_bytes=self.push_size.value, after=after)
            if not batch:
                return None
            after = batch[-1].seq
            read_at[batch[0].seq] = self.push_size.value
            return batch, self._push_request(batch)

        with ThreadPoolExecutor(max_workers=self.push_window,
                                thread_name_prefix="sync-push") as pool:
            try:
                for _round in range(2 * total + 20):  # bounded: each round settles or resends a batch
                    self._check_cancel()
                    while len(in_flight) < self._window():
                        ready = ready or read_next()
                        if ready is None:
                            break
                        in_flight.append((ready[0], pool.submit(self.client.push, ready[1])))
                        ready = None
                    if not in_flight:
                        return
                    # The next request is read and built while the window is out,
                    # so it leaves the moment an answer frees a place.
                    ready = ready or read_next()
                    batch, answer = in_flight.popleft()
                    try:
                        response = answer.result()
                    except Offline as exc:
                        size = read_at.get(batch[0].seq, self.push_size.value)
                        self._count_failure(exc, self.push_size, size)
                        carried = self.push_size.good is not None and size <= self.push_size.good
                        self.push_size.shrink(size)
                        if self.failures > MAX_FAILURES:
                            raise
                        if carried and in_flight:
                            # A size this link carries, cut with the connection: the
                            # batches behind it are on their way or waiting at the
                            # server for it, so it goes again at once, whole, on a new
                            # connection, first in the window (its successor can then
                            # be settled instead of waiting 20 s for a 409).
                            in_flight.appendleft((batch, pool.submit(
                                self.client.push, self._push_request(batch))))
                            continue
                        # A size that may not pass: the batches sent after it would
                        # wait at the server for it (up to 20 s) if it never
                        # arrived: end them now; what the server did apply comes
                        # back as duplicates when sent again (settled once per seq).
                        interrupted = getattr(self.client, "interrupted", None)
                        if in_flight and interrupted is not None:
                            with interrupted():
                                self._drain(in_flight)
                        self._drain(in_flight)
                        after, ready = 0, None
                        continue
                    except ServerRefused as exc:
                        self._drain(in_flight)
                        after, ready = 0, None
                        self._refused(exc, batch)
                        continue
                    if ready is not None and len(in_flight) < self._window():
                        # a place is free: the next batch leaves first
                        in_flight.append((ready[0], pool.submit(self.client.push, ready[1])))
                        ready = None
                    self._settle_push(batch, response)
                    self.failures = 0
                    self.push_size.grow()
                    self._progress("push", self.summary.pushed + self.summary.duplicates, total)
            finally:
                for _batch, answer in in_flight:
                    answer.cancel()
                if http is not None:
                    http.headers.pop(p.PIPELINE_HEADER, None)
        raise SyncError("Pengiriman tidak selesai; coba lagi.", "The push did not finish; try again.")

    def _window(self) -> int:
        """Batches out at once: the window, but at most two while the link is
        known to cut (a cut is remembered): each batch out behind a cut one is
        sent again, so a deep window multiplies what a cut costs (one, with no
        overlap, is slower still: tests/sync/test_sync_link.py)."""
        return min(self.push_window, 2) if self.push_size.ceiling is not None \
            else self.push_window

    def _drain(self, in_flight: deque[tuple[list[outbox.Outgoing], Future[p.PushResponse]]]) -> None:
        """Wait for the batches still out; record the answers that came."""
        while in_flight:
            batch, answer = in_flight.popleft()
            try:
                self._settle_push(batch, answer.result())
            except (Offline, ServerRefused):
                pass  # still pending: sent again from the next batch read

    def _push_next(self, max_bytes: int) -> bool:
        batch = outbox.next_batch(self.store, max_bytes=max_bytes)
        if batch:
            self._push_batch(batch)
        return bool(batch)

    def _resilient(self, size: AdaptiveSize, call: Callable[[int], Any]) -> Any:
        """``call(size)`` until it gets through: a request cut even after
        urllib3's retries is tried again smaller; too many cuts in a row end
        this sync (the next one resumes where this stopped)."""
        while True:
            self._check_cancel()
            try:
                result = call(size.value)
            except Offline as exc:
                self._count_failure(exc, size, size.value)
                size.shrink()
                if self.failures > MAX_FAILURES:
                    raise
                continue
            self.failures = 0
            size.grow()
            return result

    def _count_failure(self, exc: Offline, size: AdaptiveSize, tried: int) -> None:
        """Count a failed request toward :data:`MAX_FAILURES` if shrinking
        cannot help: a dead link (no connection, or stalled), or a request
        cut at the smallest size."""
        self.summary.cut_requests += 1
        if exc.dead or tried <= size.minimum:
            self.failures += 1

    def _push_request(self, batch: list[outbox.Outgoing]) -> p.PushRequest:
        return p.PushRequest(device_id=self.client.device_id, changes=[
            p.Change(seq=o.seq, change_id=o.change_id, txn=o.txn, table=o.table, row_id=o.row_id,
                     op=o.op, fields=o.fields, hlc=o.hlc, officer_id=o.officer_id,  # type: ignore[arg-type]
                     base_seq=o.base_seq) for o in batch])

    def _push_batch(self, batch: list[outbox.Outgoing]) -> None:
        try:
            answer = self.client.push(self._push_request(batch))
        except ServerRefused as exc:
            self._refused(exc, batch)
            return
        self._settle_push(batch, answer)

    def _settle_push(self, batch: list[outbox.Outgoing], answer: p.PushResponse) -> None:
        """Record a push's answer: entries through ``acked_through`` sent,
        the rejected ones parked with the server's words."""
        parked = {r.seq: f"{r.message_id} / {r.message_en}" for r in answer.rejected}
        outbox.acknowledge(self.store, through_seq=answer.acked_through, parked=parked)
        self.summary.pushed += answer.applied
        self.summary.duplicates += answer.duplicates
        self.summary.conflicts += answer.conflicts
        self.summary.parked += list(parked.values())

    def _refused(self, exc: ServerRefused, batch: list[outbox.Outgoing]) -> None:
        code = exc.body.code
        if code == p.ErrorCode.SEQUENCE_GAP:
            outbox.resend_from(self.store, int(exc.body.detail.get("expected_seq", 1)))
            return
        if exc.status in (401, 403, 426) or code in (p.ErrorCode.UPGRADE_REQUIRED,):
            raise exc  # the queue stays as it is; the officer must act
        # Any other refusal will not get better by sending again: park the
        # batch with the server's words for the officer to see.
        message = f"{exc.body.message_id} / {exc.body.message_en}"
        outbox.acknowledge(self.store, through_seq=0, parked={o.seq: message for o in batch})
        self.summary.parked += [message] * len(batch)

    def pull_all(self) -> None:
        self._pull_reference()
        for scope in PULL_SCOPES:
            self._pull_scope(scope, refetch_allowed=True)

    def _pull_reference(self) -> None:
        """A newer reference set (regions, sectors, …) replaces the local one."""
        cursor = inbox.reference_cursor(self.store)
        page = self._resilient(self.page_size,
                               lambda _limit: self.client.pull(p.Scope.REFERENCE, cursor))
        if page.changes:
            changes = [inbox.Incoming(c.server_seq, c.table, c.row_id, c.op, c.fields, c.hlc)
                       for c in page.changes]
            self.summary.reference_rows += inbox.apply_reference(self.store, changes,
                                                                 page.next_cursor)

    def _pull_scope(self, scope: p.Scope, *, refetch_allowed: bool) -> None:
        """Every page of ``scope`` after its cursor. The next page is fetched
        while the store applies the last (one page ahead, in one worker
        thread): its cursor is the last page's ``next_cursor``, known before
        that page is applied. The scope's cursor moves only with the page
        applied (inbox.apply_page), so a crash or a cut with a page fetched
        but not applied loses it, and the next sync asks for it again: no
        row is skipped or applied twice."""
        cursor = inbox.cursor(self.store, scope.value)
        # 'own' without what 'regency' sends: each change downloaded once.
        exclude = p.Scope.REGENCY if scope == p.Scope.OWN else None

        def fetch(after: int) -> p.PullResponse:
            return self._resilient(self.page_size, lambda limit: self._fetch_page(
                scope, after, min(limit, self.page_fit), exclude))

        pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sync-pull")
        ahead: Future[p.PullResponse] = pool.submit(fetch, cursor)
        try:
            while True:
                page = ahead.result()
                if page.has_more:  # the link works on the next page while the store applies
                    ahead = pool.submit(fetch, page.next_cursor)
                changes = [inbox.Incoming(c.server_seq, c.table, c.row_id, c.op, c.fields, c.hlc)
                           for c in page.changes]
                result = inbox.apply_page(self.store, scope.value, changes, page.next_cursor)
                self.summary.pulled += result.applied
                self.summary.set_aside += result.set_aside
                self._progress("pull", self.summary.pulled,
                               self.summary.pulled + (1 if page.has_more else 0))
                if not page.has_more:
                    break
        finally:
            # A page still out after a failure is dropped (never applied);
            # its request ends by itself within the client's deadline.
            ahead.cancel()
            pool.shutdown(wait=False, cancel_futures=True)
        if page.checksum and inbox.scope_checksum(self.store, scope.value)[0] != page.checksum:
            if refetch_allowed:
                self.summary.refetched_scopes.append(scope.value)
                inbox.reset_scope(self.store, scope.value)
                self._pull_scope(scope, refetch_allowed=False)

    def _fetch_page(self, scope: p.Scope, cursor: int, limit: int,
                    exclude: p.Scope | None) -> p.PullResponse:
        """One page, timed: the next page asks for as many changes as the
        link carried in PULL_PAGE_SECONDS on this one (never more than the
        cut-adapted size, never more than the server's cap)."""
        began = time.monotonic()
        page = self.client.pull(scope, cursor, limit=limit, exclude=exclude)
        seconds = time.monotonic() - began
        if page.changes and seconds > 0:
            fit = int(PULL_PAGE_SECONDS * len(page.changes) / seconds)
            self.page_fit = max(self.page_size.minimum, min(PULL_PAGE_MAX, fit))
        return page

    def _check_cancel(self) -> None:
        if self.cancelled():
            raise Cancelled()

    def _progress(self, phase: str, done: int, total: int) -> None:
        self.on_progress(Progress(phase, done, total, self.client.bytes_sent,
                                  self.client.bytes_received))


def report_set_aside(store: Store, client: SyncClient) -> int:
    """Tell the server of the pulled changes set aside here (500 a request);
    returns how many were reported. A server without the route (an older
    one) is asked again at the next sync."""
    reported = 0
    for _batch in range(100):  # bounded: 50,000 a sync at most
        items = inbox.unreported(store, limit=500)
        if not items:
            break
        try:
            client.report_set_aside([{"change_id": f"{i.scope}:{i.server_seq}",
                                      "entity": f"{i.table}:{i.row_id}"[:80],
                                      "reason": i.reason_en[:500]} for i in items])
        except ServerRefused as exc:
            if exc.status in (401, 403, 426):
                raise
            return reported
        inbox.mark_reported(store, [i.id for i in items])
        reported += len(items)
    return reported
