"""Issue 11 item 11: the laptop's secrets are never in clear in its database.
An officer signs in on a real server (loopback, SQLite and PostgreSQL); then
the store file is copied, as from a stolen or imaged laptop. The bearer
token lifted from it does not sync; the right PIN on another computer does
not open it either (the device secrets key stays with the laptop's Windows
account, here the key file beside the database); the device's private
signing key and the regency bundle key are not in the file; and on the
laptop itself, the PIN opens the token again and the sync works."""

from __future__ import annotations

import base64
import shutil
import sqlite3
from pathlib import Path

import pytest
import requests

from sqlalchemy import select

from desktop_app.protocol import Scope
from desktop_app.store import open_store, vault
from desktop_app.sync import account, bundle_keys, device_signing
from desktop_app.sync.client import SyncError
from server.tables import BundleKey
from tests.support.servers import DEMO_PASSWORD

PIN = "480613"
USER = "petugas.tanggamus"


@pytest.fixture
def signed_in(tmp_path, sync_server):
    """A laptop where the officer signed in online (token, bundle keys, device key)."""
    data = tmp_path / "laptop"
    store = open_store(data)
    signed = account.sign_in_online(store, sync_server.url, USER, DEMO_PASSWORD, PIN)
    yield store, signed, data
    store.close()


def file_bytes(data: Path) -> bytes:
    """Everything SQLite holds for the store: the database, its WAL and journal."""
    return b"".join(p.read_bytes() for p in data.glob("tapis.sqlite3*"))


def copied(data: Path, to: Path) -> Path:
    """The database file alone, as lifted from the laptop."""
    to.mkdir()
    for part in data.glob("tapis.sqlite3*"):
        shutil.copy(part, to / part.name)
    return to


def pull_with(server_url: str, token: str) -> int:
    return requests.get(f"{server_url}/v1/pull", params={"scope": "own", "cursor": 0},
                        headers={"Authorization": f"Bearer {token}", "X-Tapis-Protocol": "99"},
                        timeout=10).status_code


def test_a_token_lifted_from_a_copied_store_does_not_sync(signed_in, sync_server, tmp_path):
    """Whatever the token column of a copied file holds is refused by the server."""
    store, _signed, data = signed_in
    lifted = copied(data, tmp_path / "thief")
    with sqlite3.connect(lifted / "tapis.sqlite3") as conn:
        [(stored,)] = conn.execute("SELECT token FROM officer_account").fetchall()
    assert stored and vault.is_sealed(stored)
    assert pull_with(sync_server.url, stored) == 401
    assert pull_with(sync_server.url, stored[len(vault.SEALED):]) == 401


def test_the_right_pin_on_a_copied_store_does_not_open_the_token(signed_in, tmp_path):
    """On another computer, even the officer's PIN opens no token: no sync
    without the password (the device secrets key did not travel)."""
    _store, signed, data = signed_in
    thief = open_store(copied(data, tmp_path / "thief"))
    try:
        unlocked = account.unlock(thief, USER, PIN)  # offline work is the PIN's to allow
        with pytest.raises(SyncError):
            account.signed_in_client(thief, unlocked)
    finally:
        thief.close()
    assert signed.has_token


def test_no_secret_is_in_the_database_file(signed_in, sync_server):
    """Neither the token, nor the device's private key, nor the bundle key
    appears in the database, its WAL or its journal."""
    store, signed, data = signed_in
    client = account.signed_in_client(store, signed)
    token = client.token
    client.close()
    assert token
    seed = device_signing.device_key(store).private_bytes_raw()
    with sync_server.database.session() as session:
        keys = [base64.b64decode(k.secret) for k in session.scalars(select(BundleKey)).all()
                if k.regency_code == "18.06"]
    assert keys and bundle_keys.export_key(store)[2] in keys  # the laptop holds and opens it
    raw = file_bytes(data)
    for secret in [token.encode(), seed, base64.b64encode(seed), *keys,
                   *(base64.b64encode(k) for k in keys)]:
        assert secret not in raw


def test_on_the_laptop_the_pin_opens_the_token_and_the_sync_works(signed_in, sync_server):
    """A new start of the program: the token is in no memory; the PIN opens it."""
    store, signed, _data = signed_in
    vault.remember_token(store, signed.officer_id, None)  # as after a restart
    with pytest.raises(SyncError):
        account.signed_in_client(store, signed)
    with pytest.raises(account.AccountError):
        account.unlock(store, USER, "999999")
    opened = account.unlock(store, USER, PIN)
    client = account.signed_in_client(store, opened)
    try:
        assert client.pull(Scope.OWN, 0).scope == Scope.OWN
    finally:
        client.close()
