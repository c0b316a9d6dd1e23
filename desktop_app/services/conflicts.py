"""Conflicts a supervisor settles: the open ones of the regency, ready to
show, and the settling itself (network lane; no Qt).

The server's ConflictInfo names a table, a row id, a field and two officer
ids; a supervisor needs the record's name, the field as the form calls it,
who wrote each value and when. The names come from this laptop's copy of
the regency's records and from the officers who signed in here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .. import protocol as p
from ..protocol.clock import stamp_time
from ..store.store import Store
from ..sync import account as accounts
from ..sync.account import Account
from . import formats, labels, records
from .kinds import KINDS


@dataclass(frozen=True, slots=True)
class ConflictView:
    info: p.ConflictInfo
    record_title: str  # the record's name as this laptop knows it ('' if unknown)
    kind_label: tuple[str, str]  # (id, en)
    field_label: tuple[str, str]
    field_kind: str  # text|int|money|bool|date|float|list
    kept_by: str | None  # the username, None when that officer never signed in here
    other_by: str | None
    kept_at: datetime
    other_at: datetime


def load(store: Store, account: Account) -> list[ConflictView]:
    """Open conflicts of the supervisor's regency, ready to show (network lane)."""
    client = accounts.signed_in_client(store, account)
    try:
        infos = client.conflicts("open")
    finally:
        client.close()
    names = {known.officer_id: known.username for known in accounts.known_accounts(store)}
    return [_view(store, info, names) for info in infos]


def settle(store: Store, account: Account, conflict_id: str, value: Any) -> p.ConflictInfo:
    """Settle one conflict with ``value`` (network lane)."""
    client = accounts.signed_in_client(store, account)
    try:
        return client.settle(conflict_id, value)
    finally:
        client.close()


def _view(store: Store, info: p.ConflictInfo, names: dict[str, str]) -> ConflictView:
    kind = KINDS.get(info.table)
    title = ""
    if kind is not None:
        try:
            title = str(records.get(store, info.table, info.row_id).get(kind.title_field) or "")
        except Exception:  # not on this laptop (yet): the ids still identify it
            title = ""
    spec = kind.specs.get(info.field) if kind is not None else None
    return ConflictView(
        info=info, record_title=title,
        kind_label=kind.labels if kind is not None else (info.table, info.table),
        field_label=(labels.label(info.field, "id"), labels.label(info.field, "en")),
        field_kind=spec.kind if spec is not None else "text",
        kept_by=_officer(info.kept_officer_id, names), other_by=_officer(info.other_officer_id, names),
        kept_at=stamp_time(info.kept_hlc), other_at=stamp_time(info.other_hlc))


def _officer(officer_id: str | None, names: dict[str, str]) -> str | None:
    return names.get(officer_id) if officer_id else None


def show_value(value: Any, field_kind: str, *, empty: str = "—", yes: str = "Ya",
               no: str = "Tidak", language: str = "id") -> str:
    """A value as the office writes it: Rp 1.250.000, 1.200, Ya/Tidak (in
    English Rp 1,250,000 and 1,200)."""
    if value is None or value == "":
        return empty
    if field_kind == "money" and isinstance(value, int):
        return formats.rupiah(value, language)
    if isinstance(value, bool) or field_kind == "bool":
        return yes if value in (True, 1, "1", "true") else no
    if isinstance(value, int | float) and field_kind in ("int", "float", "money"):
        return formats.number(value, 0 if isinstance(value, int) else 2, language)
    return str(value)


def parse_value(text: str, field_kind: str) -> Any:
    """A typed value in the wire form of its field; ValueError when it cannot be."""
    text = text.strip()
    if text == "":
        return None
    if field_kind in ("int", "money"):
        digits = text.replace("Rp", "").replace(".", "").replace(" ", "")
        return int(digits)
    if field_kind == "float":
        return float(text.replace(".", "").replace(",", ".")) if "," in text else float(text)
    if field_kind == "bool":
        lowered = text.lower()
        if lowered in ("ya", "yes", "1", "true"):
            return True
        if lowered in ("tidak", "no", "0", "false"):
            return False
        raise ValueError(text)
    return text
