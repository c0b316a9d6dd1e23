"""Accounts as an office runs them, on SQLite and PostgreSQL: the operator
creates an officer with ``python -m server officers add``, the officer signs
in with the one-time password and must replace it (POST /v1/auth/password),
a deactivation ends every session at once and is said in words, supervisors
stay inside their regency, and every step is in the audit log."""

from __future__ import annotations

import re

import pytest
from server_calls import HEADERS, error_body, login, new_id, sign_in
from sqlalchemy import select, text

import requests

from desktop_app.protocol import Role
from server import accounts, audit
from server.__main__ import main as server_main
from server.audit import Action, Actor
from server.errors import ApiError
from server.tables import AuditEvent, Device, Officer, Token


def cli(capsys: pytest.CaptureFixture[str], db_url: str, *args: str) -> tuple[int, str, str]:
    """``python -m server ARGS --db URL`` in this process: exit code, stdout, stderr."""
    capsys.readouterr()
    code = server_main([*args, "--db", db_url])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_time(output: str) -> str:
    found = re.search(r"one-time password for \S+: (\S+)", output)
    assert found, output
    return found.group(1)


def change_password(url: str, username: str, password: str, new_password: str) -> requests.Response:
    return requests.post(f"{url}/v1/auth/password", headers=HEADERS, timeout=10, json={
        "username": username, "password": password, "new_password": new_password,
        "device_id": new_id()})


def events(server, action: Action, target: str) -> list[AuditEvent]:
    with server.database.session() as session:
        return audit.query(session, audit.AuditFilter(actions=[action], target_id=target))


def test_a_new_officer_must_replace_the_one_time_password(any_server, capsys) -> None:
    code, out, _ = cli(capsys, any_server.db_url, "officers", "add", "petugas.siti",
                       "--name", "Siti Aminah", "--regency", "18.71", "--phone", "0812 1111 2222")
    assert code == 0, out
    password = one_time(out)

    first = login(any_server.url, "petugas.siti", password=password)
    body = error_body(first, 403, "password_change_required")
    assert "token" not in first.json()
    assert "10" in body.message_en  # says how long the new password must be

    weak = change_password(any_server.url, "petugas.siti", password, "short")
    assert error_body(weak, 422, "invalid").detail["field"] == "new_password"
    named = change_password(any_server.url, "petugas.siti", password, "petugas.siti-2026!")
    assert error_body(named, 422, "invalid").detail["field"] == "new_password"
    wrong_old = change_password(any_server.url, "petugas.siti", "not-it-at-all", "Pisang-Goreng-77")
    error_body(wrong_old, 401, "unauthenticated")
    assert change_password(any_server.url, "petugas.siti", password,
                           "Pisang-Goreng-77").status_code == 204

    assert login(any_server.url, "petugas.siti", password=password).status_code == 401
    signed = login(any_server.url, "petugas.siti", password="Pisang-Goreng-77")
    assert signed.status_code == 200, signed.text
    assert signed.json()["officer"]["regency_code"] == "18.71"

    outcomes = [e.outcome for e in reversed(events(any_server, Action.SIGN_IN, "petugas.siti"))]
    assert outcomes == ["pending", "refused", "ok"]
    changes = events(any_server, Action.PASSWORD_CHANGE, "petugas.siti")
    assert sorted(e.outcome for e in changes) == ["ok", "refused", "refused", "refused"]
    with any_server.database.session() as session:
        lines = session.execute(text("SELECT * FROM audit_event")).all()
    assert "Pisang-Goreng-77" not in repr(lines) and password not in repr(lines)


def test_an_expired_one_time_password_asks_for_a_reset(any_server, capsys) -> None:
    code, out, _ = cli(capsys, any_server.db_url, "officers", "add", "petugas.lama",
                       "--name", "Petugas Lama", "--regency", "18.06")
    assert code == 0
    with any_server.database.session() as session:
        officer = session.scalar(select(Officer).where(Officer.username == "petugas.lama"))
        officer.one_time_expires_at = officer.created_at.replace(year=2020)
    body = error_body(login(any_server.url, "petugas.lama", password=one_time(out)), 401,
                      "unauthenticated")
    assert "reset" in body.message_en
    code, out, _ = cli(capsys, any_server.db_url, "officers", "reset-password", "petugas.lama")
    assert code == 0
    error_body(login(any_server.url, "petugas.lama", password=one_time(out)), 403,
               "password_change_required")


