"""The office's files from the Reports page: the survey list as Excel (NIK
kept whole as text), the regency summary as PDF, and a sync bundle for an
officer without a connection, or a plain word when there is nothing to send."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from desktop_app.store import migrate
from desktop_app.protocol.bundle import read_header
from desktop_app.ui import i18n
from desktop_app.ui.reports_page import ReportsPage
from tests.services.services_forms import NIK_SITI, business_form, survey_form
from tests.support.gui import make_context, officer
from tests.support.laptops import PASSWORD, Laptop


@pytest.fixture
def blob_dir(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TAPIS_BLOB_DIR", str(tmp_path / "server-blobs"))


@pytest.fixture
def field(sync_server, tmp_path: Path, blob_dir, indonesian) -> Iterator[Laptop]:  # type: ignore[no-untyped-def]
    """The laptop of an officer of Kota Bandar Lampung after one online sign-in:
    it holds the regency's bundle key and its registered signing key."""
    from desktop_app.sync.bundle_keys import remember_keys
    from desktop_app.sync.device_signing import register_if_needed

    laptop = Laptop(tmp_path / "field", sync_server.url, "petugas.bandarlampung")
    remember_keys(laptop.store, laptop.client.login("petugas.bandarlampung", PASSWORD,
                                                    device_name="field"))
    assert register_if_needed(laptop.store, laptop.client)
    yield laptop
    laptop.client.close()


def reports_page(qtbot, ctx) -> ReportsPage:  # type: ignore[no-untyped-def]
    page = ReportsPage(ctx, window=None)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitUntil(lambda: page.regency.currentData() == "18.71")  # the officer's own, once read
    return page


def gui_of(laptop: Laptop):  # type: ignore[no-untyped-def]
    account = officer(officer_id=laptop.officer.id)
    return make_context(laptop.store.data_dir, store=laptop.store, account=account)


pytestmark = pytest.mark.usefixtures("indonesian")


def surveyed(ctx) -> None:  # type: ignore[no-untyped-def]
    from desktop_app.services import records

    business_id = records.save(ctx.store, ctx.actor, "business", business_form()).record["id"]
    records.save(ctx.store, ctx.actor, "umkm_survey", survey_form(business_id))


def test_the_survey_list_exports_to_excel_with_the_whole_nik(qtbot, ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The clerk opens the workbook: one survey, NIK as 16-digit text."""
    surveyed(ctx)
    page = reports_page(qtbot, ctx)
    assert page.job.currentData() == "surveys" and page.format.currentData() == "xlsx"
    out = tmp_path / "survei.xlsx"
    page.export_to(out)
    qtbot.waitUntil(lambda: page.export_button.isEnabled() and str(out) in page.export_note.text())
    sheet = openpyxl.load_workbook(out).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    nik = sheet.cell(row=2, column=header.index("NIK pemilik") + 1)
    assert nik.value == NIK_SITI and nik.data_type == "s"
    assert sheet.max_row == 2
    assert page.export_note.text().startswith("1 ")


def test_the_regency_summary_is_a_readable_pdf(qtbot, ctx, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """One page for Kota Bandar Lampung, its name in the text."""
    surveyed(ctx)
    page = reports_page(qtbot, ctx)
    out = tmp_path / "ringkasan.pdf"
    page.summary_to(out)
    qtbot.waitUntil(lambda: page.summary_button.isEnabled() and str(out) in page.export_note.text())
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).split())
    assert "Bandar Lampung" in text


def test_a_laptop_without_a_key_is_told_to_sign_in_once(qtbot, ctx, tmp_path, modal_dialogs) -> None:  # type: ignore[no-untyped-def]
    """No online sign-in yet: the refusal says what to do, and no file is left."""
    modal_dialogs.allow_errors = True
    surveyed(ctx)
    page = reports_page(qtbot, ctx)
    out = tmp_path / "stick" / "x.tapisbundle"
    out.parent.mkdir()
    page.bundle_to(out)
    qtbot.waitUntil(lambda: bool(modal_dialogs.errors) and page.bundle_button.isEnabled())
    assert "Masuk sekali secara daring" in i18n.message_of(modal_dialogs.errors[0])
    assert list(out.parent.iterdir()) == []


@pytest.mark.parametrize("sync_server", ["sqlite"], indirect=True)
def test_a_bundle_carries_the_unsent_work(qtbot, field, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """Signed in once, then offline: the bundle holds the unsent changes;
    once they are synced, the page says there is nothing to send."""
    ctx = gui_of(field)
    try:
        surveyed(ctx)
        page = reports_page(qtbot, ctx)
        out = tmp_path / "stick.tapisbundle"
        page.bundle_to(out)
        qtbot.waitUntil(lambda: page.bundle_button.isEnabled() and str(out) in page.bundle_note.text())
        assert read_header(out.read_bytes(), migrate.revisions()).changes == 2  # the business and its survey
        assert page.bundle_note.text().startswith("2 perubahan")

        ctx.runner.wait()
        field.sync()  # the link came back
        page.bundle_to(tmp_path / "again.tapisbundle")
        qtbot.waitUntil(lambda: "Tidak ada perubahan" in page.bundle_note.text())
        assert page.bundle_button.isEnabled() and not (tmp_path / "again.tapisbundle").exists()
    finally:
        ctx.runner.wait()
        ctx.store.close()
