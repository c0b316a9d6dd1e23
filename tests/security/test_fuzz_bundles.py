"""Hypothesis fuzzing of sync bundles (issue 11): headers and content that an
insider can seal and sign with their own registered key, and random byte
damage. Whatever comes, the server answers no 5xx, a refusal is a
well-formed ErrorBody, a refused bundle stores nothing, and every row a
bundle did store passes the shared change rules (the store check)."""

from __future__ import annotations

import base64
import json
import os
import struct
import uuid
import zlib
from typing import Any

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from desktop_app import protocol as p
from desktop_app.models import Base, synced_tables
from desktop_app.models.rules.changes import change_problems, read_codes
from desktop_app.models.types import utc_now
from desktop_app.protocol import bundle
from server.laptop_schema import laptop_schemas
from tests.security.ingest_calls import Insider, any_server, full_business, insider  # noqa: F401
from tests.server.server_calls import new_id, stored_state

FUZZ = settings(max_examples=20, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
COLUMNS = sorted({c.name for t in synced_tables() for c in Base.metadata.tables[t].columns})
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=2 ** 62, max_value=2 ** 70),
    st.floats(), st.text(max_size=20),
    st.sampled_from(["", "\x00", "abc", "18.06", "18.71", "18.71.01", "1806014506900001",
                     "2026-11-20", "2026-11-20T08:00:00.000Z", "x" * 600, '["qris"]']))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=6), inner, max_size=3), max_leaves=5)


def _odd(usual: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.sampled_from([False] * 4 + [True]).flatmap(lambda odd: values if odd else usual)


def seal_document(caller: Insider, header_fields: dict[str, Any], document: bytes) -> bytes:
    """Sealed exactly as a laptop seals, but with any header and content."""
    key_id, key = next(iter(caller.bundle_keys.items()))
    nonce = os.urandom(12)
    fields = {"format": bundle.FORMAT_VERSION, "protocol": p.PROTOCOL_VERSION,
              "schema_revision": laptop_schemas().head, "bundle_id": str(uuid.uuid4()),
              "device_id": caller.device_id, "officer_id": caller.officer_id,
              "regency_code": caller.regency, "created_at": "2026-11-23T10:00:00.000Z",
              "first_seq": caller.last_seq + 1, "last_seq": caller.last_seq + 1, "changes": 1,
              "photos": 0, "key_id": key_id, "nonce": base64.b64encode(nonce).decode(),
              "signing_key": base64.b64encode(
                  caller.signer.public_key().public_bytes_raw()).decode(), **header_fields}
    raw = json.dumps({k: v for k, v in fields.items() if v is not _DROP},
                     sort_keys=True, separators=(",", ":")).encode()
    head = bundle.MAGIC + struct.pack(">I", len(raw)) + raw
    packed = zlib.compress(document)
    plain = struct.pack(">I", len(packed)) + packed
    sealed = head + AESGCM(key).encrypt(nonce, plain, head)
    return sealed + caller.signer.sign(sealed)


_DROP = object()
HEADER_KEYS = ["format", "protocol", "schema_revision", "bundle_id", "device_id", "officer_id",
               "regency_code", "created_at", "first_seq", "last_seq", "changes", "photos",
               "key_id", "signing_key", "extra"]


def _entry(caller: Insider) -> st.SearchStrategy[dict[str, Any]]:
    template = st.sampled_from([("business", full_business(caller)),
                                ("business", full_business(caller, regency_code="18.71"))])
    fields = st.tuples(template, st.dictionaries(st.sampled_from(COLUMNS), scalars, max_size=2)
                       ).map(lambda pair: {**pair[0][1], **pair[1]})
    return st.fixed_dictionaries({
        "seq": _odd(st.just(caller.last_seq + 1)), "change_id": st.builds(new_id),
        "txn": _odd(st.just(1)), "table": _odd(st.sampled_from(["business", "cooperative"])),
        "row_id": _odd(st.builds(new_id)),
        "op": _odd(st.sampled_from(["insert", "update", "delete"])),
        "fields": _odd(fields), "hlc": _odd(st.integers(min_value=0, max_value=2 ** 60)),
        "officer_id": _odd(st.just(caller.officer_id)), "base_seq": st.just(0)})


def _assert_sound(server, caller: Insider, answer, before) -> None:  # type: ignore[no-untyped-def]
    assert answer.status_code < 500, answer.text
    if answer.status_code != 200:
        p.ErrorBody.model_validate(answer.json())
        assert stored_state(server) == before
        return
    result = p.BundleResult.model_validate(answer.json())
    caller.last_seq = max(caller.last_seq, result.acked_through)
    table = Base.metadata.tables["business"]
    with server.database.session() as session:
        codes = read_codes(session)
        for row in session.execute(select(table)).mappings():
            problems = change_problems(table, "insert", row["id"], dict(row), None, codes=codes,
                                       today=utc_now().date())
            assert not problems, problems


def test_fuzzed_bundle_content(any_server):
    caller = insider(any_server.url, "petugas.tanggamus")

    @FUZZ
    @given(entries=st.lists(_entry(caller), min_size=1, max_size=2),
           extra=st.sampled_from([None, "device", "count", "key"]))
    def run(entries, extra):  # type: ignore[no-untyped-def]
        for n, entry in enumerate(entries):
            if isinstance(entry.get("seq"), int) and entry["seq"] == caller.last_seq + 1:
                entry["seq"] += n
        document: dict[str, Any] = {"device_id": caller.device_id, "changes": entries,
                                    "photos": []}
        if extra == "device":
            document["device_id"] = new_id()
        if extra == "key":
            document["surprise"] = 1
        header = {"changes": len(entries) + (1 if extra == "count" else 0),
                  "last_seq": caller.last_seq + len(entries)}
        before = stored_state(any_server)
        answer = caller.send_bundle(seal_document(
            caller, header, json.dumps(document, allow_nan=True).encode()))
        _assert_sound(any_server, caller, answer, before)

    run()


def test_fuzzed_bundle_headers(any_server):
    caller = insider(any_server.url, "petugas.tanggamus")
    document = json.dumps({"device_id": caller.device_id, "changes": [], "photos": []}).encode()

    @FUZZ
    @given(changed=st.dictionaries(st.sampled_from(HEADER_KEYS),
                                   st.one_of(values, st.just(_DROP)), min_size=1, max_size=3))
    def run(changed):  # type: ignore[no-untyped-def]
        header = {"changes": 0, **changed}
        before = stored_state(any_server)
        answer = caller.send_bundle(seal_document(caller, header, document))
        _assert_sound(any_server, caller, answer, before)

    run()


def test_damaged_bytes(any_server):
    caller = insider(any_server.url, "petugas.tanggamus")
    good = caller.seal([{"change_id": new_id(), "txn": 1, "table": "business", "row_id": new_id(),
                         "op": "insert", "fields": full_business(caller), "hlc": 1 << 40,
                         "officer_id": caller.officer_id}])

    @FUZZ
    @given(at=st.integers(min_value=0, max_value=len(good) - 1),
           byte=st.integers(min_value=1, max_value=255), cut=st.integers(min_value=0, max_value=3))
    def run(at, byte, cut):  # type: ignore[no-untyped-def]
        damaged = bytearray(good)
        damaged[at] ^= byte
        data = bytes(damaged)[:len(damaged) - cut * 7] if cut else bytes(damaged)
        before = stored_state(any_server)
        answer = caller.send_bundle(data)
        assert 400 <= answer.status_code < 500, answer.text
        p.ErrorBody.model_validate(answer.json())
        assert stored_state(any_server) == before

    run()
