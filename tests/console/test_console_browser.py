"""The web console in a real browser (Debian's chromium driven by
Playwright) against a server on loopback, for each role: sign in, find a
record by NIK, open its history, settle a conflict, export a table and read
the file back; and every page and action refused to another regency's
account. One server and one browser for the module."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from desktop_app.models import CooperativeAudit
from desktop_app.sheets.columns import SURVEY_COLUMNS
from server.tables import Conflict
from tests.support.console import (
    ADMIN, HOME, OFFICER, OTHER_SUPERVISOR, SUPERVISOR, browser_or_skip, console_world, sign_in,
    sign_out,
)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def world(tmp_path_factory):  # type: ignore[no-untyped-def]
    with console_world(tmp_path_factory.mktemp("console")) as w:
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
    context = browser.new_context(viewport={"width": 1366, "height": 768}, accept_downloads=True)
    page = context.new_page()
    yield page
    context.close()


def csrf_of(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("input[name=csrf]").first.get_attribute("value")


def test_the_servers_address_gives_the_sign_in_page(world, page) -> None:  # type: ignore[no-untyped-def]
    page.goto(world.url + "/")
    assert page.url.endswith("/console/")
    assert page.locator("h1").inner_text() == "Masuk ke konsol"
    page.click("a.lang-link")
    assert page.locator("h1").inner_text() == "Sign in to the console"


def test_a_wrong_password_is_refused_in_words(world, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, world.url, SUPERVISOR, "not-the-password")
    assert "/console/sign-in" in page.url or page.url.endswith("/console/")
    assert "kata sandi salah" in page.locator(".error").inner_text()


@pytest.mark.parametrize("username, whole_nik", [(OFFICER, False), (SUPERVISOR, True),
                                                  (ADMIN, True)])
def test_each_role_finds_a_record_by_nik_and_opens_its_history(world, page, username,
                                                               whole_nik) -> None:  # type: ignore[no-untyped-def]
    record_id, nik, name, _regency = world.business()
    sign_in(page, world.url, username)
    assert page.url.endswith("/console/dashboard")
    page.goto(world.url + "/console/records/businesses")
    page.fill("input[name=q]", nik)
    page.press("input[name=q]", "Enter")
    page.wait_for_load_state("domcontentloaded")
    assert nik not in page.url  # searched by POST: the NIK is in no address
    rows = page.locator("table.records tbody tr")
    assert rows.count() == 1
    assert name in rows.first.inner_text()
    assert nik not in page.content()  # the list shows it masked
    assert f"{nik[:4]}********{nik[-4:]}" in rows.first.inner_text()
    rows.first.locator("a").first.click()
    page.wait_for_url(re.compile(rf".*/console/records/businesses/{record_id}$"))
    assert (nik in page.content()) is whole_nik
    photo = page.locator(f"img[src='/console/photos/{world.photo}']")
    assert photo.evaluate("img => img.complete && img.naturalWidth") == 320
    history = page.locator("#history").inner_text()
    assert "dibuat" in history and "Nama" in history
    sign_out(page)
    page.goto(world.url + f"/console/records/businesses/{record_id}")
    assert "/console/sign-in" in page.url  # signed out: the old session opens nothing


def _audit_findings(world, conflict_id: str) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    with world.server.database.session() as session:
        conflict = session.get(Conflict, conflict_id)
        audit = session.get(CooperativeAudit, conflict.row_id)
        return conflict.status, audit.findings


@pytest.mark.parametrize("username, choice, index", [(SUPERVISOR, "kept", 0),
                                                      (SUPERVISOR, "typed", 1),
                                                      (ADMIN, "other", 2)])
def test_supervisors_and_admins_settle_a_conflict(world, page, username, choice, index) -> None:  # type: ignore[no-untyped-def]
    conflict_id = world.conflicts[index]
    sign_in(page, world.url, username)
    page.goto(world.url + "/console/conflicts")
    card = page.locator(f"#c-{conflict_id}")
    kept = card.locator("[data-value=kept]").inner_text()
    other = card.locator("[data-value=other]").inner_text()
    assert kept != other and "Pembukuan" in kept
    if choice == "typed":
        card.locator("input[name=value]").fill("Diperiksa ulang oleh supervisor")
        card.locator("button[value=typed]").click()
        expected = "Diperiksa ulang oleh supervisor"
    else:
        card.locator(f"button[value={choice}]").click()
        expected = kept if choice == "kept" else other
    page.wait_for_url(re.compile(r".*/console/conflicts\?done=1$"))
    assert page.locator(".success").count() == 1
    assert page.locator(f"#c-{conflict_id}").count() == 0
    assert _audit_findings(world, conflict_id) == ("settled", expected)


def test_an_officer_may_not_see_or_settle_conflicts(world, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, world.url, OFFICER)
    assert page.locator("nav a[href='/console/conflicts']").count() == 0
    response = page.goto(world.url + "/console/conflicts")
    assert response.status == 403
    token = csrf_of(page)
    answer = page.request.post(world.url + f"/console/conflicts/{world.conflicts[3]}",
                               form={"csrf": token, "choice": "kept"})
    assert answer.status == 403
    assert _audit_findings(world, world.conflicts[3])[0] == "open"


@pytest.mark.parametrize("username", [SUPERVISOR, ADMIN])
def test_an_export_of_a_filtered_table_reads_back(world, page, username) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, world.url, username)
    page.goto(world.url + f"/console/records/surveys?regency={HOME}&status=finalised")
    total = int(page.locator("[data-total]").get_attribute("data-total"))
    assert total > 0
    with page.expect_download() as download:
        page.click("button.export")
    data = download.value.path().read_bytes()
    sheet = load_workbook(BytesIO(data), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    header_at = next(i for i, r in enumerate(rows) if r and r[0] == "No")
    assert list(rows[header_at][1:]) == [c.header for c in SURVEY_COLUMNS]
    body = [r for r in rows[header_at + 1:] if r and r[0] is not None]
    assert len(body) == total
    status_col = 1 + [c.header for c in SURVEY_COLUMNS].index("Status data")
    regency_col = 1 + [c.header for c in SURVEY_COLUMNS].index("Kabupaten/kota")
    assert {r[status_col] for r in body} == {"Final"}
    assert {r[regency_col] for r in body} == {"Kota Bandar Lampung"}
    nik_col = 1 + [c.header for c in SURVEY_COLUMNS].index("NIK pemilik")
    assert all(isinstance(r[nik_col], str) and len(r[nik_col]) == 16 for r in body)


def test_an_officer_has_no_export(world, page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, world.url, OFFICER)
    page.goto(world.url + "/console/records/surveys")
    assert page.locator("button.export").count() == 0
    answer = page.request.post(world.url + "/console/export/surveys", form={"csrf": csrf_of(page)})
    assert answer.status == 403


def test_another_regencys_account_is_refused_everywhere(world, page) -> None:  # type: ignore[no-untyped-def]
    record_id, _nik, _name, _r = world.business(HOME)
    applicant_id = world.applicant(HOME)[0]
    with world.server.database.session() as session:
        survey = session.execute(select(CooperativeAudit.id).where(
            CooperativeAudit.regency_code == HOME)).scalars().first()
    sign_in(page, world.url, OTHER_SUPERVISOR)
    for path in (f"/console/records/businesses/{record_id}", f"/console/photos/{world.photo}",
                 f"/console/records/applicants/{applicant_id}",
                 f"/console/records/audits/{survey}",
                 f"/console/records/businesses?regency={HOME}",
                 f"/console/records/surveys?regency={HOME}",
                 f"/console/dashboard?regency={HOME}"):
        response = page.goto(world.url + path)
        assert response.status == 403, path
        if "photos" not in path:
            assert "kabupaten/kota lain" in page.content()
    page.goto(world.url + "/console/conflicts")
    assert page.locator(f"#c-{world.conflicts[3]}").count() == 0  # not listed
    token = csrf_of(page)
    for path, form in ((f"/console/conflicts/{world.conflicts[3]}", {"choice": "kept"}),
                       ("/console/export/businesses", {"regency": HOME}),
                       ("/console/records/businesses", {"regency": HOME, "q": "Warung"})):
        answer = page.request.post(world.url + path, form={"csrf": token, **form})
        assert answer.status == 403, path
    assert _audit_findings(world, world.conflicts[3])[0] == "open"
    # their own regency's table shows only their regency
    page.goto(world.url + "/console/records/businesses")
    regencies = set(page.locator("td[data-label='Kabupaten/kota']").all_inner_texts())
    assert regencies == {"Tanggamus"}


def test_the_dashboard_shows_the_shared_figures_per_regency_and_for_lampung(world, page) -> None:  # type: ignore[no-untyped-def]
    """The numbers are the laptop's (desktop_app/models/dashboard.py) over the
    server's data, for all Lampung and for one regency chosen in the page."""
    from datetime import date

    from desktop_app.models.dashboard import figures

    with world.server.database.session() as session:
        expected = {None: figures(session, None, today=date.today()),
                    HOME: figures(session, HOME, today=date.today())}
    sign_in(page, world.url, ADMIN)
    for regency in (None, HOME):
        if regency:
            page.select_option("select[name=regency]", regency)  # applies at once (console.js)
            page.wait_for_url(re.compile(rf".*regency={re.escape(regency)}.*"))
        shown = {el.get_attribute("data-figure"): el.inner_text()
                 for el in page.locator("[data-figure]").all()}
        figs = expected[regency]
        assert shown["surveys_done"] == f"{figs.surveys_done:,}".replace(",", ".")
        assert shown["surveyed_businesses"] == f"{figs.surveyed_businesses:,}".replace(",", ".")
        assert shown["audited_cooperatives"] == str(figs.audited_cooperatives)
        assert shown["verified_applicants"] == str(figs.verified_applicants)
        assert figs.surveys_done > 0
        assert page.locator("svg.chart").count() >= 4
    assert expected[HOME].surveys_done < expected[None].surveys_done
