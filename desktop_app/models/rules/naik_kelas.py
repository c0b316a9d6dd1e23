"""'Naik kelas': a business moving up a size class between two successive
surveys (the office's word for what PP 7/2021 Art. 35's classes measure
over time; the classes themselves: models/rules/size_class.py).

The order is mikro < kecil < menengah < besar (PP 7/2021 Art. 35 (3) and
(5) give the classes as ascending bands of the same figure). A pair of
surveys counts only when both were classed; a pair whose classes were
decided by different figures (capital one time, annual sales the next) is
still counted, and reported as such, because a move may then come from the
basis rather than the business.
"""

from __future__ import annotations

from .size_class import SizeClass

ORDER: dict[str, int] = {c.value: n for n, c in enumerate(SizeClass)}


def step(before: str, after: str) -> int | None:
    """+1 (or more) up, -1 down, 0 the same class; None when either is unclassed."""
    if before not in ORDER or after not in ORDER:
        return None
    return ORDER[after] - ORDER[before]
