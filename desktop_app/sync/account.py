"""Officers on this laptop: first sign-in online, then an offline PIN.

A field laptop spends days without signal, so the server cannot be asked
every morning who may work. The first sign-in is online (password checked by
the server, a token issued); the officer then chooses a PIN, kept only as a
salted scrypt hash that costs tens of milliseconds per guess. Five wrong PINs
in a row lock the offline unlock until the next online sign-in. No Qt here:
the GUI calls these functions on its worker threads.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from typing import TYPE_CHECKING, Any

from ..models.errors import TapisError
from ..models.types import parse_utc, utc_now
from ..store import migrate, vault
from ..store.local_tables import OfficerAccount
from ..store.store import Store

if TYPE_CHECKING:  # the HTTP client and the protocol load when the network is used
    from .client import SyncClient

MAX_FAILED_PINS = 5
PIN_LENGTHS = range(6, 13)
#: scrypt cost: 2**15 x 8 x 1 takes ~60 ms and 32 MiB here: slow for a
#: guesser with the file, quick enough for an officer.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
SCRYPT_MAXMEM = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Account:
    """The signed-in officer as the GUI needs it: plain data, thread-safe."""

    officer_id: str
    username: str
    full_name: str
    role: str
    regency_code: str | None
    server_url: str
    has_token: bool

    @property
    def is_supervisor(self) -> bool:
        return self.role in ("supervisor", "admin")


class AccountError(TapisError):
    """Sign-in or unlock refused; both messages say why and what to do."""

    reason = "account_refused"


class PasswordChangeRequired(AccountError):
    """The password was a one-time password (a new account or a reset): the
    sign-in screen asks for a new one and calls :func:`sign_in_with_new_password`."""

    reason = "password_change_required"


#: The server's own rule (server/accounts.py); checked here first so a short
#: password costs no round trip.
MIN_PASSWORD = 10


def new_password_problem(password: str, again: str, old: str, username: str) -> AccountError | None:
    if len(password) < MIN_PASSWORD:
        return AccountError(f"Kata sandi baru minimal {MIN_PASSWORD} karakter.",
                            f"The new password needs at least {MIN_PASSWORD} characters.")
    if password != again:
        return AccountError("Kedua kata sandi baru berbeda. Ketik kata sandi yang sama dua kali.",
                            "The two new passwords differ. Type the same password twice.")
    if password == old:
        return AccountError("Kata sandi baru harus berbeda dari kata sandi sekali pakai.",
                            "The new password must differ from the one-time password.")
    if username and username.lower() in password.lower():
        return AccountError("Kata sandi tidak boleh memuat nama pengguna.",
                            "The password must not contain the username.")
    return None


def pin_problem(pin: str) -> AccountError | None:
    """Why a new PIN is not acceptable, or None."""
    if not pin.isdigit() or len(pin) not in PIN_LENGTHS:
        return AccountError("PIN harus 6 sampai 12 angka. Pilih PIN lain.",
                            "The PIN must be 6 to 12 digits. Choose another PIN.")
    if len(set(pin)) == 1 or pin in "01234567890123" or pin in "98765432109876":
        return AccountError("PIN terlalu mudah ditebak (angka sama atau berurutan). Pilih PIN lain.",
                            "The PIN is too easy to guess (repeated or consecutive digits). "
                            "Choose another PIN.")
    return None


def hash_pin(pin: str) -> str:
    salt = secrets.token_bytes(16)
    digest = _scrypt(pin, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(["scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P),
                     base64.b64encode(salt).decode(), base64.b64encode(digest).decode()])


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p_, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = _scrypt(pin, base64.b64decode(salt), int(n), int(r), int(p_))
    return hmac.compare_digest(candidate, base64.b64decode(digest))


def _scrypt(pin: str, salt: bytes, n: int, r: int, p_: int) -> bytes:
    return hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p_, maxmem=SCRYPT_MAXMEM, dklen=32)


ClientFactory = Callable[[str, str], "SyncClient"]


def _default_client(server_url: str, device_id: str) -> SyncClient:
    from .client import SyncClient

    return SyncClient(server_url, device_id=device_id, schema=migrate.head_revision())


LoginHook = Callable[[Store, Any], None]  # (store, protocol.LoginResponse)
#: Called after every successful online sign-in with the server's answer, so
#: other modules (e.g. bundle keys) can keep what the server sent.
login_hooks: list[LoginHook] = []


def sign_in_online(store: Store, server_url: str, username: str, password: str, pin: str,
                   *, client_factory: ClientFactory = _default_client) -> Account:
    """Check the password with the server and remember the officer here.

    The PIN is checked before the network is used, so a weak PIN costs no
    round trip over a slow link.
    """
    problem = pin_problem(pin)
    if problem is not None:
        raise problem
    client = client_factory(server_url, store.device_id)
    if client.device_key is None:  # this laptop's device key proves it at sign-in
        from .device_signing import device_key

        client.device_key = device_key(store)
    try:
        answer = client.login(username.strip(), password, device_name="tapis-desktop")
    except TapisError as exc:
        code = getattr(getattr(exc, "body", None), "code", None)
        if code == "password_change_required":
            raise PasswordChangeRequired(exc.message_id, exc.message_en) from None
        if code == "account_deactivated":
            mark_deactivated(store, username=username.strip())
        raise
    finally:
        client.close()
    pin_hash = hash_pin(pin)
    officer = answer.officer
    sealed_token = vault.seal_token(store, answer.token, pin)  # never in clear in the file
    with store.write() as session:
        for other in session.scalars(select(OfficerAccount).where(
                OfficerAccount.username == officer.username, OfficerAccount.officer_id != officer.id)):
            session.delete(other)  # the server re-created the account: the old entry is stale
        session.flush()
        row = session.get(OfficerAccount, officer.id)
        if row is None:
            row = OfficerAccount(officer_id=officer.id)
        row.username = officer.username
        row.full_name = officer.full_name
        row.role = officer.role.value if hasattr(officer.role, "value") else str(officer.role)
        row.regency_code = officer.regency_code
        row.pin_hash = pin_hash
        row.server_url = server_url.rstrip("/")
        row.token = sealed_token
        row.token_expires_at = parse_utc(answer.expires_at)
        row.failed_pins = 0
        row.last_signed_in = utc_now()
        row.deactivated_at = None
        session.add(row)
        account = _account(row)
    from .bundle_keys import remember_keys
    from .device_signing import mark_registered

    remember_keys(store, answer)  # the regency's keys for USB bundles come with the sign-in
    vault.remember_token(store, officer.id, answer.token)
    mark_registered(store)  # the sign-in registered (or proved) this laptop's device key
    for hook in login_hooks:
        hook(store, answer)
    store.set_officer(account.officer_id)
    return account


def sign_in_with_new_password(store: Store, server_url: str, username: str, password: str,
                              new_password: str, pin: str,
                              *, client_factory: ClientFactory = _default_client) -> Account:
    """Replace a one-time password on the server, then sign in with the new
    one (the same as :func:`sign_in_online` from there)."""
    problem = pin_problem(pin)
    if problem is not None:
        raise problem
    client = client_factory(server_url, store.device_id)
    try:
        client.change_password(username.strip(), password, new_password)
    finally:
        client.close()
    return sign_in_online(store, server_url, username, new_password, pin,
                          client_factory=client_factory)


def mark_deactivated(store: Store, *, officer_id: str | None = None,
                     username: str | None = None) -> None:
    """The server said the account is deactivated: no more token, no more
    offline unlock. Nothing of the work on this laptop is touched: the
    change log still holds it for the next officer who syncs here."""
    with store.write() as session:
        where = (OfficerAccount.officer_id == officer_id if officer_id
                 else OfficerAccount.username == (username or ""))
        for row in session.scalars(select(OfficerAccount).where(where)):
            row.token = None
            row.deactivated_at = utc_now()
            vault.remember_token(store, row.officer_id, None)


def deactivated_message() -> AccountError:
    return AccountError(
        "Akun ini telah dinonaktifkan oleh kantor. Data yang belum terkirim tetap tersimpan di "
        "laptop ini; petugas lain dari kabupaten yang sama dapat masuk di sini (Masuk pertama "
        "di laptop ini) dan mengirimkannya.",
        "This account has been deactivated by the office. Unsent records stay on this laptop; "
        "another officer of the same regency can sign in here (First sign-in on this laptop) "
        "and send them.", reason="account_deactivated")


def unlock(store: Store, username: str, pin: str) -> Account:
    """Open the laptop offline for an officer who signed in here before."""
    with store.read() as session:
        row = session.scalar(select(OfficerAccount).where(OfficerAccount.username == username.strip()))
        if row is None:
            raise AccountError(
                "Petugas ini belum pernah masuk di laptop ini. Masuk sekali saat ada sinyal "
                "dengan nama pengguna dan kata sandi.",
                "This officer has not signed in on this laptop before. Sign in once with a "
                "connection, using the username and password.")
        if row.deactivated_at is not None:
            raise deactivated_message()
        if row.failed_pins >= MAX_FAILED_PINS:
            raise _locked()
        stored, officer_id = row.pin_hash, row.officer_id
    good = verify_pin(pin, stored)
    with store.write() as session:  # the count is committed before any refusal is raised
        row = session.get(OfficerAccount, officer_id)
        assert row is not None
        row.failed_pins = 0 if good else row.failed_pins + 1
        failed = row.failed_pins
        if good:
            row.last_signed_in = utc_now()
        account = _account(row)
        sealed_token = row.token
    if good:  # the token opens with this PIN only (store/vault.py); kept in memory
        try:
            token = vault.open_token(store, sealed_token, pin)
        except vault.VaultError:
            token = None  # a copied store: work offline; syncing needs the password
        vault.remember_token(store, officer_id, token)
    if not good:
        left = MAX_FAILED_PINS - failed
        if left <= 0:
            raise _locked()
        raise AccountError(f"PIN salah. Sisa {left} kali percobaan sebelum laptop meminta "
                           "masuk dengan kata sandi.",
                           f"Wrong PIN. {left} tries left before the laptop asks for a "
                           "password sign-in.")
    store.set_officer(account.officer_id)
    return account


def _locked() -> AccountError:
    return AccountError("PIN salah terlalu sering; buka dengan kata sandi saat ada sinyal.",
                        "Too many wrong PINs; sign in with the password when there is a connection.")


def known_accounts(store: Store) -> list[Account]:
    """Officers who may unlock this laptop, the most recent first."""
    with store.read() as session:
        rows = session.scalars(select(OfficerAccount).order_by(
            OfficerAccount.last_signed_in.desc())).all()
        return [_account(r) for r in rows]


def signed_in_client(store: Store, account: Account,
                     *, client_factory: ClientFactory = _default_client) -> SyncClient:
    """A client holding the officer's token; :class:`SyncError` when a
    password sign-in is needed first (no token, or it expired)."""
    with store.read() as session:
        row = session.get(OfficerAccount, account.officer_id)
        stored, expires = (row.token, row.token_expires_at) if row else (None, None)
    token = vault.token_in_memory(store, account.officer_id) if stored else None
    if not token or _expired(expires):
        from .client import SyncError

        raise SyncError("Sesi di server berakhir. Masuk lagi dengan kata sandi saat ada sinyal.",
                        "The server session has ended. Sign in again with the password when "
                        "there is a connection.")
    client = client_factory(account.server_url, store.device_id)
    client.token = token
    return client


def forget_token(store: Store, officer_id: str) -> None:
    """The server refused the token (revoked device, expiry): drop it so the
    next sync asks for the password instead of failing again and again."""
    with store.write() as session:
        row = session.get(OfficerAccount, officer_id)
        if row is not None:
            row.token = None
    vault.remember_token(store, officer_id, None)


def _expired(expires: datetime | None) -> bool:
    return expires is None or expires <= utc_now()


def _account(row: OfficerAccount) -> Account:
    return Account(officer_id=row.officer_id, username=row.username, full_name=row.full_name,
                   role=row.role, regency_code=row.regency_code, server_url=row.server_url,
                   has_token=bool(row.token) and not _expired(row.token_expires_at))
