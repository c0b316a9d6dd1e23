"""Health assessment of savings-and-loan cooperatives (KSP/USP), by either
of the two methods in use; every audit records which one it used.

The methods' aspects, weights and bands are reference data the province
sets (resources/reference/health_*.csv, pulled by every laptop like the
other reference lists), because none of them could be read in a
regulation's own text: only secondary copies were found. This module holds
the mechanics, which the sources agree on:

* ``aspect_sum`` -- Peraturan Deputi Bidang Pengawasan Kementerian Koperasi
  dan UKM No. 06/Per/Dep.6/IV/2016 (Pedoman Penilaian Kesehatan KSP dan
  USP Koperasi; it replaced No. 01/Per/Dep.6/III/2016 and implements
  Art. 31 (7) of Permenkop 15/Per/M.KUKM/IX/2015): seven aspects
  (permodalan, kualitas aktiva produktif, manajemen, efisiensi,
  likuiditas, kemandirian dan pertumbuhan, jatidiri koperasi), each scored
  by the assessor from 0 up to its weight; the total is their sum and a
  band of the total gives the category. The 2016 ratio-to-score brackets
  were not found (only those of the superseded Permenkop 14/2009), so the
  assessor enters each aspect's score. Sources: the Deputy's 2017
  compilation of regulations (123dok copy); studies applying it
  (Universitas Brawijaya, KSP Mitra Sukses Lestari 2016-2018; UMRAH,
  Koperasi Gurindam 2016-2018); the slides "Pemeriksaan Kesehatan Koperasi"
  of the Kediri regency office (2023), which list the 2016 weights
  15/25/15/10/15/10/10 beside the new method.
* ``indicator_ratio`` -- Permenkop UKM 9/2020 on cooperative supervision,
  with the Juknis of the Deputi Bidang Perkoperasian No. 15/2021 (Pedoman
  Pemeriksaan Kesehatan Koperasi): one worksheet (KKPKK) with four aspects,
  Tata Kelola, Profil Risiko, Kinerja Keuangan and Permodalan, each made
  of indicators; each indicator's compliance ratio (questions met ÷
  questions asked × 100) is scored 1-4, "above 75 up to 100 scores 4, and
  each 25 % lower one less"; the result is sehat / cukup sehat / dalam
  pengawasan / dalam pengawasan khusus. Sources: training modules citing
  the Juknis (flipbuilder "Modul Pelatihan Koperasi", tables 2.1, 2.9,
  2.23), the Kediri slides (aspects and their parts; Tata Kelola 30 %,
  Profil Risiko 15 %), BPS SIRUSA variable 289611. Here an aspect's score
  is the weighted mean of its indicators' scores and the final score the
  weighted mean of the aspects' (1-4); the final bands are not confirmed.

The tables of the bands printed in the modules read "76 < X <= 100",
"51 < X <= 75", ..., which leaves ratios such as 75.5 or 76 in no band;
their own prose ("above 75 ... each 25 % lower") closes the gaps, so the
shipped bands are quarters: (75, 100] -> 4, (50, 75] -> 3, (25, 50] -> 2,
[0, 25] -> 1 (a ratio of 0, nothing met, takes the lowest score).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import Enum

from .problems import Problem

Number = Decimal | float | int

ASPECT_SUM = "aspect_sum"
INDICATOR_RATIO = "indicator_ratio"
SCORINGS = (ASPECT_SUM, INDICATOR_RATIO)
#: The compliance ratio of an indicator is a percentage.
RATIO_MAX = Decimal(100)


class HealthCategory(str, Enum):
    """The health category an assessment comes to (both methods)."""

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


@dataclass(frozen=True, slots=True)
class Aspect:
    """One assessed aspect of a method: key, labels, weight."""

    key: str
    label_id: str
    label_en: str
    weight: Decimal
    confirmed: bool = False  # the weight was read in a source the reference data names


@dataclass(frozen=True, slots=True)
class Indicator:
    """One indicator of an aspect (indicator_ratio methods only)."""

    key: str
    aspect: str
    label_id: str
    label_en: str
    weight: Decimal = Decimal(1)


@dataclass(frozen=True, slots=True)
class Band:
    """Values from ``floor`` up (above it when not ``inclusive``) come to ``result``."""

    floor: Decimal
    inclusive: bool
    result: str
    confirmed: bool = False

    def holds(self, value: Decimal) -> bool:
        return value >= self.floor if self.inclusive else value > self.floor


@dataclass(frozen=True, slots=True)
class AspectScore:
    """One aspect's line in the report."""

    name: str
    label_id: str
    label_en: str
    weight: Decimal
    score: Decimal


