"""A lost stick leaks nothing and a changed byte is caught: every byte of a
bundle is covered by the AES-GCM tag (the clear header as associated data),
the wrong key reads nothing, and a bundle from a newer Tapis is refused with
a message that says to update."""

from __future__ import annotations

import base64
import json
import os
import uuid

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop_app.store import migrate
from desktop_app.sync import device_signing, relay
from desktop_app import protocol as p
from desktop_app.protocol import bundle
from desktop_app.sync.bundle_export import export_bundle
from desktop_app.sync.client import ServerRefused
from tests.bundle.conftest import NIK, business, signed_in

KEY = bytes(range(32))
SCHEMAS = migrate.revisions()
SIGNER = Ed25519PrivateKey.generate()


def sealed(*, schema: str | None = None, key: bytes = KEY, nik: str = NIK) -> bytes:
    """A small bundle: two changes holding a NIK, and one 'photo'."""
    changes = [p.Change(seq=n, change_id=str(uuid.uuid4()), txn=1, table="business",
                        row_id=str(uuid.uuid4()), op="insert", hlc=1 << 40,
                        fields={"owner_nik": nik, "name": f"Warung {n}"}) for n in (1, 2)]
    _, data = bundle.seal(key_id="18.71-1", key=key, signer=SIGNER,
                          schema_revision=schema or migrate.head_revision(),
                          device_id=str(uuid.uuid4()), officer_id=str(uuid.uuid4()),
                          regency_code="18.71", created_at="2026-11-23T10:00:00.000Z",
                          changes=changes, photos=[bundle.Photo(_sha(b"jpeg"), b"jpeg")])
    return data


def _sha(data: bytes) -> str:
    return bundle.content_hash(data)


def test_a_sealed_bundle_opens_with_its_key():
    """The round trip: header in clear, changes and photos back as sealed."""
    opened = bundle.open_bundle(sealed(), KEY, SCHEMAS)
    assert (opened.header.changes, opened.header.first_seq, opened.header.last_seq) == (2, 1, 2)
    assert opened.changes[0].fields["owner_nik"] == NIK
    assert [ph.data for ph in opened.photos] == [b"jpeg"]


def test_a_flipped_byte_anywhere_is_refused():
    """Every single byte of the file, flipped, makes it unreadable: magic,
    header length, header, nonce, ciphertext and tag."""
    data = sealed()
    for at in range(len(data)):
        damaged = bytearray(data)
        damaged[at] ^= 0x01
        with pytest.raises(bundle.BundleError):
            bundle.open_bundle(bytes(damaged), KEY, SCHEMAS)


