"""Driving a form's controller without Qt: a view that remembers what it
was told and types as the officer would, a timer the test fires, and a
worker lane the test drains. The services behind them are the real ones on
a real store: only the widgets are missing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from desktop_app.models import PARENT_FIELDS
from desktop_app.models.rules.problems import Problem
from desktop_app.services.kinds import kind_of
from desktop_app.ui.form_controller import FormController, FormState, Notice, Question


@dataclass
class Job:
    """Work queued for the worker lane, with its callbacks (like ui.tasks.Op)."""

    fn: Callable[..., Any]
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    on_success: list[Callable[[Any], None]] = field(default_factory=list)
    on_failure: list[Callable[[BaseException], None]] = field(default_factory=list)

    def success(self, callback: Callable[[Any], None]) -> Job:
        self.on_success.append(callback)
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Job:
        self.on_failure.append(callback)
        return self


class Lane:
    """One worker lane in the test's hands: jobs wait until :meth:`drain`,
    which runs them in order and then their callbacks, as the GUI would."""

    def __init__(self) -> None:
        self.queue: list[Job] = []
        self.ran: list[str] = []
        self.unhandled: list[BaseException] = []

    def run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Job:
        job = Job(fn, args, kwargs)
        self.queue.append(job)
        return job

    def drain(self) -> None:
        while self.queue:
            job = self.queue.pop(0)
            self.ran.append(getattr(job.fn, "__name__", repr(job.fn)))
            try:
                result = job.fn(*job.args, **job.kwargs)
            except Exception as error:  # noqa: BLE001 - handed to the callbacks, as ui.tasks does
                if not job.on_failure:
                    self.unhandled.append(error)
                for failed in job.on_failure:
                    failed(error)
                continue
            for succeeded in job.on_success:
                succeeded(result)


class Timer:
    """A single shot the test fires by hand."""

    def __init__(self, msecs: int, callback: Callable[[], None]) -> None:
        self.msecs, self.callback, self.active = msecs, callback, False

    def start(self) -> None:
        self.active = True

    def stop(self) -> None:
        self.active = False

    def fire(self) -> None:
        if self.active:
            self.active = False
            self.callback()


class FakeView:
    """The form's widgets, reduced to what they were told to show."""

    def __init__(self, kind: str, answer: bool = True) -> None:
        self.names = tuple(name for name in kind_of(kind).specs if name not in PARENT_FIELDS)
        self.values: dict[str, Any] = {}
        self.problems: dict[str, Problem | None] = {}
        self.result: tuple[dict[str, Any], list[Problem]] | None = None
        self.state: FormState | None = None
        self.notices: list[tuple[Notice, str, datetime | None]] = []
        self.banner_problems: list[Problem] = []
        self.saved_note = ""
        self.answer = answer
        self.questions: list[Question] = []
        self.errors: list[BaseException] = []
        self.photos: list[tuple[str, bool]] = []
        self.photo_picks = 0
        self.focused: str | None = None
        self.followed: list[tuple[str, Any]] = []
        self.parent_title = ""
        self.parent_facts: tuple[tuple[str, str, str], ...] = ()
        self.field_labels: dict[str, tuple[str, str]] = {}
        self.typed_before: dict[str, str] = {}
        self.hidden: set[str] = set()
        self.cleared_note: list[str] = []
        self.timers: list[Timer] = []
        self.changed: list[str] = []
        self.opened: list[tuple[str, str | None, dict[str, Any]]] = []
        self.went_back = 0
        self.controller: FormController | None = None

    # --- what the officer does ---------------------------------------------------------

    def type(self, name: str, value: Any) -> None:
        """An edit in field ``name``, as an editor reports it."""
        assert self.controller is not None
        self.values[name] = value
        self.controller.edited(name)

    def pause(self) -> None:
        """The officer stops typing: the pending check and autosave fire."""
        for timer in list(self.timers):
            timer.fire()

    @property
    def scheduled(self) -> bool:
        return any(timer.active for timer in self.timers)

    # --- the view the controller drives ----------------------------------------------------

    def field_names(self) -> tuple[str, ...]:
        return self.names

    def value(self, name: str) -> Any:
        return self.values.get(name)

    def set_value(self, name: str, value: Any) -> None:
        self.values[name] = value

    def follow(self, name: str, value: Any) -> None:
        self.followed.append((name, value))

    @property
    def districts_for(self) -> list[Any]:
        """The regencies whose districts were offered, in order."""
        return [value for name, value in self.followed if name == "district_code"]

    def set_parent_title(self, title: str) -> None:
        self.parent_title = title

    def show_parent(self, facts: Any, field_labels: Any) -> None:
        self.parent_facts, self.field_labels = tuple(facts), dict(field_labels)

    def show_field(self, name: str, shown: bool) -> None:
        if shown:
            self.hidden.discard(name)
        else:
            self.hidden.add(name)

    def show_cleared(self, names: Any) -> None:
        self.cleared_note = list(names)

    def show_typed_before(self, name: str, text: str) -> None:
        self.typed_before[name] = text

    def show_field_problem(self, name: str, problem: Problem | None) -> None:
        self.problems[name] = problem

    def show_result(self, derived: dict[str, Any], final_problems: list[Problem]) -> None:
        self.result = (derived, final_problems)

    def show_state(self, state: FormState) -> None:
        self.state = state

    def say(self, notice: Notice, severity: str, *, when: datetime | None = None) -> None:
        self.notices.append((notice, severity, when))

    def say_problems(self, problems: list[Problem]) -> None:
        self.banner_problems = list(problems)

    def hide_notice(self) -> None:
        self.notices.clear()
        self.banner_problems = []

    def show_saved(self, when: datetime | None) -> None:
        self.saved_note = f"saved {when}"

    def show_unsaved(self) -> None:
        self.saved_note = "not saved"

    def ask(self, question: Question) -> bool:
        self.questions.append(question)
        return self.answer

    def show_error(self, error: BaseException) -> None:
        self.errors.append(error)

    def show_photos(self, record_id: str, *, editable: bool) -> None:
        self.photos.append((record_id, editable))

    def pick_photos(self) -> None:
        self.photo_picks += 1

    def focus(self, name: str) -> None:
        self.focused = name

    def make_timer(self, msecs: int, callback: Callable[[], None]) -> Timer:
        timer = Timer(msecs, callback)
        self.timers.append(timer)
        return timer

    def records_changed(self, kind: str) -> None:
        self.changed.append(kind)

    def open_record(self, kind: str, record_id: str | None, initial: dict[str, Any]) -> None:
        self.opened.append((kind, record_id, initial))

    def go_back(self) -> None:
        self.went_back += 1

    @property
    def notice(self) -> Notice | None:
        """The banner's notice now, if any."""
        return self.notices[-1][0] if self.notices else None
