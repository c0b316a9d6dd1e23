"""The regency bundle keys this laptop holds.

The server hands them out at every online sign-in (LoginResponse.bundle_keys):
an officer gets their regency's, the provincial admin every regency's. A
field laptop seals its bundles with its officer's key; an office copy opens
the bundles of the regencies its signed-in officers serve. A bundle sealed
for Tanggamus therefore cannot be read on a Mesuji laptop, nor by whoever
finds the stick.
"""

from __future__ import annotations

import base64

from sqlalchemy import select, text, update

from ..models.types import utc_now
from ..store.local_tables import BundleKeyRow
from ..store import vault
from ..store.store import Store
from .. import protocol as p
from ..protocol.bundle import BundleError

_LABEL = "bundle_key.secret"


def remember_keys(store: Store, answer: p.LoginResponse) -> int:
    """Keep the keys of a sign-in answer; the signed-in officer's regency key
    becomes the one exports are sealed with. Returns how many keys came.
    Call after every successful online sign-in (CLI ``sync``, the GUI)."""
    own = answer.officer.regency_code  # None: the admin seals with the province's key
    newest = {}
    for key in answer.bundle_keys:
        if key.regency_code == own:
            newest[own] = max(newest.get(own, key.key_id), key.key_id, key=_generation)
    sealed = {key.key_id: vault.seal_device(store, base64.b64decode(key.key), _LABEL)
              for key in answer.bundle_keys}  # before the write: the vault may read the store
    with store.write() as session:
        session.execute(update(BundleKeyRow).values(for_export=0))
        for key in answer.bundle_keys:
            session.merge(BundleKeyRow(key_id=key.key_id, regency_code=key.regency_code,
                                       secret=sealed[key.key_id], received_at=utc_now(),
                                       for_export=int(newest.get(own) == key.key_id)))
    return len(answer.bundle_keys)


def _generation(key_id: str) -> tuple[int, str]:
    """Key ids end in their generation (``18.71-2``): the highest is newest."""
    tail = key_id.rsplit("-", 1)[-1]
    return (int(tail) if tail.isdigit() else 0, key_id)


_CURRENT_OFFICER = text(
    "SELECT a.regency_code FROM local_state AS s JOIN officer_account AS a"
    " ON a.officer_id = s.officer_id WHERE s.id = 1")


def export_key(store: Store) -> tuple[str, str | None, bytes]:
    """(key id, regency, key) to seal this laptop's bundles with: the newest
    key of the regency of the officer working now (several officers may
    share a laptop and unlock it offline), else the last sign-in's."""
    columns = (BundleKeyRow.key_id, BundleKeyRow.regency_code, BundleKeyRow.secret)
    with store.read() as session:
        officer = session.execute(_CURRENT_OFFICER).first()
        if officer is None:
            row = session.execute(select(*columns).where(BundleKeyRow.for_export == 1)).first()
        else:
            regency = BundleKeyRow.regency_code
            rows = session.execute(select(*columns).where(
                regency.is_(None) if officer.regency_code is None
                else regency == officer.regency_code)).all()
            row = max(rows, key=lambda r: _generation(r.key_id)) if rows else None
    secret = _opened(store, row.secret) if row is not None else None
    if secret is None:
        raise BundleError("no_key",
                          "Laptop ini belum punya kunci bundel. Masuk sekali secara daring "
                          "(sinkron) "
                          "dengan Tapis versi ini, lalu ekspor lagi.",
                          "This laptop has no bundle key yet. Sign in online once (sync) with this "
                          "version of Tapis, then export again.")
    return row.key_id, row.regency_code, secret


def key_for(store: Store, key_id: str) -> bytes | None:
    """The key a bundle names, if this laptop holds it."""
    with store.read() as session:
        secret = session.scalar(select(BundleKeyRow.secret).where(BundleKeyRow.key_id == key_id))
    return _opened(store, secret) if secret is not None else None


def _opened(store: Store, stored: str) -> bytes | None:
    """A key as sealed here (store/vault.py), or kept in clear by an earlier
    version; None when it does not open on this computer."""
    if not vault.is_sealed(stored):
        return base64.b64decode(stored)
    try:
        return vault.open_device(store, stored, _LABEL)
    except vault.VaultError:
        return None
