"""One service call is one unit of work: its change-log entries share one txn,
so a push never splits them, and the next call gets a new txn."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from services_forms import TODAY, business_form, survey_form

from desktop_app.services import records
from desktop_app.services.context import Actor
from desktop_app.store import Store

Log = Callable[[], list[dict[str, Any]]]


def test_one_save_is_one_txn(store: Store, actor: Actor, log: Log) -> None:
    """Registering a business writes its log entries under one txn, stamped with the officer."""
    saved = records.save(store, actor, "business", business_form(), today=TODAY).record
    entries = log()
    assert entries and {e["txn"] for e in entries} == {entries[0]["txn"]}
    assert {(e["row_id"], e["op"], e["officer_id"]) for e in entries} == \
        {(saved["id"], "insert", actor.officer_id)}
    assert "1871014101900001" in entries[0]["fields"].values()  # the log carries the row itself


def test_two_saves_have_different_txns(store: Store, actor: Actor, log: Log) -> None:
    """Two businesses saved one after the other are two units of work."""
    records.save(store, actor, "business", business_form(), today=TODAY)
    records.save(store, actor, "business", business_form(name="Kain Tapis Dewi"), today=TODAY)
    txns = [e["txn"] for e in log()]
    assert len(txns) == 2 and txns[0] != txns[1]


def test_a_correction_writes_its_entries_in_one_txn(store: Store, actor: Actor, log: Log,
                                                    business_id: str) -> None:
    """Supersede inserts the draft and links it to the original: both entries in one txn."""
    draft = records.save(store, actor, "umkm_survey", survey_form(business_id), today=TODAY).record
    records.finalise(store, actor, "umkm_survey", draft["id"], today=TODAY)
    seen = len(log())
    new = records.supersede(store, actor, "umkm_survey", draft["id"], today=TODAY).record
    entries = log()[seen:]
    assert {e["row_id"] for e in entries} == {new["id"]}
    assert len({e["txn"] for e in entries}) == 1
    folded = {k: v for e in entries for k, v in e["fields"].items()}
    assert folded["supersedes_id"] == draft["id"]


def test_a_batch_is_one_txn(store: Store, actor: Actor, log: Log) -> None:
    """An import of three businesses is one unit of work."""
    items = [(business_form(name=n), False) for n in ("Pempek Yuli", "Madu Hutan Eka", "Lada Made")]
    records.save_batch(store, actor, "business", items, today=TODAY)
    entries = log()
    assert len(entries) == 3 and len({e["txn"] for e in entries}) == 1
