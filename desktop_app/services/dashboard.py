"""The office's numbers per regency, for the laptop's dashboard page: the
figures are computed by the shared core (desktop_app/models/dashboard.py),
which the provincial server's console calls on its own database; here they
are read from the laptop's store."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from ..models import Region
from ..models.dashboard import MONTHS_SHOWN, NO_CHANNELS, Dashboard, RegencyCount, figures
from ..store import Store

__all__ = ["MONTHS_SHOWN", "NO_CHANNELS", "Dashboard", "RegencyCount", "dashboard", "regencies"]


def regencies(store: Store) -> list[tuple[str, str]]:
    """(code, name) of Lampung's regencies and cities, by code, for the selector."""
    with store.read() as session:
        return [(c, n) for c, n in session.execute(
            select(Region.code, Region.name).where(Region.level == "regency").order_by(Region.code))]


def dashboard(store: Store, regency_code: str | None = None, *, today: date | None = None) -> Dashboard:
    """The dashboard's figures for one regency, or for all Lampung when None."""
    with store.read() as session:
        return figures(session, regency_code, today=today)
