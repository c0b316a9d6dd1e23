"""Reading request bodies within a limit, before anything is parsed.

A body over the limit is refused as soon as it passes the limit (by its
Content-Length header, or while streaming), so a huge upload is never held
whole; a gzip body is inflated with the same cap, so a small 'zip bomb'
cannot grow past it either.
"""

from __future__ import annotations

import zlib

from fastapi import Request

from desktop_app.protocol import MAX_BODY_BYTES

from . import errors


async def read_body(request: Request, limit: int = MAX_BODY_BYTES) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise errors.too_large(limit)
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise errors.too_large(limit)
        chunks.append(chunk)
    raw = b"".join(chunks)
    if request.headers.get("content-encoding", "").lower() == "gzip":
        return _inflate(raw, limit)
    return raw


def _inflate(raw: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(raw, limit + 1)
    except zlib.error:
        raise errors.invalid("Isi kiriman gzip rusak.", "The gzip body is damaged.") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise errors.too_large(limit)
    if not inflater.eof:  # cut short: the end and its CRC never arrived
        raise errors.invalid("Isi kiriman gzip terpotong.", "The gzip body is cut short.")
    return out
