"""The office's commands: ``python -m server officers|devices|audit-log|
assignments|backup|restore`` (``init`` and ``run`` are in __main__).

Who acts is the machine operator: whoever can run these commands on the
server can read its database anyway, so they act with an admin's rights and
are recorded in the audit log as ``operator:USER@HOST``.

Exit codes (README, 'The provincial server'):

- 0  done;
- 1  refused: the request breaks a rule (a role, a regency, a name taken,
     an unknown account); the reason is printed in Indonesian and English;
- 2  wrong usage (an unknown option, a missing argument);
- 3  the spreadsheet has problems: nothing was imported; each row's problem
     is printed;
- 4  the database cannot be reached or is not at this version's schema
     (run ``python -m server init --db URL`` first).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, TextIO

from sqlalchemy.exc import OperationalError, ProgrammingError

from desktop_app.models.errors import TapisError
from desktop_app.models.types import format_utc

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_IMPORT, EXIT_DATABASE = 0, 1, 2, 3, 4
#: The database URL when --db is not given (a systemd unit sets it once).
DB_ENV = "TAPIS_DATABASE_URL"


def default_db() -> str:
    from .db import DEFAULT_URL

    return os.environ.get(DB_ENV, DEFAULT_URL)


EPILOG = ("Exit codes: 0 done; 1 refused (a rule, a role, a regency; reason printed); "
          "2 wrong usage; 3 spreadsheet refused, nothing imported (row report printed); "
          "4 database unreachable or not initialised (run: python -m server init).")


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=None,
                        help=f"database URL (default ${DB_ENV}, else sqlite:///tapis-server.sqlite3)")


def _sub(commands: Any, name: str, help_text: str, description: str | None = None
         ) -> argparse.ArgumentParser:
    parser = commands.add_parser(name, help=help_text, description=description or help_text,
                                 epilog=EPILOG)
    _db_option(parser)
    return parser


def add_commands(commands: Any) -> None:
    """The office's commands, added to ``python -m server``'s parser."""
    officers = commands.add_parser(
        "officers", help="accounts: add, list, show, set, deactivate, reactivate, "
        "reset-password, unlock, import", description="Manage the accounts of officers, regency "
        "supervisors and provincial admins.", epilog=EPILOG)
    what = officers.add_subparsers(dest="action", required=True, metavar="action")
    add = _sub(what, "add", "create an account; prints its one-time password",
               "Create an account. Prints a one-time password, shown only now: hand it to the "
               "person, who must replace it at their first sign-in (within 7 days).")
    add.add_argument("username", help="lowercase, e.g. petugas.metro2")
    add.add_argument("--name", required=True, help="full name")
    add.add_argument("--role", default="officer", choices=("officer", "supervisor", "admin"))
    add.add_argument("--regency", help="regency code, e.g. 18.71 (not for an admin)")
    for option in ("--nip", "--phone", "--email"):
        add.add_argument(option, help=f"optional {option[2:]}")
    listing = _sub(what, "list", "list accounts")
    listing.add_argument("--regency", help="only this regency code")
    listing.add_argument("--role", choices=("officer", "supervisor", "admin"))
    state = listing.add_mutually_exclusive_group()
    state.add_argument("--inactive", action="store_true", help="only deactivated accounts")
    state.add_argument("--all", action="store_true", help="active and deactivated")
    listing.add_argument("--search", help="part of a username or name")
    listing.add_argument("--json", action="store_true", help="JSON lines instead of a table")
    show = _sub(what, "show", "one account, its devices and last sign-in")
    show.add_argument("username")
    change = _sub(what, "set", "change name, role, regency or contacts",
                  "Change what is given. A role change ends the account's sessions.")
    change.add_argument("username")
    change.add_argument("--name")
    change.add_argument("--role", choices=("officer", "supervisor", "admin"))
    change.add_argument("--regency", help="regency code ('' for none: an admin)")
    for option in ("--nip", "--phone", "--email"):
        change.add_argument(option, help=f"{option[2:]} ('' to clear)")
    off = _sub(what, "deactivate", "stop an account at once",
               "Deactivate an account: every session of it ends at once, and every laptop only "
               "they used is revoked. With --keep-devices (the laptop was handed back) their "
               "laptops stay usable, so another officer of the regency can sign in and send "
               "what was left unsent.")
    off.add_argument("username")
    off.add_argument("--reason", default="", help="a few words for the audit log")
    off.add_argument("--keep-devices", action="store_true",
                     help="do not revoke their laptops (handed back to the office)")
    on = _sub(what, "reactivate", "reactivate an account; prints a new one-time password")
    on.add_argument("username")
    reset = _sub(what, "reset-password", "a new one-time password; the account's sessions end")
    reset.add_argument("username")
    unlock = _sub(what, "unlock", "lift a sign-in lock (too many wrong passwords)",
                  "Lift the lock that too many wrong passwords put on an account (or, with "
                  "--address, on a network address) before it ends by itself.")
    target = unlock.add_mutually_exclusive_group(required=True)
    target.add_argument("username", nargs="?")
    target.add_argument("--address", help="a client address instead of an account")
    imp = _sub(what, "import", "create accounts from a spreadsheet (.xlsx), all or nothing",
               "Create one account per row of the first sheet. Header row (Indonesian or English): "
               "username, full_name/nama lengkap, role/peran, regency_code/kode kabupaten, and "
               "optionally nip, phone/telepon, email. Any wrong row: nothing is imported and "
               "every problem is listed (exit 3). Otherwise the one-time passwords are printed "
               "(or written with --passwords-out).")
    imp.add_argument("file", type=Path)
    imp.add_argument("--check", action="store_true", help="check only, import nothing")
    imp.add_argument("--passwords-out", type=Path,
                     help="write username,password CSV here (mode 600) instead of printing")

    devices = commands.add_parser("devices", help="laptops: list, revoke",
                                  description="The laptops that signed in to this server.",
                                  epilog=EPILOG)
    dwhat = devices.add_subparsers(dest="action", required=True, metavar="action")
    dlist = _sub(dwhat, "list", "list devices")
    dlist.add_argument("--officer", help="devices this account used")
    dlist.add_argument("--regency", help="devices of this regency's officers")
    dlist.add_argument("--active", action="store_true", help="hide revoked devices")
    revoke = _sub(dwhat, "revoke", "revoke a lost or stolen laptop",
                  "Revoke a device: it can no longer sign in, sync or upload bundles; every "
                  "session on it ends. The id may be shortened to its first 8+ characters.")
    revoke.add_argument("device_id")
    revoke.add_argument("--reason", default="")

    log = commands.add_parser("audit-log", help="read the audit log",
                              description="Sign-ins, lockouts, account and role changes, device "
                              "revocations, conflict settlements, assignment changes, exports. "
                              "Newest first.", epilog=EPILOG)
    _db_option(log)
    log.add_argument("--since", help="from this moment: YYYY-MM-DD[THH:MM], or 24h / 7d ago")
    log.add_argument("--until", help="before this moment: YYYY-MM-DD[THH:MM]")
    log.add_argument("--action", action="append", default=[], dest="actions",
                     help="only this action (repeatable): sign_in, lockout, officer_add, "
                     "role_change, device_revoke, conflict_settle, assignment_add, export, ...")
    log.add_argument("--actor", help="who acted: a username or operator:USER@HOST")
    log.add_argument("--target", help="what was acted on: a username, device id, ...")
    log.add_argument("--regency", help="events of this regency")
    log.add_argument("--device", help="from this device id")
    log.add_argument("--address", help="from this network address")
    log.add_argument("--failed", action="store_true", help="only refused or failed attempts")
    log.add_argument("--limit", type=int, default=100, help="at most this many lines (100)")
    log.add_argument("--oldest-first", action="store_true")
    log.add_argument("--json", action="store_true", help="JSON lines instead of text")

    work = commands.add_parser("assignments", help="visits given to officers: add, list, "
                               "cancel, import", description="Give businesses (survey), "
                               "cooperatives (audit plan) and aid applicants (verification) to "
                               "officers. Their laptops pull them at the next sync.",
                               epilog=EPILOG)
    awhat = work.add_subparsers(dest="action", required=True, metavar="action")
    aadd = _sub(awhat, "add", "assign one visit (moves an open one of the same record)")
    aadd.add_argument("--kind", required=True, choices=("survey", "audit", "verification"))
    aadd.add_argument("--target", required=True,
                      help="the record: its id, or NIB (business), legal entity number "
                      "(cooperative), NIK (aid applicant)")
    aadd.add_argument("--officer", required=True, help="username")
    aadd.add_argument("--due", help="due date YYYY-MM-DD")
    aadd.add_argument("--year", help="plan year (default: the due date's year)")
    aadd.add_argument("--note", default="")
    alist = _sub(awhat, "list", "list assignments, overdue first")
    alist.add_argument("--officer")
    alist.add_argument("--regency")
    alist.add_argument("--kind", choices=("survey", "audit", "verification"))
    alist.add_argument("--status", default="open", choices=("open", "done", "cancelled", "all"))
    alist.add_argument("--overdue", action="store_true", help="only past their due date")
    alist.add_argument("--json", action="store_true")
    amove = _sub(awhat, "move", "move every open assignment of one officer to another",
                 "Move every open assignment of an officer (who left, or is on leave) to "
                 "another officer of the same regency.")
    amove.add_argument("--from", dest="source", required=True, help="username")
    amove.add_argument("--to", dest="target", required=True, help="username")
    acancel = _sub(awhat, "cancel", "cancel an assignment")
    acancel.add_argument("assignment_id")
    acancel.add_argument("--reason", default="")
    aimp = _sub(awhat, "import", "assign from a spreadsheet (.xlsx), all or nothing",
                "One assignment per row. Header row: kind/jenis (survey|audit|verification), "
                "target/rekaman (record id, NIB, legal entity number or NIK), officer/petugas "
                "(username), and optionally due_date/tenggat (YYYY-MM-DD), plan_year/tahun, "
                "note/catatan. Any wrong row: nothing is assigned (exit 3).")
    aimp.add_argument("file", type=Path)
    aimp.add_argument("--check", action="store_true", help="check only, assign nothing")

    backup = commands.add_parser("backup", help="database dump + photo store into a folder",
                                 description="Write a consistent copy of the database and the "
                                 "photo store into a new folder under DIR (see docs/DEPLOY.md).",
                                 epilog=EPILOG)
    _db_option(backup)
    backup.add_argument("--out", required=True, type=Path, help="folder to write the backup in")
    backup.add_argument("--blobs", type=Path, help="photo store (default: the server's)")
    restore = commands.add_parser("restore", help="restore a backup into an empty database",
                                  description="Load a backup folder into an EMPTY database and "
                                  "photo store (refuses a database that has tables).",
                                  epilog=EPILOG)
    _db_option(restore)
    restore.add_argument("folder", type=Path, help="a folder written by 'backup'")
    restore.add_argument("--blobs", type=Path, help="photo store to fill (default: the server's)")


COMMANDS = ("officers", "devices", "audit-log", "assignments", "backup", "restore")


def run(args: argparse.Namespace, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run one office command; the exit code (see the module's docstring)."""
    out = out or sys.stdout
    err = err or sys.stderr
    url = args.db or default_db()
    try:
        if args.command in ("backup", "restore"):
            from . import backup

            if args.command == "backup":
                return backup.backup_command(url, args.out, args.blobs, out)
            return backup.restore_command(url, args.folder, args.blobs, out)
        database = _open(url)
    except TapisError as exc:
        _say(err, exc)
        return EXIT_DATABASE if getattr(exc, "reason", "") == "database" else EXIT_REFUSED
    handler = HANDLERS[(args.command, getattr(args, "action", None))]
    try:
        with database.session() as session:
            return handler(session, args, out)
    except _Rollback as checked:
        return checked.code
    except _ImportProblems as problems:
        for line in problems.lines:
            print(line, file=err)
        _say(err, problems.error)
        return EXIT_IMPORT
    except TapisError as exc:
        _say(err, exc)
        return EXIT_REFUSED
    except (OperationalError, ProgrammingError) as exc:
        print(f"database error: {type(exc.orig).__name__}: {str(exc.orig).splitlines()[0]}",
              file=err)
        return EXIT_DATABASE
    finally:
        database.dispose()


