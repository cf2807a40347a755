"""The compare page for three seed cities in headless Chromium (issue 5)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_three_seed_cities_side_by_side_with_a_term_chart(new_page, screenshot, seeded):
    page = new_page()
    page.goto("/compare/?cities=泸州市,兰州市,呼和浩特市&terms=人才公寓 补贴")
    table = page.locator("table.compare-table").first
    assert table.locator("thead th").nth(1).inner_text().startswith("泸州市")
    row = table.locator('tr[data-dimension="purchase_subsidy"][data-kind="per_person"]')
    assert "25萬元" in row.inner_text()  # as the report wrote it (issue 17)
    page.wait_for_selector("#term-chart canvas")
    screenshot(page, "compare-three-cities")
    row.locator("a", has_text="25萬元").first.click()
    page.wait_for_url("**/reports/*/#fig-*")
    target = page.url.rsplit("#", 1)[1]
    assert "25萬元" in page.locator(f"#{target}").inner_text()
    screenshot(page, "compare-figure-in-report")
    assert page.errors == []


def test_another_n_opens_in_place_and_works_without_javascript(
    browser, live_server, new_page, screenshot, seeded
):
    """ "另有 N 项" fetches the cell's other figures into it (static/js/compare-more.js);
    without JavaScript its link opens them on a page of their own."""
    page = new_page()
    page.goto("/compare/?cities=泸州市,兰州市,呼和浩特市")
    more = page.locator("details[data-more]").first
    summary = more.locator("summary").inner_text()
    hidden = int("".join(ch for ch in summary if ch.isdigit()))
    assert more.locator("li.figure").count() == 0
    more.locator("summary").click()
    expect(more.locator("li.figure")).to_have_count(hidden)
    expect(more).to_have_attribute("data-loaded", "yes")
    expect(more.locator("li.figure a").first).to_have_attribute("href", re.compile(r"#fig-\d+$"))
    more.scroll_into_view_if_needed()
    screenshot(page, "compare-another-n-open")
    assert page.errors == []

    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    plain = context.new_page()
    plain.goto("/compare/?cities=泸州市,兰州市,呼和浩特市")
    box = plain.locator("details[data-more]").first
    box.locator("summary").click()
    box.locator(".more-slot a").click()
    plain.wait_for_url("**/compare/more/?*")
    expect(plain.locator("#more-figures li.figure")).to_have_count(hidden)
    context.close()
