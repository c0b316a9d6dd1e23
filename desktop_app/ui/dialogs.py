"""The one way the GUI shows an error or asks a question.

Qt ships no Indonesian translation of its own buttons, so questions carry
their own translated button texts instead of QMessageBox's Yes/No.
"""

from __future__ import annotations

import logging

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from ..models.errors import TapisError
from .i18n import message_of, tr

log = logging.getLogger(__name__)


def show_error(parent: QWidget | None, error: BaseException, title: str | None = None) -> None:
    """A readable message for the officer; the details only in the log.

    Any :class:`TapisError` says what is wrong and what to do in the
    screen's language; anything else is a fault of ours: a plain apology
    here, the traceback in the log."""
    if isinstance(error, TapisError):
        text = message_of(error)
    else:
        log.error("unexpected error shown to the officer",
                  exc_info=(type(error), error, error.__traceback__))
        text = tr("Something went wrong. Nothing you typed was lost; the details are in the log. "
                  "Try again, and tell the office if it happens again.")
    box = QMessageBox(QMessageBox.Icon.Warning, title or "Tapis", text, parent=parent)
    box.addButton(tr("Close"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()


def ask(parent: QWidget | None, title: str, text: str, yes: str, no: str | None = None,
        details: str = "") -> bool:
    """True when the officer chose ``yes``. The safe answer (``no``) is the
    default button and Escape's: Enter on a question never finalises,
    deletes or leaves by accident."""
    box, yes_button = question_box(parent, title, text, yes, no, details)
    box.exec()
    return box.clickedButton() is yes_button


def question_box(parent: QWidget | None, title: str, text: str, yes: str, no: str | None = None,
                 details: str = "") -> tuple[QMessageBox, QPushButton]:
    """The question's box, not yet shown, and its ``yes`` button."""
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    if details:
        box.setInformativeText(details)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    no_button = box.addButton(no or tr("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no_button)
    box.setEscapeButton(no_button)
    return box, yes_button


def inform(parent: QWidget | None, title: str, text: str) -> None:
    box = QMessageBox(QMessageBox.Icon.Information, title, text, parent=parent)
    box.addButton(tr("Close"), QMessageBox.ButtonRole.AcceptRole)
    box.exec()