class DatabaseProblem(TapisError):
    reason = "database"


def _open(url: str) -> Any:
    """The database, checked to be at this version's schema."""
    from sqlalchemy import text

    from .db import Database, MIGRATIONS

    heads = _heads(MIGRATIONS)
    where = url.split("@")[-1]
    if url.startswith("sqlite") and not Path(url.split("///", 1)[-1]).exists():
        raise DatabaseProblem(f"Basis data {where} tidak ada. Jalankan: python -m server init --db URL",
                              f"The database {where} does not exist. Run: python -m server init "
                              "--db URL")
    database = Database(url)
    try:
        with database.engine.connect() as connection:
            version = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, ProgrammingError) as exc:
        database.dispose()
        raise DatabaseProblem(f"Basis data {where} tidak bisa dibuka atau belum disiapkan "
                              f"({type(exc.orig).__name__}). Jalankan: python -m server init",
                              f"The database {where} cannot be opened or is not set up "
                              f"({type(exc.orig).__name__}). Run: python -m server init") from None
    if version not in heads:
        database.dispose()
        raise DatabaseProblem(f"Skema basis data ({version}) bukan versi ini ({', '.join(heads)}). "
                              "Jalankan: python -m server init --db URL (memperbarui skema).",
                              f"The database schema ({version}) is not this version's "
                              f"({', '.join(heads)}). Run: python -m server init --db URL "
                              "(upgrades it).")
    return database


