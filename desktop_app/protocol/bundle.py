"""The sync bundle file: unsent changes and photos in one sealed file.

Where there is no signal for weeks, an officer carries the work to the
office on a USB stick or sends it as a chat attachment. The file must reveal
nothing (a lost stick leaks no NIK), show any change made to it, and be
applied once however often it is imported. This module is the format only:
bytes in, bytes out, no store, no network, no Qt. What schema revisions the
reader knows is passed in (:class:`.schema.SchemaRevisions`): the laptop's
own, or at the server those of the laptop it was shipped with.

Layout (docs/PROTOCOL.md, "Sync bundles")::

    MAGIC (8 bytes) | header length (4 bytes, big-endian) | header (JSON, clear)
    | AES-256-GCM ciphertext of the payload, tag appended
    | Ed25519 signature (64 bytes) of everything before it, by the laptop's own key

The header holds no personal data (ids, counts, seq range, schema, key id,
nonce) so an office can say what a file is, and refuse one made by a newer
Tapis, before it can decrypt anything. Everything before the ciphertext is
the GCM associated data: a changed header byte fails the tag exactly like a
changed ciphertext byte. The regency key is shared by the regency's
officers, so the laptop also signs the file with its own Ed25519 key (its
public half in the header, registered with the server;
desktop_app/sync/device_signing.py): an office can check the signature
against the header, and the server checks that the header's key is the one
the device registered. The payload is ``u32 length | zlib(JSON) | photo
bytes``: the JSON holds the changes (the shape of a PushRequest) and the
list of photos with their sizes; photos are JPEG already, so they are not
compressed again.
"""

from __future__ import annotations

import base64
import json
import os
import re
import struct
import uuid
import zlib
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..models.errors import TapisError
from . import messages as p
from .hashing import content_hash
from .schema import SchemaRevisions

MAGIC = b"TAPISBN\x01"
FORMAT_VERSION = 1
SUFFIX = ".tapisbundle"
#: Largest bundle the server takes in one request, and so the largest an
#: export writes: the changes always go in; photos that would pass the
#: limit stay for the next bundle or sync.
MAX_BUNDLE_BYTES = 96 * 1024 * 1024
#: The inflated JSON of the changes may not exceed this (a bomb guard): a
#: month offline is a few thousand changes of ~1-2 KB; 64 MiB holds the
#: largest bundle MAX_BUNDLE_CHANGES allows. Inflated in steps, refused as
#: soon as it passes.
MAX_JSON_BYTES = 64 * 1024 * 1024
#: Most changes and photos one bundle may hold (declared in the signed header).
MAX_BUNDLE_CHANGES = 25_000
MAX_BUNDLE_PHOTOS = 10_000
#: Keys of one change entry besides its fields, and the most fields a change
#: may carry (the widest synced table has 36 columns).
_CHANGE_KEYS = 10
_MAX_FIELDS = 64
_INFLATE_STEP = 1024 * 1024
KEY_BYTES = 32
_NONCE_BYTES = 12
_SIGNATURE_BYTES = 64
_HEADER_LIMIT = 64 * 1024


