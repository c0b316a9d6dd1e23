"""Every console page at an office PC's 1366x768 and at a phone's 390 px,
in a real browser. Each page must render without a horizontal scroll bar at
either width (a cramped page fails here), and show no raw message key.
`make screenshots` runs this file with TAPIS_SCREENSHOTS=docs/screenshots to
refresh docs/screenshots/console-*.png, which the README shows; otherwise
the pictures go to a temporary folder."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from server.console.i18n import TEXT
from tests.support.console import (
    ADMIN, HOME, OFFICER, SUPERVISOR, browser_or_skip, console_world, sign_in,
)

pytestmark = pytest.mark.slow
WIDTHS = {"wide": (1366, 768), "phone": (390, 844)}
LONG = ("businesses", "surveys", "cooperatives", "audits", "applicants", "verifications",
        "devices", "audit-log", "business", "applicant")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = os.environ.get("TAPIS_SCREENSHOTS")
    path = Path(target) if target else tmp_path_factory.mktemp("console-screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="module")
def world(tmp_path_factory):  # type: ignore[no-untyped-def]
    with console_world(tmp_path_factory.mktemp("console-shots")) as w:
        yield w


@pytest.fixture(scope="module")
def browser():  # type: ignore[no-untyped-def]
    with browser_or_skip()() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium",
                                              args=["--no-sandbox"])
        yield chromium
        chromium.close()


def pages(world) -> list[tuple[str, str | None, str]]:  # type: ignore[no-untyped-def]
    """(picture name, who is signed in, path)."""
    business = world.business()[0]
    applicant = world.applicant()[0]
    return [
        ("sign-in", None, "/"),
        ("dashboard-lampung", ADMIN, "/console/dashboard"),
        ("dashboard-regency", SUPERVISOR, "/console/dashboard"),
        ("businesses", SUPERVISOR, "/console/records/businesses"),
        ("surveys", ADMIN, "/console/records/surveys"),
        ("cooperatives", OFFICER, "/console/records/cooperatives"),
        ("audits", SUPERVISOR, "/console/records/audits"),
        ("applicants", SUPERVISOR, "/console/records/applicants"),
        ("verifications", SUPERVISOR, "/console/records/verifications"),
        ("business", SUPERVISOR, f"/console/records/businesses/{business}"),
        ("applicant", OFFICER, f"/console/records/applicants/{applicant}"),
        ("conflicts", SUPERVISOR, "/console/conflicts"),
        ("password", OFFICER, "/console/password"),
        ("refused", OFFICER, "/console/conflicts"),
        ("officers", SUPERVISOR, "/console/officers"),
        ("devices", ADMIN, "/console/devices?regency=18.71"),
        ("assignments", SUPERVISOR, "/console/assignments"),
        ("audit-log", ADMIN, "/console/audit"),
    ]


@pytest.mark.parametrize("width", list(WIDTHS))
def test_every_page_fits_and_is_pictured(world, browser, folder, width) -> None:  # type: ignore[no-untyped-def]
    w, h = WIDTHS[width]
    contexts = {}
    try:
        for name, who, path in pages(world):
            if who not in contexts:
                context = browser.new_context(viewport={"width": w, "height": h})
                page = context.new_page()
                if who:
                    sign_in(page, world.url, who)
                contexts[who] = page
            page = contexts[who]
            page.goto(world.url + path)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            assert overflow <= 0, f"{name} at {width} scrolls sideways by {overflow}px"
            text = page.locator("body").inner_text()
            raw = [k for k in TEXT if re.search(rf"(?<![\w.]){re.escape(k)}(?![\w.])", text)
                   and "_" in k]
            assert raw == [], f"{name} shows raw keys {raw}"
            # a phone's picture shows the whole page, but for the long lists (their top)
            page.screenshot(path=str(folder / f"console-{name}-{width}.png"),
                            full_page=width == "phone" and name not in LONG)
    finally:
        for page in contexts.values():
            page.context.close()
