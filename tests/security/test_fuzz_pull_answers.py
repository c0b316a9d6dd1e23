"""Issue 11: Hypothesis fuzzing of the pull answers a laptop receives. A fake
server on loopback answers the real client and engine with generated pages:
any JSON at all, or pull pages whose changes mix good rows with unknown
tables and columns, SQL in names, ids that are not UUIDs, values of every
wrong type, NaN, huge integers and missing fields. After each answer: no
exception but the sync's own bilingual errors, no ill-typed or incomplete
row stored, the cursor moved past a well-formed page, and the store check
passes. Bounded to run in well under 20 s."""

from __future__ import annotations

import json
import math
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.models import Base, synced_tables
from desktop_app.protocol.wire import WireError, to_python
from desktop_app.store import inbox, migrate, open_store
from desktop_app.store.check import run as check_store
from desktop_app.sync.client import SyncClient, SyncError
from desktop_app.sync.engine import SyncEngine
from tests.support.hostile_server import Script, business_fields, hostile, page

BUSINESS = Base.metadata.tables["business"]
COLUMNS = [c.name for c in BUSINESS.columns]

values = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-2**70, max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
    st.just("x" * 300), st.lists(st.text(max_size=3), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))
names = st.one_of(st.sampled_from(COLUMNS), st.text(max_size=12),
                  st.just('name" = (SELECT secret FROM bundle_key), "phone'))


@st.composite
def changes(draw: st.DrawFn, seq: int) -> dict[str, Any]:
    fields = business_fields(draw(st.text(min_size=1, max_size=20)))
    for _ in range(draw(st.integers(0, 3))):  # mutations of a good row
        how = draw(st.sampled_from(["drop", "set", "add"]))
        if how == "drop" and fields:
            fields.pop(draw(st.sampled_from(sorted(fields))))
        elif how == "set":
            fields[draw(st.sampled_from(COLUMNS))] = draw(values)
        else:
            fields[draw(names)] = draw(values)
    return {"server_seq": seq,
            "table": draw(st.sampled_from(["business", "business", "cooperative", "bogus",
                                           'business" --'])),
            "row_id": draw(st.one_of(st.builds(lambda: str(uuid.uuid4())), st.text(max_size=40))),
            "op": draw(st.sampled_from(["insert", "insert", "update", "delete"])),
            "fields": fields, "hlc": draw(st.integers(0, 2**62)),
            "device_id": str(uuid.uuid4()), "officer_id": None}


@st.composite
def pages(draw: st.DrawFn) -> Any:
    if draw(st.integers(0, 4)) == 0:  # anything at all
        return draw(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                                 lambda inner: st.lists(inner, max_size=3)
                                 | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                                 max_leaves=8))
    count = draw(st.integers(0, 6))
    return page("regency", [draw(changes(seq=i + 1)) for i in range(count)], 10**6)


class Laptop:
    """One store and a client signed in (the token is only a string here)."""

    def __init__(self, folder: Path, url: str) -> None:
        self.store = open_store(folder)
        self.client = SyncClient(url, device_id=self.store.device_id,
                                 schema=migrate.head_revision())
        self.client.token = "fuzz"

    def reset(self) -> None:
        with sqlite3.connect(self.store.db_path) as conn:
            conn.execute("DELETE FROM sync_cursor")


def stored_rows_fit(db: Path) -> None:
    """Every business row stored has a value of its column's type in every column."""
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        for row in conn.execute("SELECT * FROM business"):
            values = dict(row)
            values.pop("id")
            for name, value in values.items():
                assert not (isinstance(value, float) and not math.isfinite(value))
            try:
                to_python(BUSINESS, values)
            except WireError as exc:  # pragma: no cover - the failure message
                pytest.fail(f"an ill-typed row was stored: {exc.field} ({exc.expected})")


def test_no_pull_answer_crashes_the_laptop_or_stores_bad_rows(tmp_path):
    """Generated answers: only bilingual sync errors, only well-typed complete rows
    stored, the cursor past every well-formed page, a sound store after each."""
    answer: dict[str, Any] = {"page": None}

    def pull(seen, reply) -> None:
        scope = seen.query.get("scope", ["own"])[0]
        if scope == "regency":
            reply.raw(json.dumps(answer["page"]).encode())
        else:
            reply.json(page(scope, [], int(seen.query.get("cursor", ["0"])[0])))

    with hostile(Script(routes={"GET /pull": pull})) as server:
        laptop = Laptop(tmp_path / "laptop", server.url)
        try:
            @settings(max_examples=40, deadline=None, derandomize=True,
                      suppress_health_check=[HealthCheck.too_slow,
                                             HealthCheck.function_scoped_fixture])
            @given(pages())
            def one(generated: Any) -> None:
                laptop.reset()
                answer["page"] = generated
                well_formed = isinstance(generated, dict) and "changes" in generated
                try:
                    SyncEngine(laptop.store, laptop.client).pull_all()
                except SyncError as exc:
                    assert exc.message_id and exc.message_en
                    assert not well_formed or any(
                        not isinstance(c["server_seq"], int) for c in generated["changes"])
                else:
                    assert inbox.cursor(laptop.store, "regency") == (10**6 if well_formed else 0)
                stored_rows_fit(laptop.store.db_path)
                with laptop.store.raw() as connection:
                    report = check_store(connection, synced_tables())
                assert report.ok, report.faults

            one()
        finally:
            laptop.client.close()
            laptop.store.close()
