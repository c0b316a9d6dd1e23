"""Who is acting: the officer signed in and the device they work on.

Every write stamps these on the rows it touches; the change log takes the
officer from the row and the device from the store.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Actor:
    officer_id: str
    device_id: str
    regency_code: str | None = None  # the officer's regency, for the GUI's default filters
