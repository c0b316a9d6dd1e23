"""Issue 11, items 3 (server side), 6 (text lengths) and 10: every pushed
change is checked with the shared models' rules and refused with the field
and the reason, nothing of it stored; an insert is a complete row and a pull
carries the row as stored.

Each attack is an insider's: their own token, their own regency, a raw push
of what no honest laptop would send.
"""

from __future__ import annotations

import json
import math

import pytest

from desktop_app.models import Base
from desktop_app.models.lengths import ADDRESS_MAX, NOTES_MAX, max_length
from tests.security.ingest_calls import any_server, full_business, insert_change, insider  # noqa: F401
from tests.server.server_calls import change, new_id, row, stored_state

BAD_FIELDS = [
    ("owner_nik", "abc"),
    ("owner_nik", "1806014506900000"),  # serial 0000
    ("owner_nik", "9906014506900001"),  # no such province
    ("nib", "12345"),
    ("district_code", "18.71.01"),  # a district of Kota Bandar Lampung, in Tanggamus
    ("regency_code", "18.99"),
    ("village_code", "18.71.01.1001"),
    ("kbli_section", "ZZ"),
    ("address", "x" * (ADDRESS_MAX + 1)),
    ("year_started", -5),
    ("name", "   "),
    ("name", None),
]


@pytest.mark.parametrize(("field", "value"), BAD_FIELDS, ids=[f"{f}={str(v)[:12]}" for f, v in BAD_FIELDS])
def test_a_bad_business_field_is_refused_and_named(any_server, field, value):
    me = insider(any_server.url, "petugas.tanggamus", register=False)
    entry = insert_change(me, "business", full_business(me, **{field: value}))
    before = stored_state(any_server)
    answer = me.push_ok(entry)
    assert answer["applied"] == 0 and len(answer["rejected"]) == 1, answer
    refused = answer["rejected"][0]
    assert field in refused["message_en"] and field in refused["message_id"], refused
    assert "abc" not in refused["message_en"] or field != "owner_nik"
    assert row(any_server, "business", entry["row_id"]) is None
    assert stored_state(any_server)[:-2] == before[:-2]  # no row, no applied change


def test_a_non_uuid_row_id_is_refused(any_server):
    me = insider(any_server.url, "petugas.tanggamus", register=False)
    entry = insert_change(me, "business", full_business(me), row_id="x" * 36)
    answer = me.push_ok(entry)
    assert answer["applied"] == 0 and "'id'" in answer["rejected"][0]["message_en"]


