"""``python -m benchmarks.reliability [--devices N] [--minutes M] [--kills K]
[--backends postgresql --workers 2]``: the reliability benchmark at a chosen
size, against one SQLite server process or a multi-worker PostgreSQL one."""

from __future__ import annotations

import argparse
import sys

from ..common import table, write_section
from .benchmark import run


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = argparse.ArgumentParser(prog="python -m benchmarks.reliability",
                                     description="The reliability benchmark at a chosen size.")
    parser.add_argument("--devices", type=int, default=None)
    parser.add_argument("--minutes", type=float, default=None)
    parser.add_argument("--kills", type=int, default=None)
    parser.add_argument("--backends", default=None, metavar="sqlite|postgresql",
                        help="the server's database (default sqlite; postgresql: a fresh "
                             "database on 127.0.0.1:5432, dropped after)")
    parser.add_argument("--workers", default=None, metavar="N",
                        help="server worker processes (default 1 on SQLite, 2 on PostgreSQL)")
    parser.add_argument("--docs", choices=("auto", "always", "never"), default="always",
                        help="also write the 'reliability' section of docs/PERFORMANCE.md "
                             "(docs/RELIABILITY.md is always written)")
    options = parser.parse_args(argv)
    section = run(options)
    print(table(section), flush=True)
    if options.docs == "always" or (options.docs == "auto" and section.full_size):
        write_section(section)
        print("wrote the 'reliability' section of docs/PERFORMANCE.md")
    return 0 if section.passed else 1


if __name__ == "__main__":
    sys.exit(main())
