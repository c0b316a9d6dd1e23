"""Duplicates caught at the desk on the laptop: the same NIK twice in a
round, the same business by owner NIK, NIB or a close name in the same
village -- a warning under the field, the record still savable, the existing
record one click away."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QApplication

from desktop_app.models.rules.duplicates import NAME_SIMILARITY, name_similarity, similar_names
from desktop_app.services import records
from tests.services.services_forms import NIK_SITI, applicant_form, business_form
from tests.ui.test_ui_entity_forms import business_page, new_business, type_into

OTHER_NIK = "1871015503850002"


def _warnings(store, kind, data, record_id=None):
    return [(p.field, p.rule, p.record) for p in
            records.check(store, kind, data, record_id=record_id).problems
            if p.severity == "warning"]


def test_the_same_nik_twice_in_a_round_is_warned_with_the_existing_record(store, actor):
    first = records.save(store, actor, "aid_applicant", applicant_form()).record
    assert _warnings(store, "aid_applicant", applicant_form(full_name="Rahmat H.")) == \
        [("nik", "duplicate.nik_in_round", ("aid_applicant", first["id"]))]
    # another round, another NIK, the record itself: nothing
    assert _warnings(store, "aid_applicant", applicant_form(aid_round="bpum-2020")) == []
    assert _warnings(store, "aid_applicant", applicant_form(nik=OTHER_NIK, kk_number="")) == []
    assert _warnings(store, "aid_applicant", {"full_name": "Rahmat"}, record_id=first["id"]) == []
    # a warning, not a refusal: the office may still record it (the server lists the pair)
    saved = records.save(store, actor, "aid_applicant", applicant_form())
    assert [p.rule for p in saved.warnings] == ["duplicate.nik_in_round"]


def test_the_same_business_by_nik_nib_or_a_close_name_in_the_village(store, actor):
    first = records.save(store, actor, "business", business_form()).record
    link = ("business", first["id"])
    other_owner = dict(owner_nik=OTHER_NIK, nib="9999999999999")
    assert ("owner_nik", "duplicate.business_nik", link) in _warnings(
        store, "business", business_form(name="Toko Lain", nib=None))
    assert _warnings(store, "business", business_form(name="Toko Lain", owner_nik=OTHER_NIK)) == \
        [("nib", "duplicate.business_nib", link)]
    assert _warnings(store, "business", business_form(name="Kopi Robusta Sity", **other_owner)) \
        == [("name", "duplicate.business_name", link)]
    # the same name in another village is another business
    assert _warnings(store, "business", business_form(name="Kopi Robusta Siti", village="Sukarame",
                                                      **other_owner)) == []
    assert _warnings(store, "business", business_form(name="Warung Makan Sari", **other_owner)) == []


@pytest.mark.parametrize(("a", "b", "close"), [
    ("Keripik Pisang Bu Ani", "Keripik Pisang Bu Any", True),  # one letter in 21
    ("UD. Keripik Pisang Bu Ani", "keripik pisang  bu ani", True),  # legal form, case, spacing
    ("Warung Makan Sri", "Warung Makan Sari Rasa", False),
    ("", "Warung", False),
])
def test_close_names(a, b, close):
    assert similar_names(a, b) is close


def test_the_threshold_is_inclusive():
    # 'abcdefghijklmnopqrst' vs one letter changed: ratio 0.95; vs three changed: 0.85 exactly
    base = "abcdefghijklmnopqrst"
    three = "abcdefghijklmnopqXYZ"
    assert name_similarity(base, three) == pytest.approx(NAME_SIMILARITY)
    assert similar_names(base, three)
    assert not similar_names(base, "abcdefghijklmnopWXYZ")  # four of twenty: 0.80


@pytest.mark.usefixtures("indonesian")
def test_the_form_warns_while_typing_and_opens_the_existing_record(qtbot, ctx):
    existing = records.save(ctx.store, ctx.actor, "business", business_form()).record
    page = business_page(qtbot, ctx)
    form = new_business(qtbot, page)
    message = form.rows["owner_nik"].message
    type_into(qtbot, form, "owner_nik", NIK_SITI)
    qtbot.waitUntil(lambda: message.isVisible() and "sudah punya data usaha" in message.text())
    assert f'href="business:{existing["id"]}"' in message.text()
    message.linkActivated.emit(f"business:{existing['id']}")  # the click on the link
    qtbot.waitUntil(lambda: page.form is not form and page.form is not None
                    and page.form.record_id == existing["id"])
    assert QApplication.activeModalWidget() is None
