"""The server's s0005 upgrades its copy of the records exactly as the
laptop's 0009 does (desktop_app.models.upgrades), on SQLite and PostgreSQL:
typed villages to codes, free-text rounds to round codes, stored size classes
to their basis, old audits to the Perdep 06/2016 method."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config

from desktop_app.models import uuid7
from desktop_app.resources import reference_dir
from server import db as server_db
from tests.support.servers import postgres_available, postgres_database

STAMP = "2026-01-05T08:00:00.000Z"
OFFICER = "0190a1b2-0000-7000-8000-0000000000a1"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path: Path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.sqlite3'}"
        return
    if not postgres_available():
        pytest.skip("PostgreSQL is not running on 127.0.0.1:5432")
    with postgres_database() as url:
        yield url


def upgrade(url: str, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(server_db.MIGRATIONS))
    engine = server_db.make_engine(url)
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
        connection.commit()
    engine.dispose()


def first_regions() -> list[dict[str, str | None]]:
    with (reference_dir() / "regions.csv").open(encoding="utf-8", newline="") as handle:
        return [{k: (v or None) for k, v in row.items()} for row in csv.DictReader(handle)]


def test_s0005_upgrades_the_server_copy_like_the_laptops(db_url: str) -> None:
    upgrade(db_url, "s0004")
    engine = sa.create_engine(db_url)
    meta = sa.MetaData()
    meta.reflect(engine)
    ids = {k: uuid7() for k in ("natar", "nowhere", "applicant", "survey")}
    stamps = {"created_at": STAMP, "updated_at": STAMP, "created_by": OFFICER,
              "officer_id": OFFICER, "device_id": OFFICER}
    with engine.begin() as connection:
        connection.execute(sa.insert(meta.tables["region"]), first_regions())
        business = {**stamps, "address": "", "owner_name": "Wijaya", "owner_nik": "1801041503850007",
                    "phone": "", "regency_code": "18.01", "district_code": "18.01.04"}
        connection.execute(sa.insert(meta.tables["business"]), [
            {**business, "id": ids["natar"], "name": "Warung", "village": "Hajimena"},
            {**business, "id": ids["nowhere"], "name": "Kios", "village": "Kampung Sawah"}])
        connection.execute(sa.insert(meta.tables["aid_applicant"]), [
            {**stamps, "id": ids["applicant"], "address": "", "full_name": "Rahmat",
             "nik": "1801041503850007", "business_name": "", "phone": "", "aid_round": "2020-2",
             "regency_code": "18.01", "village": "", "on_credit_list": False,
             "prior_recipient": False}])
        connection.execute(sa.insert(meta.tables["umkm_survey"]), [
            {**stamps, "id": ids["survey"], "business_id": ids["natar"], "status": "draft",
             "visit_date": date(2026, 1, 5), "regency_code": "18.01",
             "location_source": "", "notes": "", "workers_paid": 0, "workers_unpaid": 0,
             "workers_women": 0, "capital": 5_000_000, "turnover_monthly": None,
             "turnover_annual": 900_000_000, "size_class": "mikro", "digital_channels": "[]",
             "online_sales_share": 0, "payment_methods": "[]", "capital_access": "[]",
             "needs": "", "training_received": "", "training_wanted": "", "pandemic_impact": "",
             "exports": False, "export_destinations": ""}])
    engine.dispose()

    upgrade(db_url, "head")

    engine = sa.create_engine(db_url)
    with engine.connect() as connection:
        villages = dict(connection.execute(sa.text("SELECT id, village_code FROM business")).all())
        assert villages == {ids["natar"]: "18.01.04.2001", ids["nowhere"]: None}
        assert connection.execute(sa.text("SELECT aid_round FROM aid_applicant")).scalar() == "bpum-2020"
        assert connection.execute(sa.text("SELECT size_class_basis FROM umkm_survey")).scalar() == "capital"
        assert connection.execute(sa.text(
            "SELECT count(*) FROM region WHERE level = 'village'")).scalar() == 2651
    engine.dispose()
