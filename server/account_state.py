"""Whether an account that gave the right password may have a token now:
deactivated, or holding a one-time password to replace (or expired). Shared
by server.auth (sign-in, token checks) and server.accounts, which import
nothing of each other's."""

from __future__ import annotations

from desktop_app.models.types import utc_now
from desktop_app.protocol import ErrorCode

from . import errors
from .tables import Device, Officer

MIN_PASSWORD = 10


def sign_in_refusal(officer: Officer, device: Device | None = None) -> errors.ApiError | None:
    """After a correct password: why this account may not have a token yet
    (deactivated, one-time password to replace or expired), or None."""
    if not officer.active:
        return account_deactivated(laptop_revoked=device is not None
                                   and device.revoked_at is not None)
    if officer.must_change_password:
        expires = officer.one_time_expires_at
        if expires is not None and expires <= utc_now():
            return errors.ApiError(
                401, ErrorCode.UNAUTHENTICATED,
                "Kata sandi sekali pakai ini sudah kedaluwarsa. Minta admin atau supervisor "
                "mengatur ulang kata sandi.",
                "This one-time password has expired. Ask your admin or supervisor for a "
                "password reset.", {"field": "password"})
        return errors.ApiError(
            403, ErrorCode.PASSWORD_CHANGE_REQUIRED,
            "Kata sandi ini sekali pakai. Buat kata sandi baru (minimal "
            f"{MIN_PASSWORD} karakter) untuk masuk.",
            f"This is a one-time password. Choose a new password (at least {MIN_PASSWORD} "
            "characters) to sign in.", {"field": "new_password"})
    return None


def account_deactivated(*, laptop_revoked: bool = False) -> errors.ApiError:
    if laptop_revoked:
        return errors.ApiError(
            403, ErrorCode.ACCOUNT_DEACTIVATED,
            "Akun ini telah dinonaktifkan oleh kantor dan akses laptop ini dicabut. Data yang "
            "belum terkirim tetap tersimpan di laptop; bawa laptop ke kantor dinas kabupaten.",
            "This account has been deactivated by the office and this laptop's access revoked. "
            "Unsent records stay on the laptop; take it to the regency office.",
            {"laptop_revoked": True})
    return errors.ApiError(
        403, ErrorCode.ACCOUNT_DEACTIVATED,
        "Akun ini telah dinonaktifkan oleh kantor. Data yang belum terkirim tetap tersimpan "
        "di laptop; petugas lain dari kabupaten yang sama dapat masuk di laptop ini dan "
        "mengirimkannya.",
        "This account has been deactivated by the office. Unsent records stay on the laptop; "
        "another officer of the same regency can sign in on this laptop and send them.",
        {"laptop_revoked": False})
