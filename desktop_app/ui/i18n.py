"""Screens in Bahasa Indonesia by default, English on request.

Source strings in the code are English (Qt's convention, and what lupdate
extracts); resources/translations/id/*.ts hold the Indonesian, one file per
area of the GUI, compiled to .qm by build_scripts/translations.py in the
build. Running from source, a
missing or stale .qm is compiled here on start, so `make run` always shows
the current translation. Field labels and rule messages come from the
services, which carry both languages; :func:`pick` chooses.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from ..models.errors import TapisError
from ..resources import resources_dir
from ..services.errors import ValidationFailed

log = logging.getLogger(__name__)

LANGUAGES = {"id": "Bahasa Indonesia", "en": "English"}
DEFAULT = "id"

_state = {"language": DEFAULT}
_translators: list[QTranslator] = []


def tr(text: str) -> str:
    """A screen string in the current language. lupdate files a bare
    ``tr("...")`` call under the empty context, so that is where it is looked up."""
    return QCoreApplication.translate("", text)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - lupdate's marker
    """Marks ``text`` for lupdate in ``context``; translated where it is shown."""
    return text


def language() -> str:
    """'id' or 'en': the language the screens are in now."""
    return _state["language"]


def pick(text_id: str, text_en: str) -> str:
    """The one of two texts (from the services) for the current language."""
    return text_en if language() == "en" else text_id


def in_sentence(name: str) -> str:
    """A kind's name inside a sentence: its first word in lower case, an
    abbreviation kept as written ('Usaha (UMKM)' -> 'usaha (UMKM)')."""
    first, _, rest = name.partition(" ")
    if first.isupper() and len(first) > 1:
        return name
    return first[:1].lower() + first[1:] + (" " + rest if rest else "")


def message_of(error: BaseException) -> str:
    """A :class:`TapisError`'s message in the current language (any other
    error's str()). A refused value names its field's rule, which says more
    than 'some fields need correcting' when no form field shows it (a photo
    file)."""
    if isinstance(error, ValidationFailed) and error.problems:
        return " ".join(pick(p.id, p.en) for p in error.problems)
    if isinstance(error, TapisError):
        return error.message(language())
    return str(error)


def translations_dir() -> Path:
    return resources_dir() / "translations"


def install(language_code: str) -> None:
    """Switch the application's translator; widgets built afterwards use it."""
    app = QCoreApplication.instance()
    code = language_code if language_code in LANGUAGES else DEFAULT
    _state["language"] = code
    for old in _translators:
        if app is not None:
            app.removeTranslator(old)
    _translators.clear()
    QLocale.setDefault(QLocale(QLocale.Language.Indonesian, QLocale.Country.Indonesia)
                       if code == "id" else QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom))
    if code == "en" or app is None:
        return  # the source strings are English
    loaded = 0
    for source in sorted((translations_dir() / code).glob("*.ts")) or sorted(
            (translations_dir() / code).glob("*.qm")):
        compiled = ensure_compiled(source.with_suffix(".ts"))
        translator = QTranslator()
        if compiled is not None and translator.load(str(compiled)):
            app.installTranslator(translator)
            _translators.append(translator)
            loaded += 1
    if not loaded:
        log.warning("Indonesian translation not found; screens stay in English")


def ensure_compiled(source: Path) -> Path | None:
    """The .qm next to ``source``, compiled if missing or older (source runs only)."""
    compiled = source.with_suffix(".qm")
    fresh = compiled.exists() and (not source.exists()
                                   or compiled.stat().st_mtime >= source.stat().st_mtime)
    if fresh or getattr(sys, "frozen", False):
        return compiled if compiled.exists() else None
    lrelease = lrelease_path()
    if lrelease is None or not source.exists():
        return compiled if compiled.exists() else None
    # Written beside, then renamed: another process loading it never reads half a file.
    partial = compiled.with_name(f"{compiled.name}.{os.getpid()}.partial")
    subprocess.run([lrelease, "-silent", str(source), "-qm", str(partial)], check=True)
    os.replace(partial, compiled)
    return compiled


def lrelease_path() -> str | None:
    here = Path(sys.executable).parent / "pyside6-lrelease"
    return str(here) if here.exists() else shutil.which("pyside6-lrelease")
