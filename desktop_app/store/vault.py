"""Secrets at rest on the laptop: never in clear in the database file.

Three secrets live on a laptop (docs/SECURITY.md, "A stolen or copied
laptop"): the officer's bearer token (30 days of sync), the regency bundle
keys, and the device's private signing key (which proves the laptop at
sign-in). Each is sealed with AES-256-GCM, its column name as associated
data (a sealed value moved to another column does not open):

* the **device secrets key** seals the device signing key and the bundle
  keys. It is 32 random bytes held by the operating system: on Windows
  protected by DPAPI for this Windows account (its blob in ``vault_key``;
  a copied file does not open on another account or computer); elsewhere,
  on development machines, in ``secrets.key`` beside the database (mode
  0600), so the database file alone reveals nothing.
* the **token** is sealed under a key derived from the officer's PIN
  (scrypt, 2**15, 8, 1, a salt of its own) *and* the device secrets key
  (HKDF over both): the token opens only where that officer types the PIN,
  and guessing PINs needs the device secrets key too. Opened, it is kept
  in this process only (:func:`remember_token`), never written in clear.

A value that does not open (another computer, a wrong PIN, a damaged row)
is treated as absent: the officer signs in online again, and the bundle
keys come back with that sign-in.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
import sys
import threading
from pathlib import Path
from contextlib import AbstractContextManager
from typing import Any, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import text

from ..models.errors import TapisError
from ..models.types import format_utc, utc_now



class Store(Protocol):
    """What the vault needs of a store (store.Store; not imported: store.py opens the vault)."""

    data_dir: Path
    db_path: Path

    def raw(self) -> AbstractContextManager[Any]: ...

    def write(self) -> AbstractContextManager[Any]: ...

SEALED = "sealed1:"
KEY_FILE = "secrets.key"
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1
_tokens: dict[tuple[Path, str], str] = {}
_lock = threading.Lock()


class VaultError(TapisError):
    reason = "vault"


def is_sealed(value: str | None) -> bool:
    return isinstance(value, str) and value.startswith(SEALED)


# --- the device secrets key ----------------------------------------------------


def device_secrets_key(store: Store) -> bytes:
    """The 32-byte key sealing the device's secrets, made on first need."""
    with _lock:
        key = getattr(store, "_vault_key", None)
        if key is None:
            key = _load_or_make(store)
            store._vault_key = key  # type: ignore[attr-defined]  # this opening's, in memory only
        return key


def forget_key(store: Store) -> None:
    """Drop this opening's copy of the key (after the vault row was removed)."""
    with _lock:
        store._vault_key = None  # type: ignore[attr-defined]


def _load_or_make(store: Store) -> bytes:
    with store.raw() as connection:
        row = connection.execute("SELECT protection, wrapped FROM vault_key WHERE id = 1").fetchone()
        if row is None:
            protection = "dpapi" if sys.platform == "win32" else "file"
            key = secrets.token_bytes(32)
            wrapped = None
            if protection == "dpapi":
                wrapped = base64.b64encode(_dpapi_protect(key)).decode()
            else:
                _write_key_file(store.data_dir / KEY_FILE, key)
            connection.execute("INSERT OR IGNORE INTO vault_key (id, protection, wrapped, created_at)"
                               " VALUES (1, ?, ?, ?)", (protection, wrapped, format_utc(utc_now())))
            connection.commit()
            row = connection.execute("SELECT protection, wrapped FROM vault_key WHERE id = 1").fetchone()
    protection, wrapped = row
    try:
        if protection == "dpapi":
            return _dpapi_unprotect(base64.b64decode(wrapped))
        data = (store.data_dir / KEY_FILE).read_bytes()
        if len(data) != 32:
            raise OSError("wrong length")
        return data
    except (OSError, ValueError) as exc:
        raise _cannot_open() from exc


def _cannot_open() -> VaultError:
    return VaultError(
        "Rahasia perangkat ini tidak dapat dibuka di komputer atau akun Windows ini (berkas data "
        "disalin dari tempat lain?). Minta admin menyiapkan laptop ini sebagai perangkat baru.",
        "This device's secrets cannot be opened on this computer or Windows account (was the "
        "data folder copied from elsewhere?). Ask the admin to set this laptop up as a new "
        "device.")


