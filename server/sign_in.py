"""Signing in with a password: throttled, and never stalling anyone else.

Used by the API's sign-in (routes/auth.py) and the console's. For each
attempt:

1. a short transaction reads whether the account (the username as typed) or
   the client's address is locked, and the stored hash; a locked subject is
   answered 429 with Retry-After and no password is checked at all;
2. the Argon2 verify runs *outside any transaction* (it takes tens of
   milliseconds and 64 MiB: inside BEGIN IMMEDIATE it held SQLite's write
   lock, so a flood of wrong sign-ins stalled every push), at most
   :data:`HASH_CONCURRENCY` at once in this process; more than
   :data:`MAX_WAITING` attempts waiting is answered 503 busy with Retry-After;
3. a second short transaction counts a failure (per account and per
   address; the limit reached sets ``locked_until``) or clears the
   account's count after a success.

The counters are rows of ``sign_in_throttle`` in the server's database, so
every worker of ``run --workers N`` (and a second instance on the same
PostgreSQL) counts together. Attempts refused by a lock are not counted:
nothing was guessed. A success clears the account's count, never the
address's (one officer's good password must not reset a sprayer's count).

An admin lifts a lock with :func:`unlock_officer` / :func:`unlock_address`.
Every attempt is passed to :data:`attempt_hooks` (the audit log's hook).
"""

from __future__ import annotations

import asyncio
import base64
import hmac
import ipaddress
import os
import sys
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

import anyio
import anyio.to_thread
from argon2 import PasswordHasher, extract_parameters
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.low_level import core, ffi, lib
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from desktop_app.models.types import format_utc, utc_now
from desktop_app.protocol import ErrorCode

from . import errors
from .db import Database
from .tables import Officer, SignInThrottle


@dataclass(frozen=True, slots=True)
class Limits:
    """Failures allowed within ``window_seconds`` before a lock of ``lock_seconds``."""

    account_failures: int = 10
    address_failures: int = 50
    window_seconds: int = 15 * 60
    lock_seconds: int = 15 * 60


DEFAULT_LIMITS = Limits()
#: ``TAPIS_SIGN_IN_LIMITS``: other limits for a server, e.g.
#: ``account_failures=5,address_failures=100`` (fields of :class:`Limits`).
LIMITS_ENV = "TAPIS_SIGN_IN_LIMITS"


def limits_from(text: str | None) -> Limits:
    """:class:`Limits` from ``name=value,...`` (unnamed fields keep their default)."""
    if not text:
        return DEFAULT_LIMITS
    values: dict[str, int] = {}
    for part in text.split(","):
        name, _, value = part.partition("=")
        if name.strip() not in Limits.__dataclass_fields__ or not value.strip().isdigit() \
                or int(value) < 1:
            raise ValueError(f"{LIMITS_ENV}: '{part}' is not one of "
                             f"{', '.join(Limits.__dataclass_fields__)} = a positive integer")
        values[name.strip()] = int(value)
    return Limits(**values)


