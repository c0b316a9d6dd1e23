"""Helpers of the photo tests: real JPEGs made with Pillow (EXIF orientation,
date and GPS as a phone writes them), form values, raw API calls."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import requests

from desktop_app import protocol as p

KOTA = "18.71"
OFFICER = "0190a1b2-0000-7000-8000-0000000000a1"


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
