"""``POST /v1/bundles``: a sync bundle file as the body (application/octet-stream)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter

from desktop_app import protocol as p
from desktop_app.protocol.bundle import MAX_BUNDLE_BYTES

from .. import bundles
from ..dependencies import AUTHENTICATED, ERROR_RESPONSES, Blobs, Caller, UnitOfWork, raw_body

router = APIRouter(prefix=p.API_PREFIX, tags=["bundles"], dependencies=AUTHENTICATED,
                   responses=ERROR_RESPONSES)
BundleFile = Annotated[bytes, raw_body(MAX_BUNDLE_BYTES)]


@router.post("/bundles", response_model=p.BundleResult)
def receive_bundle(raw: BundleFile, caller: Caller, session: UnitOfWork,
                   blobs: Blobs) -> p.BundleResult:
    """Verified, decrypted and applied as a push from the bundle's own device."""
    return bundles.receive(session, blobs, caller, raw)
