"""Running the Alembic migrations at start-up.

The application upgrades its own database; the officer never runs a tool.
A database written by a newer version of Tapis is refused rather than
guessed at, so an older installer cannot damage newer data.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text

from ..models.errors import TapisError
from ..protocol.schema import SchemaRevisions

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class DatabaseTooNew(TapisError):
    """The database was written by a newer version of the application."""

    reason = "database_too_new"

    def __init__(self, revision: str) -> None:
        super().__init__(
            f"Basis data dibuat oleh versi Tapis yang lebih baru (revisi {revision}); "
            "pasang versi terbaru.",
            f"The database was made by a newer version of Tapis (revision {revision}); "
            "install the latest version.")
        self.revision = revision


def _config(connection: Connection | None = None) -> Config:
    from alembic.config import Config  # Alembic loads only when a migration runs

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@lru_cache(maxsize=1)
def revisions() -> SchemaRevisions:
    """Every schema revision of this code, read from the migration files themselves.

    Importing Alembic costs ~0.3 s at every start; an up-to-date database
    (every start but the first after an update) only needs to know the
    head, which the files' own headers say. A sync bundle is read against
    the same revisions.
    """
    return SchemaRevisions.read(MIGRATIONS / "versions")


def head_revision() -> str:
    return revisions().head


def current_revision(connection: Connection) -> str | None:
    present = connection.execute(text(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'")).first()
    if present is None:
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def is_known(revision: str) -> bool:
    return revisions().known(revision)


def pending(engine: Engine) -> bool:
    """True when the database is behind the code (or new); raises
    :class:`DatabaseTooNew` when it is ahead."""
    with engine.connect() as connection:
        current = current_revision(connection)
    if current is not None and not is_known(current):
        raise DatabaseTooNew(current)
    return current != head_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to ``revision``, one transaction per migration."""
    from alembic import command

    with engine.connect() as connection:
        command.upgrade(_config(connection), revision)
        connection.commit()
