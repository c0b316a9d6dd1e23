"""The typed refusals every service raises, each said in Indonesian and English.

All are :class:`~desktop_app.models.errors.TapisError`\\ s: the GUI shows
:class:`ValidationFailed` problems at the fields they name and any other in
one message box; the command line prints them. Nothing is written when one
is raised.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..models.errors import TapisError
from ..models.rules.problems import Problem


class ServiceError(TapisError):
    """A request a service refused; the messages say why and what to do."""


class ValidationFailed(ServiceError):
    """One or more fields broke a rule; ``problems`` names each field."""

    reason = "invalid"

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        fields = ", ".join(sorted({p.field for p in self.problems}))
        super().__init__(
            f"Data belum benar pada: {fields}. Perbaiki isian yang ditandai lalu simpan lagi.",
            f"Some fields need correcting: {fields}. Fix the marked entries and save again.",
        )

    def for_field(self, field: str) -> list[Problem]:
        return [p for p in self.problems if p.field == field]


class NotFound(ServiceError):
    reason = "not_found"

    def __init__(self, kind: tuple[str, str], record_id: str) -> None:
        super().__init__(
            f"Data {kind[0]} dengan id {record_id} tidak ditemukan atau sudah dihapus.",
            f"No {kind[1]} record with id {record_id}, or it has been deleted.",
        )


class ReadOnly(ServiceError):
    """A finalised visit record is frozen; corrections go in a new record."""

    reason = "read_only"

    def __init__(self, kind: tuple[str, str], record_id: str) -> None:
        super().__init__(
            f"Data {kind[0]} {record_id} sudah final dan tidak dapat diubah. "
            "Buat koreksi (data pengganti) bila perlu.",
            f"The {kind[1]} record {record_id} is finalised and read-only. "
            "Create a correction (superseding record) if needed.",
        )


class InvalidState(ServiceError):
    """The record is not in the state this action needs."""

    reason = "invalid_state"
