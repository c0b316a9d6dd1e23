"""Health assessment of savings-and-loan cooperatives (KSP/USP Koperasi).

Source: Peraturan Deputi Bidang Pengawasan Kementerian Koperasi dan UKM
No. 06/Per/Dep.6/IV/2016 tentang Pedoman Penilaian Kesehatan Koperasi Simpan
Pinjam dan Unit Simpan Pinjam Koperasi (it replaced No. 01/Per/Dep.6/III/2016
and implements Art. 31 (7) of Permenkop 15/Per/M.KUKM/IX/2015).

What was confirmed, and from where (public secondary copies; none is the
official text, so check against it before relying on the details):

* The seven aspects and their order: the regulation's preamble in the
  Deputy's 2017 compilation "Kumpulan Peraturan Menteri dan Peraturan Deputi
  Bidang Pengawasan" (123dok.com copy), and university studies that apply it
  (Universitas Brawijaya, KSP Mitra Sukses Lestari 2016-2018; UMRAH,
  Koperasi Gurindam 2016-2018).
* The three capital (permodalan) ratios: modal sendiri / total aset, modal
  sendiri / pinjaman diberikan yang berisiko, and modal tertimbang / ATMR
  (kecukupan modal sendiri), from a KSP/USP health worksheet (kertas kerja)
  and a public cooperative-software research note citing this regulation.
  :func:`permodalan_ratios` computes them for the report.
* The category bands below agree with the Brawijaya study (65.98 is
  "dalam pengawasan").

Not confirmed: the aspect weights (taken from DOMAIN.md) and the 2016
ratio-to-nilai brackets. The bracket tables found publicly were those of the
superseded Permenkop 14/Per/M.KUKM/XII/2009 (e.g. equity/assets: +5 nilai per
4 % step), so none is encoded here; every aspect is scored directly by the
assessor (0..weight) until the brackets are checked against the regulation.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum

Number = Decimal | float | int


@dataclass(frozen=True, slots=True)
class Aspect:
    """One assessed aspect: its stable key, labels and weight (maximum score)."""

    key: str
    label_id: str
    label_en: str
    weight: int


#: The seven aspects of Perdep 06/2016 with their weights; they total 100.
ASPECTS: tuple[Aspect, ...] = (
    Aspect("permodalan", "Permodalan", "Capital", 15),
    Aspect("kualitas_aktiva_produktif", "Kualitas Aktiva Produktif", "Earning asset quality", 25),
    Aspect("manajemen", "Manajemen", "Management", 15),
    Aspect("efisiensi", "Efisiensi", "Efficiency", 10),
    Aspect("likuiditas", "Likuiditas", "Liquidity", 15),
    Aspect("kemandirian_dan_pertumbuhan", "Kemandirian dan Pertumbuhan", "Independence and growth", 10),
    Aspect("jatidiri_koperasi", "Jatidiri Koperasi", "Cooperative identity", 10),
)

_BY_KEY: dict[str, Aspect] = {a.key: a for a in ASPECTS}
MAX_SCORE = Decimal(sum(a.weight for a in ASPECTS))


class HealthCategory(str, Enum):
    """The health category a total score falls into."""

    SEHAT = "sehat"
    CUKUP_SEHAT = "cukup_sehat"
    DALAM_PENGAWASAN = "dalam_pengawasan"
    DALAM_PENGAWASAN_KHUSUS = "dalam_pengawasan_khusus"

    @property
    def label_id(self) -> str:
        """The category as written in the regulation."""
        return _CATEGORY_LABELS[self][0]

    @property
    def label_en(self) -> str:
        """The category in English."""
        return _CATEGORY_LABELS[self][1]


_CATEGORY_LABELS: dict[HealthCategory, tuple[str, str]] = {
    HealthCategory.SEHAT: ("Sehat", "Healthy"),
    HealthCategory.CUKUP_SEHAT: ("Cukup Sehat", "Fairly healthy"),
    HealthCategory.DALAM_PENGAWASAN: ("Dalam Pengawasan", "Under supervision"),
    HealthCategory.DALAM_PENGAWASAN_KHUSUS: ("Dalam Pengawasan Khusus", "Under special supervision"),
}

#: Lowest total score of each category, best first; below the last is
#: 'dalam_pengawasan_khusus'.
CATEGORY_FLOORS: tuple[tuple[Decimal, HealthCategory], ...] = (
    (Decimal(80), HealthCategory.SEHAT),
    (Decimal(66), HealthCategory.CUKUP_SEHAT),
    (Decimal(51), HealthCategory.DALAM_PENGAWASAN),
)


@dataclass(frozen=True, slots=True)
class AspectScore:
    """One aspect's line in the report."""

    name: str
    label_id: str
    label_en: str
    weight: int
    score: Decimal