class BundleHeader(BaseModel):
    """What anyone may read about a bundle: no names, no NIK, no values."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    format: int
    protocol: int
    schema_revision: str
    bundle_id: str
    device_id: str
    officer_id: str | None
    regency_code: str | None
    created_at: str
    first_seq: int = Field(ge=0)
    last_seq: int = Field(ge=0)
    changes: int = Field(ge=0, le=MAX_BUNDLE_CHANGES)
    photos: int = Field(ge=0, le=MAX_BUNDLE_PHOTOS)
    key_id: str
    nonce: str
    signing_key: str  # the device's Ed25519 public key, base64


@dataclass(frozen=True, slots=True)
class Photo:
    sha256: str
    data: bytes


@dataclass(frozen=True, slots=True)
class OpenedBundle:
    header: BundleHeader
    changes: list[p.Change]
    photos: list[Photo]


class BundleError(TapisError):
    """A bundle refused; ``reason`` for programs, a sentence per language
    saying what is wrong and what to do."""

    def __init__(self, reason: str, message_id: str, message_en: str) -> None:
        super().__init__(message_id, message_en, reason=reason)


def not_a_bundle(why: str) -> BundleError:
    return BundleError("not_a_bundle",
                       f"Berkas ini bukan bundel sinkronisasi Tapis yang utuh ({why}). "
                       "Pilih berkas "
                       f"{SUFFIX} yang diekspor petugas, atau minta ekspor ulang.",
                       f"This file is not a whole Tapis sync bundle ({why}). Choose the {SUFFIX} "
                       "file the officer exported, or ask for a new export.")


def tampered() -> BundleError:
    return BundleError("tampered",
                       "Bundel rusak atau telah diubah (tanda tangan tidak cocok), atau dikunci "
                       "dengan kunci lain; tidak ada data yang diambil. Minta petugas mengekspor "
                       "ulang dan salin lagi.",
                       "The bundle is damaged or was altered (its signature does not match), or "
                       "it was locked with another key; nothing was taken from it. Ask the "
                       "officer to export it again and copy it anew.")


def too_new(what_id: str, what_en: str) -> BundleError:
    return BundleError("too_new",
                       f"Bundel ini dibuat oleh Tapis versi lebih baru ({what_id}). Perbarui Tapis "
                       "di komputer ini (atau server), lalu impor lagi; bundel tetap aman.",
                       f"This bundle was made by a newer Tapis ({what_en}). Update Tapis on this "
                       "computer (or the server), then import it again; the bundle stays safe.")


def unknown_key(header: BundleHeader) -> BundleError:
    where = header.regency_code or "provinsi"
    return BundleError("unknown_key",
                       f"Kunci bundel '{header.key_id}' (wilayah {where}) tidak ada di sini. Masuk "
                       "sekali secara daring sebagai petugas atau supervisor wilayah itu, lalu "
                       "impor lagi.",
                       f"The bundle key '{header.key_id}' "
                       f"(regency {header.regency_code or 'province'})"
                       " is not on this computer. Sign in online once as an officer or supervisor "
                       "of that regency, then import it again.")


# --- writing -----------------------------------------------------------------------


def seal(*, key_id: str, key: bytes, signer: Ed25519PrivateKey, schema_revision: str,
         device_id: str, officer_id: str | None, regency_code: str | None, created_at: str,
         changes: list[p.Change], photos: list[Photo]) -> tuple[BundleHeader, bytes]:
    """The bundle's bytes for ``changes`` (in seq order) and ``photos``,
    encrypted with the regency ``key`` and signed by the device's ``signer``."""
    nonce = os.urandom(_NONCE_BYTES)
    header = BundleHeader(
        format=FORMAT_VERSION, protocol=p.PROTOCOL_VERSION, schema_revision=schema_revision,
        bundle_id=str(uuid.uuid4()), device_id=device_id, officer_id=officer_id,
        regency_code=regency_code, created_at=created_at,
        first_seq=changes[0].seq if changes else 0, last_seq=changes[-1].seq if changes else 0,
        changes=len(changes), photos=len(photos), key_id=key_id,
        nonce=base64.b64encode(nonce).decode(),
        signing_key=base64.b64encode(signer.public_key().public_bytes_raw()).decode())
    head = _header_bytes(header)
    document = {"device_id": device_id,
                "changes": [c.model_dump(mode="json") for c in changes],
                "photos": [{"sha256": ph.sha256, "size": len(ph.data)} for ph in photos]}
    packed = zlib.compress(json.dumps(document, separators=(",", ":")).encode(), 9)
    plain = b"".join([struct.pack(">I", len(packed)), packed, *(ph.data for ph in photos)])
    sealed = head + AESGCM(key).encrypt(nonce, plain, head)
    return header, sealed + signer.sign(sealed)


