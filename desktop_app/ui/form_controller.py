"""The logic of a record's form, apart from its widgets (no Qt here).

The form (ui/record_form.py) only shows and collects; this controller
decides: what a form opens with, when a check and an autosave are due, what
an edit implies for other fields, when the form is dirty, whether a save is
quiet, when finalising is allowed, what the buttons offer, what leaving
does. It takes the view as an argument (the Mu habit, docs/STYLE.md), so the
tests drive it with a fake view, a real store and work run in place.

Every store access goes through ``run`` (the GUI's DB lane) with plain data
(the store, the officer, ids, values), and each is one unit of work of the
services: opening (``forms.open_form``), checking (``records.check``),
autosaving (``forms.keep_form``), saving (``forms.save_form``), finalising,
correcting, deleting.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum, auto
from typing import Any, Protocol

from ..models import LocationSource, VisitStatus, visit_of
from ..models.kinds import COOPERATIVE_AUDIT
from ..models.rules.problems import Problem
from ..services import forms, records, snapshots
from ..services.context import Actor
from ..services.errors import ValidationFailed
from ..services.forms import FOLLOWS, Kept, Opened
from ..services.kinds import kind_of
from ..services.records import Checked, Saved
from ..store.store import Store

#: After the last keystroke: the live check (problems at their fields, the
#: result beside the form) and the autosave (nothing typed is lost).
CHECK_DELAY_MS = 250
AUTOSAVE_DELAY_MS = 1000
#: Editing one of these marks the location as typed by the officer.
TYPED_LOCATION = ("latitude", "longitude")


class Notice(Enum):
    """What the form tells the officer in its banner; the view words it."""

    RECOVERED = auto()  # entries typed and not saved came back (``when`` they were kept)
    FINALISED = auto()  # read only since ``when``; a correction is a new record
    SUPERSEDED = auto()  # a correction replaced this record
    NOT_SAVED = auto()  # rules broken: fields marked, entries kept on the laptop
    NOT_FINAL_YET = auto()  # finalising needs the fields marked


class Question(Enum):
    """What the form asks before an action that cannot be taken back."""

    FINALISE = auto()
    CORRECT = auto()
    DELETE = auto()
    LEAVE_UNSAVED = auto()  # the entries break rules: keep them and leave?
    SAVE_WITH_WARNINGS = auto()  # unusual answers (``warnings_to_confirm``): save them anyway?


@dataclass(frozen=True, slots=True)
class FormState:
    """What the form's header and buttons show now."""

    name: str  # the record's (or the visited entity's) name; '' for a new record
    status: str | None  # a visit's VisitStatus
    read_only: bool
    can_save: bool
    can_finalise: bool
    can_correct: bool
    can_delete: bool
    can_report: bool  # the audit report (PDF) of a saved cooperative audit
    can_start_visit: bool  # an entity saved: 'New survey' (or audit, verification)
    has_history: bool