@dataclass(frozen=True, slots=True)
class HealthResult:
    """The total score, its category, and each aspect's part in it."""

    total: Decimal
    category: HealthCategory
    aspects: tuple[AspectScore, ...]


@dataclass(frozen=True, slots=True)
class CapitalRatios:
    """The permodalan ratios in percent; None where the denominator is zero."""

    equity_to_assets: Decimal | None
    equity_to_risky_loans: Decimal | None
    capital_adequacy: Decimal | None


def health_category(score: Number) -> HealthCategory:
    """The category of a total ``score`` (0-100): 80 Sehat, 66 Cukup Sehat, 51 Dalam Pengawasan."""
    value = _to_decimal("score", score)
    if not Decimal(0) <= value <= MAX_SCORE:
        raise ValueError(f"score must be between 0 and {MAX_SCORE}")
    for floor, category in CATEGORY_FLOORS:
        if value >= floor:
            return category
    return HealthCategory.DALAM_PENGAWASAN_KHUSUS


def health_score(aspect_scores: Mapping[str, Number]) -> HealthResult:
    """Total and category from each aspect's score (0..its weight).

    Raises ValueError naming the aspect that is unknown, missing, not a
    number, or outside 0..weight.
    """
    unknown = sorted(set(aspect_scores) - set(_BY_KEY))
    if unknown:
        raise ValueError(f"unknown aspect(s): {', '.join(map(str, unknown))}")
    missing = [a.key for a in ASPECTS if a.key not in aspect_scores]
    if missing:
        raise ValueError(f"missing aspect(s): {', '.join(missing)}")
    lines = tuple(_aspect_line(a, aspect_scores[a.key]) for a in ASPECTS)
    total = sum((line.score for line in lines), Decimal(0))
    return HealthResult(total=total, category=health_category(total), aspects=lines)


def permodalan_ratios(
    *, modal_sendiri: int, total_aset: int, pinjaman_berisiko: int, modal_tertimbang: int, atmr: int
) -> CapitalRatios:
    """The three capital ratios of Perdep 06/2016, in percent, for the report."""
    return CapitalRatios(
        equity_to_assets=ratio_percent(modal_sendiri, total_aset),
        equity_to_risky_loans=ratio_percent(modal_sendiri, pinjaman_berisiko),
        capital_adequacy=ratio_percent(modal_tertimbang, atmr),
    )


def ratio_percent(numerator: int, denominator: int) -> Decimal | None:
    """``numerator / denominator × 100`` exactly; None when the denominator is zero."""
    if denominator == 0:
        return None
    return Decimal(numerator) * 100 / Decimal(denominator)


def _aspect_line(aspect: Aspect, raw: Number) -> AspectScore:
    score = _to_decimal(aspect.key, raw)
    if not Decimal(0) <= score <= aspect.weight:
        raise ValueError(f"aspect {aspect.key}: score must be between 0 and {aspect.weight}")
    return AspectScore(aspect.key, aspect.label_id, aspect.label_en, aspect.weight, score)


def _to_decimal(name: str, value: object) -> Decimal:
    """``value`` as a Decimal; floats go through str so 79.99 stays 79.99."""
    if isinstance(value, bool) or not isinstance(value, (Decimal, float, int)):
        raise ValueError(f"{name}: score must be a number, not {type(value).__name__}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{name}: score must be a finite number")
    try:
        result = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    except InvalidOperation as exc:
        raise ValueError(f"{name}: score is not a number") from exc
    if not result.is_finite():
        raise ValueError(f"{name}: score must be a finite number")
    return result
