"""The demo accounts and every new password are hashed at the server's real
Argon2id cost. Most of the suite signs in against templates whose demo
password is re-hashed at the lowest cost (tests/support/servers.py,
``cheapen_demo_passwords``); this module holds ``init`` and
``hash_password`` themselves to the production parameters."""

from __future__ import annotations

from pathlib import Path

from argon2 import PasswordHasher, Type, extract_parameters
from sqlalchemy import select

from server.auth import hash_password
from server.db import Database
from server.setup import DEMO_PASSWORD, init
from server.tables import Officer

#: argon2-cffi's RFC 9106 "low memory" profile, the server's PasswordHasher() default.
PRODUCTION = {"time_cost": 3, "memory_cost": 65536, "parallelism": 4}


def _cost(encoded: str) -> dict[str, int]:
    params = extract_parameters(encoded)
    assert params.type is Type.ID
    return {"time_cost": params.time_cost, "memory_cost": params.memory_cost,
            "parallelism": params.parallelism}


def test_the_default_hasher_is_the_production_profile() -> None:
    hasher = PasswordHasher()
    assert {"time_cost": hasher.time_cost, "memory_cost": hasher.memory_cost,
            "parallelism": hasher.parallelism} == PRODUCTION


def test_init_hashes_the_demo_accounts_at_the_production_cost(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'server.sqlite3'}"
    init(url, demo=True)
    database = Database(url)
    with database.session() as session:
        hashes = session.scalars(select(Officer.password_hash)).all()
    database.dispose()
    assert len(hashes) >= 18
    assert all(_cost(h) == PRODUCTION for h in hashes)
    assert PasswordHasher().verify(hashes[0], DEMO_PASSWORD)


def test_a_new_password_is_hashed_at_the_production_cost() -> None:
    assert _cost(hash_password("sandi-baru-2026")) == PRODUCTION