def test_deactivation_ends_every_session_and_is_said_in_words(any_server, capsys) -> None:
    code, out, _ = cli(capsys, any_server.db_url, "officers", "add", "petugas.pergi",
                       "--name", "Petugas Pergi", "--regency", "18.11")
    password = one_time(out)
    assert change_password(any_server.url, "petugas.pergi", password,
                           "Kopi-Robusta-18").status_code == 204
    any_server.password = "Kopi-Robusta-18"
    own_laptop, shared_laptop = new_id(), new_id()
    mine = [_sign_in(any_server.url, "petugas.pergi", "Kopi-Robusta-18", d)
            for d in (own_laptop, shared_laptop)]
    colleague = sign_in(any_server.url, "petugas.mesuji", shared_laptop)

    code, out, _ = cli(capsys, any_server.db_url, "officers", "deactivate", "petugas.pergi",
                       "--reason", "pindah ke dinas lain")
    assert code == 0, out
    assert "2 session(s) ended, 1 device(s) revoked, 1 kept" in out

    for token in mine:
        answer = requests.get(f"{any_server.url}/v1/pull", timeout=10,
                              headers={**HEADERS, "Authorization": f"Bearer {token}"})
        assert answer.status_code == 403
    body = error_body(requests.get(f"{any_server.url}/v1/pull", timeout=10, headers={
        **HEADERS, "Authorization": f"Bearer {mine[1]}"}), 403, "account_deactivated")
    assert "another officer" in body.message_en
    assert colleague.pull().status_code == 200  # the shared laptop still works for the others
    again = login(any_server.url, "petugas.pergi", password="Kopi-Robusta-18",
                  device_id=shared_laptop)
    error_body(again, 403, "account_deactivated")
    wrong = login(any_server.url, "petugas.pergi", password="not-the-password")
    error_body(wrong, 401, "unauthenticated")  # no word about the account to a guesser
    with any_server.database.session() as session:
        assert session.get(Device, own_laptop).revoked_at is not None
        assert session.get(Device, shared_laptop).revoked_at is None
        live = session.scalars(select(Token).join(Officer, Officer.id == Token.officer_id).where(
            Officer.username == "petugas.pergi", Token.revoked_at.is_(None))).all()
        assert live == []
    [line] = events(any_server, Action.OFFICER_DEACTIVATE, "petugas.pergi")
    assert line.actor.startswith("operator:") and line.detail["reason"] == "pindah ke dinas lain"
    assert len(events(any_server, Action.DEVICE_REVOKE, own_laptop)) == 1

    code, out, _ = cli(capsys, any_server.db_url, "officers", "reactivate", "petugas.pergi")
    assert code == 0
    error_body(login(any_server.url, "petugas.pergi", password=one_time(out)), 403,
               "password_change_required")


def _sign_in(url: str, username: str, password: str, device_id: str) -> str:
    answer = login(url, username, password=password, device_id=device_id)
    assert answer.status_code == 200, answer.text
    return answer.json()["token"]


def test_supervisors_manage_only_officers_of_their_regency(any_server) -> None:
    with any_server.database.session() as session:
        supervisor = Actor.of_officer(accounts.find(session, "supervisor.tanggamus"))
        made = accounts.add(session, supervisor, username="petugas.tgm2", full_name="Petugas Dua",
                            regency_code="18.06")
        assert made.officer.must_change_password
    refusals = [
        dict(username="sup.tgm2", full_name="Supervisor Dua", role="supervisor",
             regency_code="18.06"),
        dict(username="petugas.kota9", full_name="Petugas Kota", regency_code="18.71"),
        dict(username="admin.dua", full_name="Admin Dua", role="admin"),
    ]
    for values in refusals:
        with pytest.raises(ApiError) as refused, any_server.database.session() as session:
            accounts.add(session, Actor.of_officer(accounts.find(session, "supervisor.tanggamus")),
                         **values)
        assert refused.value.status == 403
    for action in (lambda s, a: accounts.reset_password(s, a, "petugas.bandarlampung"),
                   lambda s, a: accounts.deactivate(s, a, "supervisor.bandarlampung"),
                   lambda s, a: accounts.set_officer(s, a, "petugas.tgm2", role="supervisor"),
                   lambda s, a: accounts.set_officer(s, a, "petugas.tgm2", regency_code="18.71")):
        with pytest.raises(ApiError) as refused, any_server.database.session() as session:
            action(session, Actor.of_officer(accounts.find(session, "supervisor.tanggamus")))
        assert refused.value.status == 403
    with any_server.database.session() as session:
        officer = Actor.of_officer(accounts.find(session, "petugas.tanggamus"))
        with pytest.raises(ApiError):
            accounts.list_officers(session, officer)
        seen = {o.regency_code for o in accounts.list_officers(
            session, Actor.of_officer(accounts.find(session, "supervisor.tanggamus")))}
        assert seen == {"18.06"}
        admin = Actor.of_officer(accounts.find(session, "admin.provinsi"))
        promoted = accounts.set_officer(session, admin, "petugas.tgm2", role="supervisor")
        assert promoted.role == Role.SUPERVISOR
    [line] = events(any_server, Action.ROLE_CHANGE, "petugas.tgm2")
    assert line.actor == "admin.provinsi" and line.detail == {"from": "officer", "to": "supervisor"}


def test_the_last_admin_stays_and_nobody_deactivates_themselves(any_server) -> None:
    with any_server.database.session() as session:
        admin = Actor.of_officer(accounts.find(session, "admin.provinsi"))
        with pytest.raises(ApiError) as own:
            accounts.deactivate(session, admin, "admin.provinsi")
        assert own.value.status == 403
    with any_server.database.session() as session:
        with pytest.raises(ApiError) as last:
            accounts.deactivate(session, Actor.operator(), "admin.provinsi")
        assert last.value.status == 409


