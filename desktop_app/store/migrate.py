"""Running the Alembic migrations at start-up.

The application upgrades its own database; the officer never runs a tool.
A database written by a newer version of Tapis is refused rather than
guessed at, so an older installer cannot damage newer data.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


class DatabaseTooNew(Exception):
    """The database was written by a newer version of the application."""

    def __init__(self, revision: str) -> None:
        super().__init__(
            f"Basis data dibuat oleh versi Tapis yang lebih baru (revisi {revision}); "
            "pasang versi terbaru. / The database was made by a newer version of Tapis "
            f"(revision {revision}); install the latest version."
        )
        self.revision = revision


def _config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(_config()).get_current_head()
    assert head is not None
    return head


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def is_known(revision: str) -> bool:
    script = ScriptDirectory.from_config(_config())
    return any(r.revision == revision for r in script.walk_revisions())


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
    with engine.connect() as connection:
        command.upgrade(_config(connection), revision)
        connection.commit()
