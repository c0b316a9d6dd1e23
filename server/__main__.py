"""``python -m server init|run``: create the database, then serve it; and the
office's commands (server/cli.py): ``officers``, ``devices``, ``audit-log``,
``assignments``, ``backup``, ``restore``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from . import aid_cli
from .db import DB_ENV, DEFAULT_URL


#: uvicorn's logs to stderr, every record passing the NIK filter first.
LOG_CONFIG = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"nik": {"()": "desktop_app.logs.RedactNik"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain",
                            "filters": ["nik"]}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
}


def _default_db() -> str:
    return os.environ.get("TAPIS_DATABASE_URL", DEFAULT_URL)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m server",
                                     description="Tapis provincial sync server.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="command")
    init = commands.add_parser("init", help="create or upgrade the database",
                               description="Create or upgrade the schema (Alembic), load the "
                               "reference data and, with --demo, the demo accounts.")
    init.add_argument("--db", default=_default_db(), help=f"database URL (default {DEFAULT_URL}; "
                      "PostgreSQL: postgresql+psycopg://user@host/dbname)")
    init.add_argument("--demo", action="store_true", help="create the demo accounts (see README)")
    run = commands.add_parser("run", help="serve the sync API",
                              description="Serve the sync API with uvicorn.")
    run.add_argument("--db", default=_default_db(),
                     help="database URL (default $TAPIS_DATABASE_URL, else the SQLite file)")
    run.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    run.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    run.add_argument("--workers", type=int, default=1, metavar="N",
                     help="worker processes (default 1). Each holds nothing another needs "
                     "(tokens, upload offsets, sequences all live in the database), so on "
                     "PostgreSQL N workers, or several instances on other machines or ports "
                     "over one database, serve the same laptops; SQLite allows one writer, "
                     "so keep 1 there")
    from .cli import add_commands

    add_commands(commands)
    aid_cli.add_commands(commands)
    return parser


#: Seconds an idle connection is kept open (uvicorn's default is 5). The
#: clock starts when the server has written its answer, not when the laptop
#: has read it: at 64 kbit/s a 40 KB pull page is still arriving 5 s later,
#: so with 5 s every page after it opened a new connection (issue 17: 5-6 a
#: sync, each a TCP and TLS handshake over a 600 ms link).
KEEP_ALIVE_SECONDS = 75


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .cli import COMMANDS, run as run_office_command

    if args.command in COMMANDS:
        return run_office_command(args)
    if args.command in aid_cli.COMMANDS:
        return aid_cli.run(args)
    if args.command == "init":
        from sqlalchemy.exc import OperationalError

        from .setup import DEMO_PASSWORD, init

        try:
            created = init(args.db, demo=args.demo)
        except OperationalError as exc:  # no server, no database, no permission: said, not a traceback
            reason = str(exc.orig).strip().splitlines()[-1][:300]
            print(f"refused: basis data tidak bisa dibuka: {reason}", file=sys.stderr)
            print(f"         the database cannot be opened: {reason} (exit 4)", file=sys.stderr)
            return 4
        print(f"database ready: {args.db.split('@')[-1]}")
        for account in created:
            print(f"  {account.username:28} {account.role:10} {account.regency_code or '-'}")
        if created:
            print(f"demo password for every account: {DEMO_PASSWORD}")
        return 0
    import uvicorn

    if args.workers < 1:
        print("--workers must be at least 1", file=sys.stderr)
        return 2
    # proxy_headers off: uvicorn would otherwise take X-Forwarded-For from any
    # loopback peer as the client's address, and the sign-in throttle counts by
    # address; a reverse proxy is named in TAPIS_TRUSTED_PROXIES (server/sign_in.py).
    # Every worker process builds its own app (and database pool) from the
    # environment: nothing is shared between processes but the database.
    os.environ[DB_ENV] = args.db
    uvicorn.run("server.app:from_environment", factory=True, host=args.host, port=args.port,
                workers=args.workers, log_level="warning", log_config=LOG_CONFIG,
                proxy_headers=False, timeout_keep_alive=KEEP_ALIVE_SECONDS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
