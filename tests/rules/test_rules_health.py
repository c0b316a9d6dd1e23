"""Boundary tests for the cooperative health assessment, both methods, with
the aspects, weights and bands of the shipped reference data
(resources/reference/health_*.csv; sources in docs/DOMAIN.md):

* Perdep 06/Per/Dep.6/IV/2016: seven aspects, total 0-100, Sehat from 80,
  Cukup Sehat from 66, Dalam Pengawasan from 51;
* Permenkop 9/2020 with Juknis 15/2021: four aspects of indicators, each
  indicator's compliance ratio scored 1-4 by quarters.
"""

from decimal import Decimal

import pytest

from desktop_app.models.rules.health import (
    HealthCategory,
    entry_problems,
    methods_from_rows,
    permodalan_ratios,
    ratio_percent,
)
from tests.support.reference import PERDEP_2016, PERMENKOP_2020, rows, shipped_methods

METHODS = shipped_methods()
OLD = METHODS[PERDEP_2016]
NEW = METHODS[PERMENKOP_2020]
FULL = {a.key: a.weight for a in OLD.aspects}


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
    assert OLD.category(score) is expected


@pytest.mark.parametrize("bad", [-0.01, 100.01, float("nan"), float("inf"), True, "80", None])
def test_category_refuses_out_of_range_and_non_numbers(bad):
    """Scores outside 0-100, NaN, bools and strings are refused."""
    with pytest.raises(ValueError):
        OLD.category(bad)


def test_weights_total_100_in_one_table():
    """The seven aspects carry the weights of the regulation and total 100."""
    assert [(a.key, a.weight) for a in OLD.aspects] == [
        ("permodalan", 15), ("kualitas_aktiva_produktif", 25), ("manajemen", 15), ("efisiensi", 10),
        ("likuiditas", 15), ("kemandirian_dan_pertumbuhan", 10), ("jatidiri_koperasi", 10),
    ]
    assert sum(a.weight for a in OLD.aspects) == 100
    assert OLD.score_range == (0, 100)


def test_full_marks_are_sehat():
    """Every aspect at its weight totals 100, Sehat."""
    result = OLD.assess(FULL)
    assert result.total == 100 and result.category is HealthCategory.SEHAT
    assert result.method == PERDEP_2016


def test_total_is_exact_sum_and_lines_in_table_order():
    """The total is the exact sum of aspect scores and each line carries labels and weight."""
    scores = dict(FULL, permodalan=Decimal("10.5"), efisiensi=0.1, likuiditas=0)
    result = OLD.assess(scores)
    assert result.total == Decimal("100") - Decimal("4.5") - Decimal("9.9") - 15
    assert [line.name for line in result.aspects] == [a.key for a in OLD.aspects]
    first = result.aspects[0]
    assert (first.label_id, first.label_en, first.weight, first.score) == ("Permodalan", "Capital", 15, Decimal("10.5"))


def test_total_on_boundary_uses_higher_category():
    """A total of exactly 66 from aspect scores is Cukup Sehat; 65.99 is Dalam Pengawasan."""
    base = dict(FULL, kualitas_aktiva_produktif=0, likuiditas=Decimal("6"))
    assert OLD.assess(base).total == 66
    assert OLD.assess(base).category is HealthCategory.CUKUP_SEHAT
    lower = dict(base, likuiditas=Decimal("5.99"))
    assert OLD.assess(lower).category is HealthCategory.DALAM_PENGAWASAN


def test_unknown_aspect_named():
    """An aspect not in the regulation is refused, naming it."""
    with pytest.raises(ValueError, match="rentabilitas"):
        OLD.assess(dict(FULL, rentabilitas=5))


def test_missing_aspect_named():
    """A missing aspect is refused, naming it."""
    scores = dict(FULL)
    del scores["jatidiri_koperasi"]
    with pytest.raises(ValueError, match="jatidiri_koperasi"):
        OLD.assess(scores)


@pytest.mark.parametrize("value", [-0.01, 25.01, "20", None])
def test_out_of_range_aspect_named(value):
    """A score below 0, above the weight, or not a number is refused, naming the aspect."""
    with pytest.raises(ValueError, match="kualitas_aktiva_produktif"):
        OLD.assess(dict(FULL, kualitas_aktiva_produktif=value))