class Timer(Protocol):
    """A restartable single shot (a QTimer in the GUI)."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


class Pending(Protocol):
    """Work handed to a worker; callbacks come back on the GUI thread."""

    def success(self, callback: Callable[[Any], None]) -> Pending: ...

    def failure(self, callback: Callable[[BaseException], None]) -> Pending: ...


Run = Callable[..., Pending]


class FormView(Protocol):
    """What the controller asks of the form's widgets."""

    def field_names(self) -> Sequence[str]:
        """The editable fields the form shows, in their order."""

    def value(self, name: str) -> Any: ...

    def set_value(self, name: str, value: Any) -> None:
        """Show a stored value (does not count as an edit)."""

    def follow(self, name: str, value: Any) -> None:
        """Field ``name`` now offers the choices within ``value`` (the
        districts of a regency, the villages of a district, the entries of a
        health method); see services.forms.FOLLOWS."""

    def set_parent_title(self, title: str) -> None: ...

    def show_parent(self, facts: Sequence[tuple[str, str, str]],
                    field_labels: Mapping[str, tuple[str, str]]) -> None:
        """A verification: the applicant's documents to check against
        ((Indonesian, English, value) lines) and the checklist's wording by
        the applicant's round."""

    def show_field(self, name: str, shown: bool) -> None:
        """Show or hide a question (skip logic: services.forms.SKIPS)."""

    def show_cleared(self, names: Sequence[str]) -> None:
        """The answers of these questions were cleared because they no longer
        apply; the officer can undo it (``FormController.undo_clear``) until
        the record is saved. An empty list: nothing to say."""

    def show_typed_before(self, name: str, text: str) -> None:
        """A coded field still empty on a record that holds what was typed
        there before the list existed (a village): show it as a hint."""

    def show_field_problem(self, name: str, problem: Problem | None) -> None: ...

    def show_result(self, derived: dict[str, Any], final_problems: list[Problem]) -> None: ...

    def show_state(self, state: FormState) -> None: ...

    def say(self, notice: Notice, severity: str, *, when: datetime | None = None) -> None: ...

    def say_problems(self, problems: list[Problem]) -> None:
        """Problems of fields the form does not show, in the banner."""

    def hide_notice(self) -> None: ...

    def show_saved(self, when: datetime | None) -> None: ...

    def show_unsaved(self) -> None: ...

    def ask(self, question: Question) -> bool: ...

    def show_error(self, error: BaseException) -> None: ...

    def show_photos(self, record_id: str, *, editable: bool) -> None: ...

    def pick_photos(self) -> None: ...

    def focus(self, name: str) -> None: ...

    def make_timer(self, msecs: int, callback: Callable[[], None]) -> Timer: ...

    def records_changed(self, kind: str) -> None:
        """A record of ``kind`` was written: the lists showing it refresh."""

    def open_record(self, kind: str, record_id: str | None, initial: dict[str, Any]) -> None:
        """Another record opens in this form's place."""

    def go_back(self) -> None:
        """The officer is done with the form: back to the list."""


