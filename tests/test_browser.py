"""The server's pages in a real browser: Debian's Chromium, headless, driven by Playwright.

Chromium is installed from Debian's packages when missing (we run as root); when it cannot
be, the tests are skipped and say why. Screenshots go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DATA, REPO, LiveServer

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"


def _install_chromium() -> str | None:
    """Install Debian's chromium if missing; the reason it is not there, or None."""
    if CHROMIUM.exists():
        return None
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        return "no /usr/bin/chromium, and no apt-get as root to install it"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        done = subprocess.run(command, capture_output=True, text=True, env=env, timeout=900, check=False)
        if done.returncode != 0:
            return f"cannot install chromium ({' '.join(command)}: {done.stderr.strip()[-300:]})"
    return None if CHROMIUM.exists() else "chromium installed, but /usr/bin/chromium is missing"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    reason = _install_chromium()
    if reason:
        pytest.skip(reason)
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture()
def page(browser: Any, tmp_path: Path) -> Iterator[Any]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1200, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_a_resource_page_and_a_link_from_it(live_server: LiveServer, page: Any) -> None:
    page.goto(f"{live_server.url}/id/instrument/att")
    assert page.locator("h1#label").inner_text() == "ATT"
    assert page.locator("table#outgoing").is_visible()
    shot(page, "resource-att")
    session = page.locator("table#incoming a", has_text="Monitoring, Criminalization").first
    session.click()
    page.wait_for_url("**/session/5")
    assert "Monitoring, Criminalization" in page.locator("h1#label").inner_text()
    assert page.locator("table#evidence blockquote").count() > 0
    shot(page, "resource-session")


def test_a_saved_query_from_its_form_and_its_csv(live_server: LiveServer, page: Any, tmp_path: Path) -> None:
    page.goto(f"{live_server.url}/queries")
    page.click("text=sessions-covering-instrument")
    page.fill("#param-instrument", "ATT")
    page.click("#run")
    page.wait_for_selector("table#results")
    assert "Monitoring, Criminalization" in page.locator("table#results").inner_text()
    assert "instrument=ATT" in page.url  # the address of the run is its permanent link
    shot(page, "query-results")
    with page.expect_download() as download_info:
        page.click("#download-csv")
    saved = tmp_path / "answer.csv"
    download_info.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text())))
    assert rows and rows[0]["title"].startswith("Monitoring")


def test_a_bad_file_uploaded_to_validate(live_server: LiveServer, page: Any) -> None:
    page.goto(f"{live_server.url}/validate")
    page.set_input_files("#file", str(DATA / "quarantine" / "partner-events.ttl"))
    page.click("#check")
    page.wait_for_selector("#report")
    report = page.locator("#report").inner_text()
    assert "violation" in report and "endDate" in report
    shot(page, "validate-report")