@pytest.mark.parametrize("number", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused(any_server, number):
    """A survey's latitude NaN / Infinity (JSON allows neither, Python's
    parser both): refused naming the field."""
    me = insider(any_server.url, "petugas.tanggamus", register=False)
    business_id = new_id()
    assert me.push_ok(insert_change(me, "business", full_business(me), row_id=business_id))[
        "applied"] == 1
    survey = {"business_id": business_id, "visit_date": "2026-11-20", "regency_code": me.regency,
              "status": "draft", "latitude": number, "longitude": 105.0,
              "created_by": me.officer_id, "officer_id": me.officer_id, "device_id": me.device_id}
    entry = insert_change(me, "umkm_survey", survey)
    body = json.dumps({"device_id": me.device_id, "changes": [{"seq": me.last_seq + 1, **entry}]})
    answer = me.post("/v1/push", data=body.encode(), headers={"Content-Type": "application/json"})
    assert answer.status_code in (200, 422), answer.text
    if answer.status_code == 200:
        result = answer.json()
        assert result["applied"] == 0 and "latitude" in result["rejected"][0]["message_en"]
    assert row(any_server, "umkm_survey", entry["row_id"]) is None


def test_a_visit_in_another_regency_than_the_officer_is_refused(any_server):
    me = insider(any_server.url, "petugas.tanggamus", register=False)
    entry = insert_change(me, "business", full_business(me, regency_code="18.71"))
    answer = me.push_ok(entry)
    assert answer["applied"] == 0 and answer["rejected"][0]["code"] == "forbidden"


def test_an_incomplete_insert_is_refused_naming_the_missing_field(any_server):
    """No owner_nik (required, no default): refused, nothing stored."""
    me = insider(any_server.url, "petugas.tanggamus", register=False)
    fields = full_business(me)
    del fields["owner_nik"]
    entry = insert_change(me, "business", fields)
    answer = me.push_ok(entry)
    assert answer["applied"] == 0 and "owner_nik" in answer["rejected"][0]["message_en"]
    assert row(any_server, "business", entry["row_id"]) is None


def test_an_insert_without_defaulted_columns_is_pulled_as_a_complete_row(any_server):
    """The reported attack: an insert leaving out phone, address, village,
    created_at, updated_at was stored with defaults but pulled with only
    the pushed fields; every laptop failed on NOT NULL. Now the server
    completes it with the models' defaults and the pull carries every column."""
    me = insider(any_server.url, "petugas.tanggamus", register=False)
    fields = full_business(me)
    for name in ("phone", "address", "village", "created_at", "updated_at"):
        del fields[name]
    entry = insert_change(me, "business", fields)
    assert me.push_ok(entry)["applied"] == 1
    colleague = insider(any_server.url, "supervisor.tanggamus", register=False)
    pulled = [c for c in colleague.pull().json()["changes"] if c["row_id"] == entry["row_id"]]
    assert len(pulled) == 1
    columns = set(Base.metadata.tables["business"].columns.keys())
    assert set(pulled[0]["fields"]) == columns
    assert pulled[0]["fields"]["phone"] == "" and pulled[0]["fields"]["created_at"]
    stored = row(any_server, "business", entry["row_id"])
    assert stored["phone"] == "" and stored["address"] == ""


def test_text_lengths_are_in_the_models_and_refused_past_them(any_server):
    """Every text column of a synced table has a maximum length; a note one
    character too long is refused naming the field."""
    for table in ("business", "cooperative", "aid_applicant", "umkm_survey",
                  "cooperative_audit", "aid_verification", "attachment"):
        for column in Base.metadata.tables[table].columns:
            if column.type.python_type is str and column.name not in ("id",):
                assert max_length(column), (table, column.name)
    me = insider(any_server.url, "petugas.tanggamus", register=False)
    business_id = new_id()
    me.push_ok(insert_change(me, "business", full_business(me), row_id=business_id))
    survey = {"business_id": business_id, "visit_date": "2026-11-20",
              "regency_code": me.regency, "notes": "n" * (NOTES_MAX + 1),
              "created_by": me.officer_id, "officer_id": me.officer_id, "device_id": me.device_id}
    answer = me.push_ok(insert_change(me, "umkm_survey", survey))
    assert answer["applied"] == 0 and "notes" in answer["rejected"][0]["message_en"]


def test_an_update_may_not_break_a_rule_either(any_server):
    """A valid row, then an update setting its NIK to 'abc' or its district
    to another regency's: refused, the stored row unchanged."""
    me = insider(any_server.url, "petugas.tanggamus", register=False)
    entry = insert_change(me, "business", full_business(me))
    me.push_ok(entry)
    for fields in ({"owner_nik": "abc"}, {"district_code": "18.71.01"}, {"name": ""}):
        answer = me.push_ok(change("business", "update", fields, row_id=entry["row_id"],
                                   officer_id=me.officer_id))
        assert answer["applied"] == 0 and next(iter(fields)) in answer["rejected"][0]["message_en"]
    stored = row(any_server, "business", entry["row_id"])
    assert stored["owner_nik"] == "1806014506900001" and stored["district_code"] is None


def test_a_settled_conflict_value_keeps_the_rules(any_server):
    """Two laptops disagree on an owner's NIK (an audit field: an open
    conflict); the supervisor cannot settle it with 'abc' (422 naming the
    field), and can with a well-formed NIK."""
    first = insider(any_server.url, "petugas.tanggamus", register=False)
    second = insider(any_server.url, "petugas.tanggamus", register=False)
    entry = insert_change(first, "business", full_business(first))
    first.push_ok(entry)
    first.push_ok(change("business", "update", {"owner_nik": "1806014506900002"},
                         row_id=entry["row_id"], officer_id=first.officer_id))
    answer = second.push_ok(change("business", "update", {"owner_nik": "1806014506900003"},
                                   row_id=entry["row_id"], officer_id=second.officer_id))
    assert answer["conflicts"] == 1, answer
    supervisor = insider(any_server.url, "supervisor.tanggamus", register=False)
    listed = [c for c in supervisor.get("/v1/conflicts", status="open").json()
              if c["row_id"] == entry["row_id"]]
    assert len(listed) == 1
    settle = f"/v1/conflicts/{listed[0]['id']}/settle"
    refused = supervisor.post(settle, json={"value": "abc"})
    assert refused.status_code == 422 and refused.json()["detail"]["field"] == "owner_nik"
    assert row(any_server, "business", entry["row_id"])["owner_nik"] == "1806014506900002"
    settled = supervisor.post(settle, json={"value": "1806014506900003"})
    assert settled.status_code == 200, settled.text
