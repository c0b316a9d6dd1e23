"""The deployment files of docs/deploy/ as docs/DEPLOY.md uses them: the
nginx site passes ``nginx -t`` and, run on loopback with a self-signed
certificate in front of a real server, serves /health over TLS, redirects
plain http, takes a 2 MB body and hands the server the client's address
(a forged X-Forwarded-For is replaced, so the audit log records the real
one); the Caddyfile passes ``caddy validate``; the systemd units pass
``systemd-analyze verify``. Each check is skipped where its tool is not
installed (apt-get install nginx-light caddy)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import urllib3

from server.audit import Action, AuditFilter, query
from tests.support import device_proof
from tests.support.server_process import free_port
from tests.support.servers import running_server

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "docs" / "deploy"


def _need(tool: str) -> str:
    path = shutil.which(tool) or (f"/usr/sbin/{tool}" if Path(f"/usr/sbin/{tool}").exists() else None)
    if path is None:
        pytest.skip(f"{tool} is not installed")
    return path


def _nginx_site(tmp_path: Path, upstream_port: int, https_port: int, http_port: int) -> Path:
    """The shipped site with this machine's ports and a self-signed certificate."""
    openssl = _need("openssl")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=tapis.example.go.id", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    site = (DEPLOY / "nginx-tapis.conf").read_text()
    site = (site.replace("127.0.0.1:8000", f"127.0.0.1:{upstream_port}")
            .replace("listen 443", f"listen 127.0.0.1:{https_port}")
            .replace("listen [::]:443 ssl http2;", "")
            .replace("listen 80;", f"listen 127.0.0.1:{http_port};")
            .replace("listen [::]:80;", "")
            .replace("/etc/letsencrypt/live/tapis.example.go.id/fullchain.pem", str(cert))
            .replace("/etc/letsencrypt/live/tapis.example.go.id/privkey.pem", str(key)))
    (tmp_path / "logs").mkdir()
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"""
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/logs/error.log warn;
events {{ worker_connections 64; }}
http {{
    access_log {tmp_path}/logs/access.log;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
{site}
}}
""")
    return conf


def test_the_nginx_site_checks_and_proxies_tls_to_the_server(tmp_path: Path,
                                                              sqlite_server_template: Path) -> None:
    nginx = _need("nginx")
    copy = tmp_path / "server.sqlite3"
    shutil.copyfile(sqlite_server_template, copy)
    with running_server(f"sqlite:///{copy}", initialised=True) as server:
        upstream = int(server.url.rsplit(":", 1)[1])
        https_port, http_port = free_port(), free_port()
        conf = _nginx_site(tmp_path, upstream, https_port, http_port)
        checked = subprocess.run([nginx, "-t", "-p", str(tmp_path), "-c", str(conf)],
                                 capture_output=True, text=True, timeout=60)
        assert checked.returncode == 0, checked.stderr
        assert "syntax is ok" in checked.stderr
        process = subprocess.Popen([nginx, "-p", str(tmp_path), "-c", str(conf),
                                    "-g", "daemon off;"], stderr=subprocess.PIPE)
        try:
            urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
            base = f"https://127.0.0.1:{https_port}"
            health = _wait(lambda: requests.get(f"{base}/health", verify=False, timeout=5))
            assert health.status_code == 200 and health.json()["status"] == "ok"
            plain = requests.get(f"http://127.0.0.1:{http_port}/health", allow_redirects=False,
                                 timeout=5)
            assert plain.status_code == 301 and plain.headers["Location"].startswith("https://")
            http = requests.Session()
            http.verify = False
            http.trust_env = False  # a REQUESTS_CA_BUNDLE in the environment would win over verify
            http.headers["X-Forwarded-For"] = "203.0.113.66"  # forged by the client
            body = device_proof.login_body(base, "petugas.metro", "wrong-password-here",
                                           "0190a1b2-0000-7000-8000-00000000beef", http=http)
            login = http.post(f"{base}/v1/auth/login", json=body, timeout=10,
                              headers=device_proof.HEADERS)
            assert login.status_code == 401, login.text
            big = http.post(f"{base}/v1/bundles", timeout=30, data=b"\0" * (2 * 1024 * 1024),
                            headers=device_proof.HEADERS)
            assert big.status_code != 413 or "nginx" not in big.text  # the body reached the server
        finally:
            process.send_signal(signal.SIGQUIT)
            process.wait(timeout=30)
        with server.database.session() as session:
            [line] = query(session, AuditFilter(actions=[Action.SIGN_IN],
                                                target_id="petugas.metro"))
        assert line.outcome == "refused" and line.address == "127.0.0.1"  # not the forged one


def _wait(call, timeout: float = 20.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while True:
        try:
            return call()
        except requests.ConnectionError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_the_caddyfile_is_valid(tmp_path: Path) -> None:
    caddy = _need("caddy")
    result = subprocess.run([caddy, "validate", "--config", str(DEPLOY / "Caddyfile"),
                             "--adapter", "caddyfile"], capture_output=True, text=True,
                            timeout=60, env={**os.environ, "HOME": str(tmp_path),
                                             "XDG_DATA_HOME": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert "Valid configuration" in result.stdout + result.stderr


def test_the_systemd_units_verify(tmp_path: Path) -> None:
    analyze = _need("systemd-analyze")
    units = []
    for name in ("tapis-server.service", "tapis-backup.service", "tapis-backup.timer"):
        # The paths of a real install, pointed at this machine's Python.
        text = (DEPLOY / name).read_text().replace("/opt/tapis/venv/bin/python", sys.executable)
        (tmp_path / name).write_text(text)
        units.append(str(tmp_path / name))
    result = subprocess.run([analyze, "verify", *units], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert not [line for line in result.stderr.splitlines() if "tapis" in line], result.stderr