def test_aspect_at_zero_and_weight_accepted():
    """0 and exactly the weight are both accepted for an aspect."""
    assert OLD.assess(dict(FULL, manajemen=0)).aspects[2].score == 0
    assert OLD.assess(dict(FULL, manajemen=15)).aspects[2].score == 15


def test_category_labels():
    """Each category has the regulation's Indonesian name and an English one."""
    assert HealthCategory.DALAM_PENGAWASAN_KHUSUS.label_id == "Dalam Pengawasan Khusus"
    assert HealthCategory.CUKUP_SEHAT.label_id == "Cukup Sehat"
    for category in HealthCategory:
        assert category.label_en and category.label_en != category.label_id


# --- Permenkop 9/2020 with Juknis 15/2021 --------------------------------------------


@pytest.mark.parametrize("ratio,score", [
    (100, 4), (76, 4), (Decimal("75.01"), 4),  # (75, 100] -> 4
    (75, 3), (51, 3), (Decimal("50.01"), 3),  # (50, 75] -> 3
    (50, 2), (26, 2), (Decimal("25.01"), 2),  # (25, 50] -> 2
    (25, 1), (1, 1), (0, 1),  # [0, 25] -> 1; nothing met is the lowest score
])
def test_indicator_ratio_scores_by_quarter(ratio, score):
    """A compliance ratio above 75 scores 4, and each 25 % lower one less: the
    written bands (76,100], (51,75], (26,50], (0,25] hold for whole ratios,
    and a ratio between them (75.5) falls in the quarter above it."""
    assert NEW.indicator_score(ratio) == score


def test_fractional_ratio_between_the_written_bands_is_scored():
    """75.5 % (e.g. 151 of 200 questions met) is in neither written band
    (76,100] nor (51,75]; by quarters it scores 4."""
    assert NEW.indicator_score(Decimal("75.5")) == 4
    assert NEW.indicator_score(Decimal("50.5")) == 3


@pytest.mark.parametrize("bad", [-0.01, 100.01, float("nan"), True, "80", None])
def test_indicator_ratio_outside_0_100_refused(bad):
    """A ratio is a percentage: below 0, above 100 or not a number is refused."""
    with pytest.raises(ValueError):
        NEW.indicator_score(bad)


def test_the_2020_worksheet_has_four_aspects_of_indicators():
    """Tata Kelola, Profil Risiko, Kinerja Keuangan and Permodalan, each with
    its indicators; the assessor enters one ratio per indicator."""
    assert [a.key for a in NEW.aspects] == ["tata_kelola", "profil_risiko", "kinerja_keuangan",
                                            "permodalan"]
    assert {i.aspect for i in NEW.indicators} == {a.key for a in NEW.aspects}
    assert NEW.entry_keys == tuple(i.key for i in NEW.indicators)
    assert NEW.score_range == (1, 4)
    assert NEW.entry_range("kelembagaan") == (0, 100)


def test_all_indicators_above_75_is_sehat_with_the_top_score():
    """Every indicator above 75 % scores 4; every aspect and the total are 4."""
    result = NEW.assess({key: 90 for key in NEW.entry_keys})
    assert result.total == 4 and result.category is HealthCategory.SEHAT
    assert all(a.score == 4 for a in result.aspects)
    assert all(i.score == 4 for i in result.indicators)


def test_aspect_score_is_the_mean_of_its_indicators_and_the_total_weighted():
    """Tata Kelola with scores 4, 3, 2 is 3; the total weighs each aspect."""
    entries = {key: 100 for key in NEW.entry_keys}
    entries.update(prinsip_koperasi=100, kelembagaan=60, manajemen_koperasi=30)
    result = NEW.assess(entries)
    tata_kelola = result.aspects[0]
    assert tata_kelola.name == "tata_kelola" and tata_kelola.score == 3
    weights = {a.key: a.weight for a in NEW.aspects}
    expected = (3 * weights["tata_kelola"] + 4 * (sum(weights.values()) - weights["tata_kelola"])) \
        / sum(weights.values())
    assert result.total == expected


@pytest.mark.parametrize("ratio,category", [
    (100, HealthCategory.SEHAT),  # every indicator scores 4
    (75, HealthCategory.CUKUP_SEHAT),  # every indicator scores 3
    (50, HealthCategory.DALAM_PENGAWASAN),  # 2
    (25, HealthCategory.DALAM_PENGAWASAN_KHUSUS),  # 1
])
def test_the_four_results_of_the_2020_method(ratio, category):
    """The final result is one of sehat, cukup sehat, dalam pengawasan, dalam
    pengawasan khusus."""
    assert NEW.assess({key: ratio for key in NEW.entry_keys}).category is category


