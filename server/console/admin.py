"""Accounts, devices, assignments and the audit log, for supervisors (their
regency) and admins (all): filled in once the provincial service's use
cases (server/accounts.py, audit.py, assignments.py) are on this branch."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
