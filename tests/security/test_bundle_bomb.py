"""Issue 11, items 4 and 12 (bundles): a decompression bomb in a sync bundle.

Reported: a 249 KiB bundle took the server to 6.4 GB for 33 s and a 500;
the bundle was inflated (up to 256 MiB) and parsed before its signer was
checked against a registered key. Now: the header's key must be the one
the device registered and the signature is checked by it before a byte is
inflated; inflation is streamed with a hard cap (MAX_JSON_BYTES) and the
content's shape is checked against the signed counts before parsing; any
malformed sealed content is a 422, never a 500. The server runs as its own
process so its peak memory (VmHWM) is measured.
"""

from __future__ import annotations

import base64
import os
import re
import struct
import uuid
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from desktop_app import protocol as p
from desktop_app.protocol import bundle
from server.laptop_schema import laptop_schemas
from server.setup import init
from tests.security.ingest_calls import Insider, full_business, insert_change, insider
from tests.server.server_calls import error_body, stored_state
from tests.support.server_process import ServerProcess
from tests.support.servers import postgres_available, postgres_database

MIB = 1024 * 1024


class Server:
    def __init__(self, process: ServerProcess) -> None:
        self.process = process
        self.url = process.url
        from server.db import Database

        self.database = Database(process.db_url)

    def _status(self, name: str) -> int:
        status = Path(f"/proc/{self.process.process.pid}/status").read_text()
        return int(re.search(name + r":\s+(\d+)", status).group(1))

    def measure(self) -> int:
        """Start measuring: the peak is reset to the present RSS (KiB)."""
        Path(f"/proc/{self.process.process.pid}/clear_refs").write_text("5")
        return self._status("VmRSS")

    def peak_kib(self) -> int:
        return self._status("VmHWM")


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("bomb")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TAPIS_BLOB_DIR", str(folder / "blobs"))
        if request.param == "postgres":
            if not postgres_available():
                pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
            with postgres_database() as url:
                init(url, demo=True)
                with ServerProcess(url, folder / "server.log").start(initialised=True) as running:
                    served = Server(running)
                    yield served
                    served.database.dispose()
            return
        path = folder / "server.sqlite3"
        init(f"sqlite:///{path}", demo=True)
        with ServerProcess(path, folder / "server.log").start(initialised=True) as running:
            served = Server(running)
            yield served
            served.database.dispose()


def _compressed(pieces: Iterator[bytes]) -> bytes:
    packer = zlib.compressobj(9)
    return b"".join([*(packer.compress(piece) for piece in pieces), packer.flush()])


