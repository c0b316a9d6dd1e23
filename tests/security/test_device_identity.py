"""Attack: one officer acts as another officer's laptop (issue 11, item 2).

Device ids travel in every pull and in every bundle's clear header, so any
officer of a regency knows them. Before the device proof, an officer signed
in naming another laptop's id, registered a signing key for it and pushed
in its name. Now a laptop proves at every sign-in that it holds its
device's Ed25519 key (docs/PROTOCOL.md, 'Device proof'); each test below is
the insider's attempt, driven against the real server on loopback, on
SQLite and PostgreSQL.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
import requests
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select, update

from desktop_app import protocol as p
from desktop_app.models.types import utc_now
from server.setup import DEMO_PASSWORD
from server.tables import Device, LoginChallenge, Officer, Token
from tests.support import device_proof
from tests.support.device_proof import HEADERS, b64, key_for, public_b64
from tests.support.servers import RunningServer, demo_database, running_server

OFFICER_A, OFFICER_B, OFFICER_C = "petugas.tanggamus", "supervisor.tanggamus", "petugas.mesuji"


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest,
           tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """One real server per backend for this module; tests keep apart by device ids."""
    folder = tmp_path_factory.mktemp("server")
    with demo_database(request, request.param, folder) as url, \
            running_server(url, initialised=True) as running:
        yield running


def new_id() -> str:
    return str(uuid.uuid4())


def login(url: str, username: str, device_id: str, **body: object) -> requests.Response:
    """A hand-made sign-in body (the attacker's), no proof unless given."""
    return requests.post(f"{url}/v1/auth/login", headers=HEADERS, timeout=10, json={
        "username": username, "password": DEMO_PASSWORD, "device_id": device_id, **body})


def refused(answer: requests.Response, status: int, code: str) -> p.ErrorBody:
    assert answer.status_code == status, (answer.status_code, answer.text)
    body = p.ErrorBody.model_validate(answer.json())
    assert body.code == code, body
    assert body.message_id.strip() and body.message_en.strip() and body.message_id != body.message_en
    return body


def registered_key(server: RunningServer, device_id: str) -> str | None:
    with server.database.session() as session:
        device = session.get(Device, device_id)
        return device.signing_key if device else None


def tokens_of(server: RunningServer, device_id: str) -> set[str]:
    with server.database.session() as session:
        return set(session.scalars(select(Officer.username).join(
            Token, Token.officer_id == Officer.id).where(Token.device_id == device_id)))


def standard_b64(key: Ed25519PrivateKey) -> str:
    return base64.b64encode(key.public_key().public_bytes_raw()).decode()


def a_laptop(server: RunningServer) -> tuple[str, Ed25519PrivateKey]:
    """Officer A's laptop, signed in once with its proof: its key is registered."""
    device = new_id()
    answer = device_proof.login(server.url, OFFICER_A, DEMO_PASSWORD, device)
    assert answer.status_code == 200, answer.text
    assert registered_key(server, device) == standard_b64(key_for(device))
    return device, key_for(device)


def test_another_officer_cannot_sign_in_naming_a_laptops_id_without_its_key(server):
    """B knows A's device id (it is in every bundle header) but not A's key: every
    way of signing in on it is refused 401 and no token is issued for it."""
    device, key_a = a_laptop(server)
    impostor = Ed25519PrivateKey.generate()
    no_proof = login(server.url, OFFICER_B, device)
    refused(no_proof, 401, "device_proof_required")
    own_key = device_proof.login(server.url, OFFICER_B, DEMO_PASSWORD, device, key=impostor)
    refused(own_key, 401, "device_proof_invalid")
    claims_a_key = login(server.url, OFFICER_B, device, device_key=public_b64(key_a),
                         **{k: v for k, v in device_proof.proof_fields(
                             server.url, device, OFFICER_B, key=impostor).items()
                            if k != "device_key"})
    refused(claims_a_key, 401, "device_proof_invalid")
    assert tokens_of(server, device) == {OFFICER_A}
    assert registered_key(server, device) == standard_b64(key_a)


def test_a_proof_cannot_be_replayed_or_moved(server):
    """A proof seen on the wire (a captive portal, a proxy log) is of no use again:
    the nonce is single use, bound to its device, and the signature to the username."""
    device, key_a = a_laptop(server)
    proof = device_proof.proof_fields(server.url, device, OFFICER_A)
    assert login(server.url, OFFICER_A, device, **proof).status_code == 200
    refused(login(server.url, OFFICER_A, device, **proof), 401, "device_proof_invalid")
    other = device_proof.proof_fields(server.url, device, OFFICER_A)
    refused(login(server.url, OFFICER_B, device, **other), 401, "device_proof_invalid")
    elsewhere = new_id()
    moved = device_proof.proof_fields(server.url, elsewhere, OFFICER_A, key=key_a)
    refused(login(server.url, OFFICER_A, device, **moved), 401, "device_proof_invalid")
    made_up = {**device_proof.proof_fields(server.url, device, OFFICER_A), "nonce": b64(b"x" * 32)}
    refused(login(server.url, OFFICER_A, device, **made_up), 401, "device_proof_invalid")
    assert tokens_of(server, device) == {OFFICER_A}


def test_an_expired_challenge_is_refused(server):
    """A nonce older than its five minutes no longer signs anyone in."""
    device, _ = a_laptop(server)
    proof = device_proof.proof_fields(server.url, device, OFFICER_A)
    with server.database.session() as session:
        session.execute(update(LoginChallenge).where(LoginChallenge.device_id == device)
                        .values(expires_at=utc_now() - timedelta(seconds=1)))
    refused(login(server.url, OFFICER_A, device, **proof), 401, "device_proof_invalid")


def test_a_new_device_needs_a_key_and_a_proof(server):
    """The first sign-in on a device id registers its key; without one it is refused."""
    device = new_id()
    refused(login(server.url, OFFICER_A, device), 401, "device_proof_required")
    key = Ed25519PrivateKey.generate()
    fields = device_proof.proof_fields(server.url, device, OFFICER_A, key=key)
    refused(login(server.url, OFFICER_A, device, **{**fields, "device_proof": b64(b"\0" * 64)}),
            401, "device_proof_invalid")
    refused(login(server.url, OFFICER_A, device, **{**fields, "device_key": "not-a-key"}),
            401, "device_proof_invalid")
    with server.database.session() as session:
        assert session.get(Device, device) is None  # nothing registered by a failed proof
    assert device_proof.login(server.url, OFFICER_A, DEMO_PASSWORD, device, key=key).status_code == 200
    assert registered_key(server, device) == standard_b64(key)


def test_several_officers_share_one_laptop(server):
    """A laptop is shared: every officer who signs in on it proves the same key."""
    device, _ = a_laptop(server)
    for username in (OFFICER_B, OFFICER_C):
        answer = device_proof.login(server.url, username, DEMO_PASSWORD, device)
        assert answer.status_code == 200, answer.text
        pulled = requests.get(f"{server.url}/v1/pull", timeout=10, headers={
            **HEADERS, "Authorization": f"Bearer {answer.json()['token']}"})
        assert pulled.status_code == 200, pulled.text
    assert tokens_of(server, device) == {OFFICER_A, OFFICER_B, OFFICER_C}


def test_another_officer_cannot_register_a_signing_key_for_a_laptop(server):
    """B's attack on the bundle signing key: with whatever token B can get (one for
    A's device id if the server hands it out, else B's own), registering B's key
    for A's device is refused and A's key stays."""
    device, key_a = a_laptop(server)
    impostor = Ed25519PrivateKey.generate()
    taken = device_proof.login(server.url, OFFICER_B, DEMO_PASSWORD, device, key=impostor)
    if taken.status_code != 200:  # refused, as it must be: B uses B's own laptop's token
        taken = device_proof.login(server.url, OFFICER_B, DEMO_PASSWORD, new_id())
    token = taken.json()["token"]
    answer = requests.post(f"{server.url}/v1/devices/{device}/signing-key", timeout=10,
                           headers={**HEADERS, "Authorization": f"Bearer {token}"},
                           json={"public_key": standard_b64(impostor)})
    assert answer.status_code in (403, 409), answer.text
    assert registered_key(server, device) == standard_b64(key_a)


def test_the_signing_key_route_accepts_only_the_registered_device_key(server):
    """Even on its own token, a device cannot swap its key for another (a stolen
    token alone cannot take the device over): only the key proven at sign-in."""
    device, key_a = a_laptop(server)
    token = device_proof.login(server.url, OFFICER_A, DEMO_PASSWORD, device).json()["token"]
    headers = {**HEADERS, "Authorization": f"Bearer {token}"}
    route = f"{server.url}/v1/devices/{device}/signing-key"
    other = Ed25519PrivateKey.generate()
    refused(requests.post(route, timeout=10, headers=headers,
                          json={"public_key": standard_b64(other)}), 409, "conflict")
    same = requests.post(route, timeout=10, headers=headers, json={"public_key": standard_b64(key_a)})
    assert same.status_code == 204, same.text  # the laptop's own confirmation still works
    assert registered_key(server, device) == standard_b64(key_a)


def test_a_device_known_before_the_proof_is_claimed_only_by_its_own_officers(server):
    """A laptop that signed in before protocol 2 has no key on the server yet: the
    first proof registers it, but only from an officer who held a token on that
    device, so B cannot claim A's older laptop either."""
    device = new_id()
    with server.database.session() as session:
        officer_a = session.scalar(select(Officer).where(Officer.username == OFFICER_A))
        session.add(Device(id=device, name="old laptop", registered_by=officer_a.id))
        session.flush()
        session.add(Token(token_hash=uuid.uuid4().hex * 2, officer_id=officer_a.id, device_id=device,
                          expires_at=utc_now() + timedelta(days=1)))
    refused(device_proof.login(server.url, OFFICER_B, DEMO_PASSWORD, device,
                               key=Ed25519PrivateKey.generate()), 401, "device_proof_invalid")
    assert registered_key(server, device) is None
    assert device_proof.login(server.url, OFFICER_A, DEMO_PASSWORD, device).status_code == 200
    assert registered_key(server, device) == standard_b64(key_for(device))
    assert device_proof.login(server.url, OFFICER_B, DEMO_PASSWORD, device).status_code == 200


def test_an_older_laptop_is_asked_to_upgrade_at_sign_in_but_keeps_syncing(server):
    """Protocol 1 laptops cannot prove their device: sign-in answers 426 (install the
    new version), while the token such a laptop already holds keeps working."""
    device, _ = a_laptop(server)
    token = device_proof.login(server.url, OFFICER_A, DEMO_PASSWORD, device).json()["token"]
    old = {p.PROTOCOL_HEADER: "1", p.SCHEMA_HEADER: "test"}
    answer = requests.post(f"{server.url}/v1/auth/login", headers=old, timeout=10, json={
        "username": OFFICER_A, "password": DEMO_PASSWORD, "device_id": device})
    body = refused(answer, 426, "upgrade_required")
    assert body.detail == {"min_protocol": p.MIN_LOGIN_PROTOCOL_VERSION}
    pulled = requests.get(f"{server.url}/v1/pull", timeout=10,
                          headers={**old, "Authorization": f"Bearer {token}"})
    assert pulled.status_code == 200, pulled.text


def test_challenges_are_bounded_per_address(server):
    """Asking for nonces without ever signing in cannot fill the database: past a
    bound of outstanding challenges per address the answer is 429."""
    statuses = [requests.post(f"{server.url}/v1/auth/challenge", headers=HEADERS, timeout=10,
                              json={"device_id": new_id()}).status_code for _ in range(80)]
    assert statuses.count(429) > 0 and set(statuses) <= {200, 429}
    with server.database.session() as session:
        outstanding = session.scalars(select(LoginChallenge)).all()
    assert len(outstanding) <= 64
    with server.database.session() as session:  # leave the address free for the other tests
        session.query(LoginChallenge).delete()
