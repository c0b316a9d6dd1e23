"""Talking to a running sync server the way a laptop does, but by hand: raw
HTTP with the protocol header, so the tests can send what no real client
would. Also small readers of the server's database for 'nothing stored'."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from typing import Any

import requests
from sqlalchemy import func, select

from desktop_app.models import Base
from desktop_app import protocol as p
from server.setup import DEMO_PASSWORD
from server.tables import AppliedChange, Device
from tests.support import device_proof

TANGGAMUS, MESUJI, KOTA = "18.06", "18.11", "18.71"
HEADERS = {p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION), p.SCHEMA_HEADER: "test"}
_hlc = itertools.count(1 << 40)


def new_id() -> str:
    return str(uuid.uuid4())


def login(url: str, username: str, *, password: str = DEMO_PASSWORD,
          device_id: str | None = None) -> requests.Response:
    """Sign in as a laptop does: with the device's proof (tests/support/device_proof.py)."""
    return device_proof.login(url, username, password, device_id or new_id(),
                              device_name=f"laptop of {username}")


@dataclass
class Caller:
    """One signed-in officer on one device; remembers its push sequence."""

    url: str
    token: str
    device_id: str
    officer_id: str
    regency: str | None
    last_seq: int = 0
    http: requests.Session = field(default_factory=requests.Session, repr=False)

    @property
    def headers(self) -> dict[str, str]:
        return {**HEADERS, "Authorization": f"Bearer {self.token}"}

    def get(self, route: str, /, **params: Any) -> requests.Response:
        """GET ``route`` with query ``params`` (any names, even 'path' or 'route')."""
        return self.http.get(self.url + route, params=params, headers=self.headers, timeout=10)

    def post(self, path: str, *, json: Any = None, data: bytes | None = None,
             headers: dict[str, str] | None = None) -> requests.Response:
        return self.http.post(self.url + path, json=json, data=data,
                              headers={**self.headers, **(headers or {})}, timeout=10)

    def pull(self, scope: str = "regency", cursor: int = 0, limit: int = 1000) -> requests.Response:
        return self.get("/v1/pull", scope=scope, cursor=cursor, limit=limit)

    def push(self, *changes: dict[str, Any]) -> requests.Response:
        """Send changes numbered on from the last acknowledged seq."""
        numbered = [{"seq": self.last_seq + n, **c} for n, c in enumerate(changes, 1)]
        answer = self.post("/v1/push", json={"device_id": self.device_id, "changes": numbered})
        if answer.status_code == 200:
            self.last_seq = answer.json()["acked_through"]
        return answer

    def push_ok(self, *changes: dict[str, Any]) -> dict[str, Any]:
        answer = self.push(*changes)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def revoke(self, device_id: str) -> requests.Response:
        return self.post(f"/v1/devices/{device_id}/revoke")


def sign_in(url: str, username: str, device_id: str | None = None) -> Caller:
    device_id = device_id or new_id()
    answer = login(url, username, device_id=device_id)
    assert answer.status_code == 200, answer.text
    officer = answer.json()["officer"]
    return Caller(url, answer.json()["token"], device_id, officer["id"], officer["regency_code"])


def change(table: str, op: str, fields: dict[str, Any], *, row_id: str | None = None,
           officer_id: str | None = None, base_seq: int = 0) -> dict[str, Any]:
    """A change entry without its seq (Caller.push numbers it)."""
    return {"change_id": new_id(), "txn": 1, "table": table, "row_id": row_id or new_id(),
            "op": op, "fields": fields, "hlc": next(_hlc), "officer_id": officer_id,
            "base_seq": base_seq}


def attribution(caller: Caller) -> dict[str, Any]:
    return {"created_by": caller.officer_id, "officer_id": caller.officer_id,
            "device_id": caller.device_id}


def business(caller: Caller, regency: str | None = None, **overrides: Any) -> dict[str, Any]:
    """Insert fields of a business, in the wire form the laptop stores."""
    return {"name": "Keripik Pisang Ani", "owner_name": "Ani Rahayu",
            "owner_nik": "1806014506900001", "regency_code": regency or caller.regency,
            "district_code": None, "village": "Way Halim", "address": "",
            "created_at": "2026-11-20T08:00:00.000Z", "updated_at": "2026-11-20T08:00:00.000Z",
            **attribution(caller), **overrides}


def cooperative(caller: Caller, regency: str | None = None, **overrides: Any) -> dict[str, Any]:
    return {"name": "KSP Sejahtera Bersama", "cooperative_type": "simpan_pinjam",
            "regency_code": regency or caller.regency, "members_male": 80, "members_female": 40,
            **attribution(caller), **overrides}


def insert(caller: Caller, table: str, fields: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Push one insert that must be applied; its row id."""
    entry = change(table, "insert", fields, officer_id=caller.officer_id)
    answer = caller.push_ok(entry)
    assert (answer["applied"], answer["rejected"]) == (1, []), answer
    return entry["row_id"], entry


# --- reading the server's database -------------------------------------------


def row(server: Any, table: str, row_id: str) -> dict[str, Any] | None:
    t = Base.metadata.tables[table]
    with server.database.session() as session:
        found = session.execute(select(t).where(t.c.id == row_id)).mappings().first()
        return dict(found) if found else None


def count(server: Any, table: str) -> int:
    t = Base.metadata.tables.get(table)
    with server.database.session() as session:
        if t is None:
            return session.scalar(select(func.count()).select_from(AppliedChange)) or 0
        return session.scalar(select(func.count()).select_from(t)) or 0


def applied_for(server: Any, *, row_id: str | None = None,
                change_id: str | None = None) -> list[AppliedChange]:
    query = select(AppliedChange)
    if row_id:
        query = query.where(AppliedChange.row_id == row_id)
    if change_id:
        query = query.where(AppliedChange.change_id == change_id)
    with server.database.session() as session:
        return list(session.scalars(query))


def last_seq(server: Any, device_id: str) -> int | None:
    with server.database.session() as session:
        device = session.get(Device, device_id)
        return device.last_seq if device else None


def stored_state(server: Any) -> tuple[int, ...]:
    """Counts of everything a push could write: compare before and after."""
    tables = ("business", "cooperative", "aid_applicant", "umkm_survey", "cooperative_audit",
              "aid_verification", "attachment", "applied_change")
    from server.tables import Conflict, FieldVersion

    with server.database.session() as session:
        extra = tuple(session.scalar(select(func.count()).select_from(m)) or 0
                      for m in (Conflict, FieldVersion))
    return tuple(count(server, t) for t in tables) + extra


def error_body(answer: requests.Response, status: int, code: str) -> p.ErrorBody:
    """The answer is `status` with a well-formed ErrorBody of `code`."""
    assert answer.status_code == status, (answer.status_code, answer.text)
    body = p.ErrorBody.model_validate(answer.json())
    assert body.code == code, body
    assert body.message_id.strip() and body.message_en.strip()
    return body
