"""What the laptop's migration 0009 and the server's s0005 share: the new
tables and columns, and the data steps, so both copies of a record come out
of an upgrade the same.

Each step is deterministic (same rows and same village list in, same values
out), so a laptop and the server reach the same values without sending the
change: the laptop's migration applies them unlogged, like a pulled change.
They use lightweight table constructs, not the models, so a later change to
a model never changes what an old migration does.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from .rules.villages import match_village

ENTITY_TABLES = ("business", "cooperative", "aid_applicant")
_YEAR = re.compile(r"(?<!\d)(2020|2021)(?!\d)")
#: Rounds an applicant list used before rounds were reference data, by the
#: year written in the free-text round; other texts are left for the officer.
LEGACY_ROUNDS = {"2020": "bpum-2020", "2021": "bpum-2021"}


def create_reference_tables(op: Any) -> None:
    """The reference tables of aid rounds and health methods (laptop 0009,
    server s0005); ``op`` is the migration's alembic.op."""

    op.create_table(
        "aid_round",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("program", sa.String(length=20), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("name_id", sa.String(length=100), nullable=False),
        sa.Column("name_en", sa.String(length=100), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("regulation", sa.String(length=200), nullable=False),
        sa.Column("checks", sa.Text(), nullable=False),
        sa.Column("excluded_credit", sa.Text(), nullable=False),
        sa.Column("prior_recipients_allowed", sa.Boolean(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=True),
        sa.Column("closes_on", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_aid_round")),
    )
    op.create_table(
        "aid_round_quota",
        sa.Column("code", sa.String(length=50), nullable=False),
        sa.Column("round_code", sa.String(length=32), nullable=False),
        sa.Column("regency_code", sa.String(length=16), nullable=False),
        sa.Column("quota", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["round_code"], ["aid_round.code"],
                                name=op.f("fk_aid_round_quota_round_code_aid_round")),
        sa.ForeignKeyConstraint(["regency_code"], ["region.code"],
                                name=op.f("fk_aid_round_quota_regency_code_region")),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_aid_round_quota")),
    )
    op.create_index(op.f("ix_aid_round_quota_round_code"), "aid_round_quota", ["round_code"])
    op.create_table(
        "health_method",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name_id", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("regulation", sa.String(length=300), nullable=False),
        sa.Column("scoring", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_health_method")),
    )
    for table, extra in (
        ("health_aspect", [sa.Column("key", sa.String(length=40), nullable=False),
                           sa.Column("position", sa.Integer(), nullable=False),
                           sa.Column("name_id", sa.String(length=100), nullable=False),
                           sa.Column("name_en", sa.String(length=100), nullable=False),
                           sa.Column("weight", sa.String(length=12), nullable=False),
                           sa.Column("confirmed", sa.Boolean(), nullable=False),
                           sa.Column("source", sa.Text(), nullable=False)]),
        ("health_indicator", [sa.Column("aspect", sa.String(length=40), nullable=False),
                              sa.Column("key", sa.String(length=40), nullable=False),
                              sa.Column("position", sa.Integer(), nullable=False),
                              sa.Column("name_id", sa.String(length=100), nullable=False),
                              sa.Column("name_en", sa.String(length=100), nullable=False),
                              sa.Column("weight", sa.String(length=12), nullable=False)]),
        ("health_band", [sa.Column("scale", sa.String(length=10), nullable=False),
                         sa.Column("floor", sa.String(length=12), nullable=False),
                         sa.Column("inclusive", sa.Boolean(), nullable=False),
                         sa.Column("result", sa.String(length=32), nullable=False),
                         sa.Column("confirmed", sa.Boolean(), nullable=False),
                         sa.Column("source", sa.Text(), nullable=False)]),
    ):
        op.create_table(
            table,
            sa.Column("code", sa.String(length=80), nullable=False),
            sa.Column("method", sa.String(length=32), nullable=False),
            *extra,
            sa.ForeignKeyConstraint(["method"], ["health_method.code"],
                                    name=op.f(f"fk_{table}_method_health_method")),
            sa.PrimaryKeyConstraint("code", name=op.f(f"pk_{table}")),
        )
        op.create_index(op.f(f"ix_{table}_method"), table, ["method"])


def add_record_columns(op: Any) -> None:
    """The new columns of the record tables (laptop 0009, server s0005).

    On SQLite a column and its foreign key are added in place (ALTER TABLE
    ADD COLUMN ... REFERENCES, allowed when it defaults to NULL): Alembic
    would copy the table instead, which on the laptop renumbers the rowids
    the full-text indexes point at.
    """
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in ENTITY_TABLES:
        if sqlite:
            op.execute(f"ALTER TABLE {table} ADD COLUMN village_code VARCHAR(16) "
                       f"CONSTRAINT fk_{table}_village_code_region REFERENCES region (code)")
        else:
            op.add_column(table, sa.Column("village_code", sa.String(length=16), nullable=True))
            op.create_foreign_key(f"fk_{table}_village_code_region", table, "region",
                                  ["village_code"], ["code"])
    op.add_column("umkm_survey", sa.Column("size_class_basis", sa.String(length=24),
                                           nullable=False, server_default=""))
    op.add_column("cooperative_audit", sa.Column("health_method", sa.String(length=32),
                                                 nullable=False, server_default="perdep_06_2016"))
    op.add_column("aid_applicant", sa.Column("kk_number", sa.String(length=16), nullable=False,
                                             server_default=""))
    op.add_column("aid_applicant", sa.Column("business_location_differs", sa.Boolean(),
                                             nullable=False, server_default=sa.false()))
    op.add_column("aid_applicant", sa.Column("business_address", sa.Text(), nullable=False,
                                             server_default=""))
    op.add_column("aid_applicant", sa.Column("sku_number", sa.String(length=100), nullable=False,
                                             server_default=""))


def upgrade_data(connection: Connection, village_rows: Callable[[], list[dict[str, Any]]]) -> None:
    """Every data step of laptop 0009 / server s0005, in order. The village
    list is read only where there are districts to put it in (not in a new,
    empty database)."""
    has_districts = connection.scalar(sa.text("SELECT count(*) FROM region WHERE level = 'district'"))
    villages = add_villages(connection, village_rows()) if has_districts else {}
    resolve_villages(connection, villages)
    map_legacy_rounds(connection)
    record_size_bases(connection)


def drop_record_columns_and_tables(op: Any) -> None:
    """What create_reference_tables and add_record_columns added, removed."""
    for table, column in (("aid_applicant", "sku_number"), ("aid_applicant", "business_address"),
                          ("aid_applicant", "business_location_differs"),
                          ("aid_applicant", "kk_number"), ("cooperative_audit", "health_method"),
                          ("umkm_survey", "size_class_basis")):
        with op.batch_alter_table(table) as batch:
            batch.drop_column(column)
    for table in ENTITY_TABLES:
        with op.batch_alter_table(table) as batch:
            batch.drop_constraint(f"fk_{table}_village_code_region", type_="foreignkey")
            batch.drop_column("village_code")
    for table in ("health_band", "health_indicator", "health_aspect", "health_method",
                  "aid_round_quota", "aid_round"):
        op.drop_table(table)


def legacy_round(text: str | None) -> str | None:
    """The round code a free-text round such as '2021-1' or 'BPUM 2020'
    stands for; None when it names no shipped round's year (or several)."""
    years = set(_YEAR.findall(text or ""))
    if len(years) != 1:
        return None
    return LEGACY_ROUNDS[years.pop()]


def size_basis_then(row: Mapping[str, Any]) -> str:
    """Which figure decided a size class stored before the basis was recorded:
    the rule then took capital when given, else annual sales, else twelve
    months of the monthly turnover."""
    if not row.get("size_class"):
        return ""
    if row.get("capital") is not None:
        return "capital"
    if row.get("turnover_annual") is not None:
        return "annual_sales"
    if row.get("turnover_monthly") is not None:
        return "annual_sales_estimated"
    return ""


def resolve_villages(connection: Connection, villages: Mapping[str, str]) -> int:
    """Give each entity whose village was typed as text the code of that
    village, where exactly one village of its district (or of its regency,
    when no district is set) has the name; the district follows the village
    when it was empty. Returns the rows given a code."""
    done = 0
    for name in ENTITY_TABLES:
        table = sa.table(name, sa.column("id"), sa.column("village"), sa.column("village_code"),
                         sa.column("district_code"), sa.column("regency_code"))
        rows = connection.execute(sa.select(table.c.id, table.c.village, table.c.district_code,
                                            table.c.regency_code)
                                  .where(table.c.village_code.is_(None), table.c.village != "")).all()
        updates = []
        for row_id, village, district, regency in rows:
            code = match_village(village, district_code=district, regency_code=regency,
                                 villages=villages)
            if code is not None:
                updates.append({"row_id": row_id, "code": code, "district": code.rsplit(".", 1)[0]})
        if updates:
            connection.execute(sa.update(table).where(table.c.id == sa.bindparam("row_id"))
                               .values(village_code=sa.bindparam("code"),
                                       district_code=sa.bindparam("district")), updates)
            done += len(updates)
    return done


def map_legacy_rounds(connection: Connection) -> int:
    """Applicants whose free-text round names 2020 or 2021 get that round's code."""
    table = sa.table("aid_applicant", sa.column("id"), sa.column("aid_round"))
    updates = [{"row_id": row_id, "code": legacy_round(text)}
               for row_id, text in connection.execute(sa.select(table.c.id, table.c.aid_round))
               if legacy_round(text) is not None and legacy_round(text) != text]
    if updates:
        connection.execute(sa.update(table).where(table.c.id == sa.bindparam("row_id"))
                           .values(aid_round=sa.bindparam("code")), updates)
    return len(updates)


def record_size_bases(connection: Connection) -> int:
    """Stored size classes get the basis that decided them then."""
    table = sa.table("umkm_survey", sa.column("id"), sa.column("size_class"),
                     sa.column("capital"), sa.column("turnover_annual"),
                     sa.column("turnover_monthly"), sa.column("size_class_basis"))
    rows = connection.execute(sa.select(table).where(table.c.size_class != "")).mappings().all()
    updates = [{"row_id": row["id"], "basis": size_basis_then(row)} for row in rows]
    updates = [u for u in updates if u["basis"]]
    if updates:
        connection.execute(sa.update(table).where(table.c.id == sa.bindparam("row_id"))
                           .values(size_class_basis=sa.bindparam("basis")), updates)
    return len(updates)


def add_villages(connection: Connection, rows: list[dict[str, Any]]) -> dict[str, str]:
    """Insert the village rows (resources/reference/villages.csv) missing
    from ``region`` -- the codes must exist before records point at them,
    and the reference set that also carries them loads after the
    migrations -- and return code -> name of every village row given."""
    region = sa.table("region", sa.column("code"), sa.column("name"), sa.column("level"),
                      sa.column("parent_code"), sa.column("kind"))
    present = set(connection.scalars(sa.select(region.c.code).where(region.c.level == "village")))
    known = set(connection.scalars(sa.select(region.c.code)))
    missing = [{k: r[k] for k in ("code", "name", "level", "parent_code", "kind")}
               for r in rows if r["code"] not in present and r["parent_code"] in known]
    if missing:
        connection.execute(sa.insert(region), missing)
    return {str(r["code"]): str(r["name"]) for r in rows
            if r["code"] in present or r["parent_code"] in known}
