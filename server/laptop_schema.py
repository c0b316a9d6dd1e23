"""The laptop schema revisions this server understands.

A sync bundle names the laptop database revision that wrote it; the server
refuses one from a revision it does not know ("made by a newer Tapis"),
exactly as an office laptop does. What it knows is the laptop code it was
shipped with: the revision headers of the laptop's migration scripts, read
as text (desktop_app.protocol.schema), never imported, so the server
loads neither Alembic's laptop environment nor the laptop's store.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import desktop_app
from desktop_app.protocol.schema import SchemaRevisions

LAPTOP_MIGRATIONS = Path(desktop_app.__file__).resolve().parent / "store" / "migrations" / "versions"


@lru_cache(maxsize=1)
def laptop_schemas() -> SchemaRevisions:
    return SchemaRevisions.read(LAPTOP_MIGRATIONS)
