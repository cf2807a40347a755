"""The API docs page renders in headless Chromium with no network at all.

Every request the page makes is answered by the Django test client through a
Playwright route, and any request for another origin is refused and recorded:
the page must draw all four operations from /api/openapi.json with nothing but
this server (DESIGN.md: deployments in China often cannot reach foreign CDNs).
The screenshot lands in test-output/screenshots/api-docs.png.
"""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ORIGIN = "http://archive.test"
SCREENSHOT = Path(__file__).resolve().parents[1] / "test-output" / "screenshots" / "api-docs.png"

pytestmark = pytest.mark.browser


def test_the_api_docs_render_offline_in_chromium_from_local_assets(client):
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is missing: run `make system-deps`")
    from playwright.sync_api import expect, sync_playwright

    foreign: list[str] = []

    def answer(route):
        url = urlsplit(route.request.url)
        if f"{url.scheme}://{url.netloc}" != ORIGIN:
            foreign.append(route.request.url)
            return route.abort()
        response = client.get(f"{url.path}?{url.query}" if url.query else url.path)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return route.fulfill(status=response.status_code, headers=dict(response.items()), body=body)

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = chromium.new_page(viewport={"width": 1280, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.route("**/*", answer)
        page.goto(f"{ORIGIN}/api/docs")
        expect(page.locator(".swagger-ui .info .title")).to_contain_text("Talent Policy Archive")
        paths = page.locator(".opblock-summary-path")
        expect(paths).to_have_count(5)
        assert sorted(paths.all_inner_texts()) == [
            "/api/cities",
            "/api/compare",
            "/api/compare/applicant",
            "/api/reports/{report_id}",
            "/api/search",
        ]
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOT), full_page=True)
        chromium.close()
    assert foreign == []
    assert errors == []
