"""The search page on a phone (390 px wide) and a desktop in headless Chromium.

Issue 16: at 390 px about 40 facet links came before the first result. The
facets now fold behind one <details> below 600 px; screenshots are saved under
test-output/screenshots/ for a person to look at.
"""

import pytest
from playwright.sync_api import expect

from ..conftest import rebuild_index

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture(autouse=True)
def indexed(seeded):
    """The index rebuilt from this test's reports (an earlier test's may linger)."""
    rebuild_index()


def phone_page(browser, live_server):
    context = browser.new_context(locale="zh-CN", viewport=PHONE, base_url=live_server.url)
    return context.new_page()


def test_the_first_result_is_on_the_first_screen_of_a_phone(
    browser, live_server, screenshot, seeded
):
    page = phone_page(browser, live_server)
    page.goto("/search/?q=人才")
    first = page.locator(".hits .hit").first
    expect(first).to_be_visible()
    box = first.bounding_box()
    assert box is not None and box["y"] + 60 < PHONE["height"], box
    expect(page.locator("h1")).to_have_text("“人才”的检索结果")
    panel = page.locator("details.facet-panel")
    expect(panel).not_to_have_attribute("open", "")
    expect(page.locator(".facet a").first).not_to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "search-390-folded")

    panel.locator("summary").click()
    expect(page.locator(".facet-province a").first).to_be_visible()
    screenshot(page, "search-390-facets-open")


def test_the_facets_are_a_sidebar_on_a_desktop(new_page, screenshot, seeded):
    page = new_page()
    page.goto("/search/?q=人才&sort=newest&year_from=2022")
    expect(page.locator(".facet-province a").first).to_be_visible()
    expect(page.locator("details.advanced")).to_have_attribute("open", "")
    expect(page.locator("#search-year_from")).to_have_value("2022")
    expect(page.locator(".hits .hit")).to_have_count(4)
    expect(page.locator("details.facet-panel > summary")).not_to_be_visible()
    expect(page.locator(".sorts a.current")).to_have_text("最新")
    assert not page.errors
    screenshot(page, "search-desktop")


def test_the_facets_fold_without_javascript_too(browser, live_server, seeded):
    context = browser.new_context(
        viewport=PHONE, java_script_enabled=False, base_url=live_server.url
    )
    page = context.new_page()
    page.goto("/search/?q=人才")
    expect(page.locator(".facet a").first).not_to_be_visible()
    expect(page.locator(".hits .hit").first).to_be_in_viewport()


def test_the_synonyms_searched_are_shown_with_a_way_to_search_exactly(new_page, screenshot, seeded):
    """购房补贴 also searches 购房补助 (seed 004 writes it): the page says so, and one
    click searches only the words typed."""
    page = new_page()
    page.goto("/search/?q=购房补贴")
    expanded = page.locator("p.expanded")
    expect(expanded).to_contain_text("也搜索了：")
    expect(expanded).to_contain_text("购房补助")
    widened = page.locator(".hits .hit").count()
    screenshot(page, "search-synonyms")
    expanded.get_by_role("link", name="只搜索输入的词").click()
    expect(page.locator("p.expanded")).to_have_count(0)
    assert "exact=1" in page.url
    assert page.locator(".hits .hit").count() < widened
    assert not page.errors
