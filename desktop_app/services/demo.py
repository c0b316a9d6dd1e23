"""Filling a store with demo records through the same rules as real ones.

Every demo record goes through :func:`records.save_batch`, so it is valid by
the same checks and change-captured like an officer's; batches keep each
unit of work short so the GUI could keep reading meanwhile.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from ..models import Region
from ..store import Store
from . import records
from .context import Actor
from .demo_data import DemoFactory, DemoPlace, DemoReference
from .reference import load_codes

#: Records per unit of work. A push never splits one, so a unit must fit the
#: requests a poor link lets through; an officer's own saves are one record each.
BATCH = 50
#: Share of record pairs (entity + visit) per job: surveys, audits, verifications.
JOB_SHARE = (("business", "umkm_survey", 0.5), ("cooperative", "cooperative_audit", 0.2),
             ("aid_applicant", "aid_verification", 0.3))
FINALISED_SHARE = 0.7


@dataclass
class DemoResult:
    created: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.created.values())


def fill(store: Store, actor: Actor, records_wanted: int, *, seed: int = 18,
         today: date | None = None, batch: int = BATCH,
         progress: Callable[[int, int], None] | None = None,
         regency: str | None = None) -> DemoResult:
    """Create about ``records_wanted`` records: entities and one visit each
    (all in ``regency`` when given: the practice officer's own)."""
    places = [p for p in _places(store) if regency is None or p.regency_code == regency]
    factory = DemoFactory(places, seed=seed, today=today or date.today(),
                          reference=_reference(store))
    result = DemoResult()
    pairs_total = max(1, records_wanted // 2)
    done = 0
    for entity_kind, visit_kind, share in JOB_SHARE:
        pairs = round(pairs_total * share)
        make_entity = getattr(factory, _FACTORY[entity_kind])
        make_visit = getattr(factory, _FACTORY[visit_kind])
        for start in range(0, pairs, batch):
            count = min(batch, pairs - start)
            entities = records.save_batch(store, actor, entity_kind,
                                          [(make_entity(), False) for _ in range(count)], today=today)
            visits = [(make_visit(e["id"]), factory.rng.random() < FINALISED_SHARE) for e in entities]
            records.save_batch(store, actor, visit_kind, visits, today=today)
            result.created[entity_kind] = result.created.get(entity_kind, 0) + count
            result.created[visit_kind] = result.created.get(visit_kind, 0) + count
            done += 2 * count
            if progress:
                progress(done, 2 * pairs_total)
    return result


_FACTORY = {"business": "business", "umkm_survey": "survey", "cooperative": "cooperative",
            "cooperative_audit": "audit", "aid_applicant": "applicant",
            "aid_verification": "verification"}


def has_regency(store: Store, code: str) -> bool:
    """Whether the reference data holds places of this regency/city."""
    return any(place.regency_code == code for place in _places(store))


def _places(store: Store) -> list[DemoPlace]:
    with store.read() as session:
        rows = session.execute(select(Region.code, Region.name, Region.level, Region.parent_code)
                               .where(Region.level.in_(("district", "village")))
                               .order_by(Region.code)).all()
    villages: dict[str, list[tuple[str, str]]] = {}
    for code, name, level, parent in rows:
        if level == "village":
            villages.setdefault(parent, []).append((code, name))
    return [DemoPlace(regency_code=parent, district_code=code,
                      villages=tuple(villages.get(code, ())))
            for code, _, level, parent in rows if level == "district"]


def _reference(store: Store) -> DemoReference:
    with store.read() as session:
        codes = load_codes(session)
    return DemoReference(methods=codes.health_methods, rounds=tuple(codes.rounds))
