"""``python -m server rounds|applicants|duplicates|approvals|proposal``: the
aid round's commands for the province (docs/DOMAIN.md, "Aid verification").

Each command is one unit of work: it changes everything it says or nothing.
Refusals print the sentence in both languages and exit 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from typing import Any

from desktop_app.models.errors import TapisError

from .db import DEFAULT_URL, Database, upgrade

COMMANDS = ("rounds", "applicants", "duplicates", "approvals")


def add_commands(commands: Any) -> None:
    """Add the aid commands to ``python -m server``'s sub-commands."""
    rounds = commands.add_parser("rounds", help="aid rounds: add, list, set, close",
                                 description="Aid rounds the province opens; every laptop pulls "
                                 "them with the reference data.")
    actions = rounds.add_subparsers(dest="action", required=True, metavar="action")
    add = actions.add_parser("add", help="create a round")
    add.add_argument("code", help="round code, e.g. bpum-2022")
    _round_fields(add, required=True)
    lst = actions.add_parser("list", help="list the rounds")
    change = actions.add_parser("set", help="change a round")
    change.add_argument("code")
    _round_fields(change, required=False)
    close = actions.add_parser("close", help="close a round (today, or --on DATE)")
    close.add_argument("code")
    close.add_argument("--on", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
    for parser in (add, lst, change, close):
        _common(parser)
    applicants = commands.add_parser("applicants", help="applicant lists: import",
                                     description="Applicant lists the regency offices receive.")
    actions = applicants.add_subparsers(dest="action", required=True, metavar="action")
    imp = actions.add_parser("import", help="import an xlsx/csv list into a round",
                             description="Check every row (NIK, KK, duplicate NIK in the round, "
                             "place in the regency) and import the list; with any row refused "
                             "nothing is imported unless --skip-refused.")
    imp.add_argument("round", help="round code")
    imp.add_argument("file", help="the list, .xlsx or .csv")
    imp.add_argument("--regency", required=True, help="regency code, e.g. 18.71")
    imp.add_argument("--skip-refused", action="store_true",
                     help="import the good rows even when some are refused")
    imp.add_argument("--today", type=date.fromisoformat, default=None, help=argparse.SUPPRESS)
    _common(imp)
    duplicates = commands.add_parser("duplicates", help="likely duplicates: list, merge",
                                     description="The same NIK twice in a round; businesses with "
                                     "the same owner NIK, NIB or a close name in one village.")
    actions = duplicates.add_subparsers(dest="action", required=True, metavar="action")
    lst = actions.add_parser("list", help="list likely duplicates")
    lst.add_argument("--regency", default=None, help="only this regency")
    merge = actions.add_parser("merge", help="merge a duplicate business into the one kept",
                               description="The duplicate's surveys move to the business kept, "
                               "its empty fields are filled, the duplicate becomes a tombstone.")
    merge.add_argument("kept", help="id of the business kept")
    merge.add_argument("duplicate", help="id of the duplicate")
    for parser in (lst, merge):
        _common(parser)
    approvals = commands.add_parser("approvals", help="the approval chain: list, approve, return, "
                                    "accept", description="Officer's verdict -> regency office "
                                    "approves or returns -> province accepts or returns.")
    actions = approvals.add_subparsers(dest="action", required=True, metavar="action")
    lst = actions.add_parser("list", help="the queue at a level")
    lst.add_argument("--round", default=None)
    lst.add_argument("--regency", default=None)
    lst.add_argument("--level", choices=("regency", "province", "all"), default="all")
    steps = [lst]
    for name, text in (("approve", "the regency office approves a verdict"),
                       ("return", "return a verdict with a note (regency: to the officer; "
                        "province: to the regency office)"),
                       ("accept", "the province accepts an approved verdict (locks it)")):
        step = actions.add_parser(name, help=text)
        step.add_argument("verification", nargs="+", help="verification id(s)")
        step.add_argument("--note", default="")
        if name == "return":
            step.add_argument("--level", choices=("regency", "province"), required=True)
        steps.append(step)
    for parser in steps:
        _common(parser)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=DEFAULT_URL, help="database URL")
    parser.add_argument("--by", default="admin", help="who makes the change (for the record)")


