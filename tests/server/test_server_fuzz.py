"""Generated input against a real server, SQLite and PostgreSQL: whatever a
client sends to sign-in, push, pull or the conflict list, the answer is
never a 5xx, and every refusal is a well-formed ErrorBody."""

from __future__ import annotations

import gzip
import json
from typing import Any

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from server_calls import HEADERS, Caller, business, cooperative, last_seq, new_id, sign_in

from desktop_app.models import Base, synced_tables
from desktop_app import protocol as p

FUZZ = settings(max_examples=150, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])

COLUMNS = sorted({c.name for t in synced_tables() for c in Base.metadata.tables[t].columns})
TABLES = sorted(synced_tables()) + ["officer", "region", "applied_change"]

# Scalars that stress a database as much as a parser: NUL, huge integers, odd floats.
scalars = st.one_of(
    st.none(), st.booleans(),
    st.integers(), st.integers(min_value=2 ** 62, max_value=2 ** 80), st.sampled_from([-1, 0, 1, 2]),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=30),
    st.sampled_from(["", "\x00", "2026-11-20", "2026-11-20T08:00:00.000Z", "yesterday", "18.06",
                     "18.11", "simpan_pinjam", '["qris","tunai"]', "x" * 300]),
)
json_values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                           | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=6)


def _rarely(odd: st.SearchStrategy[Any], usual: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """`usual` nine times in ten, else `odd`: enough well-formed entries reach the merge."""
    return st.sampled_from([False] * 9 + [True]).flatmap(lambda odd_one: odd if odd_one else usual)


def _maybe(plausible: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly a plausible value, sometimes anything at all."""
    return _rarely(json_values, plausible)


def _record(caller: Caller) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    """A valid insert of a business or cooperative with a few fields replaced by odd values,
    so that generated values get past parsing and reach the database."""
    templates = [("business", business(caller)), ("cooperative", cooperative(caller))]
    return st.tuples(st.sampled_from(templates),
                     st.dictionaries(st.sampled_from(COLUMNS), scalars, max_size=2)).map(
        lambda pair: (pair[0][0], {**pair[0][1], **pair[1]}))


def _change(caller: Caller) -> st.SearchStrategy[dict[str, Any]]:
    fields = st.dictionaries(st.one_of(st.sampled_from(COLUMNS), st.text(max_size=8)),
                             _maybe(scalars), max_size=8)
    return st.one_of(_odd_change(caller, fields), _record(caller).flatmap(
        lambda record: _odd_change(caller, st.just(record[1]), st.just(record[0]))))


def _odd_change(caller: Caller, fields: st.SearchStrategy[Any],
                table: st.SearchStrategy[str] = st.sampled_from(TABLES)) -> st.SearchStrategy[dict[str, Any]]:
    entry = st.fixed_dictionaries({
        "seq": _maybe(st.integers(min_value=-1, max_value=12)),
        "change_id": _maybe(st.builds(new_id)),
        "txn": _maybe(st.integers(min_value=0, max_value=5)),
        "table": _maybe(table),
        "row_id": _maybe(st.builds(new_id)),
        "op": _maybe(st.sampled_from(["insert", "update", "delete"])),
        "fields": _maybe(fields),
        "hlc": _maybe(_rarely(st.integers(min_value=2 ** 62, max_value=2 ** 66),
                              st.integers(min_value=0, max_value=2 ** 60))),
        "officer_id": _maybe(st.just(caller.officer_id)),
        "base_seq": _maybe(st.integers(min_value=0, max_value=2 ** 64)),
    })
    # Rarely drop a required key or add an unknown one.
    dropped = _rarely(st.sampled_from(["seq", "fields", "op", None]), st.none())
    added = _rarely(st.dictionaries(st.sampled_from(["colour", "table_name"]), json_values,
                                    min_size=1), st.just({}))
    return st.tuples(entry, dropped, added).map(
        lambda t: {**{k: v for k, v in t[0].items() if k != t[1]}, **t[2]})


@pytest.fixture(scope="module")
def officer(any_server) -> Caller:
    return sign_in(any_server.url, "petugas.tanggamus")


@pytest.fixture(scope="module")
def supervisor(any_server) -> Caller:
    return sign_in(any_server.url, "supervisor.tanggamus")


def _never_5xx(answer: requests.Response) -> None:
    assert answer.status_code < 500, (answer.status_code, answer.text[:500])
    if answer.status_code >= 400:
        body = p.ErrorBody.model_validate(answer.json())
        assert body.message_id and body.message_en


@given(data=st.data())
@FUZZ
def test_generated_pushes_never_get_a_5xx(any_server, officer, data):
    """Random push bodies (wrong types, missing or unknown keys, odd values, gzip or not): never 5xx."""
    changes = data.draw(st.lists(_change(officer), max_size=4))
    if data.draw(st.booleans()):  # often in sequence, so the generated entries reach the merge
        start = last_seq(any_server, officer.device_id) or 0
        changes = [{**c, "seq": start + n} for n, c in enumerate(changes, 1)]
    body: Any = {"device_id": data.draw(_maybe(st.just(officer.device_id))), "changes": changes}
    body = data.draw(_rarely(json_values, st.just(body)))
    raw = json.dumps(body).encode()
    raw = data.draw(_rarely(st.sampled_from([b"", raw[: len(raw) // 2], b"\x1f\x8b\x08garbage"]),
                            st.just(raw)))
    headers = {"Content-Type": "application/json"}
    if data.draw(st.booleans()):
        raw, headers["Content-Encoding"] = gzip.compress(raw), "gzip"
    answer = officer.post("/v1/push", data=raw, headers=headers)
    _never_5xx(answer)
    if answer.status_code == 200:
        p.PushResponse.model_validate(answer.json())


@given(data=st.data())
@FUZZ
def test_generated_values_in_well_formed_pushes_never_get_a_5xx(any_server, officer, data):
    """Well-formed batches, in sequence, of inserts and updates whose values are odd (huge
    integers and stamps, NUL, wrong types, long text): each entry applied or rejected, never 5xx."""
    start = last_seq(any_server, officer.device_id) or 0
    records = data.draw(st.lists(_record(officer), min_size=1, max_size=3))
    changes = [{"seq": start + n, "change_id": new_id(), "txn": 1, "table": table,
                "row_id": new_id(), "op": data.draw(st.sampled_from(["insert", "insert", "update"])),
                "fields": fields, "officer_id": officer.officer_id,
                "hlc": data.draw(st.one_of(st.integers(0, 2 ** 60), st.integers(2 ** 62, 2 ** 66))),
                "base_seq": data.draw(st.integers(0, 2 ** 64))}
               for n, (table, fields) in enumerate(records, 1)]
    answer = officer.post("/v1/push", json={"device_id": officer.device_id, "changes": changes})
    _never_5xx(answer)
    if answer.status_code == 200:
        settled = p.PushResponse.model_validate(answer.json())
        assert settled.applied + len(settled.rejected) == len(changes)


@given(body=st.one_of(
    json_values,
    st.fixed_dictionaries({
        "username": _maybe(st.sampled_from(["petugas.tanggamus", "admin.provinsi", "x\x00", ""])),
        "password": _maybe(st.sampled_from(["tapis-demo-2026", "salah", ""])),
        "device_id": _maybe(st.one_of(st.builds(new_id), st.just("\x00" * 36))),
    }, optional={"device_name": _maybe(st.text(max_size=120)), "role": json_values}),
))
@settings(FUZZ, max_examples=60)
def test_generated_sign_ins_never_get_a_5xx(any_server, body):
    """Random sign-in bodies: a 200, a 401 or a 4xx ErrorBody, never a 5xx."""
    answer = requests.post(f"{any_server.url}/v1/auth/login", data=json.dumps(body), timeout=10,
                           headers={**HEADERS, "Content-Type": "application/json"})
    _never_5xx(answer)


query_values = st.one_of(st.text(max_size=12), st.integers(min_value=-2 ** 70, max_value=2 ** 70)
                         .map(str), st.sampled_from(["regency", "own", "reference", "0", "1000",
                                                    "1001", "-1", "1e3", "%00", "\x00",
                                                    str(2 ** 63 - 1), str(2 ** 63), str(10 ** 20)]))


@given(params=st.dictionaries(st.one_of(st.sampled_from(["scope", "cursor", "limit"]),
                                        st.text(max_size=6)), query_values, max_size=4))
@FUZZ
def test_generated_pull_queries_never_get_a_5xx(officer, params):
    """Random pull query strings: a PullResponse or a 4xx ErrorBody, never a 5xx."""
    answer = officer.get("/v1/pull", **params)
    _never_5xx(answer)
    if answer.status_code == 200:
        p.PullResponse.model_validate(answer.json())


@given(status=query_values, device=st.one_of(st.text(min_size=1, max_size=40), st.builds(new_id)))
@settings(FUZZ, max_examples=60)
def test_generated_conflict_and_revoke_requests_never_get_a_5xx(supervisor, status, device):
    """Random conflict filters and device ids to revoke: never a 5xx."""
    _never_5xx(supervisor.get("/v1/conflicts", status=status))
    path = requests.utils.quote(device, safe="")
    _never_5xx(supervisor.post(f"/v1/devices/{path}/revoke"))
