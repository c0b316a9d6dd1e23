"""Bad input, sent by hand: every refusal is a 4xx with a readable ErrorBody
(or a rejected entry naming the field), nothing is stored, nothing is a 500,
and oversize bodies are refused before the server has read them whole."""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
from urllib.parse import urlsplit

import pytest
import requests
from server_calls import (
    HEADERS,
    MESUJI,
    Caller,
    attribution,
    business,
    change,
    cooperative,
    error_body,
    insert,
    last_seq,
    new_id,
    row,
    sign_in,
    stored_state,
)

from desktop_app import protocol as p

LIMIT = p.MAX_BODY_BYTES


@pytest.fixture(scope="module")
def officer_account(server) -> Caller:
    return sign_in(server.url, "petugas.tanggamus")


@pytest.fixture
def officer(server, officer_account) -> Caller:
    """The Tanggamus officer, on a laptop whose pushes are all settled so far."""
    officer_account.last_seq = last_seq(server, officer_account.device_id)
    return officer_account


def _entry(officer: Caller, **overrides) -> dict:
    return {"seq": officer.last_seq + 1,
            **change("business", "insert", business(officer), officer_id=officer.officer_id),
            **overrides}


def _push_body(officer: Caller, **entry_overrides) -> bytes:
    return json.dumps({"device_id": officer.device_id,
                       "changes": [_entry(officer, **entry_overrides)]}).encode()


def _refused_whole(server, officer: Caller, answer: requests.Response, status: int, code: str,
                   before: tuple[int, ...]) -> p.ErrorBody:
    body = error_body(answer, status, code)
    assert stored_state(server) == before
    assert last_seq(server, officer.device_id) == officer.last_seq
    return body


# --- malformed push bodies: 422 invalid, nothing stored ---------------------------

MALFORMED_PUSH = {
    "not json": lambda o: b'{"device_id": ',
    "empty body": lambda o: b"",
    "json array": lambda o: b"[]",
    "json null": lambda o: b"null",
    "not utf-8": lambda o: b'{"device_id": "\xff\xfe"}',
    "changes missing": lambda o: json.dumps({"device_id": o.device_id}).encode(),
    "changes not a list": lambda o: json.dumps({"device_id": o.device_id, "changes": {}}).encode(),
    "seq as word": lambda o: _push_body(o, seq="five"),
    "seq as fraction": lambda o: _push_body(o, seq=1.5),
    "seq zero": lambda o: _push_body(o, seq=0),
    "seq null": lambda o: _push_body(o, seq=None),
    "fields a list": lambda o: _push_body(o, fields=[1, 2]),
    "fields a string": lambda o: _push_body(o, fields="name=x"),
    "op unknown": lambda o: _push_body(o, op="upsert"),
    "hlc negative": lambda o: _push_body(o, hlc=-1),
    "row_id too short": lambda o: _push_body(o, row_id="abc"),
    "table name too long": lambda o: _push_body(o, table="t" * 41),
    "unknown key in change": lambda o: _push_body(o, colour="red"),
    "unknown key in body": lambda o: json.dumps({"device_id": o.device_id, "changes": [],
                                                 "force": True}).encode(),
    "device_id too short": lambda o: json.dumps({"device_id": "x", "changes": []}).encode(),
    "over 5000 changes": lambda o: json.dumps({"device_id": o.device_id, "changes": [
        _entry(o, seq=o.last_seq + n, fields={}) for n in range(1, 5002)]}).encode(),
}


@pytest.mark.parametrize("make", MALFORMED_PUSH.values(), ids=MALFORMED_PUSH.keys())
def test_a_malformed_push_is_422_and_stores_nothing(server, officer, make):
    """Malformed JSON, wrong types, out-of-range values, unknown keys: 422 invalid, nothing stored."""
    before = stored_state(server)
    answer = officer.post("/v1/push", data=make(officer), headers={"Content-Type": "application/json"})
    body = _refused_whole(server, officer, answer, 422, "invalid", before)
    assert body.detail.get("field")


@pytest.mark.parametrize(("key", "where"), [("colour", "changes.0.colour"), ("force", "force")])
def test_an_unknown_key_is_named(server, officer, key, where):
    """extra=forbid: the ErrorBody names exactly where the unknown key was."""
    entry = _entry(officer, **({key: 1} if key == "colour" else {}))
    payload = {"device_id": officer.device_id, "changes": [entry], **({key: 1} if key == "force" else {})}
    answer = officer.post("/v1/push", json=payload)
    assert error_body(answer, 422, "invalid").detail["field"] == where
    assert where in answer.json()["message_en"]


