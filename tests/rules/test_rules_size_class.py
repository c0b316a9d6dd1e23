"""Boundary tests for the UMKM size class of PP 7/2021 Art. 35: thresholds per
criterion (Art. 35 (3) capital, (5) annual sales) and which figure decides
for an operating business (Art. 35 (4)-(6): annual sales, else their
estimate from the monthly turnover, else capital)."""

from decimal import Decimal

import pytest

from desktop_app.models.rules.size_class import (
    THRESHOLDS, Basis, SizeClass, classify, size_class_by,
)

M = SizeClass.MIKRO
K = SizeClass.KECIL
MN = SizeClass.MENENGAH
B = SizeClass.BESAR


@pytest.mark.parametrize("amount,expected", [
    (0, M), (1_000_000_000, M), (1_000_000_001, K), (5_000_000_000, K), (5_000_000_001, MN),
    (10_000_000_000, MN), (10_000_000_001, B),
])
def test_capital_boundaries(amount, expected):
    """Each capital threshold belongs to the lower class; one rupiah more moves up."""
    assert size_class_by("capital", amount) is expected
    found = classify(capital=amount)
    assert (found.size_class, found.basis, found.amount) == (expected, Basis.CAPITAL, amount)


@pytest.mark.parametrize("amount,expected", [
    (0, M), (2_000_000_000, M), (2_000_000_001, K), (15_000_000_000, K), (15_000_000_001, MN),
    (50_000_000_000, MN), (50_000_000_001, B),
])
def test_sales_boundaries(amount, expected):
    """Each annual-sales threshold belongs to the lower class; one rupiah more moves up."""
    assert size_class_by("annual_sales", amount) is expected
    found = classify(annual_sales=amount)
    assert (found.size_class, found.basis) == (expected, Basis.ANNUAL_SALES)


@pytest.mark.parametrize("monthly,expected", [
    (166_666_666, M),  # × 12 = 1,999,999,992
    (166_666_667, K),  # × 12 = 2,000,000,004: just over the mikro bound
    (1_250_000_000, K),  # × 12 = 15,000,000,000 exactly
    (1_250_000_001, MN),
    (4_166_666_666, MN),  # × 12 = 49,999,999,992
    (4_166_666_667, B),
])
def test_estimate_from_monthly_turnover_at_the_sales_boundaries(monthly, expected):
    """Monthly turnover × 12 is classed against the annual-sales bounds and
    labelled an estimate."""
    found = classify(monthly_turnover=monthly)
    assert found.size_class is expected and found.basis is Basis.ANNUAL_SALES_ESTIMATED
    assert found.amount == monthly * 12


def test_annual_sales_win_over_capital_for_an_operating_business():
    """Annual sales decide even when capital is given (Art. 35 (4)-(6))."""
    found = classify(capital=500_000_000, annual_sales=60_000_000_000)
    assert (found.size_class, found.basis) == (B, Basis.ANNUAL_SALES)


def test_annual_sales_win_over_the_estimate():
    """Typed annual sales decide over twelve months of the monthly turnover."""
    found = classify(annual_sales=1_000, monthly_turnover=2_000_000_000)
    assert (found.size_class, found.basis) == (M, Basis.ANNUAL_SALES)


def test_the_estimate_wins_over_capital():
    """Without annual sales, their estimate decides before capital: it is the
    sales criterion, only estimated."""
    found = classify(capital=6_000_000_000, monthly_turnover=10_000_000)
    assert (found.size_class, found.basis) == (M, Basis.ANNUAL_SALES_ESTIMATED)


def test_capital_decides_only_without_any_sales_figure():
    """Capital is the basis only when neither sales figure is given."""
    found = classify(capital=6_000_000_000, annual_sales=None, monthly_turnover=None)
    assert (found.size_class, found.basis) == (MN, Basis.CAPITAL)


def test_nothing_given_is_no_class():
    """Without any figure there is nothing to class."""
    assert classify() is None


@pytest.mark.parametrize("bad", [1.0, True, Decimal("1"), "1"])
@pytest.mark.parametrize("figure", ["capital", "annual_sales", "monthly_turnover"])
def test_non_integers_refused(bad, figure):
    """Floats, bools, Decimals and strings are refused with TypeError."""
    with pytest.raises(TypeError):
        classify(**{figure: bad})


def test_unused_amount_is_still_checked():
    """A bad capital figure is refused even when annual sales decide."""
    with pytest.raises(TypeError):
        classify(capital=2.5, annual_sales=1)


@pytest.mark.parametrize("figure", ["capital", "annual_sales", "monthly_turnover"])
def test_negative_refused(figure):
    """A negative amount is refused with ValueError."""
    with pytest.raises(ValueError):
        classify(**{figure: -1})


def test_thresholds_in_one_ascending_table():
    """Each criterion lists mikro, kecil, menengah with rising bounds."""
    for table in THRESHOLDS.values():
        assert [c for c, _ in table] == [M, K, MN]
        bounds = [b for _, b in table]
        assert bounds == sorted(bounds)


def test_labels_in_both_languages():
    """Every class and every basis has an Indonesian and an English label; the
    estimate says it is one."""
    assert M.label_id == "Usaha Mikro" and M.label_en == "Micro enterprise"
    for member in (*SizeClass, *Basis):
        assert member.label_id and member.label_en and member.label_id != member.label_en
    assert "perkiraan" in Basis.ANNUAL_SALES_ESTIMATED.label_id.lower()
    assert "estimated" in Basis.ANNUAL_SALES_ESTIMATED.label_en.lower()


def test_enum_is_str():
    """The class and the basis compare equal to their stored strings."""
    assert SizeClass("kecil") is K and K == "kecil"
    assert Basis("annual_sales_estimated") is Basis.ANNUAL_SALES_ESTIMATED