def test_a_cut_or_lengthened_bundle_is_refused():
    """A copy cut short on the stick, or with bytes appended, is refused."""
    data = sealed()
    for damaged in (data[:-1], data[: len(data) // 2], data[:10], data + b"\x00", b""):
        with pytest.raises(bundle.BundleError):
            bundle.open_bundle(damaged, KEY, SCHEMAS)


def test_the_wrong_key_reads_nothing():
    """Another regency's key (same key id even) fails the tag: no payload."""
    with pytest.raises(bundle.BundleError) as refused:
        bundle.open_bundle(sealed(), os.urandom(32), SCHEMAS)
    assert refused.value.reason == "tampered"
    assert "kunci lain" in refused.value.message_id and "another key" in refused.value.message_en


def test_no_nik_or_name_in_clear_bytes():
    """Neither the NIK nor a business name appears anywhere in the file, in
    any common encoding; the clear header holds ids and counts only."""
    data = sealed()
    for secret in (NIK, "Warung"):
        plain = secret.encode()
        for encoded in (plain, secret.encode("utf-16-le"), base64.b64encode(plain)):
            assert encoded not in data
    header = bundle.read_header(data, SCHEMAS).model_dump()
    assert set(header) == {"format", "protocol", "schema_revision", "bundle_id", "device_id",
                           "officer_id", "regency_code", "created_at", "first_seq", "last_seq",
                           "changes", "photos", "key_id", "nonce", "signing_key"}


def test_a_bundle_from_a_newer_schema_is_refused_with_the_reason():
    """Sealed by a Tapis whose database is at a revision this one does not
    know: refused before decryption, naming both revisions and saying to update."""
    with pytest.raises(bundle.BundleError) as refused:
        bundle.open_bundle(sealed(schema="0099"), KEY, SCHEMAS)
    error = refused.value
    assert error.reason == "too_new"
    assert "0099" in error.message_en and migrate.head_revision() in error.message_en
    assert "Update Tapis" in error.message_en and "Perbarui Tapis" in error.message_id


def test_a_header_edited_to_claim_another_schema_is_refused():
    """Editing the clear header (here: to an older, known revision) breaks the tag."""
    data = sealed()
    edited = data.replace(f'"schema_revision":"{migrate.head_revision()}"'.encode(),
                          b'"schema_revision":"0001"')
    assert edited != data
    with pytest.raises(bundle.BundleError) as refused:
        bundle.open_bundle(edited, KEY, SCHEMAS)
    assert refused.value.reason == "tampered"


def test_a_newer_file_format_is_refused():
    """A format byte past this version: 'made by a newer Tapis', not 'damaged'."""
    data = bytearray(sealed())
    data[len(bundle.MAGIC) - 1] += 1
    with pytest.raises(bundle.BundleError) as refused:
        bundle.read_header(bytes(data), SCHEMAS)
    assert refused.value.reason == "too_new"


def test_not_a_bundle():
    """Some other file picked by mistake is named as such."""
    with pytest.raises(bundle.BundleError) as refused:
        bundle.read_header(b"PK\x03\x04 a zip file", SCHEMAS)
    assert refused.value.reason == "not_a_bundle" and ".tapisbundle" in refused.value.message_en


# --- the same refusals at the office copy and at the server --------------------------


def test_the_office_and_the_server_refuse_damaged_foreign_and_newer_bundles(
        field, office, sync_server, tmp_path):
    """The office desk refuses a damaged copy, another regency's bundle, and a
    newer one, each with its reason; the server refuses a damaged one and
    applies nothing. A real export holds no NIK in clear, nor does the relay copy."""
    field.save("business", business(1))
    stick = export_bundle(field.store, tmp_path / "kota.tapisbundle").path
    data = stick.read_bytes()
    assert NIK.encode() not in data

    damaged = tmp_path / "damaged.tapisbundle"
    flipped = bytearray(data)
    flipped[len(data) // 2] ^= 0x40
    damaged.write_bytes(bytes(flipped))
    with pytest.raises(bundle.BundleError) as refused:
        relay.import_bundle(office.store, damaged)
    assert refused.value.reason == "tampered"
    with pytest.raises(ServerRefused) as at_server:
        office.client.upload_bundle(bytes(flipped))
    assert (at_server.value.status, at_server.value.body.detail["reason"]) == (422, "tampered")

    other = signed_in(tmp_path / "tgm", sync_server.url, "supervisor.tanggamus")
    try:
        with pytest.raises(bundle.BundleError) as foreign:
            relay.import_bundle(other.store, stick)
    finally:
        other.close()
    assert foreign.value.reason == "unknown_key" and "18.71" in foreign.value.message_en

    newer = tmp_path / "newer.tapisbundle"
    key = base64.b64decode(office.client.login("supervisor.bandarlampung", "tapis-demo-2026")
                           .bundle_keys[0].key)
    header = bundle.read_header(data, SCHEMAS)
    _, newer_bytes = bundle.seal(key_id=header.key_id, key=key, schema_revision="0099",
                                 signer=device_signing.signing_key(field.store),
                                 device_id=header.device_id, officer_id=header.officer_id,
                                 regency_code=header.regency_code, created_at=header.created_at,
                                 changes=bundle.open_bundle(data, key, SCHEMAS).changes, photos=[])
    newer.write_bytes(newer_bytes)
    with pytest.raises(bundle.BundleError) as too_new:
        relay.import_bundle(office.store, newer)
    assert too_new.value.reason == "too_new"
    with pytest.raises(ServerRefused) as at_server:
        office.client.upload_bundle(newer_bytes)
    assert at_server.value.body.detail["reason"] == "too_new"
    assert "Update Tapis" in at_server.value.body.message_en

    assert relay.list_relayed(office.store) == []
    relay.import_bundle(office.store, stick)
    for copy in relay.relay_dir(office.store).iterdir():
        assert NIK.encode() not in copy.read_bytes()
    assert json.dumps(bundle.read_header(data, SCHEMAS).model_dump()).find(NIK) == -1


def test_a_bundle_in_another_laptops_name_is_refused(field, office, sync_server, tmp_path):
    """An officer of the same regency holds the regency key, but not the field
    laptop's signing key: a bundle forged in the field laptop's name (which
    would use up its sequence numbers) is refused, and nothing is applied."""
    from sqlalchemy import func, select

    from server.tables import AppliedChange

    field.save("business", business(1))
    genuine = export_bundle(field.store, tmp_path / "real.tapisbundle").path.read_bytes()
    header = bundle.read_header(genuine, SCHEMAS)
    key = base64.b64decode(office.client.login("supervisor.bandarlampung", "tapis-demo-2026")
                           .bundle_keys[0].key)
    forged_changes = bundle.open_bundle(genuine, key, SCHEMAS).changes
    _, forged = bundle.seal(key_id=header.key_id, key=key, signer=Ed25519PrivateKey.generate(),
                            schema_revision=header.schema_revision, device_id=header.device_id,
                            officer_id=header.officer_id, regency_code=header.regency_code,
                            created_at=header.created_at, changes=forged_changes, photos=[])
    with pytest.raises(ServerRefused) as refused:
        office.client.upload_bundle(forged)
    assert refused.value.body.detail["reason"] == "unknown_signer"
    assert "not signed by the laptop" in refused.value.body.message_en
    with sync_server.database.session() as session:
        assert session.scalar(select(func.count()).select_from(AppliedChange)) == 0
    assert office.client.upload_bundle(genuine).applied == 1


def test_a_laptop_that_never_synced_cannot_export(sync_server, tmp_path):
    """Keys come at sign-in, but the signing key must reach the server first:
    export says to sync once online."""
    from desktop_app.sync.bundle_keys import remember_keys
    from tests.support.laptops import PASSWORD, Laptop

    laptop = Laptop(tmp_path / "fresh", sync_server.url, "petugas.bandarlampung")
    try:
        remember_keys(laptop.store, laptop.client.login("petugas.bandarlampung", PASSWORD))
        laptop.save("business", business(1))
        with pytest.raises(bundle.BundleError) as refused:
            export_bundle(laptop.store, tmp_path / "x.tapisbundle")
        assert refused.value.reason == "not_registered"
        assert "Sync online once" in refused.value.message_en
    finally:
        laptop.close()