def _heads(migrations: Path) -> list[str]:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    config = Config()
    config.set_main_option("script_location", str(migrations))
    return list(ScriptDirectory.from_config(config).get_heads())


def _say(stream: TextIO, exc: TapisError) -> None:
    print(f"refused: {exc.message_id}", file=stream)
    print(f"         {exc.message_en}", file=stream)


class _Rollback(Exception):
    """Leave the transaction without writing (a --check run), exiting with ``code``."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


class _ImportProblems(Exception):
    def __init__(self, error: TapisError, lines: list[str]) -> None:
        super().__init__(error.message_en)
        self.error = error
        self.lines = lines


def _operator() -> Any:
    from .audit import Actor

    return Actor.operator()


def _when(value: datetime | date | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M") + "Z"
    return value.isoformat()


# --- officers ----------------------------------------------------------------------


def _print_password(out: TextIO, made: Any) -> None:
    print(f"one-time password for {made.officer.username}: {made.password}", file=out)
    print(f"  shown only now; valid until {_when(made.expires_at)}; it must be replaced at the "
          "first sign-in (kata sandi sekali pakai: wajib diganti saat masuk pertama).", file=out)


def officers_add(session: Any, args: argparse.Namespace, out: TextIO) -> int:
    from . import accounts

    made = accounts.add(session, _operator(), username=args.username, full_name=args.name,
                        role=args.role, regency_code=args.regency, nip=args.nip,
                        phone=args.phone, email=args.email)
    print(f"created {made.officer.role} {made.officer.username} "
          f"({made.officer.regency_code or 'province'})", file=out)
    _print_password(out, made)
    return EXIT_OK


def officers_list(session: Any, args: argparse.Namespace, out: TextIO) -> int:
    from . import accounts

    active = None if args.all else (False if args.inactive else True)
    rows = accounts.list_officers(session, _operator(), regency_code=args.regency, role=args.role,
                                  active=active, search=args.search)
    if args.json:
        for row in rows:
            print(json.dumps({"username": row.username, "full_name": row.full_name,
                              "role": row.role, "regency_code": row.regency_code,
                              "active": row.active,
                              "must_change_password": row.must_change_password}), file=out)
        return EXIT_OK
    print(f"{'USERNAME':28} {'ROLE':10} {'REGENCY':8} {'STATE':22} NAME", file=out)
    for row in rows:
        state = "active" if row.active else f"deactivated {_when(row.deactivated_at)[:10]}"
        if row.active and row.must_change_password:
            state = "one-time password"
        print(f"{row.username:28} {row.role:10} {row.regency_code or '-':8} {state:22} "
              f"{row.full_name}", file=out)
    print(f"{len(rows)} account(s)", file=out)
    return EXIT_OK


def officers_show(session: Any, args: argparse.Namespace, out: TextIO) -> int:
    from . import accounts

    detail = accounts.show(session, _operator(), args.username)
    o = detail.officer
    for label, value in (("username", o.username), ("id", o.id), ("name", o.full_name),
                         ("role", o.role), ("regency", o.regency_code or "- (province)"),
                         ("state", "active" if o.active else f"deactivated {_when(o.deactivated_at)}"),
                         ("password", "one-time, must be changed" if o.must_change_password
                          else f"set {_when(o.password_changed_at)}"),
                         ("nip", o.nip or "-"), ("phone", o.phone or "-"), ("email", o.email or "-"),
                         ("created", _when(o.created_at)), ("last sign-in", _when(detail.last_sign_in)),
                         ("live sessions", str(detail.live_tokens)),
                         ("sign-in lock", _lock_of(session, o.username))):
        print(f"{label:14} {value}", file=out)
    print(f"devices ({len(detail.devices)}):", file=out)
    for d in detail.devices:
        _print_device(out, d)
    return EXIT_OK


def _lock_of(session: Any, username: str) -> str:
    from .sign_in import ACCOUNT, locked_subjects

    until = [row.locked_until for row in locked_subjects(session)
             if row.scope == ACCOUNT and row.subject == username]
    return f"locked until {_when(until[0])} (officers unlock {username})" if until else "none"


def _unset_or(value: str | None) -> Any:
    from .accounts import UNSET

    return UNSET if value is None else value


def officers_set(session: Any, args: argparse.Namespace, out: TextIO) -> int:
    from . import accounts

    view = accounts.set_officer(session, _operator(), args.username,
                                full_name=_unset_or(args.name), role=_unset_or(args.role),
                                regency_code=_unset_or(args.regency), nip=_unset_or(args.nip),
                                phone=_unset_or(args.phone), email=_unset_or(args.email))
    print(f"{view.username}: {view.role} {view.regency_code or 'province'}, {view.full_name}",
          file=out)
    return EXIT_OK


def officers_deactivate(session: Any, args: argparse.Namespace, out: TextIO) -> int:
    from . import accounts

    done = accounts.deactivate(session, _operator(), args.username, reason=args.reason,
                               keep_devices=args.keep_devices)
    print(f"deactivated {done.officer.username}: {done.tokens_revoked} session(s) ended, "
          f"{len(done.devices_revoked)} device(s) revoked, {len(done.devices_kept)} kept", file=out)
    for device_id in done.devices_revoked:
        print(f"  revoked {device_id}", file=out)
    for device_id in done.devices_kept:
        print(f"  kept    {device_id} (another officer of the regency can send its unsent work)",
              file=out)
    from .assignments import open_count

    waiting = open_count(session, done.officer.id)
    if waiting:
        print(f"  {waiting} open assignment(s) still name them: python -m server assignments "
              f"move --from {done.officer.username} --to ANOTHER", file=out)
    return EXIT_OK


def officers_reactivate(session: Any, args: argparse.Namespace, out: TextIO) -> int:
    from . import accounts

    made = accounts.reactivate(session, _operator(), args.username)
    print(f"reactivated {made.officer.username}", file=out)
    _print_password(out, made)
    return EXIT_OK


def officers_reset(session: Any, args: argparse.Namespace, out: TextIO) -> int:
    from . import accounts

    made = accounts.reset_password(session, _operator(), args.username)
    print(f"password reset for {made.officer.username}; their sessions ended", file=out)
    _print_password(out, made)
    return EXIT_OK


def officers_unlock(session: Any, args: argparse.Namespace, out: TextIO) -> int:
    from . import accounts

    if args.address:
        lifted = accounts.unlock_address(session, _operator(), args.address)
        print(f"address {args.address}: " + ("lock lifted" if lifted else "was not locked"),
              file=out)
    else:
        lifted = accounts.unlock(session, _operator(), args.username)
        print(f"{args.username}: " + ("lock lifted" if lifted else "was not locked"), file=out)
    return EXIT_OK


def officers_import(session: Any, args: argparse.Namespace, out: TextIO) -> int:
    from . import accounts

    rows = accounts.read_sheet(args.file)
    try:
        report = accounts.import_officers(session, _operator(), rows)
    except accounts.ImportRefused as refused:
        raise _ImportProblems(refused, accounts.format_problems(refused.report.problems, "en")) \
            from None
    if args.check:
        print(f"{args.file.name}: {report.rows} row(s), no problems (checked only, nothing "
              "imported)", file=out)
        raise _Rollback(EXIT_OK)
    print(f"imported {len(report.made)} account(s) from {args.file.name}", file=out)
    if args.passwords_out:
        target: Path = args.passwords_out
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("username,one_time_password,valid_until\n")
            for made in report.made:
                handle.write(f"{made.officer.username},{made.password},{_when(made.expires_at)}\n")
        print(f"one-time passwords written to {target} (readable by you only)", file=out)
    else:
        for made in report.made:
            print(f"  {made.officer.username:28} {made.password}", file=out)
        print("one-time passwords: shown only now; each must be replaced at the first sign-in",
              file=out)
    return EXIT_OK


# --- devices ------------------------------------------------------------------------


def _print_device(out: TextIO, d: Any) -> None:
    state = f"revoked {_when(d.revoked_at)}" if d.revoked_at else "active"
    print(f"  {d.id}  {state:24} last {_when(d.last_seen):18} {d.regency_code or '-':7} "
          f"{d.name or '-':16} used by {', '.join(d.officers) or d.registered_by}", file=out)


def devices_list(session: Any, args: argparse.Namespace, out: TextIO) -> int:
    from . import accounts

    rows = accounts.list_devices(session, _operator(), officer=args.officer,
                                 regency_code=args.regency, include_revoked=not args.active)
    for d in rows:
        _print_device(out, d)
    print(f"{len(rows)} device(s)", file=out)
    return EXIT_OK


def devices_revoke(session: Any, args: argparse.Namespace, out: TextIO) -> int:
    from . import accounts

    view = accounts.revoke_device(session, _operator(), args.device_id, reason=args.reason)
    print(f"revoked {view.id} (used by {', '.join(view.officers) or view.registered_by}); "
          "its sessions ended", file=out)
    return EXIT_OK


# --- audit log ------------------------------------------------------------------------


def parse_moment(text: str) -> datetime:
    """'2026-03-01', '2026-03-01T08:00', or '24h' / '7d' / '30m' ago."""
    value = text.strip()
    if value and value[-1] in "mhd" and value[:-1].isdigit():
        unit = {"m": "minutes", "h": "hours", "d": "days"}[value[-1]]
        return datetime.now(timezone.utc) - timedelta(**{unit: int(value[:-1])})
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise TapisError(f"Waktu '{text}' tidak dikenali: pakai TTTT-BB-HH[THH:MM] atau 24h/7d.",
                         f"Cannot read the time '{text}': use YYYY-MM-DD[THH:MM] or 24h/7d.",
                         reason="invalid") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def audit_log(session: Any, args: argparse.Namespace, out: TextIO) -> int:
    from . import audit

    filters = audit.AuditFilter(
        since=parse_moment(args.since) if args.since else None,
        until=parse_moment(args.until) if args.until else None,
        actions=tuple(args.actions), actor=args.actor, target_id=args.target,
        regency_code=args.regency, device_id=args.device, address=args.address,
        outcome="refused" if args.failed else None, limit=args.limit,
        newest_first=not args.oldest_first)
    events = audit.query(session, filters)
    for event in events:
        if args.json:
            print(json.dumps({"id": event.id, "at": format_utc(event.at), "action": event.action,
                              "outcome": event.outcome, "actor": event.actor,
                              "device_id": event.device_id, "address": event.address,
                              "target_type": event.target_type, "target_id": event.target_id,
                              "regency_code": event.regency_code, "detail": event.detail},
                             ensure_ascii=False), file=out)
        else:
            print(audit.describe(event), file=out)
    if not args.json:
        print(f"{len(events)} event(s)" + (" (limit reached; --limit N for more)"
                                           if len(events) == args.limit else ""), file=out)
    return EXIT_OK


# --- assignments ----------------------------------------------------------------------


def _print_assignment(out: TextIO, a: Any) -> None:
    due = a.due_date.isoformat() if a.due_date else "-"
    flag = "OVERDUE" if a.overdue else a.status
    print(f"{a.id}  {a.kind:12} {due:10} {flag:9} {a.officer:26} {a.target_label[:40]}", file=out)


def assignments_add(session: Any, args: argparse.Namespace, out: TextIO) -> int:
    from . import assignments

    view = assignments.assign(session, _operator(), kind=args.kind, target=args.target,
                              officer=args.officer, due_date=args.due, plan_year=args.year,
                              note=args.note)
    print(f"assigned {view.kind} of '{view.target_label}' to {view.officer}"
          f" (due {view.due_date or '-'}): {view.id}", file=out)
    return EXIT_OK


def assignments_list(session: Any, args: argparse.Namespace, out: TextIO) -> int:
    from . import assignments

    rows = assignments.listing(session, _operator(), officer=args.officer,
                               regency_code=args.regency, kind=args.kind,
                               status=None if args.status == "all" else args.status,
                               overdue_only=args.overdue)
    if args.json:
        for a in rows:
            print(json.dumps({"id": a.id, "kind": a.kind, "target_table": a.target_table,
                              "target_id": a.target_id, "officer": a.officer,
                              "due_date": a.due_date.isoformat() if a.due_date else None,
                              "status": a.status, "overdue": a.overdue}), file=out)
        return EXIT_OK
    for a in rows:
        _print_assignment(out, a)
    overdue = sum(1 for a in rows if a.overdue)
    print(f"{len(rows)} assignment(s), {overdue} overdue", file=out)
    return EXIT_OK


def assignments_move(session: Any, args: argparse.Namespace, out: TextIO) -> int:
    from . import assignments

    moved = assignments.move_all(session, _operator(), args.source, args.target)
    print(f"moved {moved} open assignment(s) from {args.source} to {args.target}", file=out)
    return EXIT_OK


def assignments_cancel(session: Any, args: argparse.Namespace, out: TextIO) -> int:
    from . import assignments

    view = assignments.cancel(session, _operator(), args.assignment_id, reason=args.reason)
    print(f"cancelled {view.id} ({view.kind} of '{view.target_label}', {view.officer})", file=out)
    return EXIT_OK


def assignments_import(session: Any, args: argparse.Namespace, out: TextIO) -> int:
    from . import assignments

    rows = assignments.read_sheet(args.file)
    try:
        report = assignments.import_assignments(session, _operator(), rows)
    except assignments.ImportRefused as refused:
        raise _ImportProblems(refused, assignments.format_problems(refused.report.problems,
                                                                   "en")) from None
    if args.check:
        print(f"{args.file.name}: {report.rows} row(s), no problems (checked only, nothing "
              "assigned)", file=out)
        raise _Rollback(EXIT_OK)
    print(f"assigned {len(report.made)} visit(s) from {args.file.name}", file=out)
    return EXIT_OK


HANDLERS: dict[tuple[str, str | None], Callable[[Any, argparse.Namespace, TextIO], int]] = {
    ("officers", "add"): officers_add,
    ("officers", "list"): officers_list,
    ("officers", "show"): officers_show,
    ("officers", "set"): officers_set,
    ("officers", "deactivate"): officers_deactivate,
    ("officers", "reactivate"): officers_reactivate,
    ("officers", "reset-password"): officers_reset,
    ("officers", "import"): officers_import,
    ("officers", "unlock"): officers_unlock,
    ("devices", "list"): devices_list,
    ("devices", "revoke"): devices_revoke,
    ("audit-log", None): audit_log,
    ("assignments", "add"): assignments_add,
    ("assignments", "list"): assignments_list,
    ("assignments", "cancel"): assignments_cancel,
    ("assignments", "move"): assignments_move,
    ("assignments", "import"): assignments_import,
}
