"""Officers on a shared laptop: online first sign-in, offline PIN unlock."""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.store import open_store
from desktop_app.store.store import Store
from desktop_app.sync import account
from desktop_app.sync.client import Offline, ServerRefused, SyncClient, SyncError
from desktop_app.sync.engine import SyncEngine
from tests.support.servers import DEMO_PASSWORD, RunningServer, running_server

PIN = "480613"


def one(store: Store, sql: str) -> object:
    with sqlite3.connect(store.db_path) as conn:
        return conn.execute(sql).fetchone()[0]


@pytest.fixture
def server(sqlite_server_template: Path, tmp_path: Path) -> Iterator[RunningServer]:
    copy = tmp_path / "server.sqlite3"
    shutil.copyfile(sqlite_server_template, copy)
    with running_server(f"sqlite:///{copy}", initialised=True) as running:
        yield running


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(tmp_path / "laptop")
    yield opened
    opened.close()


def test_first_sign_in_is_online_then_the_pin_unlocks_offline(server: RunningServer, store: Store) -> None:
    signed = account.sign_in_online(store, server.url, "petugas.pesawaran", DEMO_PASSWORD, PIN)
    assert signed.regency_code == "18.09" and signed.has_token and not signed.is_supervisor

    stored = one(store, "SELECT pin_hash FROM officer_account")
    assert PIN not in stored and stored.startswith("scrypt$")

    unlocked = account.unlock(store, "petugas.pesawaran", PIN)  # no network used
    assert unlocked.officer_id == signed.officer_id
    assert one(store, "SELECT officer_id FROM local_state") == signed.officer_id


def test_two_officers_share_a_laptop(server: RunningServer, store: Store) -> None:
    first = account.sign_in_online(store, server.url, "petugas.pesawaran", DEMO_PASSWORD, PIN)
    second = account.sign_in_online(store, server.url, "supervisor.tanggamus", DEMO_PASSWORD, "739150")
    assert [a.username for a in account.known_accounts(store)] == ["supervisor.tanggamus",
                                                                  "petugas.pesawaran"]
    assert second.is_supervisor
    with pytest.raises(account.AccountError):
        account.unlock(store, "supervisor.tanggamus", PIN)  # one officer's PIN opens only theirs
    assert account.unlock(store, "petugas.pesawaran", PIN).officer_id == first.officer_id


def test_five_wrong_pins_lock_the_offline_unlock(server: RunningServer, store: Store) -> None:
    account.sign_in_online(store, server.url, "petugas.pesawaran", DEMO_PASSWORD, PIN)
    for left in (4, 3, 2, 1):
        with pytest.raises(account.AccountError, match=f"{left} tries left"):
            account.unlock(store, "petugas.pesawaran", "111333")
    with pytest.raises(account.AccountError, match="Too many wrong PINs"):
        account.unlock(store, "petugas.pesawaran", "111333")
    with pytest.raises(account.AccountError, match="Too many wrong PINs"):
        account.unlock(store, "petugas.pesawaran", PIN)  # even the right one, until a password sign-in
    account.sign_in_online(store, server.url, "petugas.pesawaran", DEMO_PASSWORD, PIN)
    assert account.unlock(store, "petugas.pesawaran", PIN).username == "petugas.pesawaran"


@pytest.mark.parametrize("pin", ["12345", "000000", "123456", "abcdef", "9876543"])
def test_weak_pins_are_refused_before_the_network_is_used(store: Store, pin: str) -> None:
    def no_network(url: str, device_id: str) -> SyncClient:
        raise AssertionError("the network was used for a PIN that is refused anyway")

    with pytest.raises(account.AccountError) as refused:
        account.sign_in_online(store, "http://127.0.0.1:9", "petugas.pesawaran", "x", pin,
                               client_factory=no_network)
    assert refused.value.message_id and refused.value.message_en
    assert one(store, "SELECT count(*) FROM officer_account") == 0


def test_wrong_password_and_no_server_remember_nothing(server: RunningServer, store: Store) -> None:
    with pytest.raises(ServerRefused):
        account.sign_in_online(store, server.url, "petugas.pesawaran", "not-the-password", PIN)
    with pytest.raises(Offline):
        account.sign_in_online(store, "http://127.0.0.1:9", "petugas.pesawaran", DEMO_PASSWORD, PIN,
                               client_factory=lambda url, dev: SyncClient(
                                   url, device_id=dev, schema="x", retry=None, timeout=(1, 1)))
    assert account.known_accounts(store) == []
    with pytest.raises(account.AccountError, match="not signed in on this laptop"):
        account.unlock(store, "petugas.pesawaran", PIN)


def test_the_stored_token_syncs_until_it_is_forgotten(server: RunningServer, store: Store) -> None:
    signed = account.sign_in_online(store, server.url, "petugas.pesawaran", DEMO_PASSWORD, PIN)
    client = account.signed_in_client(store, signed)
    try:
        assert SyncEngine(store, client).run().pending_left == 0
    finally:
        client.close()
    account.forget_token(store, signed.officer_id)
    with pytest.raises(SyncError, match="Sign in again"):
        account.signed_in_client(store, signed)
