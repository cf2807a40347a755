"""Headless Chromium (Debian's, never a Playwright download) against the live server.

The live server needs committed data, so these tests are transactional: the
database is flushed after each one, which also empties the gazetteer that a data
migration loaded. Each test reloads it before it starts (``seeded``) and the root
conftest's teardown hook reloads it after the flush, so tests that run later, in
any order, still find it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command

from archive.models import Report

from ..conftest import SEEDS_DIR, ensure_gazetteer

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"


@pytest.fixture
def seeded(transactional_db) -> dict[str, int]:
    """The gazetteer and the five seeds, committed; report ids by file prefix."""
    ensure_gazetteer()
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("import_reports", *sorted(map(str, SEEDS_DIR.glob("*.txt"))), **quiet)
    return {r.original_name.rsplit("/", 1)[-1][:3]: r.pk for r in Report.objects.all()}


@pytest.fixture
def browser(seeded) -> Iterator:
    """A headless Chromium; started after the data is in, closed before the flush."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is missing: run `make system-deps`")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server):
    """``new_page(locale=..., javascript=...)``: a page whose console errors are kept."""

    def make(locale: str = "zh-CN", javascript: bool = True):
        context = browser.new_context(
            locale=locale,
            viewport={"width": 1280, "height": 900},
            java_script_enabled=javascript,
            base_url=live_server.url,
            accept_downloads=True,
        )
        page = context.new_page()
        page.errors = []
        page.on("console", lambda m: m.type == "error" and page.errors.append(m.text))
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        return page

    return make


@pytest.fixture
def screenshot():
    """``screenshot(page, "name")``: a full-page PNG under test-output/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
