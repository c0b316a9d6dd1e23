"""Each step of an aid round in the audit log.

The province's audit log (server/audit.py) is being built beside this; until
it lands on main, a step is written to the 'tapis.audit' logger (never a
NIK: the details name rounds, regencies, counts and record ids only), behind
this one function, so it changes in one place.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

log = logging.getLogger("tapis.audit")


def record(session: Session, actor: str, action: str, detail: str) -> None:
    log.info("%s %s %s", actor, action, detail)
