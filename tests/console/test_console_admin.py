"""Accounts, devices, assignments and the audit log in the console, in a
real browser, for each role: a supervisor and an admin create an officer
(whose one-time password must be replaced at the first sign-in) and
deactivate one, assign aid applicants to an officer, revoke a laptop and
read the audit log; an officer is refused every one of these pages and
actions, and so is another regency's supervisor for this regency's people
and records. One server and one browser for the module."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from server.tables import Assignment, AuditEvent, Device, Officer
from tests.support.console import (
    ADMIN, HOME, OFFICER, OTHER_SUPERVISOR, SUPERVISOR, browser_or_skip, console_world, sign_in,
    sign_out,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def world(tmp_path_factory):  # type: ignore[no-untyped-def]
    with console_world(tmp_path_factory.mktemp("console-admin")) as w:
        yield w


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    with browser_or_skip()() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                              args=["--no-sandbox"])
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())  # the confirm() of destructive buttons
    yield page
    context.close()


def officer(world, username: str) -> Officer | None:  # type: ignore[no-untyped-def]
    with world.server.database.session() as session:
        return session.scalar(select(Officer).where(Officer.username == username))


@pytest.mark.parametrize("manager, username, role, regency", [
    (SUPERVISOR, "petugas.baru.bdl", "officer", None),
    (ADMIN, "supervisor.baru.metro", "supervisor", "18.72"),
])
def test_a_manager_creates_an_officer_who_replaces_the_one_time_password(
        world, browser, page, manager, username, role, regency) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, world.url, manager)
    page.goto(world.url + "/console/officers")
    form = page.locator("#add-officer")
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=full_name]").fill("Rahmat Hidayat")
    if regency:
        form.locator("select[name=role]").select_option(role)
        form.locator("select[name=regency]").select_option(regency)
    form.locator("button.primary").click()
    page.wait_for_load_state("domcontentloaded")
    secret = page.locator("[data-secret]").inner_text().strip()
    assert len(secret) >= 10 and "/" not in page.url.split("/console/")[1]
    assert secret not in page.url
    made = officer(world, username)
    assert made is not None and made.role == role and made.must_change_password
    assert made.regency_code == (regency or HOME)
    # the new officer signs in with it and must choose a password first
    other = browser.new_context(viewport={"width": 1366, "height": 768}).new_page()
    sign_in(other, world.url, username, secret)
    assert other.url.endswith("/console/password")
    other.goto(world.url + "/console/records/businesses")
    assert other.url.endswith("/console/password")  # nothing else until it is replaced
    other.fill("input[name=current_password]", secret)
    other.fill("input[name=new_password]", "kopi-lampung-tanggamus-9")
    other.fill("input[name=repeat_password]", "kopi-lampung-tanggamus-9")
    other.click("form.stack button.primary")
    other.wait_for_url(re.compile(r".*/console/password\?done=1$"))
    other.goto(world.url + "/console/records/businesses")
    assert other.url.endswith("/console/records/businesses")
    other.context.close()
    assert not officer(world, username).must_change_password


@pytest.mark.parametrize("manager", [SUPERVISOR, ADMIN])
def test_a_manager_deactivates_an_officer_whose_sessions_end(world, browser, page,
                                                             manager) -> None:  # type: ignore[no-untyped-def]
    username = world.data.usernames[HOME][0 if manager == SUPERVISOR else 1]
    victim = browser.new_context().new_page()
    sign_in(victim, world.url, username, "province-data-2026")
    assert victim.url.endswith("/console/dashboard")
    sign_in(page, world.url, manager)
    page.goto(world.url + "/console/officers")
    row = page.locator(f"tr[data-username='{username}']")
    row.locator("button.danger").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator(".success").count() == 1
    assert officer(world, username).active is False
    victim.goto(world.url + "/console/dashboard")
    assert "/console/sign-in" in victim.url  # their console session ended at once
    victim.context.close()
    with world.server.database.session() as session:
        events = session.scalars(select(AuditEvent.action).where(
            AuditEvent.target_id == username)).all()
    assert "officer_deactivate" in events


def test_assigning_applicants_to_an_officer(world, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, world.url, SUPERVISOR)
    page.goto(world.url + "/console/assignments?kind=verification")
    picks = page.locator("#assign input[name=target]")
    assert picks.count() >= 2
    chosen = [picks.nth(i).get_attribute("value") for i in range(2)]
    for i in range(2):
        picks.nth(i).check()
    page.select_option("#assign select[name=officer]", label="Petugas Kota Bandar Lampung")
    page.fill("#assign input[name=due_date]", "2027-01-31")
    page.click("#assign button.primary")
    page.wait_for_url(re.compile(r".*/console/assignments\?.*done=2.*"))
    listed = page.locator("ul.assigned li")
    assert {listed.nth(i).get_attribute("data-target") for i in range(listed.count())} >= set(chosen)
    with world.server.database.session() as session:
        rows = session.scalars(select(Assignment).where(Assignment.target_id.in_(chosen))).all()
        target = session.scalar(select(Officer.id).where(Officer.username == OFFICER))
    assert {r.officer_id for r in rows} == {target} and {r.status for r in rows} == {"open"}
    assert all(str(r.due_date) == "2027-01-31" for r in rows)


def test_an_admin_assigns_in_a_chosen_regency_and_revokes_a_laptop(world, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, world.url, ADMIN)
    page.goto(world.url + "/console/assignments?kind=verification")
    assert page.locator("#assign").count() == 0  # a regency first
    page.select_option("select[name=regency]", "18.72")
    page.wait_for_url(re.compile(r".*regency=18\.72.*"))
    page.locator("#assign input[name=target]").first.check()
    page.locator("#assign select[name=officer] option").nth(1).wait_for(state="attached")
    officer_id = page.locator("#assign select[name=officer] option").nth(1).get_attribute("value")
    page.select_option("#assign select[name=officer]", officer_id)
    page.click("#assign button.primary")
    page.wait_for_url(re.compile(r".*done=1.*"))
    with world.server.database.session() as session:
        assert session.scalar(select(Assignment.regency_code).where(
            Assignment.officer_id == officer_id)) == "18.72"
        device_id = session.scalar(select(Device.id).join(
            Officer, Officer.id == Device.registered_by).where(Officer.regency_code == "18.72"))
    page.goto(world.url + "/console/devices")
    page.locator(f"form[action='/console/devices/{device_id}/revoke'] button").click()
    page.wait_for_url(re.compile(r".*/console/devices\?done=1$"))
    with world.server.database.session() as session:
        assert session.get(Device, device_id).revoked_at is not None


def test_the_audit_log_shows_what_managers_did(world, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, world.url, ADMIN)
    page.goto(world.url + "/console/audit")
    shown = set(page.locator("td[data-action]").evaluate_all(
        "cells => cells.map(c => c.dataset.action)"))
    assert {"sign_in", "officer_add", "officer_deactivate", "assignment_add"} <= shown
    assert "Akun dinonaktifkan" in page.locator("table.audit").inner_text()
    page.select_option("select[name=action]", "sign_in")
    page.click("form.filters button.primary")
    page.wait_for_load_state("domcontentloaded")
    actions = set(page.locator("td[data-action]").evaluate_all(
        "cells => cells.map(c => c.dataset.action)"))
    assert actions == {"sign_in"}
    for _id, nik, _name, _r in world.data.sample_businesses:
        assert nik not in page.content()


def test_an_officer_is_refused_every_management_page_and_action(world, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, world.url, OFFICER)
    for path in ("/console/officers", "/console/devices", "/console/assignments", "/console/audit"):
        assert page.goto(world.url + path).status == 403, path
        assert page.locator(f"nav a[href='{path}']").count() == 0
    token = page.locator("input[name=csrf]").first.get_attribute("value")
    target = world.data.usernames[HOME][1]
    for path, form in (("/console/officers", {"username": "petugas.siluman", "full_name": "X"}),
                       (f"/console/officers/{target}/reset", {}),
                       ("/console/assignments", {"kind": "verification",
                                                 "target": world.applicant()[0]})):
        assert page.request.post(world.url + path, form={"csrf": token, **form}).status == 403
    assert officer(world, "petugas.siluman") is None


def test_another_regencys_supervisor_cannot_touch_this_regencys_people(world, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, world.url, OTHER_SUPERVISOR)
    page.goto(world.url + "/console/officers")
    shown = set(page.locator("td[data-label='Nama pengguna']").all_inner_texts())
    assert shown and not any(".bandarlampung" in u for u in shown)
    token = page.locator("input[name=csrf]").first.get_attribute("value")
    victim = OFFICER
    answer = page.request.post(world.url + f"/console/officers/{victim}/deactivate",
                               form={"csrf": token})
    assert answer.status == 403
    assert officer(world, victim).active
    answer = page.request.post(world.url + "/console/assignments", form={
        "csrf": token, "kind": "verification", "target": world.applicant(HOME)[0],
        "officer": officer(world, "petugas.tanggamus").id})
    assert answer.status in (403, 422)
    with world.server.database.session() as session:
        assert session.scalar(select(Assignment.id).where(
            Assignment.target_id == world.applicant(HOME)[0])) is None
    for path in (f"/console/officers?regency={HOME}", f"/console/assignments?regency={HOME}",
                 f"/console/audit?regency={HOME}"):
        assert page.goto(world.url + path).status == 403, path


def workbook(path, rows: list[list[str]]):  # type: ignore[no-untyped-def]
    """An .xlsx as an office makes one: a heading row, then the rows."""
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def upload(page, action: str, path, *, check_only: bool = False) -> None:  # type: ignore[no-untyped-def]
    """Choose the file and press Import, as a person does on the page."""
    form = page.locator(f"form#sheet-form[action='{action}']")
    form.locator("input[type=file]").set_input_files(str(path))
    if check_only:
        form.locator("input[name=check_only]").check()
    form.locator("button.primary").click()
    page.locator("#sheet-result").wait_for()


def test_a_supervisor_imports_officers_from_a_spreadsheet_all_or_nothing(
        world, page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Checked first (nothing saved), then imported: each new officer's
    one-time password shown once on the page. A file with one bad row (an
    account for another regency) saves nothing and names the row."""
    heading = ["username", "nama lengkap", "peran", "kode kabupaten"]
    good = workbook(tmp_path / "petugas.xlsx", [
        heading, ["petugas.impor.satu", "Impor Satu", "officer", HOME],
        ["petugas.impor.dua", "Impor Dua", "officer", HOME]])
    sign_in(page, world.url, SUPERVISOR)
    page.goto(world.url + "/console/officers")
    upload(page, "/console/officers/import", good, check_only=True)
    assert "belum ada yang disimpan" in page.locator("#sheet-result").inner_text()
    assert officer(world, "petugas.impor.satu") is None
    upload(page, "/console/officers/import", good)
    shown = page.locator("#one-time-list tbody tr")
    assert shown.count() == 2 and "petugas.impor.dua" in shown.nth(1).inner_text()
    made = officer(world, "petugas.impor.satu")
    assert made is not None and made.regency_code == HOME and made.must_change_password
    with world.server.database.session() as session:
        assert session.scalar(select(AuditEvent.id).where(
            AuditEvent.action == "officer_import")) is not None

    bad = workbook(tmp_path / "salah.xlsx", [
        heading, ["petugas.impor.tiga", "Impor Tiga", "officer", HOME],
        ["petugas.impor.empat", "Impor Empat", "officer", "18.06"]])
    page.goto(world.url + "/console/officers")
    upload(page, "/console/officers/import", bad)
    result = page.locator("#sheet-result").inner_text()
    assert "baris 3" in result and "Tidak ada yang diimpor" in result
    assert page.locator("#one-time-list").count() == 0
    assert officer(world, "petugas.impor.tiga") is None and officer(world, "petugas.impor.empat") is None


