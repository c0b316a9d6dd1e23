"""LinkEmulator over real 127.0.0.1 sockets: pass-through, shaping, latency, cuts, offline."""

from __future__ import annotations

import hashlib
import http.server
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import requests

from benchmarks.linkemu import PROFILES, CutPolicy, LinkEmulator, LinkProfile, get_profile

pytestmark = pytest.mark.timeout(60)
REPO = Path(__file__).resolve().parents[2]
SOCKET_TIMEOUT_S = 5.0


class EchoServer:
    """Threaded TCP echo server on 127.0.0.1:0; tolerates resets from the proxy."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.sock.settimeout(0.05)  # lets close() stop the accept loop promptly
        self._stop = threading.Event()
        self.port: int = self.sock.getsockname()[1]
        self.threads: list[threading.Thread] = []
        self._accept = threading.Thread(target=self._serve, name="echo-accept", daemon=True)
        self._accept.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._echo, args=(conn,), name="echo", daemon=True)
            self.threads.append(thread)
            thread.start()

    @staticmethod
    def _echo(conn: socket.socket) -> None:
        conn.settimeout(SOCKET_TIMEOUT_S)
        with conn:
            try:
                while data := conn.recv(65536):
                    conn.sendall(data)
            except OSError:
                pass

    def close(self) -> None:
        self._stop.set()
        self._accept.join(2)
        self.sock.close()
        for thread in self.threads:
            thread.join(SOCKET_TIMEOUT_S)


class BlobHandler(http.server.BaseHTTPRequestHandler):
    """GET /health -> ok; GET /blob?n=N -> N bytes; POST /upload -> length read."""

    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _reply(self, body: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        if url.path == "/blob":
            self._reply(b"x" * int(parse_qs(url.query)["n"][0]))
        else:
            self._reply(b"ok")

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self._reply(str(len(body)).encode())


class QuietHTTPServer(http.server.ThreadingHTTPServer):
    """Resets from the proxy are the point of these tests: don't print them."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass


@pytest.fixture
def echo() -> Iterator[EchoServer]:
    server = EchoServer()
    yield server
    server.close()


@pytest.fixture
def http_port() -> Iterator[int]:
    server = QuietHTTPServer(("127.0.0.1", 0), BlobHandler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), name="http", daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()
    thread.join(2)


@pytest.fixture(autouse=True)
def no_leftover_emulator_thread() -> Iterator[None]:
    yield
    assert [t for t in threading.enumerate() if t.name == "linkemu"] == []


def connect(link: LinkEmulator) -> socket.socket:
    sock = socket.create_connection(link.address, timeout=SOCKET_TIMEOUT_S)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def echo_round_trip(sock: socket.socket, payload: bytes) -> bytes:
    """Send payload from a helper thread while reading the echo back."""
    sender = threading.Thread(target=sock.sendall, args=(payload,), daemon=True)
    sender.start()
    got = bytearray()
    while len(got) < len(payload):
        chunk = sock.recv(65536)
        if not chunk:
            break
        got += chunk
    sender.join(SOCKET_TIMEOUT_S)
    return bytes(got)


def read_until_cut(sock: socket.socket) -> tuple[int, BaseException | None]:
    """Read until EOF or error; returns bytes received and the error, if any."""
    received = 0
    try:
        while chunk := sock.recv(65536):
            received += len(chunk)
    except OSError as exc:
        return received, exc
    return received, None


def attempt_while_offline(link: LinkEmulator) -> BaseException | None:
    """Connect and read; the reset may already hit connect() or only the first recv()."""
    try:
        with connect(link) as sock:
            received, error = read_until_cut(sock)
            assert received == 0
            return error
    except OSError as exc:
        return exc


def symmetric(bps: int | None, rtt_ms: float = 0.0) -> LinkProfile:
    return LinkProfile.symmetric("test", bps, rtt_ms)


def test_bytes_pass_through_unchanged_both_ways(echo: EchoServer) -> None:
    """200 KB of random bytes go up and come back down with the same SHA-256."""
    payload = os.urandom(200_000)
    with LinkEmulator(("127.0.0.1", echo.port)) as link, connect(link) as sock:
        got = echo_round_trip(sock, payload)
        assert hashlib.sha256(got).hexdigest() == hashlib.sha256(payload).hexdigest()
        assert (link.stats.bytes_up, link.stats.bytes_down) == (200_000, 200_000)


def test_stats_count_bytes_and_connections(echo: EchoServer) -> None:
    """Three connections with known sizes are counted exactly, with no cuts."""
    with LinkEmulator(("127.0.0.1", echo.port)) as link:
        for size in (10, 1_000, 5_000):
            with connect(link) as sock:
                assert echo_round_trip(sock, b"a" * size) == b"a" * size
        snap = link.stats.snapshot()
    assert (snap.connections, snap.bytes_up, snap.bytes_down) == (3, 6_010, 6_010)
    assert (snap.cuts, snap.refused, snap.upstream_errors) == (0, 0, 0)


