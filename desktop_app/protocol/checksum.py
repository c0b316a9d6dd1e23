"""The digest of a pull scope, computed the same way on both sides.

The last page of a pull carries it (docs/PROTOCOL.md, "Pull"): the server
computes it over the rows of the scope as it holds them, the laptop over the
row versions it has pulled, and a laptop whose digest differs has drifted
and refetches that scope from cursor 0.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

#: One row of a scope: its table, its id, and the server_seq of its last change.
RowVersion = tuple[str, str, int]


def scope_checksum(rows: Iterable[RowVersion], *, presorted: bool = False) -> tuple[str, int]:
    """SHA-256 over 'table:row_id:server_seq' lines sorted by (table, row_id),
    and the number of rows. Sorted here, never by PostgreSQL: its collation
    ignores '_' where SQLite's does not. ``presorted``: the rows come already
    in that order (SQLite's BINARY collation orders UTF-8 text as Python
    orders str), so a province's row versions are streamed, never held."""
    digest = hashlib.sha256()
    count = 0
    ordered = rows if presorted else sorted(rows, key=lambda r: (r[0], r[1]))
    for table, row_id, seq in ordered:
        digest.update(f"{table}:{row_id}:{seq}\n".encode())
        count += 1
    return digest.hexdigest(), count