def test_a_supervisor_imports_assignments_and_an_officer_may_not(world, page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A spreadsheet of visits to make, assigned in one go; the same upload
    from an officer is refused and assigns nothing."""
    target = world.business()[0]
    sheet = workbook(tmp_path / "tugas.xlsx", [["jenis", "rekaman", "petugas", "tenggat"],
                                               ["survey", target, OFFICER, "2027-02-28"]])
    sign_in(page, world.url, OFFICER)
    token = page.locator("input[name=csrf]").first.get_attribute("value")
    answer = page.request.post(world.url + "/console/assignments/import", multipart={
        "csrf": token, "file": {"name": "tugas.xlsx", "mimeType": "application/octet-stream",
                                "buffer": sheet.read_bytes()}})
    assert answer.status == 403
    with world.server.database.session() as session:
        assert session.scalar(select(Assignment.id).where(Assignment.target_id == target)) is None

    sign_out(page)
    sign_in(page, world.url, SUPERVISOR)
    page.goto(world.url + "/console/assignments?kind=survey")
    upload(page, "/console/assignments/import", sheet)
    assert "Berkas diimpor" in page.locator("#sheet-result").inner_text()
    with world.server.database.session() as session:
        row = session.scalar(select(Assignment).where(Assignment.target_id == target))
        assert row is not None and str(row.due_date) == "2027-02-28" and row.status == "open"


def test_a_file_that_is_no_spreadsheet_is_refused_in_words(world, page, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A text file renamed .xlsx: the page says the file cannot be read,
    names no row, and nothing is saved; the form is there to try again."""
    junk = tmp_path / "petugas.xlsx"
    junk.write_text("username,nama\npetugas.palsu,Palsu\n")
    sign_in(page, world.url, SUPERVISOR)
    page.goto(world.url + "/console/officers")
    upload(page, "/console/officers/import", junk)
    result = page.locator("#sheet-result [role=alert]").inner_text()
    assert "bukan lembar kerja Excel (.xlsx)" in result and "Simpan ulang sebagai .xlsx" in result
    assert page.locator("#one-time-list").count() == 0
    assert page.locator("form#sheet-form input[type=file]").count() == 1
    assert officer(world, "petugas.palsu") is None