@pytest.mark.timing
def test_bandwidth_shaping_slows_download(http_port: int) -> None:
    """32 KB at 256 kbit/s takes about 1 s (within 35 %)."""
    with LinkEmulator(("127.0.0.1", http_port), symmetric(256_000)) as link:
        started = time.monotonic()
        body = requests.get(link.url_for("/blob?n=32768"), timeout=10).content
        elapsed = time.monotonic() - started
    assert len(body) == 32768
    assert 0.65 <= elapsed <= 1.35, elapsed


@pytest.mark.timing
def test_bandwidth_is_shared_by_concurrent_connections(echo: EchoServer) -> None:
    """Two 16 KB uploads at once over 256 kbit/s together take about 0.5 s each way."""
    with LinkEmulator(("127.0.0.1", echo.port), symmetric(256_000)) as link:
        socks = [connect(link), connect(link)]
        started = time.monotonic()
        threads = [threading.Thread(target=echo_round_trip, args=(s, b"z" * 16384)) for s in socks]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        elapsed = time.monotonic() - started
        for sock in socks:
            sock.close()
    assert 0.65 <= elapsed <= 1.5, elapsed  # 32 KB through one 256 kbit/s pipe ~ 1 s


@pytest.mark.timing
def test_latency_adds_round_trip_time(echo: EchoServer) -> None:
    """A tiny request/response over a 400 ms RTT link takes about 400 ms."""
    with LinkEmulator(("127.0.0.1", echo.port), symmetric(None, 400)) as link, \
            connect(link) as sock:
        started = time.monotonic()
        sock.sendall(b"ping")
        assert sock.recv(16) == b"ping"
        elapsed = time.monotonic() - started
    assert 0.38 <= elapsed <= 0.6, elapsed


@pytest.mark.timing
def test_set_profile_at_runtime(echo: EchoServer) -> None:
    """set_profile changes latency for traffic already on an open connection."""
    with LinkEmulator(("127.0.0.1", echo.port), "perfect") as link, connect(link) as sock:
        timings = []
        for profile in (symmetric(None, 0), symmetric(None, 300), PROFILES["perfect"]):
            link.set_profile(profile)
            started = time.monotonic()
            sock.sendall(b"x")
            assert sock.recv(1) == b"x"
            timings.append(time.monotonic() - started)
        assert link.profile.name == "perfect"
    assert timings[0] < 0.1 and 0.28 <= timings[1] <= 0.5 and timings[2] < 0.1, timings


def test_cut_after_n_bytes_resets_with_exactly_n_delivered(echo: EchoServer) -> None:
    """Cut after 10,000 downstream bytes: client gets exactly those, then a reset."""
    with LinkEmulator(("127.0.0.1", echo.port), cut_policy=CutPolicy.after(10_000, "down")) as link, \
            connect(link) as sock:
        threading.Thread(target=sock.sendall, args=(os.urandom(100_000),), daemon=True).start()
        received, error = read_until_cut(sock)
        snap = link.stats.snapshot()
    assert isinstance(error, ConnectionResetError)
    assert received == 10_000
    assert (snap.bytes_down, snap.cuts, snap.cuts_by_bytes) == (10_000, 1, 1)


def test_cut_counting_both_directions(echo: EchoServer) -> None:
    """With direction 'both', up + down delivered bytes stop at the budget."""
    with LinkEmulator(("127.0.0.1", echo.port), cut_policy=CutPolicy.after(6_000)) as link, \
            connect(link) as sock:
        sock.sendall(b"q" * 2_000)
        threading.Thread(target=sock.sendall, args=(b"r" * 50_000,), daemon=True).start()
        received, error = read_until_cut(sock)
        snap = link.stats.snapshot()
    assert isinstance(error, ConnectionResetError)
    assert snap.bytes_up + snap.bytes_down == 6_000
    assert received == snap.bytes_down


def test_http_response_cut_raises_in_requests(http_port: int) -> None:
    """A download cut mid-response surfaces in requests as an exception."""
    with LinkEmulator(("127.0.0.1", http_port), cut_policy=CutPolicy.after(5_000, "down")) as link:
        assert requests.get(link.url_for("/health"), timeout=5).text == "ok"
        with pytest.raises(requests.RequestException):
            requests.get(link.url_for("/blob?n=100000"), timeout=5)
        assert link.stats.cuts_by_bytes == 1


def test_http_request_cut_raises_in_requests(http_port: int) -> None:
    """An upload cut mid-request body surfaces in requests as a ConnectionError."""
    with LinkEmulator(("127.0.0.1", http_port), cut_policy=CutPolicy.after(3_000, "up")) as link:
        with pytest.raises(requests.ConnectionError):
            requests.post(link.url_for("/upload"), data=b"b" * 100_000, timeout=5)
        assert link.stats.bytes_up == 3_000