def _header_bytes(header: BundleHeader) -> bytes:
    text = json.dumps(header.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    raw = text.encode()
    return MAGIC + struct.pack(">I", len(raw)) + raw


# --- reading -----------------------------------------------------------------------


def read_header(data: bytes, schemas: SchemaRevisions) -> BundleHeader:
    """The clear header, refused when the file is not a bundle or was made
    by a newer Tapis (format, protocol, or a database schema revision not in
    ``schemas``). Not yet verified: :func:`open_bundle` checks the tag."""
    header, _ = _split(data, schemas)
    return header


def open_bundle(data: bytes, key: bytes, schemas: SchemaRevisions, *,
                signing_key: str | None = None) -> OpenedBundle:
    """Verify and decrypt; :class:`BundleError` for any changed byte.

    ``signing_key``: the key the bundle's device registered (the server
    passes it): a bundle signed by any other key is refused before a byte
    of it is decrypted or inflated. Inflation is capped
    (:data:`MAX_JSON_BYTES`) and the content's shape is checked before it
    is parsed, so a small file cannot grow into gigabytes of objects.
    """
    header, length = _split(data, schemas)
    if signing_key is not None and header.signing_key != signing_key:
        raise unknown_signer()
    body, signature = data[:-_SIGNATURE_BYTES], data[-_SIGNATURE_BYTES:]
    try:
        signer = Ed25519PublicKey.from_public_bytes(base64.b64decode(header.signing_key))
        signer.verify(signature, body)
        plain = AESGCM(key).decrypt(base64.b64decode(header.nonce), body[length:], body[:length])
    except (InvalidTag, InvalidSignature, ValueError):
        raise tampered() from None
    return OpenedBundle(header, *_payload(header, plain))


def unknown_signer() -> BundleError:
    return BundleError("unknown_signer",
                       "Bundel tidak ditandatangani oleh laptop yang tercatat sebagai pembuatnya. "
                       "Minta petugas menyinkronkan laptopnya sekali secara daring, lalu "
                       "mengekspor ulang.",
                       "The bundle is not signed by the laptop it names as its maker. Ask the "
                       "officer to sync that laptop online once, then export again.")


def malformed(why: str) -> BundleError:
    """Sealed and signed, but its content is not what Tapis writes."""
    return BundleError("malformed",
                       f"Isi bundel tidak sesuai format Tapis ({why}); tidak ada data yang "
                       "diambil. Minta petugas memperbarui Tapis dan mengekspor ulang.",
                       f"The bundle's content is not in Tapis's format ({why}); nothing was "
                       "taken from it. Ask the officer to update Tapis and export again.")


def _split(data: bytes, schemas: SchemaRevisions) -> tuple[BundleHeader, int]:
    if len(data) < len(MAGIC) + 4 or data[:len(MAGIC) - 1] != MAGIC[:-1]:
        raise not_a_bundle("tanda awal tidak dikenal / unknown start")
    if data[len(MAGIC) - 1] > MAGIC[-1]:
        version = data[len(MAGIC) - 1]
        raise too_new(f"format berkas {version}", f"file format {version}")
    (size,) = struct.unpack(">I", data[len(MAGIC):len(MAGIC) + 4])
    end = len(MAGIC) + 4 + size
    if size > _HEADER_LIMIT or end + _SIGNATURE_BYTES > len(data):
        raise not_a_bundle("kepala terpotong / header cut short")
    try:
        fields: dict[str, Any] = json.loads(data[len(MAGIC) + 4:end])
    except (ValueError, UnicodeDecodeError):
        raise not_a_bundle("kepala tidak terbaca / unreadable header") from None
    if not isinstance(fields, dict):
        raise not_a_bundle("kepala tidak terbaca / unreadable header")
    _refuse_newer(fields, schemas)
    try:
        return BundleHeader.model_validate(fields), end
    except ValidationError:
        raise not_a_bundle("kepala tidak lengkap / incomplete header") from None


def _refuse_newer(fields: dict[str, Any], schemas: SchemaRevisions) -> None:
    """Checked before the header is validated: a newer Tapis may add fields."""
    fmt, protocol = fields.get("format"), fields.get("protocol")
    schema = fields.get("schema_revision")
    if isinstance(fmt, int) and fmt > FORMAT_VERSION:
        raise too_new(f"format berkas {fmt}", f"file format {fmt}")
    if isinstance(protocol, int) and protocol > p.PROTOCOL_VERSION:
        raise too_new(f"protokol {protocol}", f"protocol {protocol}")
    if isinstance(schema, str) and not schemas.known(schema):
        head = schemas.head
        raise too_new(f"skema basis data {schema}; di sini sampai {head}",
                      f"database schema {schema}; this copy knows up to {head}")


def _payload(header: BundleHeader, plain: bytes) -> tuple[list[p.Change], list[Photo]]:
    """The changes and photos of a decrypted payload; :func:`malformed` for
    anything that is not what :func:`seal` writes (never an exception of
    another kind)."""
    if len(plain) < 4:
        raise malformed("terlalu pendek / too short")
    (size,) = struct.unpack(">I", plain[:4])
    if 4 + size > len(plain):
        raise malformed("panjang isi salah / wrong length")
    text = _inflate(plain[4:4 + size])
    _check_shape(text, header)
    try:
        document = json.loads(text)
        changes, listed = _document(document, header)
    except (ValueError, TypeError, KeyError, RecursionError, ValidationError):
        raise malformed("isi tidak terbaca / unreadable content") from None
    photos, at = [], 4 + size
    for sha256, length in listed:
        data = plain[at:at + length]
        at += len(data)
        if content_hash(data) != sha256:
            raise tampered()  # cannot happen past the tag unless the writer erred
        photos.append(Photo(sha256, data))
    return changes, photos


def _inflate(packed: bytes) -> bytearray:
    """zlib-inflate in steps of 1 MiB into one buffer, refused as soon as the
    output would pass :data:`MAX_JSON_BYTES`."""
    inflater = zlib.decompressobj()
    out, pending = bytearray(), packed
    try:
        while True:
            out += inflater.decompress(pending, _INFLATE_STEP)
            if len(out) > MAX_JSON_BYTES:
                raise malformed(f"isi lebih dari {MAX_JSON_BYTES} byte / content over "
                                f"{MAX_JSON_BYTES} bytes")
            pending = inflater.unconsumed_tail
            if not pending:
                break
        out += inflater.flush()
    except zlib.error:
        raise malformed("kompresi rusak / damaged compression") from None
    if not inflater.eof or len(out) > MAX_JSON_BYTES:
        raise malformed("kompresi terpotong / compression cut short")
    return out


_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)


