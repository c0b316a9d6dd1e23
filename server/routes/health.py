"""``GET /health``: the server answers, its protocol, and its clock."""

from __future__ import annotations

from fastapi import APIRouter

from desktop_app.models.types import format_utc, utc_now
from desktop_app import protocol as p

router = APIRouter(tags=["health"])


@router.get("/health")
def health() -> dict[str, object]:
    """For load balancers and for a laptop deciding whether it is online."""
    return {"status": "ok", "protocol": p.PROTOCOL_VERSION, "server_time": format_utc(utc_now())}