@dataclass(frozen=True, slots=True)
class IndicatorScore:
    """One indicator's line: its compliance ratio and the score it earns."""

    name: str
    aspect: str
    label_id: str
    label_en: str
    ratio: Decimal
    score: int


@dataclass(frozen=True, slots=True)
class HealthResult:
    """The total score, its category, and each aspect's (and indicator's) part."""

    method: str
    total: Decimal
    category: HealthCategory
    aspects: tuple[AspectScore, ...]
    indicators: tuple[IndicatorScore, ...] = ()


@dataclass(frozen=True, slots=True)
class HealthMethod:
    """One assessment method as the reference data defines it."""

    code: str
    name_id: str
    name_en: str
    regulation: str
    scoring: str  # aspect_sum | indicator_ratio
    aspects: tuple[Aspect, ...]
    bands: tuple[Band, ...]  # of the total, best first
    indicators: tuple[Indicator, ...] = ()
    indicator_bands: tuple[Band, ...] = ()  # ratio -> score, best first

    @property
    def entry_keys(self) -> tuple[str, ...]:
        """What the assessor enters: a score per aspect, or a ratio per indicator."""
        if self.scoring == ASPECT_SUM:
            return tuple(a.key for a in self.aspects)
        return tuple(i.key for i in self.indicators)

    def entry_range(self, key: str) -> tuple[Decimal, Decimal]:
        """The lowest and highest value the assessor may enter for ``key``."""
        if self.scoring == ASPECT_SUM:
            return Decimal(0), self._aspect(key).weight
        return Decimal(0), RATIO_MAX

    @property
    def score_range(self) -> tuple[Decimal, Decimal]:
        """The range of the total: 0 to the sum of weights, or 1 to 4."""
        if self.scoring == ASPECT_SUM:
            return Decimal(0), sum((a.weight for a in self.aspects), Decimal(0))
        scores = [decimal_text("result", b.result) for b in self.indicator_bands]
        return min(scores), max(scores)

    @property
    def confirmed(self) -> bool:
        """Whether every weight and band was confirmed from a named source."""
        return all(a.confirmed for a in self.aspects) and all(
            b.confirmed for b in self.bands + self.indicator_bands)

    def category(self, total: Number) -> HealthCategory:
        """The category of a total score; ValueError outside the method's range."""
        value = to_decimal("score", total)
        low, high = self.score_range
        if not low <= value <= high:
            raise ValueError(f"score must be between {low} and {high}")
        return HealthCategory(_band(self.bands, value, "score"))

    def indicator_score(self, ratio: Number) -> int:
        """The 1-4 score of an indicator's compliance ratio (percent, 0-100)."""
        value = to_decimal("ratio", ratio)
        if not Decimal(0) <= value <= RATIO_MAX:
            raise ValueError(f"ratio must be between 0 and {RATIO_MAX}")
        return int(_band(self.indicator_bands, value, "ratio"))

    def assess(self, entries: Mapping[str, Number]) -> HealthResult:
        """Total and category from the assessor's entries (a score per aspect,
        or a compliance ratio per indicator).

        Raises ValueError naming the entry that is unknown, missing, not a
        number, or out of range.
        """
        expected = self.entry_keys
        unknown = sorted(set(entries) - set(expected))
        if unknown:
            raise ValueError(f"unknown aspect(s): {', '.join(map(str, unknown))}")
        missing = [k for k in expected if k not in entries]
        if missing:
            raise ValueError(f"missing aspect(s): {', '.join(missing)}")
        aspect_scores, indicators = self.lines(entries)
        lines = tuple(AspectScore(a.key, a.label_id, a.label_en, a.weight, score)
                      for a, score in aspect_scores)  # type: ignore[arg-type]
        if self.scoring == ASPECT_SUM:
            total = sum((line.score for line in lines), Decimal(0))
        else:
            total = _weighted_mean((line.score, line.weight) for line in lines)
        return HealthResult(self.code, total, self.category(total), lines,
                            tuple(i for i in indicators if i is not None))

    def lines(self, entries: Mapping[str, Number]
              ) -> tuple[list[tuple[Aspect, Decimal | None]], list[IndicatorScore | None]]:
        """Each aspect's score and each indicator's line from what is entered
        so far (a draft, a report), None where an entry is missing: an aspect
        of an indicator_ratio method is scored once all its indicators are.
        Raises ValueError for an entry out of range or not a number."""
        values = {key: self._entry(key, entries[key]) for key in self.entry_keys if key in entries}
        if self.scoring == ASPECT_SUM:
            return [(a, values.get(a.key)) for a in self.aspects], []
        indicators: list[IndicatorScore | None] = [
            IndicatorScore(i.key, i.aspect, i.label_id, i.label_en, values[i.key],
                           self.indicator_score(values[i.key])) if i.key in values else None
            for i in self.indicators]
        weights = {i.key: i.weight for i in self.indicators}
        aspects: list[tuple[Aspect, Decimal | None]] = []
        for aspect in self.aspects:
            own = [i.key for i in self.indicators if i.aspect == aspect.key]
            scored = [line for line in indicators if line is not None and line.aspect == aspect.key]
            score = (_weighted_mean((Decimal(line.score), weights[line.name]) for line in scored)
                     if len(scored) == len(own) else None)
            aspects.append((aspect, score))
        return aspects, indicators

    def _aspect(self, key: str) -> Aspect:
        for aspect in self.aspects:
            if aspect.key == key:
                return aspect
        raise ValueError(f"unknown aspect: {key}")

    def _entry(self, key: str, raw: object) -> Decimal:
        value = to_decimal(key, raw)
        low, high = self.entry_range(key)
        if not low <= value <= high:
            raise ValueError(f"aspect {key}: score must be between {low} and {high}")
        return value


