"""``python -m benchmarks.linkemu --upstream 127.0.0.1:8000 --profile 64k`` (Ctrl-C stops)."""

from __future__ import annotations

import argparse
import signal
import threading
from types import FrameType

from .emulator import LinkEmulator
from .policy import CutPolicy
from .profiles import PROFILES, get_profile


def _host_port(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return (host or "127.0.0.1", int(port))


def _byte_range(text: str) -> tuple[int, int]:
    low, _, high = text.partition(":")
    return (int(low), int(high or low))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.linkemu",
                                     description="Loopback proxy emulating a bad mobile link.")
    parser.add_argument("--upstream", type=_host_port, required=True, metavar="127.0.0.1:PORT")
    parser.add_argument("--listen-port", type=int, default=0, help="0: any free port (default)")
    parser.add_argument("--profile", type=get_profile, default=PROFILES["perfect"],
                        help=f"one of {', '.join(PROFILES)} (default perfect)")
    parser.add_argument("--seed", type=int, default=0)
    cuts = parser.add_mutually_exclusive_group()
    cuts.add_argument("--cut-after", type=int, metavar="N", help="reset each connection after N bytes")
    cuts.add_argument("--cut-random", type=_byte_range, metavar="A:B",
                      help="reset each connection after randint(A, B) bytes (seeded)")
    parser.add_argument("--cut-direction", choices=("both", "up", "down"), default="both")
    parser.add_argument("--cut-every", type=float, metavar="SECONDS",
                        help="reset all open connections every SECONDS")
    return parser


def main(argv: list[str] | None = None) -> int:
    options = build_parser().parse_args(argv)
    policy = CutPolicy(after_bytes=options.cut_after, random_between=options.cut_random,
                       direction=options.cut_direction, every_s=options.cut_every)
    link = LinkEmulator(options.upstream, options.profile, cut_policy=policy, seed=options.seed,
                        listen_port=options.listen_port)
    with link:
        print(f"linkemu listening on 127.0.0.1:{link.port} -> {link.upstream[0]}:{link.upstream[1]}"
              f" profile={link.profile.name}", flush=True)
        print(f"port={link.port}", flush=True)
        stop = threading.Event()

        def on_signal(signum: int, frame: FrameType | None) -> None:
            stop.set()
        # Installed explicitly: a shell may start us with SIGINT ignored.
        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        while not stop.wait(0.5):  # short waits keep Ctrl-C responsive on Windows
            pass
    print(f"linkemu stopped: {link.stats.snapshot()}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
