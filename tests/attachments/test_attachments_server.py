"""The upload routes as any client meets them: offsets, idempotent start,
409 on a wrong offset, 422 and discard on corruption, limits, and scope."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from photo_helpers import api, business, survey

from desktop_app.services import photos
from desktop_app import protocol as p
from desktop_app.sync.engine import SyncEngine
from tests.support.laptops import Laptop
from tests.support.photos import make_photo


@pytest.fixture
def pushed(kota, tmp_path):
    """A photo whose attachment row is at the server but whose bytes are not."""
    shop = kota.save("business", business())
    visit = kota.save("umkm_survey", survey(shop["id"]))
    photo = photos.attach_photo(kota.store, kota.actor, "umkm_survey", visit["id"],
                                make_photo(tmp_path / "a.jpg", size=(1600, 1200)))
    SyncEngine(kota.store, kota.client).push_all()
    return photo, Path(photo["path"]).read_bytes()


def start(server, token, sha: str, length: int):  # type: ignore[no-untyped-def]
    return api(server, token, "POST", "/attachments/",
               headers={"Upload-Length": str(length), "X-Tapis-Sha256": sha})


def patch(server, token, sha: str, offset: int, chunk: bytes):  # type: ignore[no-untyped-def]
    return api(server, token, "PATCH", f"/attachments/{sha}", data=chunk,
               headers={"Upload-Offset": str(offset),
                        "Content-Type": "application/offset+octet-stream"})


def test_offsets_start_and_wrong_offset(kota, sync_server, pushed):
    """HEAD is 404 before POST; POST is idempotent; a PATCH at any offset but
    the server's is 409 and names the server's offset."""
    photo, data = pushed
    sha, token = photo["sha256"], kota.client.token
    assert api(sync_server, token, "HEAD", f"/attachments/{sha}").status_code == 404
    created = start(sync_server, token, sha, len(data))
    assert created.status_code == 201 and created.json() == {
        "sha256": sha, "offset": 0, "length": len(data), "complete": False}
    assert patch(sync_server, token, sha, 0, data[:1000]).json()["offset"] == 1000
    again = start(sync_server, token, sha, len(data))
    assert (again.status_code, again.json()["offset"]) == (200, 1000)
    for wrong in (0, 999, 5000):
        refused = patch(sync_server, token, sha, wrong, data[wrong:wrong + 10])
        assert refused.status_code == 409 and refused.json()["code"] == "conflict"
        assert refused.json()["detail"]["offset"] == 1000 and refused.headers["Upload-Offset"] == "1000"
    head = api(sync_server, token, "HEAD", f"/attachments/{sha}")
    assert (head.status_code, head.headers["Upload-Offset"], head.headers["Upload-Length"]) == (
        200, "1000", str(len(data)))
    done = patch(sync_server, token, sha, 1000, data[1000:])
    assert done.json()["complete"] and done.headers["X-Tapis-Upload-Complete"] == "1"
    assert start(sync_server, token, sha, len(data)).json()["complete"]
    assert api(sync_server, token, "GET", f"/attachments/{sha}").content == data


def test_corrupted_final_chunk_is_422_and_never_complete(kota, sync_server, pushed):
    """One flipped byte: the finishing PATCH is 422, the upload is discarded
    (HEAD 404, GET 404), and the next sync uploads the photo whole."""
    photo, data = pushed
    sha, token = photo["sha256"], kota.client.token
    start(sync_server, token, sha, len(data))
    half = len(data) // 2
    patch(sync_server, token, sha, 0, data[:half])
    damaged = bytearray(data[half:])
    damaged[-7] ^= 0xFF
    refused = patch(sync_server, token, sha, half, bytes(damaged))
    assert refused.status_code == 422 and refused.json()["detail"]["sha256"] == sha
    assert api(sync_server, token, "HEAD", f"/attachments/{sha}").status_code == 404
    assert api(sync_server, token, "GET", f"/attachments/{sha}").status_code == 404
    assert not (sync_server.database.blob_dir / sha[:2] / sha).exists()
    engine = SyncEngine(kota.store, kota.client)
    engine.run()
    assert engine.uploads.completed == 1
    fetched = api(sync_server, token, "GET", f"/attachments/{sha}").content
    assert hashlib.sha256(fetched).hexdigest() == sha


def test_limits_and_refusals(kota, sync_server, pushed):
    """A chunk over MAX_CHUNK_BYTES is 413; a chunk past the length is 422; a
    hash no attachment row names is 403; no token is 401."""
    photo, data = pushed
    sha, token = photo["sha256"], kota.client.token
    start(sync_server, token, sha, len(data))
    assert patch(sync_server, token, sha, 0, b"\0" * (p.MAX_CHUNK_BYTES + 1)).status_code == 413
    assert patch(sync_server, token, sha, 0, data + b"extra").status_code == 422
    assert start(sync_server, token, "0" * 64, 10).status_code == 403
    assert start(sync_server, None, sha, len(data)).status_code == 401
    assert api(sync_server, token, "HEAD", "/attachments/not-a-hash").status_code == 422


def test_another_regencys_officer_cannot_get_the_photo(kota, sync_server, pushed, tmp_path):
    """Tanggamus sees no trace of a Kota photo; Kota's supervisor and the
    provincial admin download it, checked against its hash."""
    photo, data = pushed
    sha = photo["sha256"]
    kota.sync()
    others = {name: Laptop(tmp_path / name, sync_server.url, name) for name in (
        "petugas.tanggamus", "supervisor.bandarlampung", "admin.provinsi")}
    try:
        outsider = others["petugas.tanggamus"].client.token
        for method in ("GET", "HEAD"):
            assert api(sync_server, outsider, method, f"/attachments/{sha}").status_code == 404
        assert start(sync_server, outsider, sha, len(data)).status_code == 403
        assert patch(sync_server, outsider, sha, len(data), b"").status_code == 404
        supervisor = others["supervisor.bandarlampung"]
        supervisor.sync()  # the row arrives by pull; the bytes on demand
        [row] = supervisor.rows("attachment").values()
        assert supervisor.client.download_attachment(row["sha256"]) == data
        assert others["admin.provinsi"].client.download_attachment(sha) == data
    finally:
        for laptop in others.values():
            laptop.close()
