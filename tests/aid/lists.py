"""Applicant lists as the offices receive them, written as csv or xlsx."""

from __future__ import annotations

import csv
from pathlib import Path

HEADER = ["No", "NIK", "No KK", "Nama Lengkap", "Alamat KTP", "Nama Usaha", "No HP",
          "Kode Kecamatan", "Kode Desa"]


def nik(regency: str, n: int) -> str:
    """A well-formed NIK of ``regency`` ('18.71'): district 01, a woman born
    n-06-1990 (day + 40), serial n."""
    return f"{regency.replace('.', '')}01{40 + (n % 28) + 1:02d}0690{n:04d}"


def kk(regency: str, n: int) -> str:
    return f"{regency.replace('.', '')}01150320{n:02d}{n:02d}"[:16]


def row(regency: str, n: int, **over: str) -> list[str]:
    values = {"No": str(n), "NIK": nik(regency, n), "No KK": f"{regency.replace('.', '')}011503" f"20{n:04d}",
              "Nama Lengkap": f"Pemohon {n}", "Alamat KTP": f"Jl. Melati {n}",
              "Nama Usaha": f"Warung {n}", "No HP": f"08123{n:06d}",
              "Kode Kecamatan": f"{regency}.01", "Kode Desa": ""}
    values.update(over)
    return [values[h] for h in HEADER]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[str]], *, nik_as_number: bool = False) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for values in rows:
        cells: list[object] = list(values)
        if nik_as_number:
            cells[1] = int(values[1])
        sheet.append(cells)
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path
