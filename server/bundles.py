"""Receiving a sync bundle: verify, decrypt, then apply it as a push.

A bundle is the field laptop's push, carried by hand (desktop_app/protocol/bundle.py).
Whoever uploads it (the office that imported it, or the officer) must belong
to the bundle's regency, or be the provincial admin. Its changes are applied
through the same ingest as a network push, *as the bundle's own device and
officer*: the same scope rules, and the same (device, seq) bookkeeping, so a
bundle imported twice, or whose changes also came over the network, applies
each change once. Its photos are kept as completed uploads, so the laptop's
next sync finds them already there.
"""

from __future__ import annotations

import logging

from sqlalchemy.orm import Session

from desktop_app import protocol as p
from desktop_app.protocol import bundle

from . import attachments, bundle_keys, errors, ingest
from .auth import Principal
from .laptop_schema import laptop_schemas
from .tables import Device, Officer

log = logging.getLogger(__name__)


def receive(session: Session, blobs: attachments.Blobs, caller: Principal,
            raw: bytes) -> p.BundleResult:
    """Apply one bundle; refusals are bilingual ApiErrors (422 with
    ``detail.reason``, 403, 409 ``sequence_gap``)."""
    header = _checked(lambda: bundle.read_header(raw, laptop_schemas()))
    if not caller.may_see_regency(header.regency_code):
        raise errors.forbidden("menerima bundel wilayah lain",
                               "receiving another regency's bundle")
    # Who made it, before a byte is decrypted or inflated: the device must be
    # registered with the key in the header, and the named officer must have
    # signed in on it; open_bundle then checks the signature by that key.
    author = _author(session, header)
    key = bundle_keys.secret(session, header.key_id)
    if key is None:
        raise _refused(bundle.unknown_key(header))
    opened = _checked(lambda: bundle.open_bundle(raw, key, laptop_schemas(),
                                                 signing_key=header.signing_key))
    try:
        outcome = ingest.apply_push(session, author, author.device_id, opened.changes)
    except errors.ApiError as exc:
        if exc.body.code == p.ErrorCode.SEQUENCE_GAP:
            raise _gap(header, int(exc.body.detail["expected_seq"])) from None
        raise
    photos = [attachments.store_verified(session, blobs, author, ph.sha256, ph.data)
              for ph in opened.photos]
    log.info("bundle %s from device %s: seq %s-%s, applied %s, duplicates %s, photos %s",
             header.bundle_id, header.device_id, header.first_seq, header.last_seq,
             outcome.applied, outcome.duplicates, photos.count("stored"))
    return p.BundleResult(
        bundle_id=header.bundle_id, device_id=header.device_id, first_seq=header.first_seq,
        last_seq=header.last_seq, acked_through=outcome.acked_through, applied=outcome.applied,
        duplicates=outcome.duplicates, conflicts=outcome.conflicts, rejected=outcome.rejected,
        photos_stored=photos.count("stored"), photos_known=photos.count("known"),
        photos_skipped=photos.count("skipped"))


def _author(session: Session, header: bundle.BundleHeader) -> Principal:
    """The device and officer that made the bundle, as if they pushed it."""
    device = session.get(Device, header.device_id, with_for_update=True)
    officer = session.get(Officer, header.officer_id) if header.officer_id else None
    if device is None or officer is None or not officer.active:
        raise errors.invalid(
            "Laptop atau petugas pembuat bundel tidak dikenal server. Petugas harus masuk "
            "sekali secara daring di laptop itu sebelum mengekspor.",
            "The laptop or officer that made the bundle is unknown to the server. The officer "
            "must sign in online once on that laptop before exporting.", reason="unknown_author")
    if device.revoked_at is not None:
        raise errors.device_revoked()
    if device.signing_key is None or device.signing_key != header.signing_key:
        raise errors.invalid(
            "Bundel tidak ditandatangani oleh laptop yang tercatat sebagai pembuatnya. Minta "
            "petugas menyinkronkan laptopnya sekali secara daring, lalu mengekspor ulang.",
            "The bundle is not signed by the laptop it names as its maker. Ask the officer to "
            "sync that laptop online once, then export again.", reason="unknown_signer")
    if not ingest.signed_in_on(session, officer.id, device.id):
        raise errors.invalid(
            "Petugas yang disebut sebagai pembuat bundel belum pernah masuk di laptop yang "
            "menandatanganinya; bundel tidak diterima. Petugas itu harus masuk sekali secara "
            "daring di laptopnya sendiri, lalu mengekspor dari sana.",
            "The officer the bundle names as its maker has never signed in on the laptop that "
            "signed it; the bundle was not accepted. That officer must sign in online once on "
            "their own laptop, then export from there.", reason="author_not_signer")
    if officer.role != p.Role.ADMIN.value and officer.regency_code != header.regency_code:
        raise errors.forbidden("bundel dikunci untuk wilayah lain dari wilayah petugasnya",
                               "the bundle is locked for another regency than its officer's")
    return Principal(officer.id, p.Role(officer.role), officer.regency_code, device.id)


def _gap(header: bundle.BundleHeader, expected: int) -> errors.ApiError:
    return errors.ApiError(
        409, p.ErrorCode.SEQUENCE_GAP,
        f"Bundel ini dimulai pada perubahan #{header.first_seq}, tetapi server baru menerima "
        f"sampai #{expected - 1} dari laptop itu. Impor dulu bundel sebelumnya (atau yang "
        "terbaru) dari laptop itu, lalu kirim ulang bundel ini.",
        f"This bundle starts at change #{header.first_seq}, but the server has only received up "
        f"to #{expected - 1} from that laptop. Import the earlier (or the newest) bundle from "
        "that laptop first, then send this one again.",
        {"expected_seq": expected, "first_seq": header.first_seq})


def _checked(read):  # type: ignore[no-untyped-def]
    try:
        return read()
    except bundle.BundleError as exc:
        raise _refused(exc) from None


def _refused(exc: bundle.BundleError) -> errors.ApiError:
    return errors.invalid(exc.message_id, exc.message_en, reason=exc.reason, field="bundle")
