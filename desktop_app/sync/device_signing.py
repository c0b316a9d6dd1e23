"""This laptop's own signature on its sync bundles (Ed25519).

The regency key seals a bundle against outsiders, but every officer of the
regency holds it; without more, one of them could write a bundle in another
laptop's name and use up that laptop's sequence numbers, so its real
changes would later be taken for duplicates. Each laptop therefore makes
its own key pair, registers the public half with the server at its next
online sync, and signs every bundle; the server applies a bundle only when
the signature is that device's registered key.
"""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ..models.types import utc_now
from ..store.local_tables import DeviceSigningKey
from ..store import vault
from ..store.store import Store
from .. import protocol as p
from ..protocol.bundle import BundleError
from .client import ServerRefused, SyncClient

_FATAL = {p.ErrorCode.UNAUTHENTICATED, p.ErrorCode.TOKEN_EXPIRED, p.ErrorCode.DEVICE_REVOKED,
          p.ErrorCode.ACCOUNT_DEACTIVATED,
          p.ErrorCode.UPGRADE_REQUIRED}


def public_key_b64(key: Ed25519PrivateKey) -> str:
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


_LABEL = "device_signing_key.private_key"


def _ensure(store: Store) -> tuple[Ed25519PrivateKey, bool]:
    """The key pair (made on first use) and whether the server has it. The
    private half is sealed with the device secrets key (store/vault.py)."""
    with store.read() as session:
        row = session.get(DeviceSigningKey, 1)
        if row is not None:
            stored, registered = row.private_key, row.registered_at is not None
            if vault.is_sealed(stored):
                seed = vault.open_device(store, stored, _LABEL)
                if seed is None:
                    raise vault.VaultError(
                        "Kunci perangkat laptop ini tidak dapat dibuka di komputer atau akun "
                        "Windows ini. Minta admin menyiapkan laptop ini sebagai perangkat baru.",
                        "This laptop's device key cannot be opened on this computer or Windows "
                        "account. Ask the admin to set this laptop up as a new device.")
            else:  # kept in clear by an earlier version, sealed at the store's opening
                seed = base64.b64decode(stored)
            return Ed25519PrivateKey.from_private_bytes(seed), registered
    key = Ed25519PrivateKey.generate()
    sealed = vault.seal_device(store, key.private_bytes_raw(), _LABEL)
    with store.write() as session:
        if session.get(DeviceSigningKey, 1) is None:
            session.add(DeviceSigningKey(id=1, private_key=sealed, public_key=public_key_b64(key)))
    return _ensure(store)  # the stored pair, whoever wrote it first


def device_key(store: Store) -> Ed25519PrivateKey:
    """This laptop's device key (made on first use): it proves the device at
    every sign-in, and signs its bundles; the server registers it at the
    device's first sign-in."""
    return _ensure(store)[0]


def mark_registered(store: Store) -> None:
    """The server registered the key with a sign-in: bundles may be signed now."""
    key, registered = _ensure(store)
    if registered:
        return
    with store.write() as session:
        row = session.get(DeviceSigningKey, 1)
        if row is not None and row.public_key == public_key_b64(key):
            row.registered_at = utc_now()


def register_if_needed(store: Store, client: SyncClient) -> bool:
    """Send the public key once (a sync step); True when it was sent now.
    A refusal about the bundle key itself is left for the next sync."""
    key, registered = _ensure(store)
    if registered:
        return False
    try:
        client.register_signing_key(public_key_b64(key))
    except ServerRefused as exc:
        if exc.body.code in _FATAL:
            raise
        return False
    with store.write() as session:
        row = session.get(DeviceSigningKey, 1)
        if row is not None and row.public_key == public_key_b64(key):
            row.registered_at = utc_now()
    return True


def signing_key(store: Store) -> Ed25519PrivateKey:
    """The key to sign an export with; refused until the server knows it."""
    key, registered = _ensure(store)
    if not registered:
        raise BundleError("not_registered",
                          "Tanda tangan laptop ini belum terdaftar di server. Sinkronkan sekali "
                          "secara daring dengan Tapis versi ini, lalu ekspor lagi.",
                          "This laptop's signature is not yet registered with the server. Sync "
                          "online once with this version of Tapis, then export again.")
    return key