def test_pushing_for_another_device_is_forbidden(server, officer):
    """The body's device_id must be the token's device: otherwise 403, nothing stored."""
    before = stored_state(server)
    answer = officer.post("/v1/push", json={"device_id": new_id(), "changes": [_entry(officer)]})
    _refused_whole(server, officer, answer, 403, "forbidden", before)


# --- values that do not fit: that entry rejected, naming the field ------------------

UNFIT = {
    "members_male": ("cooperative", {"members_male": "many"}),
    "visit_date": ("umkm_survey", {"visit_date": "yesterday"}),
    "is_active": ("cooperative", {"is_active": 2}),
    "year_started": ("business", {"year_started": 1.5}),
    "owner_nik": ("business", {"owner_nik": "1" * 17}),
    "created_at": ("business", {"created_at": "kemarin sore"}),
    "name": ("business", {"name": None}),
    "no_such_column": ("business", {"no_such_column": "x"}),
    "members_female": ("cooperative", {"members_female": 10 ** 30}),
    "address": ("business", {"address": "Jl. Raya\x00"}),
}


@pytest.mark.parametrize("name", UNFIT)
def test_a_value_that_does_not_fit_its_column_is_rejected_by_name(server, officer, name):
    """A field of the wrong type, size or shape: a rejected entry with code invalid naming the
    field; the row is not stored and nothing is logged for it."""
    table, bad = UNFIT[name]
    good = {"cooperative": cooperative(officer),
            "business": business(officer),
            "umkm_survey": {"business_id": new_id(), "visit_date": "2026-11-20",
                            "regency_code": officer.regency, **attribution(officer)}}[table]
    entry = change(table, "insert", {**good, **bad}, officer_id=officer.officer_id)
    before = stored_state(server)
    answer = officer.push_ok(entry)
    [rejected] = answer["rejected"]
    assert (answer["applied"], rejected["code"], rejected["seq"]) == (0, "invalid", officer.last_seq)
    assert f"'{name}'" in rejected["message_en"] and f"'{name}'" in rejected["message_id"]
    assert stored_state(server) == before and row(server, table, entry["row_id"]) is None


def test_an_unknown_table_is_rejected(server, officer):
    """A change to a table the server does not sync (even a real one) is rejected as invalid."""
    before = stored_state(server)
    entries = [change("officer", "insert", {"username": "x"}),
               change("no_such_table", "insert", {"name": "x"})]
    answer = officer.push_ok(*entries)
    assert [r["code"] for r in answer["rejected"]] == ["invalid", "invalid"]
    assert "'officer'" in answer["rejected"][0]["message_en"]
    assert answer["acked_through"] == officer.last_seq and stored_state(server) == before


def test_a_clock_stamp_beyond_64_bits_is_rejected(server, officer):
    """An hlc the database cannot hold is a rejected entry, not a server error."""
    before = stored_state(server)
    entry = change("business", "insert", business(officer), officer_id=officer.officer_id)
    answer = officer.push_ok({**entry, "hlc": 2 ** 64})
    assert [r["code"] for r in answer["rejected"]] == ["invalid"]
    assert stored_state(server) == before


def test_an_update_cannot_change_a_row_id(server, officer):
    """A pushed 'id' field that differs from row_id is rejected; the row keeps its id."""
    shop, _ = insert(officer, "business", business(officer))
    answer = officer.push_ok(change("business", "update", {"id": new_id(), "name": "Baru"},
                                    row_id=shop))
    assert [r["code"] for r in answer["rejected"]] == ["invalid"]
    assert row(server, "business", shop)["name"] == "Keripik Pisang Ani"


def test_a_referential_error_is_rejected_not_raised(server, officer):
    """A visit of a business the server does not have, or a regency that does not exist: rejected."""
    before = stored_state(server)
    visit = change("umkm_survey", "insert", {"business_id": new_id(), "visit_date": "2026-11-20",
                                             "regency_code": officer.regency, **attribution(officer)})
    answer = officer.push_ok(visit, change("business", "update", {"name": "x", "regency_code": officer.regency},
                                                 row_id=new_id()))
    assert [r["code"] for r in answer["rejected"]] == ["invalid", "not_found"]
    assert stored_state(server) == before


# --- sign-in bodies -----------------------------------------------------------------

MALFORMED_LOGIN = {
    "not json": b"{",
    "username missing": json.dumps({"password": "x", "device_id": new_id()}).encode(),
    "device_id short": json.dumps({"username": "a", "password": "x", "device_id": "1"}).encode(),
    "password a number": json.dumps({"username": "a", "password": 1, "device_id": new_id()}).encode(),
    "empty username": json.dumps({"username": "", "password": "x", "device_id": new_id()}).encode(),
    "unknown key": json.dumps({"username": "a", "password": "x", "device_id": new_id(),
                               "role": "admin"}).encode(),
}


