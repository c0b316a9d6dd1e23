"""Search as you type over businesses, cooperatives and applicants.

Words go to the FTS5 indexes (prefix match on the last word, best matches
first by bm25); a query that is a whole NIK is looked up by equality, since
NIKs are deliberately not in the full-text index.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import text

from ..models import ENTITY_KINDS, RECORD_KINDS
from ..models.rules.nik import mask_nik
from ..store import Store
from ..store.fts import MatchQuery

_TITLE = {name: RECORD_KINDS[name].title_field for name in ENTITY_KINDS}
_NIK = {name: RECORD_KINDS[name].nik_field for name in ENTITY_KINDS if RECORD_KINDS[name].nik_field}


@dataclass(frozen=True, slots=True)
class SearchHit:
    kind: str
    id: str
    title: str
    village: str
    regency_code: str
    nik_masked: str


def search(store: Store, typed: str, *, kinds: tuple[str, ...] = tuple(_TITLE),
           regency_code: str | None = None, limit: int = 50) -> list[SearchHit]:
    """The best ``limit`` live records matching what was typed."""
    typed = typed.strip()
    if typed.isdigit() and len(typed) == 16:
        return _by_nik(store, typed, kinds, regency_code, limit)
    match = MatchQuery.from_text(typed)
    if match is None:
        return []
    parts = [_fts_select(kind, regency_code) for kind in kinds]
    sql = " UNION ALL ".join(parts) + " ORDER BY score LIMIT :limit"
    params = {"q": match.expression, "limit": limit, "regency": regency_code}
    with store.read() as session:
        rows = session.execute(text(sql), params).all()
    return [SearchHit(r.kind, r.id, r.title, r.village, r.regency_code, mask_nik(r.nik))
            for r in rows]


def _fts_select(kind: str, regency_code: str | None) -> str:
    nik = _NIK.get(kind)
    regency = "AND t.regency_code = :regency" if regency_code else ""
    return (
        f"SELECT * FROM (SELECT '{kind}' AS kind, t.id, t.{_TITLE[kind]} AS title, t.village,"
        f" t.regency_code, {'t.' + nik if nik else 'NULL'} AS nik, bm25({kind}_fts) AS score"
        f" FROM {kind}_fts JOIN {kind} AS t ON t.rowid = {kind}_fts.rowid"
        f" WHERE {kind}_fts MATCH :q AND t.deleted_at IS NULL {regency}"
        f" ORDER BY score LIMIT :limit)"
    )


def _by_nik(store: Store, nik: str, kinds: tuple[str, ...], regency_code: str | None,
            limit: int) -> list[SearchHit]:
    hits: list[SearchHit] = []
    with store.read() as session:
        for kind, column in _NIK.items():
            if kind not in kinds:
                continue
            rows = session.execute(text(
                f"SELECT id, {_TITLE[kind]} AS title, village, regency_code FROM {kind}"
                f" WHERE {column} = :nik AND deleted_at IS NULL"
                f" AND (:regency IS NULL OR regency_code = :regency) LIMIT :limit"),
                {"nik": nik, "regency": regency_code, "limit": limit}).all()
            hits += [SearchHit(kind, r.id, r.title, r.village, r.regency_code, mask_nik(nik))
                     for r in rows]
    return hits
