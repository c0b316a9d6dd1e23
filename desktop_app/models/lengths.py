"""The longest text each field may hold: one constant per free-text field.

``String(n)`` columns carry their length in the type (the laptop's forms and
PostgreSQL both enforce it). Free-text columns are ``Text`` so that the
laptop's SQLite file and the server's schema keep their type, but no field is
unbounded: a 4 MiB 'address' would travel to every laptop of the regency.
Each ``Text`` column names its limit here through ``info={"max_length": ...}``
and :func:`max_length` reads either kind, so the laptop's forms
(services/fields.py), the shared change rules (rules/changes.py) and the
server's validation of every pushed change use the same number.
"""

from __future__ import annotations

from typing import Any

#: A postal address as written on a KTP or a letter, with room to spare.
ADDRESS_MAX = 500
#: The business address of an aid applicant whose business is elsewhere.
BUSINESS_ADDRESS_MAX = 500
#: An officer's notes on a visit.
NOTES_MAX = 4000
#: What a surveyed business says it needs.
NEEDS_MAX = 2000
#: Training a business owner received / wants.
TRAINING_RECEIVED_MAX = 2000
TRAINING_WANTED_MAX = 2000
#: The assessor's per-aspect entries of an audit, as JSON (~10 aspects).
ASPECT_SCORES_MAX = 4000
#: An audit's findings and recommendations.
FINDINGS_MAX = 8000
RECOMMENDATIONS_MAX = 8000
#: Notes on an aid verification's checks, and the reason for its verdict.
CHECK_NOTES_MAX = 4000
VERDICT_REASON_MAX = 2000
#: Where a reference row comes from (a regulation, a file): not synced, bounded anyway.
SOURCE_MAX = 2000


def limit(n: int) -> dict[str, Any]:
    """The ``info`` of a Text column limited to ``n`` characters."""
    return {"max_length": n}


def max_length(column: Any) -> int | None:
    """The most characters ``column`` may hold, or None for a non-text column."""
    info = getattr(column, "info", None) or {}
    if "max_length" in info:
        return int(info["max_length"])
    return getattr(column.type, "length", None)

#: Largest rupiah amount a form or a change may hold: Rp 1 quadrillion, far
#: above any UMKM or cooperative figure.
MONEY_MAX = 10**15
#: Largest count (workers, members, a year) a form or a change may hold.
COUNT_MAX = 1_000_000