#: The limits in force (read at every attempt).
LIMITS = limits_from(os.environ.get(LIMITS_ENV))
#: Argon2 verifications at once in this process: each takes 64 MiB and a core.
HASH_CONCURRENCY = max(1, min(2, (os.cpu_count() or 2) // 2))
#: Attempts waiting for a verification slot beyond which the answer is 503.
MAX_WAITING = 32
#: Seconds a busy answer asks the client to wait.
BUSY_RETRY_SECONDS = 2
#: ``TAPIS_TRUSTED_PROXIES``: comma-separated addresses of reverse proxies
#: whose X-Forwarded-For is believed (none by default: the socket's peer).
TRUSTED_PROXIES_ENV = "TAPIS_TRUSTED_PROXIES"

ACCOUNT, ADDRESS = "account", "address"
T = TypeVar("T")

_hasher = PasswordHasher()
#: Verifying against this keeps a wrong username as slow as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")
#: Niceness added to the threads that run Argon2 (Linux; per thread, the rest
#: of the process keeps its own): under a flood of wrong sign-ins the hashing
#: takes what the cores leave, and the officers' pushes and pulls go first
#: (benchmarks/login_flood.py: their rounds 2.1-2.6x slower during a flood on
#: PostgreSQL with the hashing at the server's own priority).
HASH_NICENESS = 10
_pool_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_pool_pid = 0
_waiting_lock = threading.Lock()
_waiting = 0
#: Database steps of sign-ins (and challenges) running at once per process:
#: a flood of sign-ins waits for these instead of taking the shared thread
#: pool that serves pushes and pulls.
DB_STEPS = 3
FORGET_EVERY = 100
_failures_counted = 0
_loop_steps: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter] = \
    weakref.WeakKeyDictionary()


@dataclass(frozen=True, slots=True)
class Attempt:
    """One sign-in attempt, as the audit log records it (no password, ever)."""

    username: str
    client_address: str
    device_id: str | None
    outcome: str  # 'ok' | 'wrong_password' | 'locked' | 'busy'
    officer_id: str | None
    at: datetime


#: Called with every :class:`Attempt` (server.audit hooks in here).
attempt_hooks: list[Callable[[Attempt], None]] = []


# --- the client's address ------------------------------------------------------


def client_address(peer: str | None, forwarded_for: str | None,
                   trusted: frozenset[str] | None = None) -> str:
    """The address to count failures against: the socket's peer, unless that
    peer is a trusted proxy, then the nearest untrusted X-Forwarded-For hop."""
    trusted = trusted_proxies() if trusted is None else trusted
    address = peer or "unknown"
    if address in trusted and forwarded_for:
        for hop in reversed([h.strip() for h in forwarded_for.split(",")]):
            if hop and hop not in trusted:
                address = hop
                break
    try:
        return str(ipaddress.ip_address(address))[:64]
    except ValueError:
        return address[:64]


def trusted_proxies() -> frozenset[str]:
    raw = os.environ.get(TRUSTED_PROXIES_ENV, "")
    return frozenset(a.strip() for a in raw.split(",") if a.strip())


# --- the password check -----------------------------------------------------------


Check = Callable[[Session], object]


def sign_in_with_password(db: Database, *, username: str, password: str, client_address: str,
                          device_id: str | None = None, check: Check | None = None) -> Officer:
    """The officer whose password this is, or a refusal (401 wrong, 429
    locked, 503 busy). Synchronous: the Argon2 slot is waited for on this
    thread (the console's routes; the API uses :func:`sign_in_with_password_async`).

    ``check`` runs in the first transaction, before the password (the API's
    device proof: no hash is spent on a bad proof); what it writes is
    committed even when it raises its refusal; a lock is answered first."""
    stored, officer = _before(db, username, client_address, device_id, check)
    _enter_queue(username, client_address, device_id)
    try:
        good = _verify_in_slot(stored, password)
    finally:
        _leave_queue()
    return _after(db, username, client_address, device_id, officer, good)


async def sign_in_with_password_async(db: Database, *, username: str, password: str,
                                      client_address: str, device_id: str | None = None,
                                      check: Check | None = None) -> Officer:
    """The same, for an async route: waiting for a verification slot holds no
    worker thread, so a flood of sign-ins cannot starve the thread pool that
    serves pushes and pulls."""
    stored, officer = await run_step(_before, db, username, client_address, device_id, check)
    _enter_queue(username, client_address, device_id)
    try:
        # The hashing pool's HASH_CONCURRENCY threads are the slots; the rest wait in its queue.
        good = await asyncio.get_running_loop().run_in_executor(_hashing(), _verify,
                                                                stored, password)
    finally:
        _leave_queue()
    return await run_step(_after, db, username, client_address, device_id, officer, good)


async def run_step(func: Callable[..., T], *args: object) -> T:
    """Run a sign-in's database step on a worker thread, at most :data:`DB_STEPS`
    at once in this process (the API's sign-in, challenge and audit steps)."""
    loop = asyncio.get_running_loop()
    limiter = _loop_steps.get(loop)
    if limiter is None:
        limiter = _loop_steps[loop] = anyio.CapacityLimiter(DB_STEPS)
    return await anyio.to_thread.run_sync(func, *args, limiter=limiter)


def _enter_queue(username: str, address: str, device_id: str | None) -> None:
    global _waiting
    with _waiting_lock:
        if _waiting >= MAX_WAITING:
            _record(username, address, device_id, "busy", None)
            raise busy()
        _waiting += 1


def _leave_queue() -> None:
    global _waiting
    with _waiting_lock:
        _waiting -= 1


def verify_password(stored: str | None, password: str) -> bool:
    """Argon2 check in one of the process's slots (the thread waits for one).
    Call it outside any transaction; ``stored`` None checks a dummy hash, so an
    unknown username takes as long as a wrong password."""
    return _verify_in_slot(stored, password)


def _verify_in_slot(stored: str | None, password: str) -> bool:
    return _hashing().submit(_verify, stored, password).result()


def _hashing() -> ThreadPoolExecutor:
    """The process's :data:`HASH_CONCURRENCY` hashing threads (made in the
    process that uses them: a pool inherited through a fork has no threads)."""
    global _pool, _pool_pid
    with _pool_lock:
        if _pool is None or _pool_pid != os.getpid():
            _pool = ThreadPoolExecutor(HASH_CONCURRENCY, thread_name_prefix="argon2",
                                       initializer=_lower_priority)
            _pool_pid = os.getpid()
        return _pool


def _lower_priority() -> None:
    """This thread (a hashing one) yields the cores to the rest of the server."""
    if not sys.platform.startswith("linux"):
        return  # elsewhere the call would lower the whole process
    try:
        thread = threading.get_native_id()
        now = os.getpriority(os.PRIO_PROCESS, thread)
        os.setpriority(os.PRIO_PROCESS, thread, min(19, now + HASH_NICENESS))
    except OSError:
        pass  # not allowed here: the hashing keeps the process's priority


def _verify(stored: str | None, password: str) -> bool:
    try:
        return _verify_one_thread(stored or _DUMMY_HASH, password) and stored is not None
    except (VerificationError, InvalidHashError, ValueError):
        return False


def _verify_one_thread(encoded: str, password: str) -> bool:
    """Argon2 verification on one thread. libargon2's own verify runs one thread
    per lane (4 for our hashes), so a single check took every core of a small
    server; lanes and threads are independent in Argon2 (the result is the
    same), so the hash is recomputed here with ``threads=1``: one slot costs
    one core at most, and the rest of the server keeps the others."""
    params = extract_parameters(encoded)
    salt_b64, digest_b64 = encoded.rsplit("$", 2)[1:]
    salt, digest = _unb64(salt_b64), _unb64(digest_b64)
    pwd = password.encode()
    out = ffi.new("uint8_t[]", len(digest))
    context = ffi.new("argon2_context *", {
        "out": out, "outlen": len(digest), "pwd": ffi.from_buffer(pwd), "pwdlen": len(pwd),
        "salt": ffi.from_buffer(salt), "saltlen": len(salt), "secret": ffi.NULL,
        "secretlen": 0, "ad": ffi.NULL, "adlen": 0, "t_cost": params.time_cost,
        "m_cost": params.memory_cost, "lanes": params.parallelism, "threads": 1,
        "version": params.version, "allocate_cbk": ffi.NULL, "free_cbk": ffi.NULL,
        "flags": lib.ARGON2_DEFAULT_FLAGS})
    if core(context, params.type.value) != lib.ARGON2_OK:
        raise VerificationError("argon2 failed")
    return hmac.compare_digest(bytes(ffi.buffer(out, len(digest))), digest)


def _unb64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def _before(db: Database, username: str, address: str, device_id: str | None,
            check: Check | None = None) -> tuple[str | None, Officer | None]:
    """Refuse a locked account or address; run ``check``; the stored hash otherwise."""
    now = utc_now()
    refusal: errors.ApiError | None = None
    officer = None
    with db.session() as session:
        until = _locks(session, username, address, now)
        if check is not None:  # even when locked: a nonce is used up by any attempt
            try:
                check(session)
            except errors.ApiError as exc:
                refusal = exc  # raised once what the check wrote is committed
        if not until and refusal is None:
            officer = session.scalar(select(Officer).where(Officer.username == username))
    if refusal is not None and not until:
        raise refusal
    if until:
        _record(username, address, device_id, "locked", None)
        scope = ACCOUNT if ACCOUNT in until else ADDRESS
        raise locked(scope, max(until.values()) - now)
    if officer is None:
        return None, None
    # A deactivated account's right password is still checked, so that the
    # sign-in can say in words that the office deactivated it (server.account_state).
    return officer.password_hash, officer


def _locks(session: Session, username: str | None, address: str,
           now: datetime) -> dict[str, datetime]:
    """The locks in force on the account and the address, by scope."""
    subjects = (SignInThrottle.scope == ADDRESS) & (SignInThrottle.subject == address)
    if username is not None:
        subjects = subjects | ((SignInThrottle.scope == ACCOUNT)
                               & (SignInThrottle.subject == username))
    locks = session.execute(select(SignInThrottle.scope, SignInThrottle.locked_until)
                            .where(subjects)).all()
    return {scope: until for scope, until in locks if until is not None and until > now}


def refuse_locked_address(session: Session, address: str) -> None:
    """429 when the address is locked (the challenge route: a locked guesser
    gets no nonce, so its attempts cost the server one read)."""
    now = utc_now()
    until = _locks(session, None, address, now)
    if until:
        raise locked(ADDRESS, until[ADDRESS] - now)


def _after(db: Database, username: str, address: str, device_id: str | None,
           officer: Officer | None, good: bool) -> Officer:
    if good and officer is not None:
        with db.session() as session:
            session.execute(delete(SignInThrottle).where(SignInThrottle.scope == ACCOUNT,
                                                         SignInThrottle.subject == username))
        _record(username, address, device_id, "ok", officer.id)
        return officer
    with db.session() as session:
        count_failure(session, username, address)
    _maybe_forget_old_counts(db)
    _record(username, address, device_id, "wrong_password", officer.id if officer else None)
    raise errors.ApiError(401, ErrorCode.UNAUTHENTICATED, "Nama pengguna atau kata sandi salah.",
                          "Wrong username or password.")


def count_failure(session: Session, username: str, address: str) -> None:
    """One more failure for the account and the address, locking either at its limit."""
    limits, now = LIMITS, utc_now()
    window = timedelta(seconds=limits.window_seconds)
    for scope, subject, limit in ((ACCOUNT, username, limits.account_failures),
                                  (ADDRESS, address, limits.address_failures)):
        _ensure_row(session, scope, subject, now)
        row = session.scalar(select(SignInThrottle).where(
            SignInThrottle.scope == scope, SignInThrottle.subject == subject).with_for_update())
        assert row is not None
        if row.window_started_at < now - window or (row.locked_until and row.locked_until <= now):
            row.failures, row.window_started_at, row.locked_until = 0, now, None
        row.failures += 1
        row.last_failure_at = now
        if row.failures >= limit:
            newly = row.locked_until is None or row.locked_until <= now
            row.locked_until = now + timedelta(seconds=limits.lock_seconds)
            if newly:  # the moment a lock begins is in the audit log (later refusals too)
                _record_lockout(session, scope, subject, address, row.failures, row.locked_until)


def _record_lockout(session: Session, scope: str, subject: str, address: str, failures: int,
                    until: datetime) -> None:
    from .audit import Action, record  # the audit log imports nothing of sign-in

    regency = session.scalar(select(Officer.regency_code).where(Officer.username == subject)) \
        if scope == ACCOUNT else None
    record(session, Action.LOCKOUT, actor_label="system:sign-in-throttle", outcome="refused",
           target_type="officer" if scope == ACCOUNT else "address", target_id=subject,
           regency_code=regency, address=address,
           detail={"scope": scope, "failures": failures, "until": format_utc(until)})


def _maybe_forget_old_counts(db: Database) -> None:
    """Every :data:`FORGET_EVERY` failures counted here, delete the counts that
    no longer matter (their window over, no lock left), in a transaction of
    their own: the table stays as small as the recent guessing."""
    global _failures_counted
    with _waiting_lock:
        _failures_counted += 1
        due = _failures_counted % FORGET_EVERY == 0
    if not due:
        return
    now = utc_now()
    try:
        with db.session() as session:
            session.execute(delete(SignInThrottle).where(
                SignInThrottle.last_failure_at < now - timedelta(seconds=LIMITS.window_seconds),
                (SignInThrottle.locked_until.is_(None)) | (SignInThrottle.locked_until < now)))
    except DBAPIError:  # another worker is at it (a deadlock victim): next time
        pass


def _ensure_row(session: Session, scope: str, subject: str, now: datetime) -> None:
    """The counter row exists (a concurrent first failure from another worker is fine)."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(dialect.insert(SignInThrottle).values(
        scope=scope, subject=subject, failures=0, window_started_at=now, last_failure_at=now,
        locked_until=None).on_conflict_do_nothing())


# --- unlocking ----------------------------------------------------------------------


def unlock_officer(session: Session, username: str) -> bool:
    """An admin lifts an account's lock and count; True when there was one."""
    return _unlock(session, ACCOUNT, username)


def unlock_address(session: Session, address: str) -> bool:
    """An admin lifts a client address's lock and count; True when there was one."""
    return _unlock(session, ADDRESS, address)


def _unlock(session: Session, scope: str, subject: str) -> bool:
    result = session.execute(delete(SignInThrottle).where(SignInThrottle.scope == scope,
                                                          SignInThrottle.subject == subject))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def locked_subjects(session: Session) -> list[SignInThrottle]:
    """Accounts and addresses locked now (for an admin's listing)."""
    return list(session.scalars(select(SignInThrottle).where(
        SignInThrottle.locked_until > utc_now()).order_by(SignInThrottle.scope,
                                                          SignInThrottle.subject)))


# --- refusals -----------------------------------------------------------------------


def locked(scope: str, left: timedelta) -> errors.ApiError:
    seconds = max(1, int(left.total_seconds() + 0.999))
    minutes = max(1, (seconds + 59) // 60)
    if scope == ACCOUNT:
        what_id, what_en = "untuk akun ini", "for this account"
    else:
        what_id, what_en = "dari alamat jaringan ini", "from this network address"
    return errors.ApiError(
        429, ErrorCode.TOO_MANY_ATTEMPTS,
        f"Terlalu banyak percobaan masuk yang salah {what_id}. Coba lagi dalam {minutes} "
        "menit, atau minta admin membuka kuncinya.",
        f"Too many wrong sign-in attempts {what_en}. Try again in {minutes} minutes, or ask "
        "an admin to unlock it.",
        {"retry_after": seconds, "scope": scope}, headers={"Retry-After": str(seconds)})


def busy() -> errors.ApiError:
    return errors.ApiError(
        503, ErrorCode.TOO_MANY_ATTEMPTS,
        "Server sedang sibuk memeriksa banyak percobaan masuk. Coba lagi sebentar lagi.",
        "The server is busy checking many sign-in attempts. Try again in a moment.",
        {"retry_after": BUSY_RETRY_SECONDS}, headers={"Retry-After": str(BUSY_RETRY_SECONDS)})


def _record(username: str, address: str, device_id: str | None, outcome: str,
            officer_id: str | None) -> None:
    attempt = Attempt(username, address, device_id, outcome, officer_id, utc_now())
    for hook in attempt_hooks:
        hook(attempt)
