"""s0006 (device proof, sign-in throttle) on SQLite and PostgreSQL: the two
tables appear, a device's key registered before stays its device key, and
the revision goes down and up again cleanly."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from server import db as server_db
from server.tables import LoginChallenge, SignInThrottle
from tests.support.servers import postgres_available, postgres_database

OFFICER = "0190a1b2-0000-7000-8000-0000000000a1"
DEVICE = "0190a1b2-0000-7000-8000-0000000000d1"
KEY = "A" * 43 + "="


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path: Path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.sqlite3'}"
        return
    if not postgres_available():
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    with postgres_database() as url:
        yield url


def migrate(url: str, revision: str, *, down: bool = False) -> None:
    config = Config()
    config.set_main_option("script_location", str(server_db.MIGRATIONS))
    engine = server_db.make_engine(url)
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        (command.downgrade if down else command.upgrade)(config, revision)
        connection.commit()
    engine.dispose()


def columns(url: str, table: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        return {c["name"] for c in sa.inspect(engine).get_columns(table)}
    except sa.exc.NoSuchTableError:
        return set()
    finally:
        engine.dispose()


def test_s0006_adds_challenges_and_counters_and_keeps_device_keys(db_url: str) -> None:
    migrate(db_url, "s0005")
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO officer (id, username, full_name, password_hash, role, active, created_at)"
            " VALUES (:id, 'petugas.x', 'X', 'h', 'officer', true, '2026-01-01T00:00:00.000Z')"),
            {"id": OFFICER})
        conn.execute(sa.text(
            "INSERT INTO device (id, name, registered_by, registered_at, last_seq, signing_key)"
            " VALUES (:id, 'old', :officer, '2026-01-01T00:00:00.000Z', 7, :key)"),
            {"id": DEVICE, "officer": OFFICER, "key": KEY})
    engine.dispose()
    assert columns(db_url, "login_challenge") == set()
    migrate(db_url, "s0006")
    assert columns(db_url, "login_challenge") == {c.name for c in LoginChallenge.__table__.columns}
    assert columns(db_url, "sign_in_throttle") == {c.name for c in SignInThrottle.__table__.columns}
    engine = sa.create_engine(db_url)
    with engine.begin() as conn:
        assert conn.execute(sa.text("SELECT signing_key, last_seq FROM device")).one() == (KEY, 7)
        conn.execute(sa.text(
            "INSERT INTO sign_in_throttle (scope, subject, failures, window_started_at,"
            " last_failure_at) VALUES ('account', 'petugas.x', 1, 'a', 'a')"))
    engine.dispose()
    migrate(db_url, "s0005", down=True)
    assert columns(db_url, "sign_in_throttle") == set()
    migrate(db_url, "s0006")
    assert columns(db_url, "login_challenge")