class FormController:
    """One record's form: its state and every decision about it."""

    def __init__(self, view: FormView, kind: str, *, store: Store, actor: Actor, run: Run,
                 record_id: str | None = None, initial: Mapping[str, Any] | None = None,
                 today: Callable[[], date] = date.today) -> None:
        self.view, self.kind = view, kind_of(kind)
        self.store, self.actor, self.run, self.today = store, actor, run, today
        self.record_id = record_id
        self.initial = dict(initial or {})
        #: the draft a form reopened from Home's 'Recovered work' continues
        self.draft_key: str | None = self.initial.pop("draft_key", None)
        self.record: dict[str, Any] = {}
        self.parent_title = ""
        self.dirty = False
        self.loading = True
        self.read_only = False
        self.superseded = False
        self.last_check: Checked | None = None
        #: A new form does not open all red: the problems it opens with (the
        #: required fields still empty) show at a field once the officer has
        #: typed into it or left it, and everywhere at the first save. A
        #: problem an answer brings (the SKU needed once the business is
        #: elsewhere) shows at once.
        self.touched: set[str] = set()
        self.show_every_problem = record_id is not None
        self.quiet: set[tuple[str, str]] | None = None
        #: unusual answers the officer confirmed (field, rule): not asked again
        self.confirmed: set[tuple[str, str]] = set()
        #: answers cleared by skip logic, undoable until the next save:
        #: field -> (its value, the answer that made it not apply, that answer before)
        self.cleared: dict[str, tuple[Any, str, Any]] = {}
        self.answers: dict[str, Any] = {}  # the deciding answers as last seen
        self.check_timer = view.make_timer(CHECK_DELAY_MS, self.check)
        self.autosave_timer = view.make_timer(AUTOSAVE_DELAY_MS, self.autosave)

    @property
    def snapshot_key(self) -> str:
        """Where what is typed is kept until it is saved: a saved record's
        own key; for a new one, its kind, the officer and the entity a new
        visit is about. So the draft is found again whenever that officer
        opens the same new form (or Home's 'Recovered work'), not lost
        under a key only the closed form knew."""
        if self.record_id is None and self.draft_key:
            return self.draft_key
        parent = str(self.initial.get(self.kind.parent_field or "") or "")
        return snapshots.key_for(self.kind.name, self.record_id,
                                 f"{self.actor.officer_id or ''}:{parent}")

    @property
    def fields(self) -> Sequence[str]:
        return self.view.field_names()

    # --- opening ----------------------------------------------------------------------

    def open(self) -> None:
        """Read the record, its parent's name and any kept entries (DB lane)."""
        self.run(forms.open_form, self.store, self.kind.name, record_id=self.record_id,
                 parent_id=self.initial.get(self.kind.parent_field or ""),
                 snapshot_key=self.snapshot_key).success(self.opened).failure(self._open_failed)

    def _open_failed(self, error: BaseException) -> None:
        self.view.show_error(error)
        self.view.go_back()

    def opened(self, opened: Opened) -> None:
        self.record = opened.record or {}
        self.parent_title = opened.parent_title
        self.superseded = opened.superseded
        values = self.first_values()
        self._show_values(values)
        self._show_typed_before(values)
        self.view.set_parent_title(opened.parent_title)
        if opened.parent_facts or opened.field_labels:
            self.view.show_parent(opened.parent_facts, opened.field_labels)
        if opened.snapshot is not None:
            self._show_values(opened.snapshot.values)
            self.dirty = True
            self.view.say(Notice.RECOVERED, "info", when=opened.snapshot.saved_at)
        self.read_only = self.record.get("status") == VisitStatus.FINALISED
        self._show_applying()
        self._show_state()
        self.loading = False
        if self.record_id:
            self.view.show_photos(self.record_id, editable=not self.read_only)
        self.check()
        self.focus_first()

    def first_values(self) -> dict[str, Any]:
        """What the fields show on opening: the record, what the caller gave
        (the entity a new visit is about), and for a new record the visit
        date (today) and the officer's regency."""
        values = {**self.record, **self.initial}
        if self.record_id is None:
            if "visit_date" in self.fields and not values.get("visit_date"):
                values["visit_date"] = self.today()
            if self.actor.regency_code and "regency_code" in self.fields:
                values.setdefault("regency_code", self.actor.regency_code)
        return values

    def _show_values(self, values: Mapping[str, Any]) -> None:
        """Show the values; a field that follows another gets its choices
        from that field's value first, then its own value."""
        for name in self.fields:
            if name in values:
                self.view.set_value(name, values[name])
        for name, parent in FOLLOWS.items():
            if name in self.fields and parent in self.fields:
                self.view.follow(name, self.view.value(parent))
                if name in values:
                    self.view.set_value(name, values[name])  # the choices were reset

    def _skips(self) -> list[forms.Skip]:
        return [skip for skip in forms.skips_of(self.kind.name)
                if skip.field in self.fields and skip.depends_on in self.fields]

    def _show_applying(self) -> None:
        """On opening: the questions that do not apply are hidden; one that
        holds an answer anyway (a record from before the rule) stays shown,
        so the officer sees the answer and its problem, not a hidden value."""
        for skip in self._skips():
            answer = self.view.value(skip.depends_on)
            self.answers[skip.depends_on] = answer
            shown = skip.applies(answer) or not forms.is_empty(
                self.kind.name, skip.field, self.view.value(skip.field))
            self.view.show_field(skip.field, shown)

    def _skip_after(self, name: str) -> None:
        """The answer to ``name`` changed: the questions it decides are
        hidden (their answers cleared, the officer told, undoable) or shown
        again (with the answer cleared before, when there was one)."""
        skips = [skip for skip in self._skips() if skip.depends_on == name]
        if not skips:
            return
        answer = self.view.value(name)
        for skip in skips:
            if skip.applies(answer):
                if skip.field in self.cleared:  # applies again: what was typed comes back
                    self.view.set_value(skip.field, self.cleared.pop(skip.field)[0])
                self.view.show_field(skip.field, True)
                continue
            value = self.view.value(skip.field)
            if not forms.is_empty(self.kind.name, skip.field, value):
                self.cleared[skip.field] = (value, name, self.answers.get(name))
                self.view.set_value(skip.field, forms.empty_value(self.kind.name, skip.field))
            self.view.show_field(skip.field, False)
        self.answers[name] = answer
        self.view.show_cleared(list(self.cleared))

    def undo_clear(self) -> None:
        """Undo what skip logic cleared: the deciding answers as they were,
        the cleared answers back, their questions shown."""
        if self.read_only or not self.cleared:
            return
        for field, (value, depends_on, before) in self.cleared.items():
            self.view.set_value(depends_on, before)
            self.answers[depends_on] = before
            self.view.set_value(field, value)
            self.view.show_field(field, True)
        self.cleared.clear()
        self.view.show_cleared([])
        self._changed()

    def _show_typed_before(self, values: Mapping[str, Any]) -> None:
        """A record from before the village list: its typed village as a hint."""
        if "village_code" in self.fields and not values.get("village_code") and values.get("village"):
            self.view.show_typed_before("village_code", str(values["village"]))

    def focus_first(self) -> None:
        """The cursor starts in the first field of an editable form."""
        if self.fields and not self.read_only:
            self.view.focus(self.fields[0])

    def state(self) -> FormState:
        exists = self.record_id is not None
        visit, read_only = self.kind.is_visit, self.read_only
        name = self.parent_title if visit else str(self.record.get(self.kind.title_field) or "")
        return FormState(
            name=name, status=self.record.get("status"), read_only=read_only,
            can_save=not read_only, can_finalise=visit and not read_only,
            can_correct=visit and read_only and not self.superseded,
            can_delete=exists and not read_only,
            can_report=exists and self.kind.name == COOPERATIVE_AUDIT.name,
            can_start_visit=exists, has_history=exists or visit)

    def _show_state(self) -> None:
        self.view.show_state(self.state())
        if self.read_only and self.superseded:
            self.view.say(Notice.SUPERSEDED, "info")
        elif self.read_only:
            self.view.say(Notice.FINALISED, "info", when=self.record.get("finalised_at"))

    # --- editing ----------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        """What the form sends to the services: every editable field (and,
        for a new visit, the entity visited)."""
        out = {name: self.view.value(name) for name in self.fields}
        if self.kind.is_visit and self.record_id is None:
            out[self.kind.parent_field or ""] = self.initial.get(self.kind.parent_field or "")
        return out

    def edited(self, name: str) -> None:
        """The officer changed ``name``: what follows from it, then a check
        and an autosave once typing pauses."""
        if self.loading or self.read_only:
            return
        self.touched.add(name)
        self._follow(name)
        self._skip_after(name)
        if name in TYPED_LOCATION and "location_source" in self.fields:
            self.view.set_value("location_source", LocationSource.TYPED.value)
        self._changed()

    def _follow(self, name: str) -> None:
        """The fields that follow ``name`` take its new value (and their own
        followers theirs: a new regency empties the villages too)."""
        for follower, parent in FOLLOWS.items():
            if parent == name and follower in self.fields:
                self.view.follow(follower, self.view.value(name))
                self._follow(follower)

    def _changed(self) -> None:
        self.dirty = True
        self.view.show_unsaved()
        self.check_timer.start()
        self.autosave_timer.start()

    def location_from_photo(self, latitude: float, longitude: float) -> None:
        """A photo carried a GPS position: it fills an empty location; a
        typed location is the officer's and stays."""
        if "latitude" not in self.fields or self.read_only:
            return
        if self.view.value("latitude") or self.view.value("longitude"):
            return
        self.view.set_value("latitude", f"{latitude:.6f}")
        self.view.set_value("longitude", f"{longitude:.6f}")
        self.view.set_value("location_source", LocationSource.EXIF.value)
        self._changed()

    def check(self) -> None:
        """The same rules as a save, reading only (DB lane)."""
        self.run(records.check, self.store, self.kind.name, self.values(),
                 record_id=self.record_id).success(self.checked)

    def checked(self, checked: Checked) -> None:
        """Problems at their fields and the result beside the form; a
        finalised record only shows its result (it was checked when final)."""
        self.last_check = checked
        if not self.read_only:
            self.show_problems(checked.problems)
        self.view.show_result(checked.derived, [] if self.read_only else checked.final_problems)

    def left(self, name: str) -> None:
        """The officer left field ``name``: its problem, if any, shows now."""
        if name in self.touched or self.loading or self.read_only:
            return
        self.touched.add(name)
        if self.last_check is not None:
            self.show_problems(self.last_check.problems)

    def show_problems(self, problems: Sequence[Problem]) -> None:
        """One problem per field (an error before a warning); problems of
        fields the form does not show go to the banner. Until the first save
        of a new record, only the fields the officer has typed into or left
        show theirs (a form does not open with every required field red)."""
        if not self.show_every_problem:
            if self.quiet is None:  # the first check: what the form opens with
                self.quiet = {(p.field, p.rule) for p in problems}
            problems = [p for p in problems
                        if p.field in self.touched or (p.field, p.rule) not in self.quiet]
        first: dict[str, Problem] = {}
        for problem in problems:
            if problem.field not in first or (problem.severity == "error"
                                               and first[problem.field].severity != "error"):
                first[problem.field] = problem
        for name in self.fields:
            self.view.show_field_problem(name, first.get(name))
        elsewhere = [p for f, p in first.items() if f not in self.fields]
        if elsewhere:
            self.view.say_problems(elsewhere)

    # --- saving -----------------------------------------------------------------------

    @property
    def clean(self) -> bool:
        """The last check found no error, so a save would go through."""
        return self.last_check is not None and not self.last_check.errors

    def autosave(self) -> None:
        """Keep what was typed: an existing draft with nothing wrong as the
        record itself, anything else as a snapshot (one unit of work)."""
        if not self.dirty or self.read_only:
            return
        self.run(forms.keep_form, self.store, self.actor, self.kind.name, self.values(),
                 record_id=self.record_id, snapshot_key=self.snapshot_key,
                 save=self.record_id is not None and self.clean).success(self._kept)

    def _kept(self, kept: Kept) -> None:
        if kept.saved is not None:
            self._saved(kept.saved, quiet=True, then=None)
        elif isinstance(kept.refused, ValidationFailed):
            self.show_problems(kept.refused.problems)

    def save(self, quiet: bool = False, then: Callable[[], None] | None = None) -> None:
        """Save the record and drop its snapshot (one unit of work); ``then``
        runs after a successful save."""
        if self.read_only:
            return
        self.check_timer.stop()
        self.autosave_timer.stop()
        if not quiet and self.warnings_to_confirm():
            self.show_every_problem = True
            self.show_problems(self.last_check.problems if self.last_check else [])
            if not self.view.ask(Question.SAVE_WITH_WARNINGS):
                return
            self.confirmed |= {(p.field, p.rule) for p in self.warnings_to_confirm()}
        self.run(forms.save_form, self.store, self.actor, self.kind.name, self.values(),
                 record_id=self.record_id, snapshot_key=self.snapshot_key).success(
            lambda saved: self._saved(saved, quiet, then)).failure(
            lambda error: self._save_failed(error, quiet))

    def warnings_to_confirm(self) -> list[Problem]:
        """Unusual answers (warnings) of the last check the officer has not
        confirmed yet; a save asks about them first (an error stops it anyway)."""
        if self.last_check is None or self.last_check.errors:
            return []
        return [p for p in self.last_check.problems
                if p.severity == "warning" and (p.field, p.rule) not in self.confirmed]

    def _saved(self, saved: Saved, quiet: bool, then: Callable[[], None] | None) -> None:
        created = self.record_id is None
        self.record = saved.record
        self.record_id = saved.record["id"]
        self.dirty = False
        self.view.show_saved(saved.record.get("updated_at"))
        if created:
            self.view.show_photos(self.record_id or "", editable=True)
            self._show_state()
        if not quiet and self.cleared:  # saved: the cleared answers are gone for good
            self.cleared.clear()
            self.view.show_cleared([])
        if saved.warnings:
            self.show_every_problem = True
            self.show_problems(saved.warnings)
        elif not quiet:
            self.view.hide_notice()
        self.view.records_changed(self.kind.name)
        if then is not None:
            then()

    def _save_failed(self, error: BaseException, quiet: bool) -> None:
        if isinstance(error, ValidationFailed):
            if not quiet:
                self.show_every_problem = True
            self.show_problems(error.problems)
            if not quiet:
                self.view.say(Notice.NOT_SAVED, "error")
            return
        if not quiet:
            self.view.show_error(error)

    def save_for_photo(self) -> None:
        """A photo needs a saved record to belong to: save, then pick."""
        self.save(then=self.view.pick_photos)

    def finalise(self) -> None:
        """Finalise after asking, when the last check found nothing that
        stops it; the form is saved first."""
        if self.last_check is not None and (self.last_check.errors or self.last_check.final_problems):
            self.show_every_problem = True
            self.show_problems(self.last_check.problems + self.last_check.final_problems)
            self.view.say(Notice.NOT_FINAL_YET, "error")
            return
        if not self.view.ask(Question.FINALISE):
            return
        self.save(then=self._finalise_saved)

    def _finalise_saved(self) -> None:
        self.run(records.finalise, self.store, self.actor, self.kind.name, self.record_id).success(
            self._finalised).failure(lambda error: self._save_failed(error, False))

    def _finalised(self, record: dict[str, Any]) -> None:
        self.record = record
        self.read_only = True
        self._show_state()
        self.view.show_photos(self.record_id or "", editable=False)
        self.view.records_changed(self.kind.name)

    def correct(self) -> None:
        """A new draft with the same values, which replaces this finalised
        record when it is finalised; it opens in this form's place."""
        if not self.view.ask(Question.CORRECT):
            return
        self.run(records.supersede, self.store, self.actor, self.kind.name, self.record_id).success(
            self._corrected).failure(self.view.show_error)

    def _corrected(self, saved: Saved) -> None:
        self.view.records_changed(self.kind.name)
        self.view.open_record(self.kind.name, saved.record["id"], {})

    def delete(self) -> None:
        if not self.view.ask(Question.DELETE):
            return
        self.run(records.delete, self.store, self.actor, self.kind.name, self.record_id).success(
            self._deleted).failure(self.view.show_error)

    def _deleted(self, _none: None) -> None:
        self.view.records_changed(self.kind.name)
        self.run(snapshots.discard, self.store, self.snapshot_key)
        self.dirty = False
        self.view.go_back()

    # --- leaving ----------------------------------------------------------------------

    def leave(self) -> None:
        """Back to the list: a dirty form is saved first; one that cannot be
        saved asks, and its entries are kept for next time."""
        if not self.dirty or self.read_only:
            self.view.go_back()
        elif self.clean:
            self.save(then=self.view.go_back)
        elif self.view.ask(Question.LEAVE_UNSAVED):
            self.keep_entries()
            self.view.go_back()

    def keep_entries(self) -> None:
        """The entries as a snapshot now (the form is going away)."""
        self.run(snapshots.keep, self.store, self.snapshot_key, self.kind.name, self.record_id,
                 self.actor.officer_id, self.values())

    def can_leave(self) -> bool:
        """The window is closing: keep what was typed, never ask twice."""
        if self.dirty and not self.read_only:
            self.keep_entries()
        return True

    # --- other actions ----------------------------------------------------------------

    def start_visit(self) -> None:
        """An entity's 'New survey' (audit, verification): the visit's form, about it."""
        visit = visit_of(self.kind.name)
        self.view.open_record(visit.name, None, {visit.parent_field or "": self.record_id})

    def history_of(self) -> tuple[str, str] | None:
        """Whose story the History button shows: the entity's (for a visit,
        the entity visited), or None while there is none yet."""
        if self.kind.is_visit:
            field = self.kind.parent_field or ""
            parent_id = self.record.get(field) or self.initial.get(field)
            return (self.kind.parent_kind or "", parent_id) if parent_id else None
        return (self.kind.name, self.record_id) if self.record_id else None
