"""The aid round's pure rules at their boundaries: the approval chain's
stages and who may take each step (models/rules/approval.py), a round's
open and close days, the applicant list's row rules and the spreadsheet
reader (models/rules/applicant_list.py, models/tabular.py)."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.models.rules import applicant_list
from desktop_app.models.rules.approval import (
    NOTE_MAX, Stage, Step, quota_left, standing, step_problems,
)
from desktop_app.models.rules.eligibility import round_rules
from desktop_app.models.tabular import TableError, read_table
from tests.aid.lists import nik

ROUND = round_rules({"code": "r", "program": "BPUM", "year": 2021, "name_id": "BPUM 2021",
                     "name_en": "BPUM 2021", "amount": 1200000, "checks": '["valid_nik"]',
                     "excluded_credit": "[]", "opens_on": date(2021, 3, 17),
                     "closes_on": date(2021, 12, 31)})


def _rules(current: Stage, level: str, action: str, **over):
    given = dict(level=level, action=action, note="alasan", role="supervisor" if level ==
                 "regency" else "admin", current=current, verdict="eligible", finalised=True,
                 superseded=False, quota_left=None)
    given.update(over)
    return [p.rule for p in step_problems(**given)]


def test_the_chain_replays_steps_in_order_and_skips_what_no_longer_fits():
    assert standing([]).stage == Stage.AT_REGENCY
    steps = [Step("1", "regency", "approve"), Step("2", "province", "return", "KK"),
             Step("3", "regency", "approve"), Step("4", "province", "accept")]
    assert standing(steps).stage == Stage.ACCEPTED
    assert standing(reversed(steps)).stage == Stage.ACCEPTED  # order is the ids', not the list's
    # two offices offline: approve and return of the same verdict; the earlier counts
    both = standing([Step("1", "regency", "approve"), Step("2", "regency", "return", "x")])
    assert both.stage == Stage.AT_PROVINCE and len(both.counted) == 1
    assert standing([Step("1", "province", "accept")]).stage == Stage.AT_REGENCY  # not yet approved
    back = standing([Step("1", "regency", "approve"), Step("2", "province", "return", "KK buram")])
    assert (back.stage, back.last_note) == (Stage.AT_REGENCY, "KK buram")


@pytest.mark.parametrize(("current", "level", "action", "over", "rule"), [
    (Stage.AT_REGENCY, "regency", "approve", {}, None),
    (Stage.AT_REGENCY, "regency", "return", {}, None),
    (Stage.AT_REGENCY, "regency", "return", {"note": "  "}, "approval.note_required"),
    (Stage.AT_REGENCY, "regency", "return", {"note": "x" * NOTE_MAX}, None),
    (Stage.AT_REGENCY, "regency", "return", {"note": "x" * (NOTE_MAX + 1)}, "approval.note_length"),
    (Stage.AT_REGENCY, "regency", "approve", {"role": "officer"}, "approval.role"),
    (Stage.AT_REGENCY, "regency", "approve", {"role": "admin"}, None),  # the province stands in
    (Stage.AT_PROVINCE, "province", "accept", {"role": "supervisor"}, "approval.role"),
    (Stage.AT_REGENCY, "province", "accept", {}, "approval.stage"),
    (Stage.AT_PROVINCE, "province", "accept", {}, None),
    (Stage.AT_PROVINCE, "province", "return", {}, None),
    (Stage.ACCEPTED, "province", "return", {}, "approval.locked"),
    (Stage.RETURNED, "regency", "approve", {}, "approval.stage"),
    (Stage.AT_REGENCY, "regency", "accept", {}, "approval.action"),
    (Stage.AT_REGENCY, "regency", "approve", {"finalised": False}, "approval.not_decided"),
    (Stage.AT_REGENCY, "regency", "approve", {"superseded": True}, "approval.not_decided"),
    (Stage.AT_REGENCY, "regency", "approve", {"verdict": "incomplete"}, "approval.not_decided"),
    (Stage.AT_REGENCY, "regency", "approve", {"quota_left": 1}, None),
    (Stage.AT_REGENCY, "regency", "approve", {"quota_left": 0}, "approval.quota"),
    # a not-eligible verdict uses no quota
    (Stage.AT_REGENCY, "regency", "approve", {"quota_left": 0, "verdict": "not_eligible"}, None),
])
def test_who_may_take_which_step(current, level, action, over, rule):
    found = _rules(current, level, action, **over)
    assert found == ([rule] if rule else [])


def test_quota_left_counts_what_was_sent_up():
    assert quota_left(None, 50) is None
    assert quota_left(2, 1) == 1 and quota_left(2, 2) == 0 and quota_left(0, 0) == 0


@pytest.mark.parametrize(("day", "rule"), [
    (date(2021, 3, 16), "round.not_open"), (date(2021, 3, 17), None),
    (date(2021, 12, 31), None), (date(2022, 1, 1), "round.closed"),
])
def test_a_round_takes_lists_from_its_open_day_to_its_close_day(day, rule):
    found = [p.rule for p in applicant_list.round_open_problems(ROUND, day)]
    assert found == ([rule] if rule else [])


def _check(*rows, listed=()):
    return applicant_list.check_list(
        [dict(r) for r in rows], rules=ROUND, regency_code="18.71",
        village_parent={"18.71.01.1003": "18.71.01", "18.71.02.1001": "18.71.02"},
        village_names={"18.71.01.1003": "Kedaton"}, districts=["18.71.01", "18.71.02", "18.06.01"],
        listed_niks=listed, today=date(2021, 6, 1))


def _row(n=1, **over):
    row = {"NIK": nik("18.71", n), "Nama": f"P {n}", "No HP": "081234567890"}
    row.update(over)
    return row


@pytest.mark.parametrize(("over", "rule"), [
    ({"No HP": "0" * 20}, None), ({"No HP": "0" * 21}, "list.phone_length"),
    ({"Kode Desa": "18.71.01.1003", "Kode Kecamatan": "18.71.02"}, "list.village_district"),
    ({"Kode Desa": "18.71.01.1003"}, None),
    ({"Kode Kecamatan": "18.06.01"}, "list.outside_regency"),
    ({"Kode Kecamatan": "18.99.01"}, "list.place_unknown"),
    ({"Alamat Usaha": "Pasar Tugu"}, "sku.missing"),
    ({"Alamat Usaha": "Pasar Tugu", "SKU": "470/12/2021"}, None),
    ({"No KK": "1871"}, "kk.length"),
    ({"No KK": "1871010101200000"}, None),  # serial 0000: only a warning for a KK
    ({"NIK": "1871014106900000"}, "nik.serial"),
])
def test_row_rules(over, rule):
    result = _check(_row(**over))
    assert [r.problem.rule for r in result.refused] == ([rule] if rule else [])
    if rule is None:
        assert result.accepted[0]["regency_code"] == "18.71"


def test_the_village_fills_its_district_and_name():
    accepted = _check(_row(**{"Kode Desa": "18.71.01.1003"})).accepted[0]
    assert (accepted["district_code"], accepted["village"]) == ("18.71.01", "Kedaton")


def test_missing_columns_are_named():
    with pytest.raises(ValueError) as missing:
        applicant_list.columns(["No", "Nama"])
    assert missing.value.args[0] == ["nik"]


def test_csv_with_bom_and_semicolons_and_a_bad_file(tmp_path):
    path = tmp_path / "daftar.csv"
    path.write_bytes("\ufeffNIK;Nama\n1871014106900001;Ani\n;\n".encode("utf-8"))
    assert read_table(path) == [{"NIK": "1871014106900001", "Nama": "Ani"}]
    broken = tmp_path / "daftar.xlsx"
    broken.write_bytes(b"not a zip")
    with pytest.raises(TableError, match="not a whole Excel"):
        read_table(broken)
    with pytest.raises(TableError, match="only .xlsx or .csv"):
        read_table(tmp_path / "daftar.ods")