def _check_shape(text: bytearray, header: BundleHeader) -> None:
    """Before parsing: no more objects, lists and keys than the header's
    counts allow. With the strings taken out, every '{' or '[' is an object
    or a list and every ':' a key; what :func:`seal` writes has one document,
    two lists, per change an entry and its fields, per photo one object."""
    bare = _STRING.sub(b"", text)
    containers = bare.count(b"{") + bare.count(b"[")
    keys = bare.count(b":")
    del bare
    if containers > 3 + 2 * header.changes + header.photos or \
            keys > 3 + (_CHANGE_KEYS + _MAX_FIELDS) * header.changes + 2 * header.photos:
        raise malformed("lebih banyak isi dari yang dinyatakan / more content than declared")


def _document(document: Any, header: BundleHeader) -> tuple[list[p.Change], list[tuple[str, int]]]:
    if not isinstance(document, dict) or set(document) != {"device_id", "changes", "photos"}:
        raise ValueError("document")
    entries, listed = document["changes"], document["photos"]
    if not isinstance(entries, list) or not isinstance(listed, list):
        raise ValueError("lists")
    if document["device_id"] != header.device_id or len(entries) != header.changes \
            or len(listed) != header.photos:
        raise tampered()
    changes = []
    for entry in entries:
        change = p.Change.model_validate(entry)
        if len(change.fields) > _MAX_FIELDS or not all(
                isinstance(v, (str, int, float, bool)) or v is None
                for v in change.fields.values()):
            raise ValueError("fields")
        changes.append(change)
    photos = []
    for item in listed:
        if not isinstance(item, dict) or not isinstance(item.get("sha256"), str) \
                or not isinstance(item.get("size"), int) or item["size"] < 0:
            raise ValueError("photo")
        photos.append((item["sha256"], item["size"]))
    return changes, photos
