"""The console's own table: browser sessions, kept in the database so that
every worker of ``run --workers N`` knows every session (nothing in a
process's memory)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from desktop_app.models.types import UTCDateTime, utc_now

from ..tables import ServerBase


class ConsoleSession(ServerBase):
    """A signed-in browser. Only the SHA-256 of the cookie's value is stored
    (a leaked table signs no one in); ``csrf`` is the token every form of
    the session carries back. A session ends at sign-out, after
    :data:`server.console.sessions.IDLE` without a request, or at
    ``expires_at`` (a working day), whichever comes first."""

    __tablename__ = "console_session"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    officer_id: Mapped[str] = mapped_column(ForeignKey("officer.id"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    language: Mapped[str] = mapped_column(String(2), default="id")
    address: Mapped[str] = mapped_column(String(64), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utc_now)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
