"""Building the GUI in tests: a real store, a real AppContext, an officer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop_app.store import Store, open_store
from desktop_app.sync.account import Account
from desktop_app.ui.context import AppContext
from desktop_app.ui.settings import Settings

OFFICER_ID = "01900000-0000-7000-8000-000000000071"


def officer(regency: str | None = "18.71", role: str = "officer",
            officer_id: str = OFFICER_ID) -> Account:
    return Account(officer_id=officer_id, username=f"petugas.{regency}", full_name="Siti Rahmawati",
                   role=role, regency_code=regency, server_url="http://127.0.0.1:9", has_token=False)


def make_context(data_dir: Path, store: Store | None = None, account: Account | None = None) -> AppContext:
    opened = store or open_store(data_dir)
    opened.set_officer((account or officer()).officer_id)
    return AppContext(store=opened, data_dir=opened.data_dir, settings=Settings(opened.data_dir),
                      account=account or officer())


@pytest.fixture
def ctx(tmp_path: Path) -> Iterator[AppContext]:
    """A real context on a fresh store, the Bandar Lampung officer signed in;
    its worker lanes are drained and the store closed afterwards."""
    context = make_context(tmp_path / "data")
    yield context
    context.runner.wait()
    context.store.close()


def drain(qtbot, ctx: AppContext, rounds: int = 3) -> None:  # type: ignore[no-untyped-def]
    """Let queued worker jobs finish and their callbacks run on the GUI thread."""
    for _ in range(rounds):
        ctx.runner.wait()
        qtbot.wait(20)


class Dialogs:
    """Stands in for the modal dialogs, which would wait forever in a test:
    records what was shown and answers questions as the test says."""

    def __init__(self) -> None:
        self.errors: list[BaseException] = []
        self.questions: list[str] = []
        self.informed: list[str] = []
        self.answer = True
        self.allow_errors = False  # a test that expects an error dialog sets this

    def show_error(self, parent, error, title=None) -> None:  # type: ignore[no-untyped-def]
        self.errors.append(error)

    def ask(self, parent, title, text, yes, no=None, details="") -> bool:  # type: ignore[no-untyped-def]
        self.questions.append(title)
        return self.answer

    def inform(self, parent, title, text) -> None:  # type: ignore[no-untyped-def]
        self.informed.append(text)


@pytest.fixture(autouse=True)
def modal_dialogs(monkeypatch: pytest.MonkeyPatch) -> Iterator[Dialogs]:
    """Every test gets dialogs that never block; an error dialog nobody
    expected fails the test that caused it."""
    from desktop_app.ui import dialogs

    stand_in = Dialogs()
    for name in ("show_error", "ask", "inform"):
        monkeypatch.setattr(dialogs, name, getattr(stand_in, name))
    yield stand_in
    if stand_in.errors and not stand_in.allow_errors:
        raise AssertionError(f"error dialogs shown: {stand_in.errors!r}")


@pytest.fixture
def indonesian(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Screens in Indonesian for one test (it may switch to English inside);
    afterwards the translators and locale are as they were, so a test that
    reads the source strings does not depend on which test ran before it."""
    from PySide6.QtCore import QLocale

    from desktop_app.ui import i18n

    saved_language, saved = i18n.language(), list(i18n._translators)
    saved_locale = QLocale()
    i18n.install("id")
    yield
    i18n.install("en")  # removes whatever translators the test left installed
    for translator in saved:
        qapp.installTranslator(translator)
    i18n._translators[:] = saved
    i18n._state["language"] = saved_language
    QLocale.setDefault(saved_locale)


@pytest.fixture(autouse=True)
def source_language() -> Iterator[None]:
    """Each test starts with the screens in their source language (English,
    no translator installed) and leaves them so: a test that wants
    Indonesian installs it, and no test sees another's choice."""
    from desktop_app.ui import i18n

    i18n.install("en")
    yield
    i18n.install("en")
