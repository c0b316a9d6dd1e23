"""When to cut a connection: after N bytes, at a seeded random byte count, or on a timer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Direction = Literal["both", "up", "down"]


@dataclass(frozen=True)
class CutPolicy:
    """A fault schedule. Build it with the class methods rather than by hand.

    ``after_bytes``: every connection is reset once it has delivered that
    many bytes (counted in ``direction``). ``random_between``: the byte
    budget of each connection is drawn from the emulator's seeded
    ``random.Random`` (``randint(a, b)``), one draw per connection in accept
    order. ``every_s``: all open connections are reset every ``every_s``
    seconds (overrides the profile's ``drop_every_s``).
    """

    after_bytes: int | None = None
    random_between: tuple[int, int] | None = None
    direction: Direction = "both"
    every_s: float | None = None

    def __post_init__(self) -> None:
        if self.after_bytes is not None and self.random_between is not None:
            raise ValueError("choose after_bytes or random_between, not both")
        if self.after_bytes is not None and self.after_bytes < 0:
            raise ValueError("after_bytes must be >= 0")
        if self.random_between is not None:
            low, high = self.random_between
            if not 0 <= low <= high:
                raise ValueError("random_between needs 0 <= a <= b")
        if self.direction not in ("both", "up", "down"):
            raise ValueError(f"direction must be both/up/down, got {self.direction!r}")
        if self.every_s is not None and self.every_s <= 0:
            raise ValueError("every_s must be positive")

    @classmethod
    def none(cls) -> CutPolicy:
        return cls()

    @classmethod
    def after(cls, n_bytes: int, direction: Direction = "both") -> CutPolicy:
        return cls(after_bytes=n_bytes, direction=direction)

    @classmethod
    def random(cls, low: int, high: int, direction: Direction = "both") -> CutPolicy:
        return cls(random_between=(low, high), direction=direction)

    @classmethod
    def every(cls, seconds: float) -> CutPolicy:
        return cls(every_s=seconds)

    def budget_for_new_connection(self, rng: random.Random) -> int | None:
        """Bytes this connection may deliver before being cut (None: no byte cut)."""
        if self.after_bytes is not None:
            return self.after_bytes
        if self.random_between is not None:
            return rng.randint(*self.random_between)
        return None
