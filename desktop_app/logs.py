"""Logging to a rotating file in the data folder, with NIKs kept out.

Officers' laptops are where problems are diagnosed, so the application logs
to ``<data dir>/logs/tapis.log`` (rotated, a few MB in all). Code logs ids,
never NIKs; as a second line of defence every record passes a filter that
masks anything shaped like a NIK (16 digits) before it is written, whatever
logged it (ours, SQLAlchemy, urllib3). Standard library only: the server's
uvicorn logs pass the same filter (server/__main__.py).
"""

from __future__ import annotations

import logging
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

#: 16 digits not part of a longer number: a NIK, or something that could be one.
NIK_SHAPE = re.compile(r"(?<!\d)(\d{4})\d{8}(\d{4})(?!\d)")
LOG_FILE = "tapis.log"
MAX_BYTES = 1_000_000
BACKUPS = 4
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
QUIET_LIBRARIES = ("sqlalchemy", "alembic", "urllib3", "PIL")


def log_dir(data_dir: Path) -> Path:
    return data_dir / "logs"


def redact(text: str) -> str:
    """Every 16-digit run masked as the lists show a NIK: 1871********0001."""
    return NIK_SHAPE.sub(r"\1********\2", text)


class RedactNik(logging.Filter):
    """Masks NIK-shaped numbers in the message and its arguments, in place."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


def configure(data_dir: Path, *, level: int = logging.INFO) -> Path:
    """Send the root logger to the rotating file in ``data_dir``; returns its path."""
    folder = log_dir(data_dir)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_FILE
    handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(RedactNik())
    root = logging.getLogger()
    root.setLevel(level)
    for old in [h for h in root.handlers if getattr(h, "tapis", False)]:
        root.removeHandler(old)
        old.close()
    handler.tapis = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    for noisy in QUIET_LIBRARIES:  # SQLAlchemy logs every statement at INFO
        logging.getLogger(noisy).setLevel(logging.WARNING)
    return path
