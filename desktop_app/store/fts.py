"""Full-text search over businesses, cooperatives and aid applicants.

SQLite FTS5 indexes, set up with sqlite-utils as external-content tables with
triggers, so every write path keeps them in step. Tokens are folded for case
and diacritics; a query is matched word by word with prefix matching on the
last word, so the list narrows as the officer types.

NIKs are not indexed (a 16-digit query is looked up by equality instead), so
the index holds no personal number. VACUUM may renumber rowids of tables
without an INTEGER PRIMARY KEY: after a VACUUM call :func:`rebuild`.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass

import sqlite_utils

#: The searchable text columns of each entity table.
FTS_COLUMNS: dict[str, tuple[str, ...]] = {
    "business": ("name", "owner_name", "village", "address"),
    "cooperative": ("name", "chair_name", "legal_entity_no", "village", "address"),
    "aid_applicant": ("full_name", "business_name", "village", "address"),
}
TOKENIZE = "unicode61 remove_diacritics 2"
_WORD = re.compile(r"\w+", re.UNICODE)


def enable(connection: sqlite3.Connection) -> None:
    """Create (or recreate, if its definition changed) every FTS index.

    sqlite-utils (4.x) runs inside the caller's open transaction, so the
    migration that calls this is atomic; ``replace=True`` keeps it idempotent.
    """
    db = sqlite_utils.Database(connection)
    for table, columns in FTS_COLUMNS.items():
        db[table].enable_fts(columns, create_triggers=True, tokenize=TOKENIZE, replace=True)


def rebuild(connection: sqlite3.Connection) -> None:
    """Rebuild every index from its table (after VACUUM or a restore)."""
    for table in FTS_COLUMNS:
        connection.execute(f"INSERT INTO {table}_fts({table}_fts) VALUES ('rebuild')")


def integrity_problems(connection: sqlite3.Connection) -> list[str]:
    """FTS5's own integrity check per index; an empty list means healthy."""
    problems = []
    for table in FTS_COLUMNS:
        try:
            connection.execute(
                f"INSERT INTO {table}_fts({table}_fts, rank) VALUES ('integrity-check', 1)"
            )
        except sqlite3.DatabaseError as exc:
            problems.append(f"{table}_fts: {exc}")
    return problems


@dataclass(frozen=True, slots=True)
class MatchQuery:
    """An FTS5 MATCH expression built from what the officer typed."""

    expression: str

    @classmethod
    def from_text(cls, typed: str) -> "MatchQuery | None":
        """Every word must match; the last one as a prefix. None if no word.

        Each word is quoted, so FTS5 syntax characters the officer types
        (quotes, '-', ':', '*') are searched as text, never parsed.
        """
        words = _WORD.findall(typed)
        if not words:
            return None
        terms = [f'"{w}"' for w in words[:-1]] + [f'"{words[-1]}"*']
        return cls(" ".join(terms))
