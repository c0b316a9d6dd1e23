"""Writing an export's rows as an Excel workbook or a CSV file.

Excel: a write-only workbook (rows go straight to the file, so 100,000 rows
need one row of memory), the table on the first sheet from cell A1 (header
row frozen, auto-filter on, widths set) so a province clerk can sort and a
system can import it, and a second sheet 'Keterangan' with the title, the
filter and the export time. Cell types are real: NIK a text cell (format
'@'; as a number Excel keeps only 15 significant digits and would turn the
16th into 0), rupiah a whole number with the format ``"Rp "#,##0`` (Excel
shows the thousands separator of the reader's locale: Rp 1.500.000 in
Indonesian), dates real dates shown DD/MM/YYYY.

CSV: UTF-8 with a byte-order mark and ';' between fields, which is what
Excel with Indonesian regional settings expects (there ',' is the decimal
separator, so decimals are written with a comma too). Dates are ISO
YYYY-MM-DD, rupiah plain digits, NIK plain digits. The CSV is the table
only, for other systems; Excel reads a double-clicked CSV's NIK column as a
number and loses the last digit, so clerks should be given the .xlsx.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from .. import __version__
from .columns import CellKind, Column

WIB = timezone(timedelta(hours=7), "WIB")
MONEY_FORMAT = '"Rp "#,##0'
DATE_FORMAT = "DD/MM/YYYY"
DECIMAL_FORMAT = "0.00####"
TEXT_FORMAT = "@"
OFFICE = "Dinas Koperasi dan UKM Provinsi Lampung"

Progress = Callable[[int], None]


@dataclass(frozen=True, slots=True)
class ExportMeta:
    title: str
    sheet: str
    filter_lines: list[tuple[str, str]]
    exported_at: datetime

    def lines(self, rows: int) -> list[tuple[str, str]]:
        stamp = self.exported_at.astimezone(WIB).strftime("%d/%m/%Y %H:%M WIB")
        return [("Judul", self.title), ("Instansi", OFFICE), *self.filter_lines,
                ("Jumlah baris", str(rows)), ("Waktu ekspor", stamp),
                ("Aplikasi", f"Tapis {__version__}")]


_FORMATS = {CellKind.NIK: TEXT_FORMAT, CellKind.MONEY: MONEY_FORMAT, CellKind.DATE: DATE_FORMAT,
            CellKind.DECIMAL: DECIMAL_FORMAT}
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F5C4A")
_HEADER_ALIGN = Alignment(wrap_text=True, vertical="center")


def write_xlsx(path: Path, columns: tuple[Column, ...], rows: Iterable[list[Any]],
               meta: ExportMeta, progress: Progress | None = None) -> int:
    """The workbook at ``path``; returns the number of data rows."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(meta.sheet)
    _prepare_table(sheet, columns)
    count = 0
    for count, values in enumerate(rows, start=1):
        sheet.append([count, *(_cell(sheet, c.kind, v) for c, v in zip(columns, values))])
        if progress and count % 1000 == 0:
            progress(count)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns) + 1)}{count + 1}"
    _write_meta(book.create_sheet("Keterangan"), meta.lines(count))
    book.save(path)
    return count


def _prepare_table(sheet: WriteOnlyWorksheet, columns: tuple[Column, ...]) -> None:
    sheet.freeze_panes = "B2"  # header row and the 'No' column stay in view
    sheet.column_dimensions["A"].width = 7
    for index, column in enumerate(columns, start=2):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    sheet.row_dimensions[1].height = 32
    sheet.append([_header(sheet, text) for text in ("No", *(c.header for c in columns))])


def _header(sheet: WriteOnlyWorksheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=text)
    cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _HEADER_ALIGN
    return cell


def _cell(sheet: WriteOnlyWorksheet, kind: CellKind, value: Any) -> Any:
    if value is None or kind not in _FORMATS:
        return value
    if kind is CellKind.NIK:
        value = str(value)
    cell = WriteOnlyCell(sheet, value=value)
    cell.number_format = _FORMATS[kind]
    return cell


def _write_meta(sheet: WriteOnlyWorksheet, lines: list[tuple[str, str]]) -> None:
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 60
    bold = Font(bold=True)
    for label, value in lines:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = bold
        sheet.append([cell, value])


def write_csv(path: Path, columns: tuple[Column, ...], rows: Iterable[list[Any]],
              meta: ExportMeta, progress: Progress | None = None) -> int:
    """The CSV at ``path`` (see the module docstring for the dialect)."""
    count = 0
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(["No", *(c.header for c in columns)])
        for count, values in enumerate(rows, start=1):
            writer.writerow([count, *(_csv_value(c.kind, v) for c, v in zip(columns, values))])
            if progress and count % 1000 == 0:
                progress(count)
    return count


def _csv_value(kind: CellKind, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if kind is CellKind.DECIMAL:
        return str(value).replace(".", ",")
    return str(value)
