"""The compare page for three seed cities in headless Chromium (issue 5)."""

import pytest

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