def test_random_cuts_are_reproducible_by_seed(echo: EchoServer) -> None:
    """The same seed cuts the same connections at the same byte counts."""

    def run(seed: int) -> tuple[list[int], tuple[int, ...]]:
        policy = CutPolicy.random(1_000, 20_000, "down")
        with LinkEmulator(("127.0.0.1", echo.port), cut_policy=policy, seed=seed) as link:
            counts = []
            for _ in range(4):
                with connect(link) as sock:
                    threading.Thread(target=sock.sendall, args=(b"m" * 40_000,), daemon=True).start()
                    received, error = read_until_cut(sock)
                    assert isinstance(error, ConnectionResetError)
                    counts.append(received)
            return counts, link.stats.snapshot().cut_budgets

    first, second, other = run(42), run(42), run(43)
    rng = random.Random(42)
    expected = [rng.randint(1_000, 20_000) for _ in range(4)]
    assert first[0] == second[0] == list(first[1]) == expected
    assert other[0] != first[0]


@pytest.mark.timing
def test_timer_drops_reset_open_connections(echo: EchoServer) -> None:
    """'Drops every T seconds' resets an idle open connection after about T."""
    with LinkEmulator(("127.0.0.1", echo.port), cut_policy=CutPolicy.every(0.3)) as link, \
            connect(link) as sock:
        started = time.monotonic()
        received, error = read_until_cut(sock)
        elapsed = time.monotonic() - started
        assert isinstance(error, ConnectionResetError)
        assert received == 0 and 0.2 <= elapsed <= 1.0, elapsed
        assert link.stats.cuts_by_drop >= 1


def test_offline_refuses_then_online_works(echo: EchoServer) -> None:
    """Offline resets open and new connections; back online, traffic flows again."""
    with LinkEmulator(("127.0.0.1", echo.port)) as link:
        open_sock = connect(link)
        assert echo_round_trip(open_sock, b"before") == b"before"
        link.go_offline()
        assert isinstance(read_until_cut(open_sock)[1], ConnectionResetError)
        assert isinstance(attempt_while_offline(link), ConnectionResetError)
        link.go_online()
        with connect(link) as sock:
            assert echo_round_trip(sock, b"after") == b"after"
        open_sock.close()
        snap = link.stats.snapshot()
    assert (snap.refused, snap.cuts_by_offline, snap.connections) == (1, 1, 3)


def test_offline_blackhole_hangs_until_online(echo: EchoServer) -> None:
    """In blackhole mode a new connection stays silent, then is reset on reconnecting."""
    with LinkEmulator(("127.0.0.1", echo.port), offline_mode="blackhole") as link:
        link.go_offline()
        with connect(link) as sock:
            sock.settimeout(0.3)
            sock.sendall(b"hello?")
            with pytest.raises(socket.timeout):
                sock.recv(16)
            sock.settimeout(SOCKET_TIMEOUT_S)
            link.go_online()
            assert isinstance(read_until_cut(sock)[1], ConnectionResetError)
        assert link.stats.bytes_up == 0


def test_shutdown_leaves_no_thread_and_no_listener(echo: EchoServer) -> None:
    """After the with-block: open clients are reset, no thread, port refuses."""
    link = LinkEmulator(("127.0.0.1", echo.port), "64k")
    with link:
        port = link.port
        sock = connect(link)
        assert any(t.name == "linkemu" for t in threading.enumerate())
    assert isinstance(read_until_cut(sock)[1], ConnectionResetError)
    sock.close()
    assert not any(t.name == "linkemu" for t in threading.enumerate())
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    link.stop()  # idempotent


def test_presets_and_validation() -> None:
    """Presets match the documented links; only loopback upstreams are accepted."""
    assert (PROFILES["gprs"].down_bps, PROFILES["gprs"].rtt_ms) == (50_000, 500.0)
    assert (PROFILES["64k"].up_bps, PROFILES["64k"].rtt_ms) == (64_000, 600.0)
    assert (PROFILES["250k"].down_bps, PROFILES["250k"].rtt_ms) == (250_000, 300.0)
    assert PROFILES["flaky"].drop_every_s == 20.0 and PROFILES["flaky"].down_bps
    assert PROFILES["perfect"] == LinkProfile("perfect")
    assert get_profile("GPRS") is PROFILES["gprs"]
    with pytest.raises(ValueError):
        LinkEmulator(("10.0.0.1", 80))
    with pytest.raises(ValueError):
        CutPolicy(after_bytes=1, random_between=(1, 2))


def test_cli_prints_port_and_stops_on_ctrl_c(echo: EchoServer) -> None:
    """python -m benchmarks.linkemu prints its port, proxies, and exits 0 on SIGINT."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.linkemu", "--upstream", f"127.0.0.1:{echo.port}",
         "--listen-port", "0", "--profile", "250k"],
        cwd=REPO, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None
        port = 0
        for _ in range(5):
            line = proc.stdout.readline()
            if line.startswith("port="):
                port = int(line.split("=", 1)[1])
                break
        assert port
        with socket.create_connection(("127.0.0.1", port), timeout=SOCKET_TIMEOUT_S) as sock:
            assert echo_round_trip(sock, b"cli") == b"cli"
        proc.send_signal(signal.SIGINT)
        assert proc.wait(10) == 0
        assert "linkemu stopped" in proc.stdout.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(5)
        if proc.stdout is not None:
            proc.stdout.close()
