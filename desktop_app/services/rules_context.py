"""What the record rules may consult besides the values themselves."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from .reference import ReferenceCodes


@dataclass(frozen=True, slots=True)
class RuleContext:
    """Today's date (read once by the service), the reference codes, and the
    session of the unit of work, for rules that look at a parent record."""

    today: date
    codes: ReferenceCodes
    session: Session
