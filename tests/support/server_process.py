"""The sync server in its own process (``python -m server run``) on a free
port of 127.0.0.1: for tests and benchmarks whose clients must not share a
GIL with the server, that kill or time things, or that watch its memory.

No pytest here: the benchmarks use it too (tests/support/servers.py holds
the in-process server and the fixtures).
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_healthy(url: str, process: subprocess.Popen[bytes],
                       timeout: float = 30.0) -> None:
    """Poll the server's /health until it answers; fail if it exits or takes too long."""
    import requests

    deadline = time.monotonic() + timeout
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the sync server exited with {process.returncode}")
        try:
            if requests.get(url + "/health", timeout=1).ok:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"the sync server did not start in {timeout:g} s")
        time.sleep(0.1)


def rss_kib(pid: int) -> int | None:
    """Resident memory of a process in KiB (psutil if installed, else /proc)."""
    try:
        import psutil  # type: ignore[import-not-found]

        return int(psutil.Process(pid).memory_info().rss // 1024)
    except ImportError:
        pass
    except Exception:  # noqa: BLE001 - the process is gone
        return None
    try:
        match = re.search(r"VmRSS:\s+(\d+)", Path(f"/proc/{pid}/status").read_text())
    except OSError:
        return None
    return int(match.group(1)) if match else None


def child_pids(pid: int) -> list[int]:
    """A process's direct children (Linux /proc), for a multi-worker server."""
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            found += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            continue
    return sorted(set(found))


def worker_pids(pid: int, workers: int) -> list[int]:
    """The processes that serve requests: the server itself with one worker;
    with several, uvicorn's worker children (its multiprocessing helper, the
    resource tracker, left out: it serves nothing)."""
    if workers <= 1:
        return [pid]
    serving = []
    for child in child_pids(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ")
        except OSError:
            continue
        if b"resource_tracker" not in command:
            serving.append(child)
    return serving


class ServerProcess:
    """``python -m server run`` over a database (a SQLite file's path, or a
    URL), its output in ``log`` (or nowhere), its RSS sampled every
    ``sample_every`` seconds when asked to: :attr:`rss` the serving
    processes' total (the process itself with one worker, the sum of the
    workers with several), :attr:`worker_rss` each worker's own series by
    pid (a worker uvicorn restarts is a new series), which is what a leak in
    one worker's memory shows in."""

    def __init__(self, database: Path | str, log: Path | None = None,
                 sample_every: float | None = None, workers: int = 1,
                 env: dict[str, str] | None = None) -> None:
        self.workers, self.env = workers, env
        self.db_path = database if isinstance(database, Path) else None
        self.db_url = f"sqlite:///{database}" if isinstance(database, Path) else database
        self.log, self.sample_every = log, sample_every
        self.process: subprocess.Popen[bytes] | None = None
        self.url, self.port = "", 0
        self.rss: list[tuple[float, int]] = []
        self.worker_rss: dict[int, list[tuple[float, int]]] = {}
        self.sampled_since = 0.0
        self._out: IO[bytes] | None = None
        self._stop = threading.Event()
        self._sampler: threading.Thread | None = None

    def start(self, *, initialised: bool = False) -> ServerProcess:
        """Start it (after ``python -m server init --demo``'s work unless
        ``initialised``) and wait until /health answers."""
        if not initialised:
            from server.setup import init

            init(self.db_url, demo=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._out = open(self.log, "ab") if self.log else None  # noqa: SIM115
        output = self._out if self._out is not None else subprocess.DEVNULL
        self.process = subprocess.Popen(
            [sys.executable, "-m", "server", "run", "--db", self.db_url, "--port", str(self.port),
             "--workers", str(self.workers)],
            cwd=ROOT, stdout=output, stderr=output,
            env={**os.environ, **self.env} if self.env else None)
        try:
            wait_until_healthy(self.url, self.process)
            self._wait_for_workers()
        except BaseException:
            self.stop()
            raise
        if self.sample_every is not None:
            self.sampled_since = time.monotonic()  # samples' times count from here
            self._sampler = threading.Thread(target=self._sample, args=(self.sampled_since,),
                                             name="rss-sampler", daemon=True)
            self._sampler.start()
        return self

    @property
    def blob_dir(self) -> Path:
        """Where this server keeps photo bytes (server.db.default_blob_dir
        under the environment it was started with)."""
        from server.db import default_blob_dir

        folder = (self.env or {}).get("TAPIS_BLOB_DIR")
        if self.db_url.startswith("sqlite") or folder is None:
            return default_blob_dir(self.db_url)
        return Path(folder)

    def _wait_for_workers(self, timeout: float = 30.0) -> None:
        """With several workers /health answers as soon as the first is up:
        wait until all of them are, so a test or a benchmark starts against
        the server it asked for."""
        if self.workers <= 1 or self.process is None:
            return
        deadline = time.monotonic() + timeout
        while len(worker_pids(self.process.pid, self.workers)) < self.workers:
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {len(worker_pids(self.process.pid, self.workers))} of "
                                   f"{self.workers} server workers started in {timeout:g} s")
            time.sleep(0.1)

    def _sample(self, started: float) -> None:
        while not self._stop.is_set() and self.process is not None:
            now = time.monotonic() - started
            total, seen = 0, 0
            for pid in worker_pids(self.process.pid, self.workers):
                value = rss_kib(pid)
                if value is not None:
                    self.worker_rss.setdefault(pid, []).append((now, value))
                    total, seen = total + value, seen + 1
            if seen:
                self.rss.append((now, total))
            self._stop.wait(self.sample_every)

    def stop(self) -> None:
        self._stop.set()
        if self._sampler is not None:
            self._sampler.join(timeout=5)
            self._sampler = None
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None
        if self._out is not None:
            self._out.close()
            self._out = None

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


@contextmanager
def server_process(db_url: str, *, log: Path | None = None, workers: int = 1,
                   env: dict[str, str] | None = None) -> Iterator[str]:
    """A started server over ``db_url`` (already initialised), with ``workers``
    worker processes; yields its base URL."""
    with ServerProcess(db_url, log, workers=workers, env=env).start(initialised=True) as server:
        yield server.url
