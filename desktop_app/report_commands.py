"""The command line's export, report and backup commands.

Kept out of cli.py so that the parser stays one screen long; each command
is a thin shell around a service (exports, audit_report, regency_summary,
backups) and the Qt renderers in ui/reports, imported only when run.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import Any

#: As in services.exports; repeated so that --help needs no SQLAlchemy or openpyxl.
JOBS = ("surveys", "cooperatives", "aid")
FORMATS = ("xlsx", "csv")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"'{text}' bukan tanggal YYYY-MM-DD / is not a YYYY-MM-DD date") from None


def _status(text: str) -> str:
    from .models import VisitStatus  # only when --status is given: --help needs no SQLAlchemy

    if text not in {status.value for status in VisitStatus}:
        raise argparse.ArgumentTypeError(
            f"'{text}' bukan status data (draft, finalised) / is not a record status "
            "(draft, finalised)")
    return text


def _filter_args(parser: argparse.ArgumentParser, *, regency: bool = True) -> None:
    if regency:
        parser.add_argument("--regency", metavar="CODE", help="only this regency, e.g. 18.71")
    parser.add_argument("--from", dest="date_from", type=_day, metavar="YYYY-MM-DD",
                        help="visits on or after this date")
    parser.add_argument("--to", dest="date_to", type=_day, metavar="YYYY-MM-DD",
                        help="visits on or before this date")
    parser.add_argument("--status", type=_status, metavar="draft|finalised",
                        help="only drafts or finalised visits")


def add_parsers(commands: Any) -> None:
    """Register 'export', 'report' and 'backup' on the main parser's subparsers."""
    export = commands.add_parser(
        "export", help="export surveys, the cooperative register or the aid list (xlsx/csv)",
        description="Write one export: 'surveys' (UMKM survey table with size class and the "
        "figure that decided it), 'cooperatives' (register with each cooperative's latest audit: "
        "RAT, health method, score, category) or 'aid' (the proposal list in the BPUM layout: No, "
        "name, NIK as on the KTP-el, KK number, KTP address, business, phone, village, district, "
        "regency, business location and SKU, round and amount, verdict, reason). xlsx: real numbers, rupiah "
        "format, NIK as text, dates as dates, frozen header, auto-filter, and a 'Keterangan' "
        "sheet with the filter and export time. csv: UTF-8 with BOM, ';' between fields, "
        "decimal comma (Indonesian Excel). Lists carry full NIKs: keep the file safe.")
    export.add_argument("job", choices=JOBS, help="which export")
    export.add_argument("--out", type=Path, required=True, metavar="FILE", help="the file to write")
    export.add_argument("--format", choices=FORMATS, default=None,
                        help="xlsx or csv (default: from the file's suffix)")
    _filter_args(export)
    report = commands.add_parser(
        "report", help="PDF report of one cooperative audit, or a regency's one-page summary",
        description="'report audit RECORD_ID --out FILE.pdf': the audit report to leave with "
        "the cooperative (identity, RAT, finances, the health method with its aspects, weights "
        "and indicators, category, "
        "findings, recommendations, photo, officer, page numbers). 'report regency CODE --out "
        "FILE.pdf': counts of surveys, audits and verifications, size classes, health "
        "categories, aid verdicts and digital adoption, with bar charts. Runs without a "
        "screen (Qt's offscreen platform).")
    report.add_argument("kind", choices=("audit", "regency"), help="which report")
    report.add_argument("subject", metavar="RECORD_ID|CODE",
                        help="the audit's record id, or the regency code (e.g. 18.71)")
    report.add_argument("--out", type=Path, required=True, metavar="FILE.pdf", help="the PDF to write")
    _filter_args(report, regency=False)
    proposal = commands.add_parser(
        "proposal", help="the proposal file of an aid round, with a signed summary page per regency",
        description="'proposal ROUND --out DIR': the round's verdicts the province accepted "
        "(eligible ones) as usulan-ROUND.xlsx in the proposal layout (NIK as on the KTP-el, KK "
        "number, name, KTP address, business, phone, village, district, regency, business "
        "location and SKU, round and amount), and for each regency usulan-ROUND-CODE.pdf: the "
        "number of recipients, the total, the quota, the verdicts at each stage of the approval "
        "chain, the workbook's SHA-256 and the signature block. Pull first (sync).")
    proposal.add_argument("round", help="round code, e.g. bpum-2021")
    proposal.add_argument("--out", type=Path, required=True, metavar="DIR", help="folder to write")
    applicants = commands.add_parser(
        "applicants", help="import an applicant list (xlsx/csv) into an aid round on this laptop",
        description="'applicants import ROUND FILE --regency CODE': for a regency office without "
        "a connection. Every row is checked (NIK, KK, the same NIK already in the round on this "
        "laptop, place in the regency, SKU) and refused rows are listed by row number; with any "
        "refused row nothing is imported unless --skip-refused. The applicants sync (or travel "
        "in a bundle) like typed ones.")
    applicants.add_argument("action", choices=("import",))
    applicants.add_argument("round", help="round code, e.g. bpum-2021")
    applicants.add_argument("file", type=Path, help="the list, .xlsx or .csv")
    applicants.add_argument("--regency", required=True, metavar="CODE",
                            help="the regency the list is for, e.g. 18.06")
    applicants.add_argument("--user", default=None,
                            help="the account importing (default: the one signed in here)")
    applicants.add_argument("--skip-refused", action="store_true",
                            help="import the good rows even when some are refused")
    applicants.add_argument("--today", type=_day, default=None, help=argparse.SUPPRESS)
    backup = commands.add_parser(
        "backup", help="list, take or restore backups of the local database",
        description="'backup list': the backups with their dates (rolling, before a version "
        "upgrade, and databases a restore replaced). 'backup take': one now. 'backup restore "
        "FILE': replace the database with FILE; the current one is kept in backups/ as "
        "tapis-before-restore-<time>.sqlite3. Close the application first. The restored "
        "database syncs on as a new device: sign in again; the server recognises every change "
        "it already has. Work done after the backup and never synced stays only in the kept file.")
    backup.add_argument("action", choices=("list", "take", "restore"), help="what to do")
    backup.add_argument("file", nargs="?", type=Path, help="the backup to restore (restore only)")