def _weighted_mean(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal:
    pairs = list(pairs)
    weight = sum((w for _, w in pairs), Decimal(0))
    if weight == 0:
        raise ValueError("nothing to average: no weight")
    return sum((v * w for v, w in pairs), Decimal(0)) / weight


def _band(bands: tuple[Band, ...], value: Decimal, what: str) -> str:
    for band in bands:
        if band.holds(value):
            return band.result
    raise ValueError(f"{what} {value} falls in no band of the reference data")


def methods_from_rows(methods: Iterable[Mapping[str, object]],
                      aspects: Iterable[Mapping[str, object]],
                      indicators: Iterable[Mapping[str, object]],
                      bands: Iterable[Mapping[str, object]]) -> dict[str, HealthMethod]:
    """The methods defined by the reference tables' rows (health_method,
    health_aspect, health_indicator, health_band), checked so that a
    province's typo is refused rather than scored: known scoring, at least
    one aspect, every indicator in a known aspect, a band reaching the
    bottom of each scale, categories and scores that exist."""
    aspects, indicators, bands = list(aspects), list(indicators), list(bands)
    built: dict[str, HealthMethod] = {}
    for row in methods:
        code = str(row["code"])
        scoring = str(row["scoring"])
        if scoring not in SCORINGS:
            raise ValueError(f"health method {code}: unknown scoring {scoring!r}")
        own = sorted((r for r in aspects if r["method"] == code), key=_position)
        method_aspects = tuple(Aspect(str(r["key"]), str(r["name_id"]), str(r["name_en"]),
                                      decimal_text("weight", r["weight"]), bool(r["confirmed"]))
                               for r in own)
        if not method_aspects:
            raise ValueError(f"health method {code}: no aspects")
        keys = {a.key for a in method_aspects}
        method_indicators = tuple(
            Indicator(str(r["key"]), str(r["aspect"]), str(r["name_id"]), str(r["name_en"]),
                      decimal_text("weight", r["weight"]))
            for r in sorted((r for r in indicators if r["method"] == code), key=_position))
        for indicator in method_indicators:
            if indicator.aspect not in keys:
                raise ValueError(f"health method {code}: indicator {indicator.key} in unknown "
                                 f"aspect {indicator.aspect}")
        total = _bands(code, [r for r in bands if r["method"] == code and r["scale"] == "total"])
        per_indicator = _bands(code, [r for r in bands if r["method"] == code
                                      and r["scale"] == "indicator"], required=False)
        for band in total:
            HealthCategory(band.result)  # ValueError for a category that does not exist
        if scoring == INDICATOR_RATIO:
            if not method_indicators or not per_indicator:
                raise ValueError(f"health method {code}: indicators and their bands are needed")
            for aspect in method_aspects:
                if not any(i.aspect == aspect.key for i in method_indicators):
                    raise ValueError(f"health method {code}: aspect {aspect.key} has no indicator")
            for band in per_indicator:
                int(band.result)
        built[code] = HealthMethod(code, str(row["name_id"]), str(row["name_en"]),
                                   str(row.get("regulation") or ""), scoring, method_aspects,
                                   total, method_indicators, per_indicator)
    return built


def _position(row: Mapping[str, object]) -> int:
    return int(row["position"])  # type: ignore[call-overload]


def _bands(method: str, rows: list[Mapping[str, object]], *, required: bool = True
           ) -> tuple[Band, ...]:
    found = tuple(sorted((Band(decimal_text("floor", r["floor"]), bool(r["inclusive"]),
                               str(r["result"]), bool(r["confirmed"])) for r in rows),
                         key=lambda b: (b.floor, not b.inclusive), reverse=True))
    if not found:
        if required:
            raise ValueError(f"health method {method}: no bands")
        return found
    if not (found[-1].floor == 0 and found[-1].inclusive):
        raise ValueError(f"health method {method}: the lowest band must start at 0, inclusive")
    return found


def parse_entries(raw: object) -> dict[str, str]:
    """The assessor's entries from a mapping or its JSON text, as decimal strings."""
    if raw in (None, ""):
        return {}
    mapping = json.loads(raw) if isinstance(raw, str) else dict(raw)  # type: ignore[call-overload]
    if not isinstance(mapping, dict):
        raise TypeError("health entries must be a mapping of aspect or indicator to a number")
    return {str(k): str(Decimal(str(v))) for k, v in mapping.items()}


def entry_problems(method_code: str | None, raw: object,
                   methods: Mapping[str, HealthMethod]) -> list[Problem]:
    """What is wrong with an audit's method and entries, named at the field:
    an unknown method; entries that are not numbers, out of their range, or
    not of the method. Entries may be partial: a draft is scored as it goes.
    """
    if method_code not in methods:
        return [Problem("health_method", "health.method_unknown",
            "Metode penilaian kesehatan tidak dikenal. Pilih metode dari daftar.",
            "The health assessment method is not known. Pick a method from the list.")]
    method = methods[method_code]
    try:
        entries = parse_entries(raw)
        values = {k: Decimal(v) for k, v in entries.items()}
        if not all(v.is_finite() for v in values.values()):
            raise ValueError("NaN or infinite score")  # NaN cannot be compared below
    except (ValueError, TypeError, ArithmeticError):
        return [Problem("aspect_scores", "health.aspect_format",
            "Nilai penilaian kesehatan harus berupa angka untuk tiap aspek atau indikator.",
            "Health assessment entries must be a number for each aspect or indicator.")]
    names = {a.key: (a.label_id, a.label_en) for a in method.aspects}
    names.update({i.key: (i.label_id, i.label_en) for i in method.indicators})
    for key in method.entry_keys:
        if key in values:
            low, high = method.entry_range(key)
            if not low <= values[key] <= high:
                what = ("Skor aspek", "aspect score") if method.scoring == ASPECT_SUM else (
                    "Rasio kepatuhan (%) indikator", "compliance ratio (%) of the indicator")
                return [Problem("aspect_scores", "health.aspect_range",
                    f"{what[0]} {names[key][0]} harus antara {_plain(low)} dan {_plain(high)}.",
                    f"The {what[1]} {names[key][1]} must be between {_plain(low)} and "
                    f"{_plain(high)}.")]
    unknown = sorted(set(values) - set(method.entry_keys))
    if unknown:
        return [Problem("aspect_scores", "health.aspect_unknown",
            f"Bukan aspek atau indikator metode {method.name_id}: {', '.join(unknown)}.",
            f"Not an aspect or indicator of the {method.name_en} method: {', '.join(unknown)}.")]
    return []


def _plain(value: Decimal) -> str:
    """'15' rather than '15.00'; a decimal comma is the screen's business."""
    return format(value.normalize(), "f")


@dataclass(frozen=True, slots=True)
class CapitalRatios:
    """The permodalan ratios in percent; None where the denominator is zero."""

    equity_to_assets: Decimal | None
    equity_to_risky_loans: Decimal | None
    capital_adequacy: Decimal | None


def permodalan_ratios(
    *, modal_sendiri: int, total_aset: int, pinjaman_berisiko: int, modal_tertimbang: int, atmr: int
) -> CapitalRatios:
    """The three capital ratios of Perdep 06/2016, in percent, for the report:
    modal sendiri / total aset, modal sendiri / pinjaman diberikan yang
    berisiko, modal tertimbang / ATMR (a KSP/USP health worksheet and a
    cooperative-software note citing the regulation; secondary copies)."""
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


def to_decimal(name: str, value: object) -> Decimal:
    """``value`` as a Decimal; floats go through str so 79.99 stays 79.99.
    Bools, strings, None and other types are refused: a score is a number."""
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


def decimal_text(name: str, text: object) -> Decimal:
    """A decimal written in the reference data ('15', '3.25'); ValueError
    naming the column when it is not a finite number."""
    try:
        result = Decimal(str(text).strip())
    except InvalidOperation as exc:
        raise ValueError(f"{name}: {text!r} is not a number") from exc
    if not result.is_finite():
        raise ValueError(f"{name}: {text!r} is not a finite number")
    return result
