"""Reading the spreadsheets an office receives (xlsx or csv) as rows of
text, with the standard library only, so the server and the laptop read a
list the same way (docs/DOMAIN.md, "Applicant lists").

Every cell comes back as the text a person sees, stripped. A number cell
keeps the text Excel stored: a NIK typed as a number is kept by Excel to 15
significant digits only ('1.87101450690000E+15'), which the list rules
refuse with a sentence saying how to fix the column, rather than importing
a wrong NIK.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from .errors import TapisError

_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
#: More rows than any regency's list (Lampung has ~192,000 UMKM in all).
MAX_ROWS = 50_000
#: A workbook's XML parts may not inflate past this (a zip bomb stops here).
MAX_PART_BYTES = 64 * 1024 * 1024


class NumberText(str):
    """A cell Excel stored as a number, as text: a 16-digit NIK or KK in one
    has lost its last digit when it was typed (Excel keeps 15 significant
    digits), so the list rules refuse it."""


class TableError(TapisError):
    """The file cannot be read as a list."""

    reason = "table_unreadable"


def read_table(path: Path) -> list[dict[str, str]]:
    """The rows under the header row of the first sheet (xlsx) or of the file
    (csv, comma or semicolon separated, UTF-8 with or without BOM), each as
    {header: text}; blank rows skipped."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        grid = _xlsx_grid(path)
    elif suffix == ".csv":
        grid = _csv_grid(path)
    else:
        raise TableError(f"{path.name}: hanya berkas .xlsx atau .csv yang dapat dibaca.",
                         f"{path.name}: only .xlsx or .csv files can be read.")
    grid = [row for row in grid if any(cell.strip() for cell in row)]
    if not grid:
        raise TableError(f"{path.name}: berkas kosong.", f"{path.name}: the file is empty.")
    if len(grid) - 1 > MAX_ROWS:
        raise TableError(f"{path.name}: lebih dari {MAX_ROWS} baris; bagi berkasnya.",
                         f"{path.name}: more than {MAX_ROWS} rows; split the file.")
    header = [cell.strip() for cell in grid[0]]
    return [{name: (_stripped(row[i]) if i < len(row) else "") for i, name in enumerate(header)
             if name} for row in grid[1:]]


def _stripped(cell: str) -> str:
    return NumberText(cell.strip()) if isinstance(cell, NumberText) else cell.strip()


def _csv_grid(path: Path) -> list[list[str]]:
    text = path.read_bytes().decode("utf-8-sig", errors="strict")
    dialect = csv.excel
    first = text.split("\n", 1)[0]
    if first.count(";") > first.count(","):
        dialect = csv.excel
        return list(csv.reader(io.StringIO(text), delimiter=";"))
    return list(csv.reader(io.StringIO(text), dialect))


def _xlsx_grid(path: Path) -> list[list[str]]:
    try:
        with zipfile.ZipFile(path) as book:
            shared = _shared_strings(book)
            sheet = ElementTree.fromstring(_part(book, _first_sheet(book)))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise TableError(f"{path.name}: bukan berkas Excel (.xlsx) yang utuh.",
                         f"{path.name}: not a whole Excel (.xlsx) file.") from exc
    grid: list[list[str]] = []
    for row in sheet.iterfind(".//m:sheetData/m:row", _NS):
        cells: list[str] = []
        for cell in row.iterfind("m:c", _NS):
            column = _column_index(cell.get("r", ""), len(cells))
            cells.extend([""] * (column - len(cells)))
            cells.append(_cell_text(cell, shared))
        grid.append(cells)
    return grid


def _part(book: zipfile.ZipFile, name: str) -> bytes:
    if book.getinfo(name).file_size > MAX_PART_BYTES:
        raise TableError("Berkas Excel terlalu besar.", "The Excel file is too large.")
    return book.read(name)


def _first_sheet(book: zipfile.ZipFile) -> str:
    workbook = ElementTree.fromstring(_part(book, "xl/workbook.xml"))
    sheet = workbook.find("m:sheets/m:sheet", _NS)
    if sheet is None:
        raise KeyError("no sheet")
    rel_id = sheet.get(f"{{{_NS['r']}}}id")
    rels = ElementTree.fromstring(_part(book, "xl/_rels/workbook.xml.rels"))
    for rel in rels.iterfind("rel:Relationship", _NS):
        if rel.get("Id") == rel_id:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise KeyError(rel_id)


def _shared_strings(book: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in book.namelist():
        return []
    root = ElementTree.fromstring(_part(book, "xl/sharedStrings.xml"))
    return ["".join(t.text or "" for t in si.iterfind(".//m:t", _NS))
            for si in root.iterfind("m:si", _NS)]


def _cell_text(cell: ElementTree.Element, shared: list[str]) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iterfind(".//m:t", _NS))
    value = cell.find("m:v", _NS)
    text = value.text if value is not None and value.text is not None else ""
    if kind == "s":
        return shared[int(text)] if text.isdigit() and int(text) < len(shared) else ""
    if kind == "n" and text:
        return NumberText(text[:-2] if re.fullmatch(r"-?\d+\.0", text) else text)
    return text


def _column_index(ref: str, fallback: int) -> int:
    letters = re.match(r"[A-Z]+", ref)
    if not letters:
        return fallback
    index = 0
    for letter in letters.group():
        index = index * 26 + (ord(letter) - 64)
    return index - 1