def _write_key_file(path: Path, key: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return  # made by another process at the same moment: its key wins (read back)
    with os.fdopen(handle, "wb") as out:
        out.write(key)
        out.flush()
        os.fsync(out.fileno())


def seal_device(store: Store, plain: bytes, label: str) -> str:
    return _seal(device_secrets_key(store), plain, label)


def open_device(store: Store, value: str, label: str) -> bytes | None:
    """The plain bytes of a value sealed with the device key; None if it does not open."""
    return _open(device_secrets_key(store), value, label)


# --- the officer's token -----------------------------------------------------------


def seal_token(store: Store, token: str, pin: str) -> str:
    salt = secrets.token_bytes(16)
    sealed = _seal(_token_key(store, pin, salt), token.encode(), "officer_account.token")
    return SEALED + base64.b64encode(salt + base64.b64decode(sealed[len(SEALED):])).decode()


def open_token(store: Store, value: str | None, pin: str) -> str | None:
    if not is_sealed(value):
        return None
    try:
        raw = base64.b64decode(value[len(SEALED):])  # type: ignore[index]
    except ValueError:
        return None
    salt, rest = raw[:16], raw[16:]
    plain = _open(_token_key(store, pin, salt), SEALED + base64.b64encode(rest).decode(),
                  "officer_account.token")
    return plain.decode() if plain is not None else None


def _token_key(store: Store, pin: str, salt: bytes) -> bytes:
    stretched = hashlib.scrypt(pin.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P,
                               maxmem=64 * 1024 * 1024, dklen=32)
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt,
                info=b"tapis officer token v1").derive(stretched + device_secrets_key(store))


def remember_token(store: Store, officer_id: str, token: str | None) -> None:
    """The officer's opened token for this process (None forgets it)."""
    with _lock:
        if token is None:
            _tokens.pop((store.db_path, officer_id), None)
        else:
            _tokens[(store.db_path, officer_id)] = token


def token_in_memory(store: Store, officer_id: str) -> str | None:
    with _lock:
        return _tokens.get((store.db_path, officer_id))


# --- AES-GCM ------------------------------------------------------------------------


def _seal(key: bytes, plain: bytes, label: str) -> str:
    nonce = secrets.token_bytes(12)
    return SEALED + base64.b64encode(nonce + AESGCM(key).encrypt(nonce, plain, label.encode())).decode()


def _open(key: bytes, value: str, label: str) -> bytes | None:
    if not is_sealed(value):
        return None
    try:
        raw = base64.b64decode(value[len(SEALED):])
        return AESGCM(key).decrypt(raw[:12], raw[12:], label.encode())
    except (ValueError, InvalidTag):
        return None


# --- legacy rows -----------------------------------------------------------------


def seal_legacy(store: Store) -> None:
    """Seal the device key and bundle keys an earlier version kept in clear
    (the migration to 0010 dropped clear tokens; it does not know this key)."""
    with store.raw() as connection:
        keys = connection.execute("SELECT id, private_key FROM device_signing_key").fetchall()
        bundles = connection.execute("SELECT key_id, secret FROM bundle_key").fetchall()
    clear_keys = [(i, v) for i, v in keys if not is_sealed(v)]
    clear_bundles = [(i, v) for i, v in bundles if not is_sealed(v)]
    if not clear_keys and not clear_bundles:
        return
    device_secrets_key(store)  # made (if need be) before the write transaction
    with store.write() as session:
        for key_id, value in clear_keys:
            session.execute(text("UPDATE device_signing_key SET private_key = :v WHERE id = :i"),
                            {"v": seal_device(store, base64.b64decode(value),
                                              "device_signing_key.private_key"), "i": key_id})
        for key_id, value in clear_bundles:
            session.execute(text("UPDATE bundle_key SET secret = :v WHERE key_id = :i"),
                            {"v": seal_device(store, base64.b64decode(value), "bundle_key.secret"),
                             "i": key_id})


# --- Windows DPAPI (ctypes; only imported on Windows) ----------------------------------


def _dpapi_protect(data: bytes) -> bytes:
    return _dpapi(data, protect=True)


def _dpapi_unprotect(data: bytes) -> bytes:
    return _dpapi(data, protect=False)


def _dpapi(data: bytes, *, protect: bool) -> bytes:  # pragma: no cover - Windows only
    import ctypes
    from ctypes import wintypes

    class Blob(ctypes.Structure):
        _fields_ = [("cbData", wintypes.DWORD), ("pbData", ctypes.POINTER(ctypes.c_char))]

    crypt32 = ctypes.windll.crypt32  # type: ignore[attr-defined]
    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    buffer = ctypes.create_string_buffer(data, len(data))
    source = Blob(len(data), ctypes.cast(buffer, ctypes.POINTER(ctypes.c_char)))
    result = Blob()
    entropy_bytes = b"tapis device secrets v1"
    entropy_buffer = ctypes.create_string_buffer(entropy_bytes, len(entropy_bytes))
    entropy = Blob(len(entropy_bytes), ctypes.cast(entropy_buffer, ctypes.POINTER(ctypes.c_char)))
    call = crypt32.CryptProtectData if protect else crypt32.CryptUnprotectData
    flags = 0x1  # CRYPTPROTECT_UI_FORBIDDEN
    ok = (call(ctypes.byref(source), "tapis", ctypes.byref(entropy), None, None, flags,
               ctypes.byref(result)) if protect else
          call(ctypes.byref(source), None, ctypes.byref(entropy), None, None, flags,
               ctypes.byref(result)))
    if not ok:
        raise OSError("DPAPI refused")
    try:
        return ctypes.string_at(result.pbData, result.cbData)
    finally:
        kernel32.LocalFree(result.pbData)