def _round_fields(parser: argparse.ArgumentParser, *, required: bool) -> None:
    parser.add_argument("--program", required=required, help="e.g. BPUM")
    parser.add_argument("--year", type=int, required=required)
    parser.add_argument("--amount", type=int, required=required, help="whole rupiah per recipient")
    parser.add_argument("--checks", required=required,
                        help="comma-separated: valid_nik,micro_business,not_civil_servant,"
                        "no_bank_credit,not_prior_recipient")
    parser.add_argument("--excluded-credit", default=None, help="comma-separated capital-access "
                        "codes whose receipt excludes (kur,bank_lain)")
    parser.add_argument("--prior-recipients-allowed", default=None, choices=("yes", "no"))
    parser.add_argument("--regulation", default=None)
    parser.add_argument("--name-id", default=None)
    parser.add_argument("--name-en", default=None)
    parser.add_argument("--opens", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
    parser.add_argument("--closes", type=date.fromisoformat, default=None, help="YYYY-MM-DD")
    parser.add_argument("--quota", action="append", default=[], metavar="REGENCY=N",
                        help="a regency's quota, e.g. 18.71=120 (repeatable)")


def run(args: argparse.Namespace) -> int:
    handlers: dict[str, Callable[[argparse.Namespace], int]] = {"rounds": _rounds,
                                                                "applicants": _applicants,
                                                                "duplicates": _duplicates,
                                                                "approvals": _approvals}
    try:
        return handlers[args.command](args)
    except TapisError as exc:
        print(f"{exc.message_id}\n{exc.message_en}", file=sys.stderr)
        return 2


def _database(args: argparse.Namespace) -> Database:
    upgrade(args.db)
    return Database(args.db)


def _split(text: str | None) -> list[str] | None:
    return None if text is None else [p.strip() for p in text.split(",") if p.strip()]


def _quotas(items: list[str]) -> dict[str, int]:
    quotas = {}
    for item in items:
        regency, _, number = item.partition("=")
        if not number.strip().isdigit():
            raise TapisError(f"Kuota '{item}': tulis KODE=JUMLAH, mis. 18.71=120.",
                             f"Quota '{item}': write CODE=NUMBER, e.g. 18.71=120.")
        quotas[regency.strip()] = int(number)
    return quotas


def _rounds(args: argparse.Namespace) -> int:
    from . import rounds

    database = _database(args)
    try:
        with database.session() as session:
            if args.action == "list":
                for row, quotas in rounds.listed(session):
                    quota_text = ", ".join(f"{k}={v}" for k, v in sorted(quotas.items())) or "-"
                    print(f"{row.code:14} {row.program} {row.year}  Rp{row.amount:,}".replace(",", ".")
                          + f"  {row.opens_on or '-'}..{row.closes_on or '-'}"
                          f"  checks={','.join(row.checks)}"
                          f"  excluded={','.join(row.excluded_credit) or '-'}"
                          f"  prior_ok={'yes' if row.prior_recipients_allowed else 'no'}"
                          f"  quotas={quota_text}")
                return 0
            if args.action == "close":
                row = rounds.close(session, args.code, args.on or date.today(), by=args.by)
                print(f"closed {row.code} on {row.closes_on}")
                return 0
            fields = _fields(args)
            if args.action == "add":
                given = rounds.RoundInput(
                    code=args.code, program=args.program, year=args.year, amount=args.amount,
                    checks=fields["checks"], excluded_credit=fields.get("excluded_credit", []),
                    prior_recipients_allowed=fields.get("prior_recipients_allowed", False),
                    regulation=fields.get("regulation", ""), name_id=fields.get("name_id", ""),
                    name_en=fields.get("name_en", ""), opens_on=fields.get("opens_on"),
                    closes_on=fields.get("closes_on"), quotas=fields.get("quotas"))
                row = rounds.add(session, given, by=args.by)
                print(f"added {row.code}: {row.program} {row.year}, Rp{row.amount}")
                return 0
            if not fields:
                print("nothing to change", file=sys.stderr)
                return 2
            row = rounds.change(session, args.code, fields, by=args.by)
            print(f"changed {row.code}: {', '.join(sorted(fields))}")
            return 0
    finally:
        database.dispose()


def _fields(args: argparse.Namespace) -> dict[str, Any]:
    given = {
        "program": args.program, "year": args.year, "amount": args.amount,
        "checks": _split(args.checks), "excluded_credit": _split(args.excluded_credit),
        "prior_recipients_allowed": None if args.prior_recipients_allowed is None
        else args.prior_recipients_allowed == "yes",
        "regulation": args.regulation, "name_id": args.name_id, "name_en": args.name_en,
        "opens_on": args.opens, "closes_on": args.closes,
        "quotas": _quotas(args.quota) or None,
    }
    return {k: v for k, v in given.items() if v is not None}


def _applicants(args: argparse.Namespace) -> int:
    from pathlib import Path

    from desktop_app.models.rules.applicant_list import report_lines

    from . import applicants

    database = _database(args)
    try:
        with database.session() as session:
            result = applicants.import_list(session, Path(args.file), args.round, args.regency,
                                            by=args.by, today=args.today,
                                            skip_refused=args.skip_refused)
        for line_id, line_en in zip(report_lines(result.check, "id"),
                                    report_lines(result.check, "en")):
            print(f"{line_id}\n  {line_en}")
        if result.check.refused and not args.skip_refused:
            print(f"{result.refused_rows} baris ditolak; tidak ada yang diimpor. Perbaiki berkasnya "
                  "lalu impor lagi (atau --skip-refused).\n"
                  f"{result.refused_rows} rows refused; nothing was imported. Fix the file and "
                  "import it again (or --skip-refused).", file=sys.stderr)
            return 2
        given = ", ".join(f"{name} {n}" for name, n in sorted(result.assigned.items())) or "-"
        print(f"imported {result.imported} applicants into {args.round} ({args.regency}); "
              f"{result.refused_rows} rows refused; assigned: {given}")
        return 0
    finally:
        database.dispose()


def _duplicates(args: argparse.Namespace) -> int:
    from . import duplicates

    database = _database(args)
    try:
        with database.session() as session:
            if args.action == "merge":
                moved = duplicates.merge(session, args.kept, args.duplicate, by=args.by)
                print(f"merged {args.duplicate} into {args.kept}; {moved} surveys moved")
                return 0
            groups = duplicates.applicant_groups(session, args.regency)
            pairs = duplicates.business_pairs(session, args.regency)
        print(f"applicants with the same NIK in a round: {len(groups)}")
        for g in groups:
            print(f"  {g.round_code} NIK {g.masked_nik} x{len(g.ids)} "
                  f"({', '.join(g.regencies)}): {' '.join(g.ids)}")
        print(f"likely duplicate businesses: {len(pairs)}")
        for p in pairs:
            print(f"  [{p.reason}] {p.regency_code} {p.first[0]} {p.first[1]!r} ~ "
                  f"{p.second[0]} {p.second[1]!r}")
        return 0
    finally:
        database.dispose()


def _approvals(args: argparse.Namespace) -> int:
    from . import approvals

    database = _database(args)
    try:
        with database.session() as session:
            if args.action == "list":
                rows = approvals.listed(session, round_code=args.round, regency_code=args.regency,
                                        level=args.level)
                for item in rows:
                    print(f"{item.stage.value:12} {item.regency_code} {item.round_code} "
                          f"{item.verification_id} {item.masked_nik} {item.full_name!r} "
                          f"{item.verdict}" + (f"  note: {item.last_note}" if item.last_note else ""))
                print(f"{len(rows)} verdicts")
                return 0
            level = getattr(args, "level", None) or ("regency" if args.action == "approve"
                                                     else "province")
            for verification_id in args.verification:  # all or none: one transaction
                approvals.take_step(session, verification_id, level, args.action, args.note,
                                    by=args.by)
        print(f"{args.action}: {len(args.verification)} verdicts")
        return 0
    finally:
        database.dispose()
