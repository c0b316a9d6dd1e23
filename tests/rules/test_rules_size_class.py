"""Boundary tests for the UMKM size class of PP 7/2021 Art. 35."""

from decimal import Decimal

import pytest

from desktop_app.models.rules.size_class import THRESHOLDS, SizeClass, size_class

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
    assert size_class(capital=amount, annual_sales=None) is expected


@pytest.mark.parametrize("amount,expected", [
    (0, M), (2_000_000_000, M), (2_000_000_001, K), (15_000_000_000, K), (15_000_000_001, MN),
    (50_000_000_000, MN), (50_000_000_001, B),
])
def test_sales_boundaries(amount, expected):
    """Each annual-sales threshold belongs to the lower class; one rupiah more moves up."""
    assert size_class(capital=None, annual_sales=amount) is expected


def test_capital_wins_over_sales():
    """When both are given, capital decides."""
    assert size_class(capital=500_000_000, annual_sales=60_000_000_000) is M


def test_both_none_refused():
    """Without capital or sales there is nothing to classify."""
    with pytest.raises(ValueError):
        size_class(capital=None, annual_sales=None)


@pytest.mark.parametrize("bad", [1.0, True, Decimal("1"), "1"])
@pytest.mark.parametrize("basis", ["capital", "annual_sales"])
def test_non_integers_refused(bad, basis):
    """Floats, bools, Decimals and strings are refused with TypeError."""
    kwargs = {"capital": None, "annual_sales": None, basis: bad}
    with pytest.raises(TypeError):
        size_class(**kwargs)


def test_unused_amount_is_still_checked():
    """A bad sales figure is refused even when capital decides."""
    with pytest.raises(TypeError):
        size_class(capital=1, annual_sales=2.5)


@pytest.mark.parametrize("basis", ["capital", "annual_sales"])
def test_negative_refused(basis):
    """A negative amount is refused with ValueError."""
    kwargs = {"capital": None, "annual_sales": None, basis: -1}
    with pytest.raises(ValueError):
        size_class(**kwargs)


def test_thresholds_in_one_ascending_table():
    """Each basis lists mikro, kecil, menengah with rising bounds."""
    for table in THRESHOLDS.values():
        assert [c for c, _ in table] == [M, K, MN]
        bounds = [b for _, b in table]
        assert bounds == sorted(bounds)


def test_labels_in_both_languages():
    """Every class has an Indonesian and an English label."""
    assert M.label_id == "Usaha Mikro" and M.label_en == "Micro enterprise"
    for cls in SizeClass:
        assert cls.label_id and cls.label_en and cls.label_id != cls.label_en


def test_enum_is_str():
    """The class compares equal to its stored string."""
    assert SizeClass("kecil") is K and K == "kecil"
