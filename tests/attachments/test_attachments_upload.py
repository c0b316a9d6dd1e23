"""Photos travel with a sync: the server ends with the laptop's exact bytes,
and a cut upload resumes from the server's offset, never from 0."""

from __future__ import annotations

import hashlib
import socket
from pathlib import Path
from urllib.parse import urlparse

import pytest
from photo_helpers import business, survey
from sqlalchemy import select

from desktop_app.services import photos
from desktop_app.sync import attachments
from desktop_app import protocol as p
from desktop_app.sync.client import Offline
from desktop_app.sync.engine import Progress, SyncEngine
from server.tables import Upload
from tests.support.laptops import Laptop
from tests.support.photos import make_photo


def photographed(laptop: Laptop, tmp_path: Path) -> dict:
    """A survey with one photo, on the laptop, not yet synced."""
    shop = laptop.save("business", business())
    visit = laptop.save("umkm_survey", survey(shop["id"]))
    return photos.attach_photo(laptop.store, laptop.actor, "umkm_survey", visit["id"],
                               make_photo(tmp_path / "IMG_0001.jpg"))


def server_bytes(server, sha256: str) -> bytes:  # type: ignore[no-untyped-def]
    return (server.database.blob_dir / sha256[:2] / sha256).read_bytes()


def upload_row(server, sha256: str) -> Upload | None:  # type: ignore[no-untyped-def]
    with server.database.session() as session:
        return session.scalar(select(Upload).where(Upload.sha256 == sha256))


def test_sync_uploads_the_reduced_photo_byte_identical(kota, sync_server, tmp_path):
    """SyncEngine.run pushes the row, then the bytes; the server's file hashes
    to the laptop's, progress counts bytes, and the next sync sends nothing."""
    photo = photographed(kota, tmp_path)
    seen: list[Progress] = []
    engine = SyncEngine(kota.store, kota.client, on_progress=seen.append)
    summary = engine.run()
    assert summary.pending_left == 0 and not summary.parked
    assert (engine.uploads.completed, engine.uploads.skipped) == (1, {})
    stored = server_bytes(sync_server, photo["sha256"])
    assert stored == Path(photo["path"]).read_bytes()
    assert hashlib.sha256(stored).hexdigest() == photo["sha256"]
    assert upload_row(sync_server, photo["sha256"]).complete
    uploads = [s for s in seen if s.phase == "upload"]
    assert uploads[-1].done == uploads[-1].total == photo["size_bytes"]
    assert len({s.done for s in uploads}) >= 3  # 650 KB in 256 KB chunks: progress per chunk
    for name in ("upload_status", "upload_start", "upload_chunk"):  # none may be called now
        setattr(kota.client, name, pytest.fail)
    again = SyncEngine(kota.store, kota.client)
    again.run()
    assert (again.uploads.completed, again.uploads.already_there) == (0, 0)


def test_a_cut_upload_resumes_from_the_servers_offset(kota, sync_server, tmp_path, monkeypatch):
    """The link dies after one 64 KB chunk; the next sync asks the server and
    continues at 64 KB: no chunk is sent twice and none from 0."""
    monkeypatch.setattr(attachments, "DEFAULT_CHUNK_BYTES", 64 * 1024)
    photo = photographed(kota, tmp_path)
    offsets: list[int] = []
    real_chunk = kota.client.upload_chunk

    def first_then_cut(sha256: str, offset: int, chunk: bytes) -> p.UploadOffset:
        if offsets:
            raise Offline("ConnectionError")
        offsets.append(offset)
        return real_chunk(sha256, offset, chunk)

    monkeypatch.setattr(kota.client, "upload_chunk", first_then_cut)
    with pytest.raises(Offline):
        kota.sync()
    cut = upload_row(sync_server, photo["sha256"])
    assert (cut.received, cut.complete) == (64 * 1024, False)

    resumed: list[int] = []

    def recording(sha256: str, offset: int, chunk: bytes) -> p.UploadOffset:
        resumed.append(offset)
        return real_chunk(sha256, offset, chunk)

    monkeypatch.setattr(kota.client, "upload_chunk", recording)
    engine = SyncEngine(kota.store, kota.client)
    engine.run()
    size = photo["size_bytes"]
    assert resumed == list(range(64 * 1024, size, 64 * 1024))
    assert engine.uploads.bytes_sent == size - 64 * 1024
    assert server_bytes(sync_server, photo["sha256"]) == Path(photo["path"]).read_bytes()


def test_a_cut_in_the_middle_of_a_chunk_keeps_the_servers_offset(kota, sync_server, tmp_path):
    """A PATCH whose body stops half-way (the socket closes) appends nothing;
    the next sync continues from the last whole chunk the server took."""
    photo = photographed(kota, tmp_path)
    SyncEngine(kota.store, kota.client).push_all()
    state = kota.client.upload_start(photo["sha256"], photo["size_bytes"])
    data = Path(photo["path"]).read_bytes()
    kota.client.upload_chunk(photo["sha256"], 0, data[:100_000])
    _send_half_a_patch(sync_server.url, kota.client.token, photo["sha256"], 100_000,
                       data[100_000:300_000])
    assert state.offset == 0 and upload_row(sync_server, photo["sha256"]).received == 100_000
    resumed: list[int] = []
    real_chunk = kota.client.upload_chunk
    kota.client.upload_chunk = lambda s, o, c: (resumed.append(o), real_chunk(s, o, c))[1]  # type: ignore[method-assign]
    kota.sync()
    assert resumed[0] == 100_000 and 0 not in resumed
    assert server_bytes(sync_server, photo["sha256"]) == data


def _send_half_a_patch(url: str, token: str | None, sha256: str, offset: int, body: bytes) -> None:
    """Declare the whole chunk, send half of it, close the socket: a blank spot."""
    where = urlparse(url)
    head = (f"PATCH {p.API_PREFIX}/attachments/{sha256} HTTP/1.1\r\nHost: {where.netloc}\r\n"
            f"Authorization: Bearer {token}\r\n{p.PROTOCOL_HEADER}: {p.PROTOCOL_VERSION}\r\n"
            f"Upload-Offset: {offset}\r\nContent-Type: application/offset+octet-stream\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode()
    with socket.create_connection((where.hostname, where.port), timeout=5) as sock:
        sock.sendall(head + body[: len(body) // 2])
    import time

    time.sleep(0.5)  # let the server notice the disconnect before we look
