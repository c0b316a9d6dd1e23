"""Try Tapis on one machine: a demo sync server on loopback and the
application signed in against it.

    python build_scripts/run_demo.py [--records N] [--folder DIR]

Makes (once) a server database with the demo accounts and a data folder,
starts the server on 127.0.0.1:8765 for as long as the application runs,
and points the application's sign-in at it. Sign in with one of the demo
accounts (e.g. petugas.bandarlampung / tapis-demo-2026) and choose a PIN.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = 8765
#: The demo account the laptop is filled for (server/setup.py's demo accounts).
USERNAME, PASSWORD, REGENCY = "petugas.bandarlampung", "tapis-demo-2026", "18.71"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--folder", type=Path, default=ROOT / ".demo")
    parser.add_argument("--records", type=int, default=2000,
                        help="demo records on the laptop the first time (default 2000)")
    options = parser.parse_args()
    folder: Path = options.folder
    server_db = f"sqlite:///{folder / 'server.sqlite3'}"
    laptop = folder / "laptop"
    if not (folder / "server.sqlite3").exists():
        folder.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, "-m", "server", "init", "--db", server_db, "--demo"], check=True)
    settings = laptop / "settings.ini"
    server = subprocess.Popen([sys.executable, "-m", "server", "run", "--db", server_db,
                               "--host", "127.0.0.1", "--port", str(PORT)])
    try:
        wait_for_server()
        if not laptop.exists():
            # Signed in first, so the demo records are this officer's and in this
            # officer's regency: the server takes nothing else from a regency officer
            # (records made before any sign-in, or elsewhere in Lampung, came back
            # refused on the first sync).
            url = f"http://127.0.0.1:{PORT}"
            subprocess.run([sys.executable, "-m", "desktop_app", "--data-dir", str(laptop), "sync",
                            "--server", url, "--user", USERNAME, "--password", PASSWORD],
                           check=True)
            subprocess.run([sys.executable, "-m", "desktop_app", "--data-dir", str(laptop), "demo",
                            "--records", str(options.records), "--regency", REGENCY], check=True)
        if not settings.exists():
            settings.write_text(f"[sync]\nserver_url=http://127.0.0.1:{PORT}\n", encoding="utf-8")
        print(f"demo server on http://127.0.0.1:{PORT}; sign in as {USERNAME}, "
              f"password {PASSWORD}", flush=True)
        return subprocess.run([sys.executable, "-m", "desktop_app", "--data-dir", str(laptop)]).returncode
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_for_server(timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{PORT}/health", timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("the demo server did not start")


if __name__ == "__main__":
    raise SystemExit(main())