def _bomb_document(device_id: str, inflated: int) -> Iterator[bytes]:
    """``{"device_id":..,"changes":[{},{},...{}],"photos":[]}`` of about
    ``inflated`` bytes: millions of empty objects, the costliest JSON per byte."""
    yield f'{{"device_id":"{device_id}","changes":['.encode()
    block = b"{}," * (MIB // 3)
    for _ in range(inflated // len(block)):
        yield block
    yield b'{}],"photos":[]}'


def seal_raw(caller: Insider, packed_json: bytes, *, changes: int = 1,
             signer: Ed25519PrivateKey | None = None, after_json: bytes = b"",
             declared_length: int | None = None) -> bytes:
    """A bundle whose payload is ``packed_json`` as given (already zlib'd),
    encrypted with the caller's regency key and signed by ``signer``."""
    signer = signer or caller.signer
    key_id, key = next((k, v) for k, v in caller.bundle_keys.items()
                       if k.startswith(f"{caller.regency}-"))
    nonce = os.urandom(12)
    header = bundle.BundleHeader(
        format=bundle.FORMAT_VERSION, protocol=p.PROTOCOL_VERSION,
        schema_revision=laptop_schemas().head, bundle_id=str(uuid.uuid4()),
        device_id=caller.device_id, officer_id=caller.officer_id, regency_code=caller.regency,
        created_at="2026-11-23T10:00:00.000Z", first_seq=caller.last_seq + 1,
        last_seq=caller.last_seq + changes, changes=changes, photos=0, key_id=key_id,
        nonce=base64.b64encode(nonce).decode(),
        signing_key=base64.b64encode(signer.public_key().public_bytes_raw()).decode())
    head = bundle._header_bytes(header)
    length = len(packed_json) if declared_length is None else declared_length
    plain = struct.pack(">I", length) + packed_json + after_json
    sealed = head + AESGCM(key).encrypt(nonce, plain, head)
    return sealed + signer.sign(sealed)


def _send_measured(server: Server, caller: Insider, data: bytes):  # type: ignore[no-untyped-def]
    before = server.measure()
    answer = caller.send_bundle(data)
    return answer, (server.peak_kib() - before) // 1024


def test_a_bomb_signed_by_an_unregistered_key_is_refused_before_inflating(server):
    """An insider signs a 70 MiB-inflating bundle with a key the server does
    not hold for their device: refused by its signer, nothing inflated."""
    caller = insider(server.url, "petugas.tanggamus")
    bomb = seal_raw(caller, _compressed(_bomb_document(caller.device_id, 70 * MIB)),
                    signer=Ed25519PrivateKey.generate())
    assert len(bomb) < 300 * 1024
    answer, grew_mib = _send_measured(server, caller, bomb)
    assert error_body(answer, 422, "invalid").detail["reason"] == "unknown_signer"
    assert grew_mib < 40, f"peak memory grew by {grew_mib} MiB"


@pytest.mark.parametrize("inflated_mib", [70, 60])
def test_a_bomb_signed_by_the_registered_key_is_capped(server, inflated_mib):
    """Signed by the insider's own registered key: over the cap (70 MiB) it
    is refused while inflating; under it (60 MiB of empty objects for one
    declared change) it is refused by its shape before parsing. Either way
    a 422, nothing stored, and the server's peak memory grows by little."""
    caller = insider(server.url, "petugas.tanggamus")
    bomb = seal_raw(caller, _compressed(_bomb_document(caller.device_id, inflated_mib * MIB)))
    before = stored_state(server)
    answer, grew_mib = _send_measured(server, caller, bomb)
    assert error_body(answer, 422, "invalid").detail["reason"] == "malformed"
    assert stored_state(server) == before
    print(f"bomb of {len(bomb) // 1024} KiB inflating to {inflated_mib} MiB: "
          f"peak memory +{grew_mib} MiB")
    assert grew_mib < 300, f"peak memory grew by {grew_mib} MiB"


def _doc(body: bytes) -> Callable[[str], bytes]:
    return lambda device: zlib.compress(body.replace(b"DEVICE", device.encode()))


MALFORMED = {
    "not zlib": lambda device: b"this is not zlib",
    "zlib cut short": lambda device: zlib.compress(
        f'{{"device_id":"{device}","changes":[],"photos":[]}}'.encode())[:-6],
    "not json": _doc(b"{{{{"),
    "a list": _doc(b"[]"),
    "no photos key": _doc(b'{"device_id":"DEVICE","changes":[]}'),
    "changes not a list": _doc(b'{"device_id":"DEVICE","changes":{},"photos":[]}'),
    "change not an object": _doc(b'{"device_id":"DEVICE","changes":[1],"photos":[]}'),
    "deep nesting": _doc(b'{"device_id":"DEVICE","changes":[' + b"[" * 100000
                         + b"]" * 100000 + b'],"photos":[]}'),
    "photo size negative": _doc(
        b'{"device_id":"DEVICE","changes":[],"photos":[{"sha256":"a","size":-1}]}'),
    "empty": lambda device: b"",
}


@pytest.mark.parametrize("packed", MALFORMED.values(), ids=MALFORMED.keys())
def test_sealed_malformed_content_is_a_4xx_not_a_500(server, packed):
    """Sealed and signed by the insider's registered key, but not what Tapis
    writes: 422 with a reason, nothing stored."""
    caller = insider(server.url, "petugas.tanggamus")
    data = seal_raw(caller, packed(caller.device_id), changes=0)
    before = stored_state(server)
    answer = caller.send_bundle(data)
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text)
    p.ErrorBody.model_validate(answer.json())
    assert stored_state(server) == before


@pytest.mark.parametrize("declared", [2**32 - 1, 0])
def test_a_wrong_payload_length_is_a_4xx(server, declared):
    """The payload's u32 length says more (or less) than there is."""
    caller = insider(server.url, "petugas.tanggamus")
    packed = zlib.compress(f'{{"device_id":"{caller.device_id}","changes":[],"photos":[]}}'
                           .encode())
    answer = caller.send_bundle(seal_raw(caller, packed, changes=0, declared_length=declared))
    assert 400 <= answer.status_code < 500, (answer.status_code, answer.text)


def test_an_honest_bundle_still_goes_through(server):
    """Positive control: the insider's own bundle, a real one, is applied."""
    caller = insider(server.url, "petugas.tanggamus")
    answer = caller.send_bundle(caller.seal([insert_change(caller, "business",
                                                           full_business(caller))]))
    assert answer.status_code == 200, answer.text
    assert answer.json()["applied"] == 1
