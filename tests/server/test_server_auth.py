"""Sign-in, tokens and devices against a real server: what a wrong password
looks like, what the database keeps of passwords and tokens, and how
sign-out, expiry and device revocation end a token."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from pathlib import Path

import pytest
import requests
from server_calls import (
    HEADERS,
    Caller,
    error_body,
    login,
    new_id,
    sign_in,
)
from sqlalchemy import select, update

from desktop_app.models.types import utc_now
from server.setup import DEMO_PASSWORD
from server.tables import Device, Officer, Token

#: The stored hashes are what this module checks: the server's own, at its real cost.
pytestmark = pytest.mark.production_hashes


def _endpoints(caller: Caller) -> dict[str, object]:
    """Every authenticated route, called with the caller's token."""
    return {
        "pull": lambda: caller.pull(),
        "push": lambda: caller.post("/v1/push", json={"device_id": caller.device_id, "changes": []}),
        "conflicts": lambda: caller.get("/v1/conflicts"),
        "revoke": lambda: caller.revoke(new_id()),
        "logout": lambda: caller.post("/v1/auth/logout"),
    }


def test_wrong_password_and_unknown_user_get_the_same_401(server):
    """A wrong password and an unknown username are indistinguishable: same 401, same words."""
    wrong = login(server.url, "petugas.tanggamus", password="tapis-demo-2025")
    unknown = login(server.url, "petugas.atlantis")
    near_miss = login(server.url, "admin.provinsi", password=DEMO_PASSWORD + " ")
    for answer in (wrong, unknown, near_miss):
        error_body(answer, 401, "unauthenticated")
    assert wrong.json() == unknown.json() == near_miss.json()


def test_passwords_are_stored_only_as_argon2id_hashes(server):
    """The officer table holds Argon2id hashes and never the password itself."""
    with server.database.session() as session:
        hashes = session.scalars(select(Officer.password_hash)).all()
    assert len(hashes) >= 18
    assert all(h.startswith("$argon2id$") for h in hashes)
    assert not any(DEMO_PASSWORD in h for h in hashes)


def test_tokens_are_stored_only_as_sha256(server):
    """The token table keeps the SHA-256 of each token; the plaintext is nowhere in the database."""
    answer = login(server.url, "petugas.mesuji")
    token = answer.json()["token"]
    digest = hashlib.sha256(token.encode()).hexdigest()
    with server.database.session() as session:
        rows = session.scalars(select(Token)).all()
    assert digest in {r.token_hash for r in rows}
    for r in rows:
        assert len(r.token_hash) == 64 and token not in (r.token_hash, r.officer_id, r.device_id)
    files = Path(server.db_url.removeprefix("sqlite:///")).parent.glob("server.sqlite3*")
    assert not any(token.encode() in f.read_bytes() for f in files)


@pytest.mark.parametrize("endpoint", ["pull", "push", "conflicts", "revoke", "logout"])
def test_a_signed_out_token_is_refused_everywhere(server, endpoint):
    """After sign-out the same token, replayed on any route, gets 401 unauthenticated."""
    caller = sign_in(server.url, "supervisor.tanggamus")
    assert caller.post("/v1/auth/logout").status_code == 204
    error_body(_endpoints(caller)[endpoint](), 401, "unauthenticated")


def test_sign_out_ends_only_that_token(server):
    """A second sign-in on the same laptop keeps working after the first token signs out."""
    first = sign_in(server.url, "petugas.tanggamus")
    second = sign_in(server.url, "petugas.tanggamus", device_id=first.device_id)
    assert first.post("/v1/auth/logout").status_code == 204
    error_body(first.pull(), 401, "unauthenticated")
    assert second.pull().status_code == 200


@pytest.mark.parametrize("authorization", [None, "", "Bearer ", "Bearer not-a-token",
                                           "Basic cGV0dWdhczp4", "bearer x"])
def test_missing_or_unknown_tokens_get_401(server, authorization):
    """No token, an empty one, an unknown one or another scheme: 401 unauthenticated."""
    headers = dict(HEADERS)
    if authorization is not None:
        headers["Authorization"] = authorization
    answer = requests.get(f"{server.url}/v1/pull", headers=headers, timeout=10)
    error_body(answer, 401, "unauthenticated")


def test_an_expired_token_gets_401_token_expired(server):
    """A token past its expires_at is refused with token_expired, on every route."""
    caller = sign_in(server.url, "petugas.tanggamus")
    digest = hashlib.sha256(caller.token.encode()).hexdigest()
    with server.database.session() as session:
        session.execute(update(Token).where(Token.token_hash == digest)
                        .values(expires_at=utc_now() - timedelta(seconds=1)))
    for name, call in _endpoints(caller).items():
        error_body(call(), 401, "token_expired")  # type: ignore[operator]


def test_a_revoked_device_loses_every_token_and_cannot_sign_in(server):
    """Admin revokes a laptop: both its tokens get 403 device_revoked, and signing in again
    from it is refused; the officer's other laptop is unaffected."""
    admin = sign_in(server.url, "admin.provinsi")
    first = sign_in(server.url, "petugas.mesuji")
    second = sign_in(server.url, "petugas.mesuji", device_id=first.device_id)
    other_laptop = sign_in(server.url, "petugas.mesuji")
    assert admin.revoke(first.device_id).status_code == 204
    for caller in (first, second):
        for name, call in _endpoints(caller).items():
            error_body(call(), 403, "device_revoked")  # type: ignore[operator]
    error_body(login(server.url, "petugas.mesuji", device_id=first.device_id), 403, "device_revoked")
    error_body(login(server.url, "admin.provinsi", device_id=first.device_id), 403, "device_revoked")
    with server.database.session() as session:
        assert session.get(Device, first.device_id).revoked_at is not None
        live = session.scalars(select(Token).where(Token.device_id == first.device_id,
                                                   Token.revoked_at.is_(None))).all()
    assert live == []
    assert other_laptop.pull().status_code == 200


def test_an_officer_cannot_revoke_a_device(server):
    """Officers may revoke no device, not even their own."""
    officer = sign_in(server.url, "petugas.tanggamus")
    colleague = sign_in(server.url, "petugas.tanggamus")
    for device in (officer.device_id, colleague.device_id):
        error_body(officer.revoke(device), 403, "forbidden")
    assert colleague.pull().status_code == 200 and officer.pull().status_code == 200


def test_a_supervisor_revokes_only_devices_of_their_regency(server):
    """Supervisor of Tanggamus revokes a Tanggamus officer's laptop, not a Mesuji or Kota one."""
    supervisor = sign_in(server.url, "supervisor.tanggamus")
    tanggamus = sign_in(server.url, "petugas.tanggamus")
    mesuji = sign_in(server.url, "petugas.mesuji")
    kota_supervisor = sign_in(server.url, "supervisor.bandarlampung")
    admin = sign_in(server.url, "admin.provinsi")
    for device in (mesuji.device_id, kota_supervisor.device_id, admin.device_id):
        error_body(supervisor.revoke(device), 403, "forbidden")
    assert mesuji.pull().status_code == 200 and admin.pull().status_code == 200
    assert supervisor.revoke(tanggamus.device_id).status_code == 204
    error_body(tanggamus.pull(), 403, "device_revoked")


def test_revoking_an_unknown_device_is_404(server):
    """An admin revoking a device id the server never saw gets 404 not_found."""
    admin = sign_in(server.url, "admin.provinsi")
    error_body(admin.revoke(new_id()), 404, "not_found")
    error_body(admin.revoke("x" * 300), 404, "not_found")
