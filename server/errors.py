"""Refusals the server sends, each with a code and a sentence per language.

Routes raise :class:`ApiError`; one handler turns it into the protocol's
ErrorBody. Nothing the client sent (and certainly no NIK) is echoed back.
"""

from __future__ import annotations

from typing import Any

from desktop_app.models.errors import TapisError
from desktop_app.protocol import ErrorBody, ErrorCode


class ApiError(TapisError):
    """A refusal with its HTTP status; ``reason`` is the protocol's error code."""

    def __init__(self, status: int, code: ErrorCode, message_id: str, message_en: str,
                 detail: dict[str, Any] | None = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message_id, message_en, reason=code.value)
        self.status = status
        self.headers = headers or {}  # e.g. Retry-After on a 429
        self.body = ErrorBody(code=code, message_id=message_id, message_en=message_en,
                              detail=detail or {})


def unauthenticated() -> ApiError:
    return ApiError(401, ErrorCode.UNAUTHENTICATED,
                    "Belum masuk atau token tidak sah. Masuk lagi.",
                    "Not signed in, or the token is not valid. Sign in again.")


def token_expired() -> ApiError:
    return ApiError(401, ErrorCode.TOKEN_EXPIRED,
                    "Sesi telah berakhir. Masuk lagi saat ada sinyal.",
                    "The session has expired. Sign in again when online.")


def device_revoked() -> ApiError:
    return ApiError(403, ErrorCode.DEVICE_REVOKED,
                    "Perangkat ini telah dicabut aksesnya. Hubungi admin kabupaten/provinsi.",
                    "This device's access has been revoked. Contact the regency or provincial admin.")


def forbidden(what_id: str, what_en: str) -> ApiError:
    return ApiError(403, ErrorCode.FORBIDDEN, f"Tidak berwenang: {what_id}.",
                    f"Not permitted: {what_en}.")


def invalid(message_id: str, message_en: str, **detail: Any) -> ApiError:
    return ApiError(422, ErrorCode.INVALID, message_id, message_en, detail)


def too_large(limit: int) -> ApiError:
    return ApiError(413, ErrorCode.TOO_LARGE,
                    f"Kiriman terlalu besar (batas {limit} byte). Kirim dalam bagian lebih kecil.",
                    f"The request is too large (limit {limit} bytes). Send smaller parts.",
                    {"limit": limit})


def not_found(what_id: str, what_en: str) -> ApiError:
    return ApiError(404, ErrorCode.NOT_FOUND, f"Tidak ditemukan: {what_id}.",
                    f"Not found: {what_en}.")
