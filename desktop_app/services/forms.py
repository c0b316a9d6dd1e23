"""A record's form as the officer uses it: open it, keep what is typed, save
it; each one unit of work.

Opening reads everything the form shows in one transaction: the record, the
name of the entity a visit is about, whether a correction replaced it, and
the snapshot of entries typed and not saved (offered back after a crash).
Saving writes the record and drops that snapshot together, so a crash
between the two can neither lose the save nor offer stale entries back.
Keeping (the form's autosave) never loses what was typed: the record when
nothing stops it, else the snapshot, which holds entries that break rules.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..models.errors import TapisError
from ..store import Store
from . import records, snapshots
from .context import Actor
from .kinds import kind_of
from .records import Saved
from .snapshots import Snapshot
from .visit_parent import Fact, parent_card_in

#: A field whose choices follow another field's value, in the order they are
#: followed: the district the regency, the village the district, the health
#: entries the audit's method.
FOLLOWS: dict[str, str] = {"district_code": "regency_code", "village_code": "district_code",
                           "aspect_scores": "health_method"}


@dataclass(frozen=True, slots=True)
class Skip:
    """A question that applies only with a certain answer to another one
    (skip logic): the export destinations only when the business exports.
    When it stops applying it is hidden and its answer cleared (the form
    says so and can undo it until the record is saved)."""

    field: str  # the question that may not apply
    depends_on: str  # the answer that decides
    applies: Callable[[Any], bool]


#: The skip logic of each kind's form, in the form's order.
SKIPS: dict[str, tuple[Skip, ...]] = {
    "umkm_survey": (
        # where it exports to, when it exports
        Skip("export_destinations", "exports", lambda exports: exports is True),
    ),
    "cooperative_audit": (
        # the RAT's date, when the RAT was held
        Skip("rat_date", "rat_held", lambda held: held is True),
        # overdue loans, unless the cooperative has no loans outstanding at all
        Skip("loans_overdue", "loans_outstanding", lambda outstanding: outstanding != 0),
    ),
}


def skips_of(kind_name: str) -> tuple[Skip, ...]:
    return SKIPS.get(kind_name, ())


def empty_value(kind_name: str, name: str) -> Any:
    """What a cleared answer holds: NULL, or the column's default ('' or 0)."""
    spec = kind_of(kind_name).specs[name]
    return None if spec.nullable else spec.default


def is_empty(kind_name: str, name: str, value: Any) -> bool:
    return value in (None, "", [], ()) or value == empty_value(kind_name, name)


def not_applying(kind_name: str, values: Mapping[str, Any]) -> set[str]:
    """The questions that do not apply to these answers."""
    return {skip.field for skip in skips_of(kind_name)
            if skip.depends_on in values and not skip.applies(values[skip.depends_on])}


@dataclass(frozen=True, slots=True)
class Opened:
    """What a form needs to open, read in one go."""

    record: dict[str, Any] | None  # None for a new record
    parent_title: str  # a visit: the name of the business, cooperative or applicant visited
    snapshot: Snapshot | None  # entries typed here and never saved
    superseded: bool  # a correction replaced this (finalised) visit
    #: a verification: the applicant's documents to check against, and the
    #: checklist worded by the applicant's round (services.visit_parent)
    parent_facts: tuple[Fact, ...] = ()
    field_labels: dict[str, tuple[str, str]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Kept:
    """What became of a form's entries: saved as the record (its snapshot
    dropped), or kept as the snapshot, with the refusal that stopped the
    save when one was tried."""

    saved: Saved | None
    refused: TapisError | None = None


def open_form(store: Store, kind_name: str, *, record_id: str | None, parent_id: str | None,
              snapshot_key: str) -> Opened:
    """Everything a form shows when it opens; :class:`NotFound` when the
    record is gone. ``parent_id``: the entity a new visit is about."""
    kind = kind_of(kind_name)
    with store.read() as session:
        record = records.get_in(session, kind_name, record_id) if record_id else None
        parent = (record or {}).get(kind.parent_field or "") or parent_id
        card = parent_card_in(session, kind_name, parent) if kind.is_visit and parent else None
        superseded = bool(record_id and kind.is_visit
                          and records.is_superseded_in(session, kind_name, record_id))
        snapshot = snapshots.find_in(session, snapshot_key)
    if card is None:
        return Opened(record, "", snapshot, superseded)
    return Opened(record, card.title, snapshot, superseded, card.facts, card.field_labels)


def save_form(store: Store, actor: Actor, kind_name: str, values: Mapping[str, Any], *,
              record_id: str | None, snapshot_key: str, today: date | None = None) -> Saved:
    """Save the record and drop the form's snapshot in one transaction.
    :class:`ValidationFailed` names the fields at fault; nothing changes then."""
    with store.write() as session:
        saved = records.save_in(session, actor, kind_name, values, record_id=record_id, today=today)
        snapshots.discard_in(session, snapshot_key)
        return saved


def keep_form(store: Store, actor: Actor, kind_name: str, values: Mapping[str, Any], *,
              record_id: str | None, snapshot_key: str, save: bool,
              today: date | None = None) -> Kept:
    """Keep what the form holds, in one transaction: with ``save``, as the
    record when nothing stops it (the snapshot dropped); otherwise, or when
    the save is refused, as the snapshot, valid or not."""
    with store.write() as session:
        refused: TapisError | None = None
        if save:
            try:
                with session.begin_nested():  # a refused save leaves nothing behind
                    saved = records.save_in(session, actor, kind_name, values,
                                            record_id=record_id, today=today)
                snapshots.discard_in(session, snapshot_key)
                return Kept(saved)
            except TapisError as exc:  # a rule broken, or the record finalised meanwhile
                refused = exc
        snapshots.keep_in(session, snapshot_key, kind_name, record_id, actor.officer_id,
                          dict(values))
        return Kept(None, refused)
