"""``python -m benchmarks.reliability [--devices N] [--minutes M] [--kills K]``:
the reliability benchmark at a chosen size."""

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