def run(args: argparse.Namespace, data_dir: Path) -> int:
    """Run one of the commands registered by :func:`add_parsers`."""
    from .models.errors import TapisError

    try:
        if args.command == "export":
            return _export(args, data_dir)
        if args.command == "report":
            return _report(args, data_dir)
        if args.command == "proposal":
            return _proposal(args, data_dir)
        if args.command == "applicants":
            return _applicants(args, data_dir)
        return _backup(args, data_dir)
    except TapisError as exc:
        print(f"{exc.message_id}\n{exc.message_en}", file=sys.stderr)
        return 1


def _filter(args: argparse.Namespace, regency: str | None) -> Any:
    from .services.report_filter import ReportFilter

    return ReportFilter(regency, args.date_from, args.date_to, args.status)


def _open(data_dir: Path) -> Any:
    from .store import open_store

    if not (data_dir / "tapis.sqlite3").exists():
        from .services.errors import ServiceError

        raise ServiceError(f"Tidak ada basis data di {data_dir}.", f"No database in {data_dir}.")
    return open_store(data_dir)


def _export(args: argparse.Namespace, data_dir: Path) -> int:
    from .services import exports

    store = _open(data_dir)
    try:
        result = exports.export(store, args.job, args.out, _filter(args, args.regency), fmt=args.format)
    finally:
        store.close()
    print(f"{result.rows} rows written to {result.path}")
    return 0


def _report(args: argparse.Namespace, data_dir: Path) -> int:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no screen needed for a PDF
    from .ui.reports import write_audit_pdf, write_regency_pdf
    from .ui.reports.pdf_pages import ensure_gui_app

    ensure_gui_app()
    store = _open(data_dir)
    try:
        if args.kind == "audit":
            from .services.audit_report import audit_report

            pages = write_audit_pdf(audit_report(store, args.subject), args.out)
        else:
            from .services.regency_summary import regency_summary

            pages = write_regency_pdf(regency_summary(store, args.subject, _filter(args, None)), args.out)
    finally:
        store.close()
    print(f"{pages} page(s) written to {args.out}")
    return 0


def _proposal(args: argparse.Namespace, data_dir: Path) -> int:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no screen needed for a PDF
    from .services.proposal import write_proposal
    from .ui.reports.pdf_pages import ensure_gui_app
    from .ui.reports.proposal_pdf import write_proposal_pdf

    ensure_gui_app()
    store = _open(data_dir)
    try:
        made = write_proposal(store, args.round, args.out)
    finally:
        store.close()
    print(f"{made.rows} recipients written to {made.workbook}")
    for page in made.pages:
        pdf = Path(args.out) / f"usulan-{args.round}-{page.regency_code}.pdf"
        write_proposal_pdf(page, pdf)
        print(f"{page.regency_code} {page.regency_name}: {page.recipients} recipients, "
              f"Rp {page.total:,}".replace(",", ".") + f" -> {pdf}")
    return 0


def _applicants(args: argparse.Namespace, data_dir: Path) -> int:
    from .models.rules.applicant_list import report_lines
    from .services.applicant_import import import_list
    from .services.context import Actor
    from .sync.account import known_accounts

    store = _open(data_dir)
    try:
        accounts = [a for a in known_accounts(store) if args.user in (None, a.username)]
        if len(accounts) != 1:
            print("sebutkan akun dengan --user / name the account with --user", file=sys.stderr)
            return 2
        actor = Actor(accounts[0].officer_id, store.device_id, accounts[0].regency_code)
        outcome = import_list(store, actor, args.file, args.round, args.regency,
                              skip_refused=args.skip_refused, today=args.today)
    finally:
        store.close()
    for line_id, line_en in zip(report_lines(outcome.check, "id"), report_lines(outcome.check, "en")):
        print(f"{line_id}\n  {line_en}")
    if outcome.check.refused and not args.skip_refused:
        print(f"{outcome.refused_rows} rows refused; nothing was imported / {outcome.refused_rows} "
              "baris ditolak; tidak ada yang diimpor", file=sys.stderr)
        return 2
    print(f"imported {len(outcome.imported)} applicants; {outcome.refused_rows} rows refused")
    return 0


def _backup(args: argparse.Namespace, data_dir: Path) -> int:
    from .services import backups

    if args.action == "list":
        for item in backups.list_backups(data_dir):
            print(f"{item.taken_at:%Y-%m-%d %H:%M:%S} UTC  {item.size_bytes:>12,} B  "
                  f"{item.kind:<15} {item.path}")
        return 0
    if args.action == "take":
        print(f"backup written: {backups.take_backup(data_dir).path}")
        return 0
    if args.file is None:
        print("backup restore needs FILE / 'backup restore' memerlukan FILE", file=sys.stderr)
        return 2
    result = backups.restore(data_dir, args.file)
    print(f"restored {result.restored_from}\nkept aside: {result.kept_aside}\n"
          f"new device id {result.new_device_id}: sign in again; {result.changes_to_resend} "
          "change(s) will be offered to the server again (it applies none twice)")
    return 0
