"""``python -m desktop_app sync`` as an officer runs it against a real server
on loopback: exit 0 when everything went, 1 when changes still wait, 3 when
only changes the server refused for good remain."""

from __future__ import annotations

import sqlite3

import pytest

from tests.support.servers import DEMO_PASSWORD, free_port

on_sqlite = pytest.mark.parametrize("sync_server", ["sqlite"], indirect=True)


def _sync(run, data, server, user="admin.provinsi", password=DEMO_PASSWORD):
    return run("--data-dir", data, "sync", "--server", server.url, "--user", user,
               "--password", password)


def _demo_as(run, data, server, records, user="admin.provinsi"):
    """Demo records written as an officer signed in on this laptop (a first
    sync with nothing to send signs them in): the server refuses changes
    naming another officer than the one who sends them (issue 11)."""
    assert _sync(run, data, server, user=user).returncode == 0
    assert run("--data-dir", data, "demo", "--records", str(records)).returncode == 0


@on_sqlite
def test_a_full_sync_sends_everything_and_exits_0(run, tmp_path, sync_server):
    """Demo records made offline all reach the server; the summary says nothing is left."""
    data = tmp_path / "laptop"
    _demo_as(run, data, sync_server, 40)
    done = _sync(run, data, sync_server)
    assert done.returncode == 0, done.stderr
    with sqlite3.connect(data / "tapis.sqlite3") as conn:
        logged = conn.execute("SELECT count(*) FROM change_log").fetchone()[0]
    assert f"pushed {logged} (duplicates 0)" in done.stdout
    assert "left to send: 0, parked: 0" in done.stdout
    assert run("--data-dir", data, "check").returncode == 0


@on_sqlite
def test_a_wrong_password_exits_1_and_keeps_the_queue(run, tmp_path, sync_server):
    """Signing in fails: the officer reads why, and nothing queued is touched."""
    data = tmp_path / "laptop"
    run("--data-dir", data, "demo", "--records", "10")
    refused = _sync(run, data, sync_server, password="salah")
    assert refused.returncode == 1
    assert "Wrong username or password" in refused.stderr
    with sqlite3.connect(data / "tapis.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM change_log WHERE push_state = 'pending'"
                            ).fetchone()[0] > 0


@on_sqlite
def test_records_outside_the_regency_exit_3_with_the_reason(run, tmp_path, sync_server):
    """A Tanggamus officer's demo data spans all regencies: the rest is parked."""
    data = tmp_path / "laptop"
    _demo_as(run, data, sync_server, 30, user="petugas.tanggamus")
    parked = _sync(run, data, sync_server, user="petugas.tanggamus")
    assert parked.returncode == 3, parked.stdout + parked.stderr
    assert "parked:" in parked.stdout and "regency" in parked.stdout


def test_no_server_exits_1(run, tmp_path):
    """With no server listening, the sync says so and exits 1."""
    data = tmp_path / "laptop"
    run("--data-dir", data, "demo", "--records", "4")
    gone = run("--data-dir", data, "sync", "--server", f"http://127.0.0.1:{free_port()}",
               "--user", "x", "--password", "y")
    assert gone.returncode == 1 and "cannot be reached" in gone.stderr


@on_sqlite
def test_each_command_line_sync_is_in_the_history_as_the_windows_are(run, tmp_path, sync_server):
    """The same sync as the window's: a line per attempt, the one that worked and the one that
    found no server, so 'never synced' and 'failed this morning' can be told apart."""
    data = tmp_path / "laptop"
    _demo_as(run, data, sync_server, 6)
    assert _sync(run, data, sync_server).returncode == 0
    gone = run("--data-dir", data, "sync", "--server", f"http://127.0.0.1:{free_port()}",
               "--user", "x", "--password", "y")
    assert gone.returncode == 1
    with sqlite3.connect(data / "tapis.sqlite3") as conn:
        lines = conn.execute("SELECT ok, pushed, message FROM sync_history ORDER BY id").fetchall()
        logged = conn.execute("SELECT count(*) FROM change_log").fetchone()[0]
    assert [line[0] for line in lines] == [1, 1, 0]  # signing in, sending, no server
    assert lines[1][1] == logged
    assert "cannot be reached" in lines[2][2]
