"""All-or-nothing spreadsheet imports (officers, assignments).

An office fills a spreadsheet of many rows; a half-imported file would leave
it guessing which rows went in. So every row is checked, each in a savepoint
of its own, and the problems are reported by row number and field in
Indonesian and English; if any row has one, nothing is written and the whole
file is refused, to be fixed and imported again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from desktop_app.protocol import ErrorCode

from . import errors, xlsx

Made = TypeVar("Made")
Row = Mapping[str, str]


@dataclass(frozen=True)
class RowProblem:
    row: int            # the spreadsheet's row number (1 = header)
    field: str
    message_id: str
    message_en: str


@dataclass
class SheetReport(Generic[Made]):
    """A spreadsheet checked row by row, and what each row made (kept only
    when every row is right)."""

    rows: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    made: list[Made] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class ImportRefused(errors.ApiError):
    """The whole file refused; ``report`` says which rows and why. The caller's
    transaction must roll back (raising does that in Database.session)."""

    def __init__(self, report: SheetReport[Any], nothing_id: str, nothing_en: str) -> None:
        count = len({p.row for p in report.problems})
        super().__init__(422, ErrorCode.INVALID,
                         f"{nothing_id}: {count} baris bermasalah. Perbaiki lalu impor lagi "
                         "seluruh berkas.",
                         f"{nothing_en}: {count} row(s) have problems. Fix them and import the "
                         "whole file again.",
                         {"problems": [p.__dict__ for p in report.problems[:500]]})
        self.report = report


def read_sheet(path: Path | bytes, headers: Mapping[str, str]) -> list[tuple[int, dict[str, str]]]:
    """Rows of the first sheet as (row number, {field: text}); the header row
    names the columns (``headers``: heading -> field). Empty rows are skipped."""
    try:
        return xlsx.records(path, dict(headers))
    except xlsx.SheetError as exc:
        raise errors.invalid(exc.message_id, exc.message_en, field="file") from None


def import_rows(session: Session, rows: Iterable[tuple[int, Row]], *,
                required: Callable[[Row], Sequence[str]], make: Callable[[int, Row], Made],
                nothing: tuple[str, str]) -> SheetReport[Made]:
    """Each row's empty ``required`` columns, then ``make(number, row)`` in a
    savepoint (an ``ApiError`` it raises is that row's problem); any problem
    and :class:`ImportRefused` (``nothing``: what was not done, in Indonesian
    and English)."""
    report: SheetReport[Made] = SheetReport()
    rows = list(rows)
    report.rows = len(rows)
    for number, row in rows:
        missing = [name for name in required(row) if not row.get(name)]
        for name in missing:
            report.problems.append(RowProblem(number, name, f"Kolom '{name}' kosong.",
                                              f"The column '{name}' is empty."))
        if missing:
            continue
        savepoint = session.begin_nested()
        try:
            report.made.append(make(number, row))
            savepoint.commit()
        except errors.ApiError as exc:
            savepoint.rollback()
            report.problems.append(RowProblem(number, str(exc.body.detail.get("field", "")),
                                              exc.message_id, exc.message_en))
    if report.problems:
        report.made = []
        raise ImportRefused(report, *nothing)
    return report


def format_problems(problems: Sequence[RowProblem], language: str = "id") -> list[str]:
    return [f"baris {p.row}: {p.field or '-'}: {p.message_id}" if language == "id"
            else f"row {p.row}: {p.field or '-'}: {p.message_en}" for p in problems]
