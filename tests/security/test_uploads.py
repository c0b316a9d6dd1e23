"""Issue 11, item 12: a photo's upload cannot be blocked by someone who
merely knows its hash.

Reported: an officer of the same regency (the hash travels in the records
every laptop of the regency pulls) started the photo's upload first, with a
wrong length; the owner's upload was refused ('size differs') for good. Now
an unfinished upload belongs to whoever started it (only they append), its
completion is verified by length and SHA-256, and the photo's owner restarts
it as theirs.
"""

from __future__ import annotations

import hashlib
import os

from tests.security.ingest_calls import any_server, full_business, insert_change, insider  # noqa: F401
from tests.server.server_calls import new_id

OCTETS = {"Content-Type": "application/offset+octet-stream"}


def _photo_of(owner):  # type: ignore[no-untyped-def]
    """A survey with a photo attached, pushed by ``owner``: the photo's bytes
    (not yet uploaded) and its hash."""
    data = b"\xff\xd8\xff" + os.urandom(300_000)
    sha = hashlib.sha256(data).hexdigest()
    business_id, survey_id = new_id(), new_id()
    answer = owner.push_ok(
        insert_change(owner, "business", full_business(owner), row_id=business_id),
        insert_change(owner, "umkm_survey", {
            "business_id": business_id, "visit_date": "2026-11-20",
            "regency_code": owner.regency, "created_by": owner.officer_id,
            "officer_id": owner.officer_id, "device_id": owner.device_id}, row_id=survey_id),
        insert_change(owner, "attachment", {
            "owner_table": "umkm_survey", "owner_id": survey_id, "sha256": sha,
            "size_bytes": len(data), "created_by": owner.officer_id,
            "officer_id": owner.officer_id, "device_id": owner.device_id}))
    assert answer["applied"] == 3, answer
    return data, sha


def _start(caller, sha: str, length: int):  # type: ignore[no-untyped-def]
    return caller.post("/v1/attachments/", headers={"Upload-Length": str(length),
                                                    "X-Tapis-Sha256": sha})


def _patch(caller, sha: str, offset: int, chunk: bytes):  # type: ignore[no-untyped-def]
    return caller.http.patch(f"{caller.url}/v1/attachments/{sha}", data=chunk, timeout=10,
                             headers={**caller.headers, **OCTETS, "Upload-Offset": str(offset)})


def _upload(caller, sha: str, data: bytes):  # type: ignore[no-untyped-def]
    started = _start(caller, sha, len(data))
    assert started.status_code in (200, 201), started.text
    offset = started.json()["offset"]
    step = 256 * 1024
    while offset < len(data):
        answer = _patch(caller, sha, offset, data[offset:offset + step])
        assert answer.status_code == 200, answer.text
        offset = answer.json()["offset"]
    return caller.get(f"/v1/attachments/{sha}")


def test_an_upload_started_with_a_wrong_length_does_not_block_the_owner(any_server):
    owner = insider(any_server.url, "petugas.tanggamus", register=False)
    data, sha = _photo_of(owner)
    squatter = insider(any_server.url, "supervisor.tanggamus", register=False)
    assert _start(squatter, sha, 5).status_code == 201  # first, with a wrong length
    downloaded = _upload(owner, sha, data)
    assert downloaded.status_code == 200 and downloaded.content == data


def test_a_squatter_cannot_append_to_the_owners_upload(any_server):
    """Same length, then garbage appended by the squatter: refused (403);
    the owner's upload completes with the right bytes."""
    owner = insider(any_server.url, "petugas.tanggamus", register=False)
    data, sha = _photo_of(owner)
    squatter = insider(any_server.url, "supervisor.tanggamus", register=False)
    assert _start(squatter, sha, len(data)).status_code == 201
    started = _start(owner, sha, len(data))
    assert started.status_code in (200, 201)
    assert started.json()["offset"] == 0  # nothing of the squatter's kept
    assert _patch(squatter, sha, 0, b"\x00" * 1000).status_code == 403
    downloaded = _upload(owner, sha, data)
    assert downloaded.status_code == 200 and downloaded.content == data


def test_the_squatter_cannot_restart_the_owners_upload(any_server):
    """Halfway through the owner's upload, a wrong-length start by someone
    else is refused and the owner's progress is kept."""
    owner = insider(any_server.url, "petugas.tanggamus", register=False)
    data, sha = _photo_of(owner)
    assert _start(owner, sha, len(data)).status_code == 201
    assert _patch(owner, sha, 0, data[:100_000]).status_code == 200
    squatter = insider(any_server.url, "supervisor.tanggamus", register=False)
    assert _start(squatter, sha, 7).status_code == 422
    resumed = _start(owner, sha, len(data))
    assert resumed.json()["offset"] == 100_000
    downloaded = _upload(owner, sha, data)
    assert downloaded.content == data
