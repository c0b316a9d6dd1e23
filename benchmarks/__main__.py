"""``python -m benchmarks [NAME ...] [--records N] [--docs auto|always|never]``"""

from __future__ import annotations

import argparse
import sys

from .common import DOC, table, write_section
from .registry import BENCHMARKS, by_name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Run Tapis benchmarks (all of them without a name), print their figures "
                    f"and refresh their sections of {DOC.relative_to(DOC.parents[1])}.",
        epilog="benchmarks: " + "; ".join(f"{b.name}: {b.summary}" for b in BENCHMARKS))
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help="benchmarks to run (default: all): "
                             + ", ".join(b.name for b in BENCHMARKS))
    parser.add_argument("--records", type=int, default=None, metavar="N",
                        help="records in the store, for benchmarks that use one "
                             "(default: each benchmark's own, 100,000 for 'store')")
    parser.add_argument("--devices", type=int, default=None, metavar="N",
                        help="simulated devices ('reliability': default 20; 'sync-ingest': 50; "
                             "'morning': 300; 'soak-province': 6)")
    parser.add_argument("--minutes", type=float, default=None, metavar="M",
                        help="'reliability', 'soak-province': length of the soak (default 10)")
    parser.add_argument("--kills", type=int, default=None, metavar="K",
                        help="'reliability': SIGKILLs in the crash campaign (default 60)")
    parser.add_argument("--backends", default=None, metavar="LIST",
                        help="'sync-ingest', 'morning': databases to measure, comma-separated "
                             "(sqlite, postgresql; default: each benchmark's own)")
    parser.add_argument("--workers", default=None, metavar="LIST",
                        help="'sync-ingest', 'morning': server worker processes to measure, "
                             "comma-separated (e.g. 1,2,4); 'soak-province': the workers "
                             "of the server soaked (default 2)")
    parser.add_argument("--docs", choices=("auto", "always", "never"), default="auto",
                        help="write the figures into the document; 'auto': only at the "
                             "benchmark's full size, so a quick small run never replaces the "
                             "real figures")
    options = parser.parse_args(argv)
    unknown = [n for n in options.names if n not in {b.name for b in BENCHMARKS}]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")
    chosen = [by_name(n) for n in options.names] or BENCHMARKS
    failed = []
    for benchmark in chosen:
        print(f"== {benchmark.name}: {benchmark.summary}", flush=True)
        section = benchmark.load().run(options)
        print(table(section), flush=True)
        for note in section.notes:
            print(f"note: {note}")
        if options.docs == "always" or (options.docs == "auto" and section.full_size):
            write_section(section)
            print(f"wrote the '{benchmark.name}' section of {DOC}")
        if not section.passed:
            failed.append(benchmark.name)
    if failed:
        print(f"targets missed in: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
