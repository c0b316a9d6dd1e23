"""Helpers of the photo tests: real JPEGs made with Pillow (EXIF orientation,
date and GPS as a phone writes them), form values, raw API calls."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import requests
from PIL import ExifTags, Image

from desktop_app.sync import protocol as p

KOTA = "18.71"
OFFICER = "0190a1b2-0000-7000-8000-0000000000a1"
#: Tugu Adipura, Bandar Lampung: 5°25'45.48" S, 105°15'36" E.
LAMPUNG = (-5.4293, 105.26)


def make_photo(path: Path, size: tuple[int, int] = (4000, 3000), *, orientation: int = 6,
               gps: Any = LAMPUNG, taken: str | None = "2026:11:20 09:15:00",
               seed: int = 1) -> Path:
    """A phone-like JPEG: textured (so it does not compress to nothing), with
    EXIF orientation, DateTimeOriginal and GPS (``gps`` may be raw IFD values)."""
    rng = random.Random(seed)
    small = Image.frombytes("RGB", (size[0] // 10, size[1] // 10),
                            rng.randbytes(size[0] // 10 * size[1] // 10 * 3))
    image = small.resize(size, Image.Resampling.BICUBIC)
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneCo"
    if taken:
        exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = taken
    if isinstance(gps, tuple):
        lat, lon = gps
        info = exif.get_ifd(ExifTags.IFD.GPSInfo)
        info[ExifTags.GPS.GPSLatitudeRef] = "S" if lat < 0 else "N"
        info[ExifTags.GPS.GPSLatitude] = _dms(abs(lat))
        info[ExifTags.GPS.GPSLongitudeRef] = "W" if lon < 0 else "E"
        info[ExifTags.GPS.GPSLongitude] = _dms(abs(lon))
    elif isinstance(gps, dict):
        exif.get_ifd(ExifTags.IFD.GPSInfo).update(gps)
    image.save(path, exif=exif, quality=92, comment=b"owner: Siti, 0812")
    return path


def _dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return (float(degrees), float(minutes), round((value - degrees - minutes / 60) * 3600, 4))


def yesterday() -> date:
    return date.today() - timedelta(days=1)


def business(regency: str = KOTA, name: str = "Keripik Pisang Ani") -> dict[str, Any]:
    district = {"18.71": "18.71.01"}.get(regency)
    return {"name": name, "owner_name": "Ani Rahayu", "owner_nik": "1871014506900001",
            "regency_code": regency, "district_code": district, "village": "Way Halim"}


def survey(business_id: str) -> dict[str, Any]:
    return {"business_id": business_id, "visit_date": yesterday(), "capital": 150_000_000}


def api(server: Any, token: str | None, method: str, path: str, **kwargs: Any) -> requests.Response:
    """A raw request to the server, as a third-party client would send it."""
    headers = {p.PROTOCOL_HEADER: str(p.PROTOCOL_VERSION), **kwargs.pop("headers", {})}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.request(method, f"{server.url}{p.API_PREFIX}{path}", headers=headers,
                            timeout=30, **kwargs)