@pytest.mark.parametrize("raw", MALFORMED_LOGIN.values(), ids=MALFORMED_LOGIN.keys())
def test_a_malformed_sign_in_is_422(server, raw):
    """Sign-in bodies that do not fit LoginRequest: 422 invalid naming where."""
    answer = requests.post(f"{server.url}/v1/auth/login", data=raw, timeout=10,
                           headers={**HEADERS, "Content-Type": "application/json"})
    assert error_body(answer, 422, "invalid").detail["field"]


# --- size limits, gzip ----------------------------------------------------------------


def _raw_exchange(url: str, head: str, body_parts: list[bytes], wait: float = 10.0) -> tuple[int, bytes]:
    """Send a request head and some body bytes, never finishing the body; the status the
    server answers with while it still waits for the rest."""
    host, port = urlsplit(url).hostname, urlsplit(url).port
    sock = socket.create_connection((host, port), timeout=wait)

    def send() -> None:
        try:
            sock.sendall(head.encode())
            for part in body_parts:
                sock.sendall(part)
        except OSError:
            pass  # the server answered and closed early: what we want

    sender = threading.Thread(target=send, daemon=True)
    sender.start()
    received = b""
    try:
        while not _complete(received):
            chunk = sock.recv(65536)
            if not chunk:
                break
            received += chunk
        status = int(received.split(b" ", 2)[1])
        return status, received
    finally:
        sock.close()
        sender.join(timeout=5)


def _complete(response: bytes) -> bool:
    head, _, body = response.partition(b"\r\n\r\n")
    length = [line.split(b":")[1] for line in head.lower().split(b"\r\n")
              if line.startswith(b"content-length:")]
    return bool(length) and len(body) >= int(length[0])


def _head(officer: Caller, path: str, extra: str) -> str:
    lines = [f"POST {path} HTTP/1.1", f"Host: {urlsplit(officer.url).netloc}",
             f"Authorization: Bearer {officer.token}", f"{p.PROTOCOL_HEADER}: 1",
             "Content-Type: application/json", extra]
    return "\r\n".join(lines) + "\r\n\r\n"


def test_a_declared_oversize_body_is_413_before_it_is_sent(server, officer):
    """Content-Length over the limit: 413 at once, while the client has sent no body byte."""
    started = time.monotonic()
    status, raw = _raw_exchange(server.url, _head(officer, "/v1/push", f"Content-Length: {LIMIT + 1}"), [])
    assert status == 413 and b"too_large" in raw
    assert time.monotonic() - started < 5


