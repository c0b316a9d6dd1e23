"""Phone-like test photos made with Pillow: textured, with EXIF orientation,
date taken and GPS as a phone writes them."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

from PIL import ExifTags, Image

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
