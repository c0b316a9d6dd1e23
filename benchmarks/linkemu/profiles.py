"""Named link profiles: bandwidth per direction, round-trip time, periodic drops."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class LinkProfile:
    """How a link behaves. ``None`` bandwidth means unshaped.

    "up" is client -> server, "down" is server -> client. Latency is applied
    as ``rtt_ms / 2`` in each direction. ``drop_every_s`` resets every open
    connection on that period (a link that keeps falling over).
    """

    name: str
    up_bps: int | None = None
    down_bps: int | None = None
    rtt_ms: float = 0.0
    drop_every_s: float | None = None

    def __post_init__(self) -> None:
        for bps in (self.up_bps, self.down_bps):
            if bps is not None and bps <= 0:
                raise ValueError(f"bandwidth must be positive or None, got {bps}")
        if self.rtt_ms < 0:
            raise ValueError("rtt_ms must be >= 0")
        if self.drop_every_s is not None and self.drop_every_s <= 0:
            raise ValueError("drop_every_s must be positive or None")

    @property
    def one_way_delay_s(self) -> float:
        return self.rtt_ms / 2000.0

    @classmethod
    def symmetric(cls, name: str, bps: int | None, rtt_ms: float,
                  drop_every_s: float | None = None) -> LinkProfile:
        return cls(name, bps, bps, rtt_ms, drop_every_s)


PROFILES: dict[str, LinkProfile] = {
    "perfect": LinkProfile("perfect"),
    "gprs": LinkProfile.symmetric("gprs", 50_000, 500.0),
    "64k": LinkProfile.symmetric("64k", 64_000, 600.0),
    "250k": LinkProfile.symmetric("250k", 250_000, 300.0),
    "flaky": LinkProfile.symmetric("flaky", 256_000, 400.0, drop_every_s=20.0),
}


def get_profile(name: str) -> LinkProfile:
    """Look a preset up by name, case-insensitively (``"GPRS"`` works)."""
    try:
        return PROFILES[name.lower()]
    except KeyError:
        raise KeyError(f"unknown link profile {name!r}; known: {', '.join(PROFILES)}") from None
