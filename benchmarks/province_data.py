"""Province-sized data on a server database: what Lampung's offices hold
after a few years of Tapis (by default 200,000 businesses, 5,600
cooperatives, 20,000 aid applicants and 400,000 visits, each row with its
entry in the change log), for the console's and the server's benchmarks
and, at a small size, for tests.

Rows are written straight into the shared tables with SQLAlchemy Core in
batches (no HTTP, no ingest: this measures reading, not pushing), with the
change-log row the server would have written for each (applied_change,
field_version left out: nothing here merges). Deterministic for a seed.
Officers are made per regency (by default 20 each) with one shared
password, so a benchmark can sign in as any of them.

``generate(database_url, Size(...))`` returns a :class:`Generated` with a
few known rows (ids, NIKs, regencies) a caller can search for.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import create_engine, insert, select
from sqlalchemy.engine import Connection

from desktop_app.models import (
    AidApplicant, AidVerification, Business, Cooperative, CooperativeAudit, CooperativeType,
    KbliSection, Region, UmkmSurvey,
)
from desktop_app.models.ids import uuid7
from desktop_app.protocol.clock import stamp_of
from desktop_app.protocol.wire import to_wire
from server.tables import AppliedChange, Device, Officer

BATCH = 5000
FIRST_NAMES = ("Siti", "Ahmad", "Dewi", "Budi", "Rina", "Agus", "Sri", "Joko", "Wati", "Hendra",
               "Nur", "Eko", "Yuni", "Rudi", "Fitri", "Bambang", "Lestari", "Andi", "Putri", "Irwan")
LAST_NAMES = ("Wijaya", "Saputra", "Lestari", "Pratama", "Hidayat", "Susanti", "Gunawan",
              "Rahmawati", "Nugroho", "Kusuma", "Setiawan", "Handayani", "Siregar", "Harahap")
TRADES = ("Warung", "Keripik", "Kopi", "Tapis", "Bengkel", "Konveksi", "Toko", "Kue", "Sambal",
          "Batik", "Mebel", "Laundry", "Catering", "Pisang", "Madu", "Kerajinan")
PLACES = ("Makmur", "Jaya", "Sejahtera", "Berkah", "Mandiri", "Sentosa", "Lestari", "Abadi",
          "Barokah", "Maju", "Indah", "Sakai", "Sambayan", "Ruwa Jurai")
SIZES = ("mikro", "mikro", "mikro", "kecil", "menengah", "")
HEALTH = ("sehat", "cukup_sehat", "dalam_pengawasan", "dalam_pengawasan_khusus", "")
VERDICTS = ("eligible", "not_eligible", "incomplete")


@dataclass(frozen=True)
class Size:
    businesses: int = 200_000
    cooperatives: int = 5_600
    applicants: int = 20_000
    surveys: int = 300_000  # visits: surveys + audits + verifications = 400,000 by default
    audits: int = 80_000
    verifications: int = 20_000
    officers_per_regency: int = 20
    seed: int = 2026


SMALL = Size(businesses=600, cooperatives=60, applicants=120, surveys=900, audits=120,
             verifications=120, officers_per_regency=2)


def scaled(records: int | None, *, fewer_officers: bool = False) -> Size:
    """The province (:class:`Size`), or scaled to ``records`` businesses and
    the rest in proportion (a quick run); ``fewer_officers`` scales the
    officers per regency too (at least 2)."""
    size = Size()
    if not records:
        return size
    factor = records / size.businesses
    officers = (min(size.officers_per_regency, max(2, records // 10_000)) if fewer_officers
                else size.officers_per_regency)
    return replace(size, businesses=records,
                   cooperatives=max(60, int(size.cooperatives * factor)),
                   applicants=max(100, int(size.applicants * factor)),
                   surveys=max(100, int(size.surveys * factor)),
                   audits=max(100, int(size.audits * factor)),
                   verifications=max(100, int(size.verifications * factor)),
                   officers_per_regency=officers)


@dataclass
class Generated:
    size: Size
    officers: dict[str, list[str]] = field(default_factory=dict)  # regency -> officer ids
    usernames: dict[str, list[str]] = field(default_factory=dict)  # regency -> usernames
    #: A few businesses and applicants to look for: (id, nik, name, regency)
    sample_businesses: list[tuple[str, str, str, str]] = field(default_factory=list)
    sample_applicants: list[tuple[str, str, str, str]] = field(default_factory=list)
    sample_surveys: list[tuple[str, str]] = field(default_factory=list)  # (survey id, regency)
    counts: dict[str, int] = field(default_factory=dict)


class _Places:
    """Real region codes: regency -> districts -> villages."""

    def __init__(self, conn: Connection) -> None:
        rows = conn.execute(select(Region.code, Region.name, Region.level, Region.parent_code)).all()
        self.regencies = sorted(c for c, _n, lvl, _p in rows if lvl == "regency")
        self.names = {c: n for c, n, _l, _p in rows}
        self.districts: dict[str, list[str]] = {r: [] for r in self.regencies}
        self.villages: dict[str, list[str]] = {}
        for code, _n, level, parent in rows:
            if level == "district" and parent in self.districts:
                self.districts[parent].append(code)
            elif level == "village" and parent:
                self.villages.setdefault(parent, []).append(code)
        for r in self.regencies:
            self.districts[r].sort()
            if not self.districts[r]:
                self.districts[r] = [None]  # type: ignore[list-item]

    def pick(self, rng: random.Random, regency: str) -> tuple[str | None, str | None, str]:
        district = rng.choice(self.districts[regency])
        villages = self.villages.get(district or "", [])
        village = rng.choice(villages) if villages else None
        return district, village, self.names.get(village or "", "")


def _nik(rng: random.Random, regency: str, serial: int) -> str:
    """A NIK of the regency, well formed (birth date, serial not 0000)."""
    region = regency.replace(".", "") + f"{rng.randint(1, 20):02d}"
    day = rng.randint(1, 28) + (40 if rng.random() < 0.5 else 0)
    return f"{region}{day:02d}{rng.randint(1, 12):02d}{rng.randint(60, 99):02d}{serial % 9999 + 1:04d}"


def _batches(rows: Iterator[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


class _Writer:
    """Inserts rows of a model and their change-log rows, in batches."""

    def __init__(self, conn: Connection, start: datetime) -> None:
        self.conn = conn
        self.clock = start

    def write(self, model: Any, rows: Iterator[dict[str, Any]]) -> int:
        table = model.__table__
        count = 0
        for batch in _batches(rows):
            self.conn.execute(insert(table), batch)
            changes = []
            for row in batch:
                stamp = stamp_of(row["updated_at"])
                changes.append({
                    "change_id": uuid7(), "device_id": row["device_id"], "device_seq": 0,
                    "table_name": table.name, "row_id": row["id"], "op": "insert",
                    "fields": to_wire(table, row), "hlc": stamp,
                    "officer_id": row["officer_id"], "owner_officer_id": row["created_by"],
                    "regency_code": row["regency_code"], "received_at": row["updated_at"]})
            self.conn.execute(insert(AppliedChange.__table__), changes)
            count += len(batch)
        return count


def generate(database_url: str, size: Size = Size(), *, password_hash: str | None = None
             ) -> Generated:
    """Fill an initialised server database (``python -m server init``) with
    province-sized data; returns what a caller needs to find some of it."""
    from server.auth import hash_password

    rng = random.Random(size.seed)
    engine = create_engine(database_url)
    out = Generated(size=size)
    start = datetime(2024, 1, 8, 2, 0, tzinfo=timezone.utc)
    hashed = password_hash or hash_password("province-data-2026")
    with engine.begin() as conn:
        places = _Places(conn)
        coop_types = [c for (c,) in conn.execute(select(CooperativeType.code))] or ["kss"]
        kbli = [c for (c,) in conn.execute(select(KbliSection.code))] or [None]
        officers: list[dict[str, Any]] = []
        devices: list[dict[str, Any]] = []
        for regency in places.regencies:
            slug = places.names[regency].lower().replace("kota ", "").replace(" ", "")
            for i in range(size.officers_per_regency):
                oid = uuid7()
                username = f"data.{slug}.{i + 1:02d}"
                officers.append({"id": oid, "username": username,
                                 "full_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                                 "password_hash": hashed, "role": "officer",
                                 "regency_code": regency, "active": True, "created_at": start})
                devices.append({"id": uuid7(), "name": f"Laptop {slug} {i + 1}",
                                "registered_by": oid, "registered_at": start, "last_seq": 0})
                out.officers.setdefault(regency, []).append(oid)
                out.usernames.setdefault(regency, []).append(username)
        conn.execute(insert(Officer.__table__), officers)
        conn.execute(insert(Device.__table__), devices)
        device_of = {d["registered_by"]: d["id"] for d in devices}
        writer = _Writer(conn, start)
        span = (date(2026, 11, 30) - date(2024, 1, 8)).days

        def stamps(who: str, when: datetime) -> dict[str, Any]:
            return {"created_at": when, "updated_at": when, "created_by": who, "officer_id": who,
                    "device_id": device_of[who], "deleted_at": None}

        def moment(i: int, total: int) -> datetime:
            return start + timedelta(days=span * i / max(1, total), seconds=i % 3600)

        business_ids: list[tuple[str, str, str]] = []  # (id, regency, officer)

        def businesses() -> Iterator[dict[str, Any]]:
            for i in range(size.businesses):
                regency = places.regencies[i % len(places.regencies)]
                who = rng.choice(out.officers[regency])
                district, village_code, village = places.pick(rng, regency)
                nik = _nik(rng, regency, i)
                name = f"{rng.choice(TRADES)} {rng.choice(PLACES)} {i}"
                bid = uuid7()
                business_ids.append((bid, regency, who))
                if i < len(places.regencies) or i % max(1, size.businesses // 10) == 0:
                    out.sample_businesses.append((bid, nik, name, regency))
                yield {"id": bid, "name": name,
                       "owner_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                       "owner_nik": nik, "nib": f"{rng.randint(10**12, 10**13 - 1)}"
                       if rng.random() < 0.6 else None,
                       "kbli_section": rng.choice(kbli), "phone": f"08{rng.randint(10**9, 10**10 - 1)}",
                       "year_started": rng.randint(1995, 2025), "address": f"Jl. {rng.choice(PLACES)} No. {i % 200 + 1}",
                       "regency_code": regency, "district_code": district,
                       "village_code": village_code, "village": village,
                       **stamps(who, moment(i, size.businesses))}

        out.counts["business"] = writer.write(Business, businesses())

        coop_ids: list[tuple[str, str, str]] = []

        def cooperatives() -> Iterator[dict[str, Any]]:
            for i in range(size.cooperatives):
                regency = places.regencies[i % len(places.regencies)]
                who = rng.choice(out.officers[regency])
                district, village_code, village = places.pick(rng, regency)
                cid = uuid7()
                coop_ids.append((cid, regency, who))
                yield {"id": cid, "name": f"Koperasi {rng.choice(PLACES)} {rng.choice(TRADES)} {i}",
                       "legal_entity_no": f"{i + 1}/BH/XVIII/{2000 + i % 25}",
                       "legal_entity_date": date(2000 + i % 25, 1 + i % 12, 1 + i % 28),
                       "cooperative_type": rng.choice(coop_types),
                       "chair_name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                       "members_male": rng.randint(10, 400), "members_female": rng.randint(10, 400),
                       "is_active": rng.random() < 0.85, "rat_last_year": rng.random() < 0.6,
                       "address": "", "regency_code": regency, "district_code": district,
                       "village_code": village_code, "village": village,
                       **stamps(who, moment(i, size.cooperatives))}

        out.counts["cooperative"] = writer.write(Cooperative, cooperatives())

        applicant_ids: list[tuple[str, str, str]] = []

        def applicants() -> Iterator[dict[str, Any]]:
            for i in range(size.applicants):
                regency = places.regencies[i % len(places.regencies)]
                who = rng.choice(out.officers[regency])
                district, village_code, village = places.pick(rng, regency)
                aid = uuid7()
                nik = _nik(rng, regency, i + 50_000)
                name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {i}"
                applicant_ids.append((aid, regency, who))
                if i < len(places.regencies) or i % max(1, size.applicants // 10) == 0:
                    out.sample_applicants.append((aid, nik, name, regency))
                yield {"id": aid, "full_name": name, "nik": nik,
                       "business_name": f"{rng.choice(TRADES)} {rng.choice(PLACES)}",
                       "kbli_section": rng.choice(kbli), "phone": "", "aid_round": "bpum-2021",
                       "kk_number": "", "business_location_differs": False, "business_address": "",
                       "sku_number": "", "assigned_officer_id": None, "on_credit_list": False,
                       "prior_recipient": False, "address": "", "regency_code": regency,
                       "district_code": district, "village_code": village_code,
                       "village": village, **stamps(who, moment(i, size.applicants))}

        out.counts["aid_applicant"] = writer.write(AidApplicant, applicants())

        def visit(parents: list[tuple[str, str, str]], total: int, i: int) -> dict[str, Any]:
            parent_id, regency, who = parents[i % len(parents)]
            when = moment(i, total)
            final = rng.random() < 0.85
            return {"id": uuid7(), "status": "finalised" if final else "draft",
                    "visit_date": when.date(), "finalised_at": when if final else None,
                    "regency_code": regency, "latitude": None, "longitude": None,
                    "location_source": "", "notes": "", "supersedes_id": None,
                    **stamps(who, when)}, parent_id

        def surveys() -> Iterator[dict[str, Any]]:
            for i in range(size.surveys):
                row, parent = visit(business_ids, size.surveys, i)
                if len(out.sample_surveys) < 10 and i % max(1, size.surveys // 10) == 0:
                    out.sample_surveys.append((row["id"], row["regency_code"]))
                turnover = rng.randint(1, 400) * 1_000_000
                row.update({"business_id": parent, "workers_paid": rng.randint(0, 20),
                            "workers_unpaid": rng.randint(0, 4), "workers_women": rng.randint(0, 10),
                            "capital": rng.randint(1, 200) * 1_000_000, "turnover_monthly": turnover // 12,
                            "turnover_annual": turnover, "size_class": rng.choice(SIZES),
                            "size_class_basis": "annual_sales",
                            "digital_channels": ["marketplace"] if rng.random() < 0.4 else [],
                            "online_sales_share": rng.randint(0, 60), "payment_methods": ["tunai"],
                            "capital_access": [], "capital_needed": None, "needs": "",
                            "training_received": "", "training_wanted": "", "pandemic_impact": "",
                            "exports": False, "export_destinations": ""})
                yield row

        out.counts["umkm_survey"] = writer.write(UmkmSurvey, surveys())

        def audits() -> Iterator[dict[str, Any]]:
            for i in range(size.audits):
                row, parent = visit(coop_ids, size.audits, i)
                row.update({"cooperative_id": parent, "is_active": True, "rat_held": rng.random() < 0.6,
                            "rat_date": None, "members_male": rng.randint(10, 400),
                            "members_female": rng.randint(10, 400), "own_capital": None,
                            "external_capital": None, "assets": None, "business_volume": None,
                            "surplus": None, "loans_outstanding": None, "loans_overdue": None,
                            "health_method": "perdep_06_2016", "aspect_scores": "",
                            "health_score": round(rng.uniform(40, 95), 2),
                            "health_category": rng.choice(HEALTH), "findings": "", "recommendations": ""})
                yield row

        out.counts["cooperative_audit"] = writer.write(CooperativeAudit, audits())

        def verifications() -> Iterator[dict[str, Any]]:
            for i in range(size.verifications):
                row, parent = visit(applicant_ids, size.verifications, i)
                row.update({"applicant_id": parent, "business_exists": True,
                            "check_valid_nik": "met", "check_micro_business": "met",
                            "check_not_civil_servant": "met", "check_no_bank_credit": "met",
                            "check_not_prior_recipient": "met", "check_notes": "",
                            "verdict": rng.choice(VERDICTS), "verdict_reason": ""})
                yield row

        out.counts["aid_verification"] = writer.write(AidVerification, verifications())
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.exec_driver_sql("ANALYZE")  # planner statistics (transactional: committed)
            conn.commit()
    engine.dispose()
    return out
