"""The command line: ``python -m desktop_app [--data-dir DIR] [command]``.

Without a command the GUI starts. Heavy imports (Qt, SQLAlchemy) happen
inside the command that needs them, so ``--help`` answers at once.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from .paths import default_data_dir


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m desktop_app",
        description="Tapis: offline-first field records for the cooperative and UMKM offices "
                    "of Lampung. Without a command, the application window opens.",
    )
    parser.add_argument("--data-dir", type=Path, default=None,
                        help=f"folder for the local database and files (default: {default_data_dir()})")
    commands = parser.add_subparsers(dest="command", metavar="command")
    demo = commands.add_parser("demo", help="fill the local store with realistic demo records",
                               description="Fill the local store with about N realistic records "
                               "across the three jobs (entities and one visit each; drafts and "
                               "finalised), through the same rules as real records.")
    demo.add_argument("--records", type=int, default=1000, metavar="N",
                      help="how many records to create (default 1000)")
    demo.add_argument("--seed", type=int, default=18, help="random seed, for reproducible data")
    demo.add_argument("--regency", metavar="CODE", default=None,
                      help="only places of this regency/city (e.g. 18.71), as a regency "
                           "officer's laptop holds: the server takes a regency officer's "
                           "records only in their own regency")
    commands.add_parser("check", help="check the database and the change log",
                        description="Run PRAGMA integrity_check, the foreign-key check, the "
                        "full-text index check and the change-log check (every row written "
                        "here can be rebuilt from its log entries). Exits 1 on any fault.")
    sync = commands.add_parser("sync", help="one full sync with the server",
                               description="Sign in, push every pending change, pull what others "
                               "changed, and print a summary. Exit 0 when nothing is left to send, "
                               "1 when changes are still waiting (no connection, refused), 3 when "
                               "only parked changes (refused by the server) remain.")
    sync.add_argument("--server", required=True, help="server URL, e.g. http://127.0.0.1:8000")
    sync.add_argument("--user", required=True, help="officer's username")
    sync.add_argument("--password", required=True, help="officer's password")
    from .sync.bundle_command import add_parser as add_bundle_parser  # argparse only

    add_bundle_parser(commands)
    from .report_commands import add_parsers as add_report_parsers  # argparse only

    add_report_parsers(commands)
    selftest = commands.add_parser(
        "self-test", help="check that this installation works (exit 0) or say what is broken",
        description="In a new temporary data folder (never the officer's; --data-dir is "
        "ignored): check the shipped resources, open the store and run the migrations, write "
        "and read one record of each kind, run the store check, and open and close the main "
        "window offscreen. Exits 0 when all pass, 1 with the fault otherwise.")
    selftest.add_argument("--output", type=Path, default=None, metavar="FILE",
                          help="also write the report to FILE (the windowed Windows program "
                               "has no console)")
    selftest.add_argument("--keep", action="store_true",
                          help="keep the temporary data folder and print where it is")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "self-test":
        from .selftest import run_self_test

        return run_self_test(args.output, keep=args.keep)
    data_dir = args.data_dir or default_data_dir()
    from . import logs
    from .startup_checks import data_dir_problem

    problem = data_dir_problem(data_dir)
    if problem is not None and args.command is not None:
        print(problem, file=sys.stderr)
        return 1
    if problem is None:  # otherwise the GUI says so in a dialog (run_gui)
        logs.configure(data_dir)
    logging.getLogger(__name__).info("start: %s", args.command or "gui")
    if args.command == "demo":
        return _demo(data_dir, args.records, args.seed, args.regency)
    if args.command == "check":
        return _check(data_dir)
    if args.command == "sync":
        from .sync_command import run_sync

        return run_sync(data_dir, args.server, args.user, args.password)
    if args.command == "bundle":
        from .sync.bundle_command import run as run_bundle

        return run_bundle(args, data_dir)
    if args.command in ("export", "report", "backup", "proposal", "applicants"):
        from .report_commands import run as run_reports

        return run_reports(args, data_dir)
    from .ui.app import run_gui

    return run_gui(data_dir)


def _demo(data_dir: Path, wanted: int, seed: int, regency: str | None = None) -> int:
    if wanted < 2:
        print("--records must be at least 2 / --records minimal 2", file=sys.stderr)
        return 2
    from sqlalchemy import text

    from .services import demo
    from .services.context import Actor
    from .store import open_store

    store = open_store(data_dir)
    if regency is not None and not demo.has_regency(store, regency):
        store.close()
        print(f"--regency {regency}: no such regency/city code in Lampung (e.g. 18.71) / "
              f"--regency {regency}: kode kabupaten/kota itu tidak ada di Lampung (mis. 18.71)",
              file=sys.stderr)
        return 2
    # The records are the signed-in officer's (the server refuses changes
    # naming another officer than the one who sends them); before any
    # sign-in, a placeholder officer.
    with store.read() as session:
        signed_in = session.execute(text("SELECT officer_id FROM local_state WHERE id = 1")).scalar()
    actor = Actor(officer_id=signed_in or "00000000-0000-7000-8000-000000000d30",
                  device_id=store.device_id)

    def progress(done: int, total: int) -> None:
        print(f"\r{done:,} / {total:,} records", end="", file=sys.stderr, flush=True)

    result = demo.fill(store, actor, wanted, seed=seed, progress=progress, regency=regency)
    print(file=sys.stderr)
    for kind, count in result.created.items():
        print(f"{kind}: {count}")
    print(f"total: {result.total} records in {store.db_path}")
    store.close()
    return 0


def _check(data_dir: Path) -> int:
    from .models import synced_tables
    from .store import open_store
    from .store.check import run

    if not (data_dir / "tapis.sqlite3").exists():
        print(f"no database in {data_dir} / tidak ada basis data di {data_dir}", file=sys.stderr)
        return 1
    store = open_store(data_dir)
    with store.raw() as connection:
        report = run(connection, synced_tables())
    store.close()
    for fault in report.faults:
        print(f"FAULT: {fault}")
    print(f"checked {report.rows_checked} rows and {report.changes_checked} change-log entries: "
          f"{'ok' if report.ok else str(len(report.faults)) + ' fault(s)'}")
    return 0 if report.ok else 1
