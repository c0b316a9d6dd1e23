"""The export, report and backup commands as an IT officer types them."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from desktop_app.cli import build_parser, main
from tests.reports.conftest import NIK_RAHMAT


def pdf_text(path: Path) -> str:
    return " ".join(PdfReader(path).pages[0].extract_text().split())


def help_of(command: str) -> str:
    parser = build_parser()
    sub = next(a for a in parser._subparsers._group_actions if a.dest == "command")  # type: ignore[union-attr]
    return sub.choices[command].format_help()


@pytest.mark.parametrize("command, words", [
    ("export", ["surveys", "cooperatives", "aid", "--format", "--out", "--regency", "--from",
                "--to", "--status", "NIK", "BOM"]),
    ("report", ["audit", "regency", "RECORD_ID", "--out", "page numbers"]),
    ("backup", ["list", "take", "restore", "before-restore", "sign in again"]),
])
def test_each_command_is_documented(command, words):
    """--help of each new command names its arguments and what it does."""
    text = " ".join(help_of(command).split())
    for word in words:
        assert word in text, word


def test_export_and_report_from_the_command_line(store, known, tmp_path, capsys):
    """export writes the filtered list; report writes the audit PDF and the regency summary."""
    data_dir = store.data_dir
    store.close()
    aid = tmp_path / "usulan.xlsx"
    assert main(["--data-dir", str(data_dir), "export", "aid", "--out", str(aid), "--regency",
                 "18.71", "--status", "finalised", "--from", "2026-11-01", "--to", "2026-11-30"]) == 0
    sheet = load_workbook(aid)["Usulan Bantuan"]
    assert NIK_RAHMAT in [c.value for c in sheet["C"]]
    assert "2 rows written" in capsys.readouterr().out
    audit_pdf = tmp_path / "audit.pdf"
    assert main(["--data-dir", str(data_dir), "report", "audit", known.audit_latest,
                 "--out", str(audit_pdf)]) == 0
    assert "KSP Sejahtera Bersama" in pdf_text(audit_pdf)
    summary_pdf = tmp_path / "ringkasan.pdf"
    assert main(["--data-dir", str(data_dir), "report", "regency", "18.71",
                 "--out", str(summary_pdf)]) == 0
    assert "Ringkasan Kota Bandar Lampung" in pdf_text(summary_pdf)


def test_bad_filter_exits_1_with_both_languages(store, known, tmp_path, capsys):
    data_dir = store.data_dir
    store.close()
    code = main(["--data-dir", str(data_dir), "export", "surveys", "--out", str(tmp_path / "x.csv"),
                 "--regency", "18.99"])
    err = capsys.readouterr().err
    assert code == 1 and "tidak dikenal" in err and "Unknown regency" in err
    assert not (tmp_path / "x.csv").exists()


def test_backup_take_list_restore(store, known, tmp_path, capsys):
    """take, list and restore through the command line; the replaced file is listed."""
    data_dir: Path = store.data_dir
    store.close()
    assert main(["--data-dir", str(data_dir), "backup", "take"]) == 0
    taken = capsys.readouterr().out.split("backup written: ")[1].strip()
    assert main(["--data-dir", str(data_dir), "backup", "restore", taken]) == 0
    assert "sign in again" in capsys.readouterr().out
    assert main(["--data-dir", str(data_dir), "backup", "list"]) == 0
    listed = capsys.readouterr().out
    assert "before-restore" in listed and taken in listed
    assert main(["--data-dir", str(data_dir), "backup", "restore"]) == 2