def test_bad_values_name_their_field(any_server, capsys) -> None:
    cases = [(["officers", "add", "Petugas Besar", "--name", "X Y", "--regency", "18.71"],
              "Username"),
             (["officers", "add", "petugas.x", "--name", "X Y", "--regency", "99.99"],
              "Unknown regency code"),
             (["officers", "add", "petugas.x", "--name", "X Y"], "need a regency code"),
             (["officers", "add", "admin.x", "--name", "X Y", "--role", "admin", "--regency",
               "18.71"], "belongs to no regency"),
             (["officers", "add", "petugas.x", "--name", "X Y", "--regency", "18.71",
               "--email", "nope"], "email"),
             (["officers", "show", "nobody.here"], "Not found"),
             (["devices", "revoke", "00000000-dead"], "Not found")]
    for args, words in cases:
        code, out, err = cli(capsys, any_server.db_url, *args)
        assert code == 1, (args, out, err)
        assert words in err and err.startswith("refused: "), (args, err)


def test_the_audit_log_keeps_no_nik_and_refuses_changes(any_server) -> None:
    with any_server.database.session() as session:
        line = audit.record(session, Action.EXPORT, actor=Actor.operator(), target_type="export",
                            target_id="aid list 1806014506900001",
                            detail={"nik": "1806014506900001", "file": "daftar 1806014506900001.xlsx",
                                    "rows": 12})
        line_id = line.id
    with any_server.database.session() as session:
        stored = session.get(AuditEvent, line_id)
        assert "1806014506900001" not in repr((stored.target_id, stored.detail))
        assert "nik" not in stored.detail and stored.detail["rows"] == 12
    for statement in ("UPDATE audit_event SET actor = 'someone else'", "DELETE FROM audit_event"):
        with pytest.raises(Exception, match="append-only"), \
                any_server.database.session() as session:
            session.execute(text(statement))
    with any_server.database.session() as session:
        assert session.get(AuditEvent, line_id) is not None


def test_devices_are_listed_and_revoked_from_the_command_line(any_server, capsys) -> None:
    laptop = new_id()
    caller = sign_in(any_server.url, "petugas.lampungtimur", laptop)
    code, out, _ = cli(capsys, any_server.db_url, "devices", "list", "--officer",
                       "petugas.lampungtimur")
    assert code == 0 and laptop in out and "active" in out
    code, out, _ = cli(capsys, any_server.db_url, "devices", "revoke", laptop[:13],
                       "--reason", "hilang di jalan")
    assert code == 0, out
    error_body(caller.pull(), 403, "device_revoked")
    code, _, err = cli(capsys, any_server.db_url, "devices", "revoke", laptop)
    assert code == 1 and "already revoked" in err
    code, out, _ = cli(capsys, any_server.db_url, "audit-log", "--action", "device_revoke",
                       "--target", laptop)
    assert code == 0 and "hilang di jalan" in out and "1 event(s)" in out
    code, out, _ = cli(capsys, any_server.db_url, "audit-log", "--action", "sign_in",
                       "--actor", "petugas.lampungtimur", "--json")
    assert code == 0 and '"outcome": "ok"' in out and laptop in out


def test_a_lockout_is_in_the_audit_log_and_the_office_lifts_it(any_server, capsys,
                                                               monkeypatch) -> None:
    from server import sign_in as throttle

    monkeypatch.setattr(throttle, "LIMITS", throttle.Limits(account_failures=3))
    device = new_id()
    for _ in range(3):
        error_body(login(any_server.url, "petugas.waykanan", password="guess-guess-1",
                         device_id=device), 401, "unauthenticated")
    locked = login(any_server.url, "petugas.waykanan", device_id=device)  # even the right one
    assert locked.status_code == 429
    [lockout] = events(any_server, Action.LOCKOUT, "petugas.waykanan")
    assert lockout.regency_code == "18.08" and lockout.detail["failures"] == 3
    assert lockout.actor == "system:sign-in-throttle"
    refusals = events(any_server, Action.SIGN_IN, "petugas.waykanan")
    assert len(refusals) == 4 and {e.outcome for e in refusals} == {"refused"}

    code, out, _ = cli(capsys, any_server.db_url, "officers", "show", "petugas.waykanan")
    assert code == 0 and "locked until" in out
    code, out, _ = cli(capsys, any_server.db_url, "officers", "unlock", "petugas.waykanan")
    assert code == 0 and "lock lifted" in out
    assert login(any_server.url, "petugas.waykanan", device_id=device).status_code == 200
    [unlock] = events(any_server, Action.UNLOCK, "petugas.waykanan")
    assert unlock.actor.startswith("operator:") and unlock.detail == {"was_locked": True}
    with any_server.database.session() as session:
        officer = Actor.of_officer(accounts.find(session, "supervisor.tanggamus"))
        with pytest.raises(ApiError):  # another regency's officer
            accounts.unlock(session, officer, "petugas.waykanan")