def test_a_chunked_oversize_body_is_413_once_it_passes_the_limit(server, officer):
    """A chunked body with no length: 413 as soon as it passes the limit, the rest never sent."""
    part = b"x" * 65536
    chunks = [b"%x\r\n%s\r\n" % (len(part), part)] * (LIMIT // len(part) + 2)  # no final 0-chunk
    before = stored_state(server)
    status, raw = _raw_exchange(server.url, _head(officer, "/v1/push", "Transfer-Encoding: chunked"),
                                chunks)
    assert status == 413 and b"too_large" in raw
    assert stored_state(server) == before


def test_oversize_bodies_through_an_ordinary_client_are_413(server, officer):
    """The same through requests: a plain oversize push, a streamed one, an oversize sign-in."""
    big = b" " * (LIMIT + 1)
    error_body(officer.post("/v1/push", data=big), 413, "too_large")
    error_body(officer.post("/v1/push", data=iter([big[:LIMIT], b"  "])), 413, "too_large")
    answer = requests.post(f"{server.url}/v1/auth/login", data=b" " * (16 * 1024 + 1),
                           headers=HEADERS, timeout=10)
    error_body(answer, 413, "too_large")


def test_a_gzip_bomb_is_413(server, officer):
    """A small gzip body that would inflate past the limit is refused with 413, not inflated."""
    payload = json.dumps({"device_id": officer.device_id, "changes": [],
                          "pad": " " * LIMIT}).encode()
    bomb = gzip.compress(payload, 9)
    assert len(bomb) < 64 * 1024
    answer = officer.post("/v1/push", data=bomb, headers={"Content-Encoding": "gzip"})
    assert error_body(answer, 413, "too_large").detail["limit"] == LIMIT


def test_a_gzip_body_within_the_limit_is_accepted(server, officer):
    """Positive control: a gzip push of one change is applied."""
    body = gzip.compress(_push_body(officer))
    answer = officer.post("/v1/push", data=body, headers={"Content-Encoding": "gzip",
                                                          "Content-Type": "application/json"})
    assert answer.status_code == 200 and answer.json()["applied"] == 1, answer.text
    officer.last_seq += 1


@pytest.mark.parametrize("damage", ["not gzip", "flipped byte", "bad checksum", "truncated"])
def test_a_corrupt_gzip_body_is_422(server, officer, damage):
    """A damaged gzip body (not gzip, corrupted, wrong CRC, cut short) is 422 invalid."""
    good = bytearray(gzip.compress(_push_body(officer)))
    if damage == "not gzip":
        bad = bytes(_push_body(officer))
    elif damage == "flipped byte":
        good[len(good) // 2] ^= 0xFF
        bad = bytes(good)
    elif damage == "bad checksum":
        good[-8] ^= 0xFF
        bad = bytes(good)
    else:
        bad = bytes(good[:-8])
    before = stored_state(server)
    answer = officer.post("/v1/push", data=bad, headers={"Content-Encoding": "gzip"})
    _refused_whole(server, officer, answer, 422, "invalid", before)


# --- headers and query strings ----------------------------------------------------------


def _calls(server, officer: Caller, headers: dict[str, str]) -> dict[str, requests.Response]:
    auth = {"Authorization": f"Bearer {officer.token}", **headers}
    url = server.url
    return {
        "login": requests.post(f"{url}/v1/auth/login", headers=headers, timeout=10, json={
            "username": "petugas.tanggamus", "password": "x", "device_id": new_id()}),
        "push": requests.post(f"{url}/v1/push", headers=auth, timeout=10,
                              json={"device_id": officer.device_id, "changes": []}),
        "pull": requests.get(f"{url}/v1/pull", headers=auth, timeout=10),
        "conflicts": requests.get(f"{url}/v1/conflicts", headers=auth, timeout=10),
        "revoke": requests.post(f"{url}/v1/devices/{new_id()}/revoke", headers=auth, timeout=10),
        "logout": requests.post(f"{url}/v1/auth/logout", headers=auth, timeout=10),
    }


@pytest.mark.parametrize("version", [None, "0", "-1"])
def test_a_missing_or_old_protocol_header_is_426_everywhere(server, officer, version):
    """Without X-Tapis-Protocol (or with an old one) every /v1 route answers 426 upgrade_required."""
    headers = {} if version is None else {p.PROTOCOL_HEADER: version}
    for name, answer in _calls(server, officer, headers).items():
        body = error_body(answer, 426, "upgrade_required")
        oldest = p.MIN_LOGIN_PROTOCOL_VERSION if name == "login" else p.MIN_PROTOCOL_VERSION
        assert body.detail == {"min_protocol": oldest}, name
    assert officer.pull().status_code == 200  # the token survived (logout was refused too)


def test_a_garbled_protocol_header_is_a_4xx(server, officer):
    """A protocol header that is not a number is refused with a 4xx ErrorBody, never served."""
    for name, answer in _calls(server, officer, {p.PROTOCOL_HEADER: "satu"}).items():
        assert 400 <= answer.status_code < 500, name
        p.ErrorBody.model_validate(answer.json())


@pytest.mark.parametrize("query", [
    {"cursor": -1}, {"limit": 0}, {"limit": 1001}, {"limit": -5}, {"cursor": "abc"},
    {"cursor": 1.5}, {"scope": "province"}, {"scope": ""}, {"cursor": 2 ** 64},
    {"cursor": 10 ** 30}])
def test_a_bad_pull_query_is_422(server, officer, query):
    """Negative cursor, limit 0 or too big, non-numbers, unknown scopes, cursors past 64 bits: 422."""
    answer = officer.get("/v1/pull", **query)
    assert error_body(answer, 422, "invalid").detail.get("field") or query.get("scope")


def test_the_largest_pull_cursor_is_an_empty_page(server, officer):
    """Positive control: the largest 64-bit cursor is valid and answers an empty last page."""
    answer = officer.get("/v1/pull", cursor=2 ** 63 - 1)
    assert answer.status_code == 200, answer.text
    assert answer.json()["changes"] == [] and answer.json()["has_more"] is False


def test_a_mesuji_row_in_a_bad_batch_is_still_refused(server, officer):
    """Bad and out-of-scope entries in one batch: each gets its own rejection, the good one applies."""
    entries = [change("business", "insert", business(officer, MESUJI)),
               change("cooperative", "insert", cooperative(officer, members_male="many")),
               change("business", "insert", business(officer))]
    answer = officer.push_ok(*entries)
    assert [r["code"] for r in answer["rejected"]] == ["forbidden", "invalid"]
    assert answer["applied"] == 1 and row(server, "business", entries[2]["row_id"])
