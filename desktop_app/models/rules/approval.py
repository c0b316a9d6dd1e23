"""Where an aid verdict stands in the approval chain, and who may take the
next step (docs/DOMAIN.md, "The approval chain").

The chain, modelled on DHIS2's data approval (approve at one level, accept
at the next, locked once accepted) as the office works a BPUM round: the
officer finalises a verdict; the regency office (a supervisor of the
regency) approves it or returns it to the officer with a note; the province
(the provincial admin) accepts an approved verdict or returns it to the
regency office with a note. An accepted verdict is locked: nothing about it
changes any more (the server refuses every later change to it). A verdict
the regency returned is closed: the officer answers with a correction (a
new verification superseding it), which starts a chain of its own.

Steps are rows (models.approvals.AidDecision), inserted and never changed,
so two offices deciding offline never overwrite each other; the chain is
the steps replayed in the order they were made, and a step not allowed at
its point of the replay (an office approving what the other had already
returned) is kept but does not count.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from ..codes import LabelledCode
from .problems import Problem


class Level(LabelledCode):
    REGENCY = "regency", "Dinas kabupaten/kota", "Regency office"
    PROVINCE = "province", "Dinas provinsi", "Province"


class Action(LabelledCode):
    APPROVE = "approve", "Disetujui", "Approved"
    RETURN = "return", "Dikembalikan", "Returned"
    ACCEPT = "accept", "Diterima provinsi", "Accepted by the province"


class Stage(LabelledCode):
    """Where a finalised verdict stands."""

    AT_REGENCY = "at_regency", "Menunggu persetujuan kabupaten/kota", "Waiting for the regency office"
    RETURNED = "returned", "Dikembalikan ke petugas", "Returned to the officer"
    AT_PROVINCE = "at_province", "Menunggu penerimaan provinsi", "Waiting for the province"
    ACCEPTED = "accepted", "Diterima (terkunci)", "Accepted (locked)"


#: Which actions each level takes, and from which stage.
ALLOWED: dict[tuple[str, str], tuple[Stage, Stage]] = {
    # (level, action): (from stage, to stage)
    (Level.REGENCY, Action.APPROVE): (Stage.AT_REGENCY, Stage.AT_PROVINCE),
    (Level.REGENCY, Action.RETURN): (Stage.AT_REGENCY, Stage.RETURNED),
    (Level.PROVINCE, Action.ACCEPT): (Stage.AT_PROVINCE, Stage.ACCEPTED),
    (Level.PROVINCE, Action.RETURN): (Stage.AT_PROVINCE, Stage.AT_REGENCY),
}
#: The role that acts at each level (protocol.Role values; the admin is the
#: province and may stand in for a regency office).
LEVEL_ROLES: dict[str, frozenset[str]] = {
    Level.REGENCY: frozenset({"supervisor", "admin"}),
    Level.PROVINCE: frozenset({"admin"}),
}
#: Verdicts that enter the chain: an incomplete verification is still the
#: officer's work.
DECIDED_VERDICTS = frozenset({"eligible", "not_eligible"})
#: The longest note (the column is Text; a page of reasons is plenty).
NOTE_MAX = 2000


@dataclass(frozen=True, slots=True)
class Step:
    """One decision as the replay reads it (ordered by ``order``, the row's
    time-ordered UUIDv7 id)."""

    order: str
    level: str
    action: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class Standing:
    stage: Stage
    last_note: str = ""  # the note of the last step that counted (a return's reason)
    counted: tuple[Step, ...] = ()


def standing(steps: Iterable[Step]) -> Standing:
    """The stage a finalised verdict reached after ``steps``, in order."""
    stage, note, counted = Stage.AT_REGENCY, "", []
    for step in sorted(steps, key=lambda s: s.order):
        move = ALLOWED.get((step.level, step.action))
        if move is None or move[0] != stage:
            continue  # not allowed at this point of the chain: kept, not counted
        stage, note = move[1], step.note
        counted.append(step)
    return Standing(stage, note, tuple(counted))


def step_problems(*, level: str, action: str, note: str, role: str | None,
                  current: Stage, verdict: str, finalised: bool, superseded: bool,
                  quota_left: int | None = None) -> list[Problem]:
    """Why this step may not be taken now; empty when it may.

    A return needs a note (the officer or the office must know what to
    fix). ``quota_left`` is how many more eligible verdicts the regency may
    still send to the province in the round (None: the round sets no quota).
    """
    move = ALLOWED.get((level, action))
    if move is None:
        return [_p("action", "approval.action",
                   "Langkah ini tidak ada pada tingkat tersebut.",
                   "There is no such step at that level.")]
    if role is not None and role not in LEVEL_ROLES[level]:
        return [_p("level", "approval.role",
                   "Langkah ini hanya untuk " + ("supervisor dinas kabupaten/kota."
                                                 if level == Level.REGENCY else "admin provinsi."),
                   "This step is for the " + ("regency office's supervisor only."
                                              if level == Level.REGENCY else "provincial admin only."))]
    if not finalised or superseded or verdict not in DECIDED_VERDICTS:
        return [_p("verification_id", "approval.not_decided",
                   "Hanya verifikasi final (layak atau tidak layak) yang belum dikoreksi yang "
                   "dapat disetujui.",
                   "Only a finalised verification (eligible or not) that has not been corrected "
                   "can be approved.")]
    if current == Stage.ACCEPTED:
        return [_p("verification_id", "approval.locked",
                   "Putusan ini sudah diterima provinsi dan terkunci; tidak dapat diubah lagi.",
                   "This verdict was accepted by the province and is locked; it cannot change.")]
    if current != move[0]:
        return [_p("action", "approval.stage",
                   f"Putusan ini sedang pada tahap '{current.label_id}'; langkah ini tidak berlaku.",
                   f"This verdict is at '{current.label_en}'; this step does not apply.")]
    if action == Action.RETURN and not note.strip():
        return [_p("note", "approval.note_required",
                   "Tulis alasan pengembalian agar yang menerima tahu apa yang harus diperbaiki.",
                   "Write why it is returned, so whoever gets it back knows what to fix.")]
    if len(note) > NOTE_MAX:
        return [_p("note", "approval.note_length",
                   f"Catatan paling panjang {NOTE_MAX} karakter.",
                   f"The note may be at most {NOTE_MAX} characters.")]
    if (level, action) == (Level.REGENCY, Action.APPROVE) and verdict == "eligible" \
            and quota_left is not None and quota_left <= 0:
        return [_p("action", "approval.quota",
                   "Kuota kabupaten/kota untuk tahap bantuan ini sudah penuh.",
                   "The regency's quota for this aid round is already used up.")]
    return []


def quota_left(quota: int | None, sent: int) -> int | None:
    """How many more eligible verdicts a regency may send up (approved or
    accepted ones count against its quota); None when there is no quota."""
    return None if quota is None else quota - sent


def stages_by_verification(rows: Iterable[Mapping[str, object]]) -> dict[str, Standing]:
    """Each verification's standing from its decision rows (``id``,
    ``verification_id``, ``level``, ``action``, ``note``)."""
    steps: dict[str, list[Step]] = {}
    for row in rows:
        steps.setdefault(str(row["verification_id"]), []).append(
            Step(str(row["id"]), str(row["level"]), str(row["action"]), str(row.get("note") or "")))
    return {vid: standing(s) for vid, s in steps.items()}


def _p(field: str, rule: str, id_: str, en: str) -> Problem:
    return Problem(field=field, rule=rule, id=id_, en=en)
