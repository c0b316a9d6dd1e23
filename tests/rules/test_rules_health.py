"""Boundary tests for the KSP/USP health score of Perdep 06/Per/Dep.6/IV/2016."""

from decimal import Decimal

import pytest

from desktop_app.models.rules.health import (
    ASPECTS,
    HealthCategory,
    health_category,
    health_score,
    permodalan_ratios,
    ratio_percent,
)

FULL = {a.key: a.weight for a in ASPECTS}


@pytest.mark.parametrize("score,expected", [
    (0, HealthCategory.DALAM_PENGAWASAN_KHUSUS),
    (50.99, HealthCategory.DALAM_PENGAWASAN_KHUSUS),
    (51, HealthCategory.DALAM_PENGAWASAN),
    (65.99, HealthCategory.DALAM_PENGAWASAN),
    (66, HealthCategory.CUKUP_SEHAT),
    (79.99, HealthCategory.CUKUP_SEHAT),
    (80, HealthCategory.SEHAT),
    (100, HealthCategory.SEHAT),
    (Decimal("79.999"), HealthCategory.CUKUP_SEHAT),
    (Decimal("80.00"), HealthCategory.SEHAT),
])
def test_category_boundaries(score, expected):
    """Each floor (51, 66, 80) belongs to the higher category; just below it does not."""
    assert health_category(score) is expected


@pytest.mark.parametrize("bad", [-0.01, 100.01, float("nan"), float("inf"), True, "80", None])
def test_category_refuses_out_of_range_and_non_numbers(bad):
    """Scores outside 0-100, NaN, bools and strings are refused."""
    with pytest.raises(ValueError):
        health_category(bad)


def test_weights_total_100_in_one_table():
    """The seven aspects carry the weights of the regulation and total 100."""
    assert [(a.key, a.weight) for a in ASPECTS] == [
        ("permodalan", 15), ("kualitas_aktiva_produktif", 25), ("manajemen", 15), ("efisiensi", 10),
        ("likuiditas", 15), ("kemandirian_dan_pertumbuhan", 10), ("jatidiri_koperasi", 10),
    ]
    assert sum(a.weight for a in ASPECTS) == 100


def test_full_marks_are_sehat():
    """Every aspect at its weight totals 100, Sehat."""
    result = health_score(FULL)
    assert result.total == 100 and result.category is HealthCategory.SEHAT


def test_total_is_exact_sum_and_lines_in_table_order():
    """The total is the exact sum of aspect scores and each line carries labels and weight."""
    scores = dict(FULL, permodalan=Decimal("10.5"), efisiensi=0.1, likuiditas=0)
    result = health_score(scores)
    assert result.total == Decimal("100") - Decimal("4.5") - Decimal("9.9") - 15
    assert [line.name for line in result.aspects] == [a.key for a in ASPECTS]
    first = result.aspects[0]
    assert (first.label_id, first.label_en, first.weight, first.score) == ("Permodalan", "Capital", 15, Decimal("10.5"))


def test_total_on_boundary_uses_higher_category():
    """A total of exactly 66 from aspect scores is Cukup Sehat; 65.99 is Dalam Pengawasan."""
    base = dict(FULL, kualitas_aktiva_produktif=0, likuiditas=Decimal("6"))
    assert health_score(base).total == 66
    assert health_score(base).category is HealthCategory.CUKUP_SEHAT
    lower = dict(base, likuiditas=Decimal("5.99"))
    assert health_score(lower).category is HealthCategory.DALAM_PENGAWASAN


def test_unknown_aspect_named():
    """An aspect not in the regulation is refused, naming it."""
    with pytest.raises(ValueError, match="rentabilitas"):
        health_score(dict(FULL, rentabilitas=5))


def test_missing_aspect_named():
    """A missing aspect is refused, naming it."""
    scores = dict(FULL)
    del scores["jatidiri_koperasi"]
    with pytest.raises(ValueError, match="jatidiri_koperasi"):
        health_score(scores)


@pytest.mark.parametrize("value", [-0.01, 25.01, "20", None])
def test_out_of_range_aspect_named(value):
    """A score below 0, above the weight, or not a number is refused, naming the aspect."""
    with pytest.raises(ValueError, match="kualitas_aktiva_produktif"):
        health_score(dict(FULL, kualitas_aktiva_produktif=value))


def test_aspect_at_zero_and_weight_accepted():
    """0 and exactly the weight are both accepted for an aspect."""
    assert health_score(dict(FULL, manajemen=0)).aspects[2].score == 0
    assert health_score(dict(FULL, manajemen=15)).aspects[2].score == 15


def test_category_labels():
    """Each category has the regulation's Indonesian name and an English one."""
    assert HealthCategory.DALAM_PENGAWASAN_KHUSUS.label_id == "Dalam Pengawasan Khusus"
    assert HealthCategory.CUKUP_SEHAT.label_id == "Cukup Sehat"
    for category in HealthCategory:
        assert category.label_en and category.label_en != category.label_id


def test_permodalan_ratios_in_percent():
    """The capital ratios are exact percentages of whole-rupiah amounts."""
    ratios = permodalan_ratios(modal_sendiri=200, total_aset=1_000, pinjaman_berisiko=400,
                               modal_tertimbang=90, atmr=100)
    assert ratios.equity_to_assets == Decimal(20)
    assert ratios.equity_to_risky_loans == Decimal(50)
    assert ratios.capital_adequacy == Decimal(90)


def test_ratio_with_zero_denominator_is_none():
    """A ratio over zero cannot be computed and is None, not an error."""
    assert ratio_percent(5, 0) is None
    assert permodalan_ratios(modal_sendiri=1, total_aset=1, pinjaman_berisiko=0,
                             modal_tertimbang=1, atmr=1).equity_to_risky_loans is None
