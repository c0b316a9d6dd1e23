"""Reading the first sheet of an Excel workbook (.xlsx) with the standard
library only: the server installs without openpyxl (a laptop dependency).

Enough for the spreadsheets an office keeps (officers, assignments, lists):
shared and inline strings, numbers, booleans, formulas' cached values. Dates
stored as serial numbers come back as numbers; columns that hold dates should
be formatted as text or typed as YYYY-MM-DD (the callers accept both).

Bounded: a workbook over :data:`MAX_FILE` bytes, a part that inflates past
:data:`MAX_PART`, or more than :data:`MAX_ROWS` rows is refused, so a crafted
file cannot fill the server's memory.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

from desktop_app.models.errors import TapisError

MAX_FILE = 20 * 1024 * 1024
MAX_PART = 100 * 1024 * 1024
MAX_ROWS = 250_000
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
_CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")


class SheetError(TapisError):
    reason = "invalid"


def _unreadable(name: str, why: str) -> SheetError:
    return SheetError(f"Berkas '{name}' bukan lembar kerja Excel (.xlsx) yang bisa dibaca ({why}). "
                      "Simpan ulang sebagai .xlsx lalu coba lagi.",
                      f"The file '{name}' is not a readable Excel workbook (.xlsx) ({why}). "
                      "Save it again as .xlsx and retry.")


def read_rows(path: Path | bytes) -> list[list[str]]:
    """Every row of the first sheet as text cells (empty string for a blank
    cell), in order; row i of the list is sheet row i + 1. ``path`` may be
    the file's bytes (an upload to the console)."""
    if isinstance(path, bytes):
        name, size, source = "upload.xlsx", len(path), io.BytesIO(path)
    else:
        path = Path(path)
        if not path.is_file():
            raise SheetError(f"Berkas '{path}' tidak ada.", f"The file '{path}' does not exist.")
        name, size, source = path.name, path.stat().st_size, path
    if size > MAX_FILE:
        raise _unreadable(name, f"> {MAX_FILE // (1024 * 1024)} MB")
    try:
        with zipfile.ZipFile(source) as book:
            strings = _shared_strings(book)
            sheet = _first_sheet(book)
            return list(_rows(_part(book, sheet), strings))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, ValueError, ArithmeticError,
            IndexError) as exc:
        raise _unreadable(name, type(exc).__name__) from None


def _part(book: zipfile.ZipFile, name: str) -> bytes:
    info = book.getinfo(name)
    if info.file_size > MAX_PART:
        raise ValueError("part too large")
    with book.open(info) as handle:
        data = handle.read(MAX_PART + 1)
    if len(data) > MAX_PART:
        raise ValueError("part too large")
    return data


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    root = ElementTree.fromstring(_part(book, "xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iter(f"{{{_NS['m']}}}t"))
            for si in root.findall("m:si", _NS)]


def _first_sheet(book: zipfile.ZipFile) -> str:
    workbook = ElementTree.fromstring(_part(book, "xl/workbook.xml"))
    first = workbook.find("m:sheets/m:sheet", _NS)
    if first is None:
        raise ValueError("no sheet")
    rel_id = first.get(f"{{{_NS['r']}}}id")
    rels = ElementTree.fromstring(_part(book, "xl/_rels/workbook.xml.rels"))
    for rel in rels.findall("rel:Relationship", _NS):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join("xl", target))
    raise ValueError("sheet relation missing")


def _column(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number - 1


def _rows(data: bytes, strings: list[str]) -> Iterator[list[str]]:
    root = ElementTree.fromstring(data)
    expected = 1
    for count, row in enumerate(root.iterfind("m:sheetData/m:row", _NS)):
        if count >= MAX_ROWS:
            raise ValueError("too many rows")
        number = int(row.get("r") or expected)
        while expected < number:  # blank rows are not stored: keep the numbering
            yield []
            expected += 1
        cells: dict[int, str] = {}
        for position, cell in enumerate(row.findall("m:c", _NS)):
            ref = _CELL.match(cell.get("r") or "")
            column = _column(ref.group(1)) if ref else position
            cells[column] = _value(cell, strings)
        width = max(cells) + 1 if cells else 0
        yield [cells.get(i, "") for i in range(width)]
        expected = number + 1


def _value(cell: ElementTree.Element, strings: list[str]) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{{{_NS['m']}}}t")).strip()
    raw = cell.find("m:v", _NS)
    text = raw.text if raw is not None and raw.text is not None else ""
    if kind == "s":
        return strings[int(text)].strip() if text else ""
    if kind == "b":
        return "TRUE" if text == "1" else "FALSE"
    if kind == "n" and text:
        number = Decimal(text)
        return str(int(number)) if number == number.to_integral_value() else text
    return text.strip()


def records(path: Path | bytes, headers: dict[str, str]) -> list[tuple[int, dict[str, str]]]:
    """Rows under the header row as (sheet row number, {field: text}), the
    header cells mapped to fields through ``headers`` (lowercased keys);
    unknown columns are ignored, blank rows skipped."""
    rows = read_rows(path)
    if not rows:
        return []
    columns = [headers.get(h.strip().lower(), "") for h in rows[0]]
    out: list[tuple[int, dict[str, str]]] = []
    for number, values in enumerate(rows[1:], start=2):
        cells = {c: v for c, v in zip(columns, values) if c}
        if any(cells.values()):
            out.append((number, cells))
    return out
