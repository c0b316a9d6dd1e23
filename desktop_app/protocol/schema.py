"""The laptop's database schema revisions, as a bundle header names them.

A sync bundle says which schema revision wrote it, so that a reader built
before that revision refuses it ("made by a newer Tapis") instead of
misreading it. What a reader knows is passed to the bundle functions by the
caller: the laptop reads its own migration scripts (desktop_app/store/
migrate.py), the server the laptop scripts it was shipped with. Either way
the scripts are read as text for their ``revision`` and ``down_revision``
lines, never imported: no Alembic, no store.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_REVISION = re.compile(r'^revision\s*=\s*["\'](\w+)["\']', re.MULTILINE)
_DOWN = re.compile(r'^down_revision\s*=\s*(?:["\'](\w+)["\']|None)', re.MULTILINE)


@dataclass(frozen=True)
class SchemaRevisions:
    """Every revision a reader knows (revision -> the one before it)."""

    chain: dict[str, str | None]

    @classmethod
    def read(cls, versions: Path) -> SchemaRevisions:
        """The chain written in the Alembic scripts of the folder ``versions``."""
        chain: dict[str, str | None] = {}
        for path in sorted(versions.glob("*.py")):
            source = path.read_text(encoding="utf-8")
            revision, down = _REVISION.search(source), _DOWN.search(source)
            if revision is not None and down is not None:
                chain[revision.group(1)] = down.group(1)
        return cls(chain)

    def known(self, revision: str) -> bool:
        return revision in self.chain

    @property
    def head(self) -> str:
        """The newest revision; the scripts must form one chain."""
        heads = set(self.chain) - {down for down in self.chain.values() if down}
        if len(heads) != 1:
            raise RuntimeError(f"the migrations must form one chain; heads found: {sorted(heads)}")
        return heads.pop()
