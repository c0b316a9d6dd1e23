"""An insider at the ingest side: a real server on loopback (SQLite and
PostgreSQL), an officer's own token, bundle key and device signing key, and
the bytes of a sync bundle written by hand (trust-ingest's tests)."""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop_app import protocol as p
from desktop_app.protocol import bundle
from server.laptop_schema import laptop_schemas
from tests.server.server_calls import Caller, change, login, new_id
from tests.support import device_proof
from tests.support.servers import RunningServer, demo_database, running_server


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def any_server(request: pytest.FixtureRequest,
               tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningServer]:
    """A server per backend, shared by the tests of one module (tests keep
    apart by signing in on fresh devices); blobs in tmp."""
    folder = tmp_path_factory.mktemp("server")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TAPIS_BLOB_DIR", str(folder / "blobs"))
        with demo_database(request, request.param, folder) as url, \
                running_server(url, initialised=True) as running:
            yield running


@dataclass
class Insider(Caller):
    """A signed-in officer who also holds their regency's bundle key and
    their laptop's device key (proven at sign-in, the key its bundles are
    signed with)."""

    bundle_keys: dict[str, bytes] = field(default_factory=dict)
    signer: Ed25519PrivateKey = field(default_factory=Ed25519PrivateKey.generate)

    def register_signer(self) -> None:
        public = base64.b64encode(self.signer.public_key().public_bytes_raw()).decode()
        answer = self.post(f"/v1/devices/{self.device_id}/signing-key", json={"public_key": public})
        assert answer.status_code == 204, answer.text

    def seal(self, changes: list[dict[str, Any]], *, officer_id: str | None = None,
             regency: str | None = None, device_id: str | None = None,
             photos: list[bundle.Photo] | None = None) -> bytes:
        """A bundle of ``changes`` (seq numbered from 1 on after last_seq),
        signed by this laptop's key, naming ``officer_id`` as its author."""
        numbered = [p.Change.model_validate({"seq": self.last_seq + n, **c})
                    for n, c in enumerate(changes, 1)]
        regency = regency or self.regency
        key_id, key = next((k, v) for k, v in self.bundle_keys.items()
                           if k.startswith(f"{regency}-") or regency is None)
        _, data = bundle.seal(key_id=key_id, key=key, signer=self.signer,
                              schema_revision=laptop_schemas().head,
                              device_id=device_id or self.device_id,
                              officer_id=officer_id or self.officer_id, regency_code=regency,
                              created_at="2026-11-23T10:00:00.000Z", changes=numbered,
                              photos=photos or [])
        return data

    def send_bundle(self, data: bytes) -> Any:
        return self.post("/v1/bundles", data=data,
                         headers={"Content-Type": "application/octet-stream"})


def insider(url: str, username: str, *, register: bool = True) -> Insider:
    device_id = new_id()
    answer = login(url, username, device_id=device_id)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    officer = body["officer"]
    keys = {k["key_id"]: base64.b64decode(k["key"]) for k in body.get("bundle_keys", [])}
    caller = Insider(url, body["token"], device_id, officer["id"], officer["regency_code"],
                     bundle_keys=keys, signer=device_proof.key_for(device_id))
    if register:
        caller.register_signer()
    return caller


def own(caller: Caller) -> dict[str, Any]:
    """The writer stamps of a change made by ``caller``."""
    return {"created_by": caller.officer_id, "officer_id": caller.officer_id,
            "device_id": caller.device_id}


def full_business(caller: Caller, **overrides: Any) -> dict[str, Any]:
    """Every column of a business, as the laptop's change log sends an insert."""
    return {"name": "Keripik Pisang Ani", "owner_name": "Ani Rahayu",
            "owner_nik": "1806014506900001", "regency_code": caller.regency,
            "district_code": None, "village_code": None, "village": "", "address": "",
            "nib": None, "kbli_section": None, "phone": "", "year_started": None,
            "created_at": "2026-11-20T08:00:00.000Z", "updated_at": "2026-11-20T08:00:00.000Z",
            "deleted_at": None, **own(caller), **overrides}


def insert_change(caller: Caller, table: str, fields: dict[str, Any],
                  row_id: str | None = None) -> dict[str, Any]:
    return change(table, "insert", fields, row_id=row_id, officer_id=caller.officer_id)


__all__ = ["Insider", "any_server", "full_business", "insert_change", "insider", "own",
           "uuid"]