@pytest.mark.parametrize("total,category", [
    (Decimal("3.25"), HealthCategory.SEHAT), (Decimal("3.24"), HealthCategory.CUKUP_SEHAT),
    (Decimal("2.5"), HealthCategory.CUKUP_SEHAT), (Decimal("2.49"), HealthCategory.DALAM_PENGAWASAN),
    (Decimal("1.75"), HealthCategory.DALAM_PENGAWASAN),
    (Decimal("1.74"), HealthCategory.DALAM_PENGAWASAN_KHUSUS), (1, HealthCategory.DALAM_PENGAWASAN_KHUSUS),
])
def test_final_bands_of_the_2020_method_as_shipped(total, category):
    """The shipped (provisional, province-set) final bands: each floor belongs
    to the higher result."""
    assert NEW.category(total) is category


def test_unconfirmed_weights_and_bands_are_marked_in_the_data():
    """Nothing was read in a regulation's own text: every shipped weight and
    band says so, and names its source or that it is provisional."""
    assert not OLD.confirmed and not NEW.confirmed
    for row in rows("health_aspect") + rows("health_band"):
        assert row["confirmed"] == 0
        assert str(row["source"]).startswith(("secondary:", "provisional:"))


def test_a_method_is_read_from_data_the_province_sets():
    """Weights and bands come from the reference rows: other rows, other results."""
    aspects = [dict(r, weight="50") if r["key"] == "tata_kelola" else r
               for r in rows("health_aspect")]
    changed = methods_from_rows(rows("health_method"), aspects, rows("health_indicator"),
                                rows("health_band"))[PERMENKOP_2020]
    entries = {key: 100 for key in NEW.entry_keys}
    entries.update(prinsip_koperasi=10, kelembagaan=10, manajemen_koperasi=10)
    assert changed.assess(entries).total < NEW.assess(entries).total


@pytest.mark.parametrize("change,message", [
    (lambda r: dict(r, scoring="guess") if r["code"] == PERMENKOP_2020 else r, "scoring"),
])
def test_bad_method_rows_refused(change, message):
    """A method the province set up wrongly is refused when loaded, not scored."""
    with pytest.raises(ValueError, match=message):
        methods_from_rows([change(r) for r in rows("health_method")], rows("health_aspect"),
                          rows("health_indicator"), rows("health_band"))


def test_bands_must_reach_zero_and_name_real_results():
    """A band list without a floor at 0 leaves scores in no band; a result
    that is no category is a typo: both are refused."""
    no_bottom = [r for r in rows("health_band") if r["code"] != "permenkop_9_2020.indicator.1"]
    with pytest.raises(ValueError, match="lowest band"):
        methods_from_rows(rows("health_method"), rows("health_aspect"), rows("health_indicator"),
                          no_bottom)
    typo = [dict(r, result="sehatt") if r["code"] == "perdep_06_2016.total.sehat" else r
            for r in rows("health_band")]
    with pytest.raises(ValueError):
        methods_from_rows(rows("health_method"), rows("health_aspect"), rows("health_indicator"),
                          typo)


def test_entry_problems_name_the_field_and_the_limit():
    """Form entries: an unknown method, an out-of-range ratio and an entry of
    the other method are each reported at the field with the limit."""
    [unknown] = entry_problems("permenkop_2099", {}, METHODS)
    assert (unknown.field, unknown.rule) == ("health_method", "health.method_unknown")
    [high] = entry_problems(PERMENKOP_2020, {"kelembagaan": "100.5"}, METHODS)
    assert high.rule == "health.aspect_range" and "100" in high.id and "Kelembagaan" in high.id
    assert "Institution" in high.en
    [other] = entry_problems(PERMENKOP_2020, {"efisiensi": "5"}, METHODS)
    assert other.rule == "health.aspect_unknown" and "efisiensi" in other.id
    assert entry_problems(PERDEP_2016, {"efisiensi": "10"}, METHODS) == []
    assert entry_problems(PERMENKOP_2020, '{"kelembagaan": "0"}', METHODS) == []


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
