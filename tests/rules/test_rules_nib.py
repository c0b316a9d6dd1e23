"""Boundary tests for the optional 13-digit NIB."""

import pytest

from desktop_app.models.rules.nib import check_nib


@pytest.mark.parametrize("value", [None, "", "   "])
def test_absent_nib_is_fine(value):
    """A business without a NIB breaks no rule."""
    assert check_nib(value) == []


def test_thirteen_digits_accepted():
    """Exactly 13 digits is a well-formed NIB."""
    assert check_nib("1234567890123") == []


@pytest.mark.parametrize("value", ["123456789012", "12345678901234"])
def test_length_boundaries_refused(value):
    """12 and 14 digits are refused as nib.length."""
    assert [p.rule for p in check_nib(value)] == ["nib.length"]


@pytest.mark.parametrize("value", ["12345 67890123", "123456789012A", "١٢٣٤٥٦٧٨٩٠١٢٣"])
def test_non_digits_refused(value):
    """Spaces, letters and non-ASCII digits are refused as nib.digits."""
    assert [p.rule for p in check_nib(value)] == ["nib.digits"]


def test_messages_bilingual_with_field():
    """Problems carry the given field and name NIB in both languages."""
    (p,) = check_nib("12", field="business_nib")
    assert p.field == "business_nib" and p.severity == "error"
    assert "NIB" in p.id and "NIB" in p.en and "13" in p.id and "13" in p.en
