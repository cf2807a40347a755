"""A newcomer's paths through the archive in headless Chromium (issue 4).

Each test saves full-page screenshots under test-output/screenshots/ so a person
can look at what a reader sees (CJK glyphs, charts, overflow).
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ..conftest import seed_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_horizontal_overflow(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_home_to_a_province_to_luzhou_to_its_report_in_simplified_and_the_original(
    new_page, screenshot, seeded
):
    page = new_page()
    page.goto("/")
    expect(page.locator(".chart svg")).to_have_count(2)  # ECharts drew both charts
    expect(page.locator("[data-chart='chart-provinces'] svg")).to_contain_text("四川省")
    assert no_horizontal_overflow(page)
    screenshot(page, "1-home")

    page.locator(".browse-provinces").get_by_role("link", name="四川省").click()
    expect(page).to_have_url(re.compile(r"/provinces/sichuan/$"))
    expect(page.locator("h1")).to_have_text("四川省")
    screenshot(page, "2-province-sichuan")

    page.get_by_role("link", name="泸州市", exact=True).first.click()
    expect(page).to_have_url(re.compile(r"/cities/luzhou/$"))
    expect(page.locator(".keyword-list")).to_contain_text("四川大学")
    expect(page.locator("[data-chart='chart-timeline'] svg")).to_contain_text("2024")
    assert no_horizontal_overflow(page)
    screenshot(page, "3-city-luzhou")

    page.locator(".city-reports .report-title").first.click()
    heading = page.locator("h1.report-heading")
    expect(heading).to_contain_text("瀘州市人力資源和社會保障局")
    assert no_horizontal_overflow(page)
    screenshot(page, "4-report-traditional")

    page.locator(".script-toggle").get_by_role("link", name="简").click()
    expect(page).to_have_url(re.compile(r"\?script=simplified$"))
    expect(heading).to_contain_text("泸州市人力资源和社会保障局")
    expect(page.locator(".report-body")).to_contain_text("根据学历最高给予25万元补助")
    screenshot(page, "5-report-simplified")

    figure = page.locator(".figure-list a", has_text="25萬元")
    page.locator(".figure-list summary").click()
    figure.click()
    expect(page).to_have_url(re.compile(r"#fig-\d+$"))
    expect(page.locator("mark.figure:target")).to_have_text("25万元")

    page.get_by_text("查看上传时的原文").click()
    expect(page.locator("pre.original-text")).to_be_visible()
    expect(page.locator("pre.original-text")).to_contain_text("關(guān)")
    screenshot(page, "6-report-original")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载原始文件").click()
    assert download.value.suggested_filename == seed_path("004").name
    assert Path(download.value.path()).read_bytes() == seed_path("004").read_bytes()
    assert page.errors == []


def test_the_cities_filter_finds_luzhou_as_you_type_and_without_javascript(
    new_page, screenshot, seeded
):
    page = new_page()
    page.goto("/cities/")
    expect(page.locator(".city-card:visible")).to_have_count(5)
    page.locator("#city-q").press_sequentially("luzhou")
    expect(page.locator(".city-card:visible")).to_have_count(1)
    expect(page.locator(".city-card:visible a")).to_have_text("泸州市")
    expect(page.locator("#city-filter-status")).to_have_text("显示 1 / 5 个城市")
    expect(page).to_have_url(re.compile(r"/cities/\?q=luzhou$"))
    screenshot(page, "7-cities-filter-luzhou")
    page.locator("#city-q").fill("蘭州")
    page.locator("#city-q").dispatch_event("input")
    expect(page.locator(".city-card:visible a")).to_have_text("兰州市")
    assert page.errors == []

    plain = new_page(javascript=False)
    plain.goto("/cities/")
    plain.locator("#city-q").fill("luzhou")
    plain.get_by_role("button", name="筛选").click()
    expect(plain).to_have_url(re.compile(r"/cities/\?q=luzhou$"))
    expect(plain.locator(".city-card:visible a")).to_have_text("泸州市")
    screenshot(plain, "8-cities-filter-luzhou-no-javascript")


def test_the_english_switch_translates_the_interface_and_the_dates(new_page, screenshot, seeded):
    page = new_page()
    page.goto("/cities/luzhou/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(re.compile(r"/cities/luzhou/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".site-header nav")).to_contain_text("Cities")
    expect(page.locator(".keywords h2")).to_have_text("Distinctive keywords")
    expect(page.locator(".counts")).to_contain_text("June 18, 2024")
    assert no_horizontal_overflow(page)
    screenshot(page, "9-city-luzhou-english")

    page.goto("/")
    expect(page.locator(".newest h2")).to_have_text("Newest reports")
    expect(page.locator("[data-chart='chart-years'] svg")).to_contain_text("2024")
    screenshot(page, "10-home-english")
    page.locator(".report-title", has_text="瀘州市").click()
    expect(page.locator(".metadata")).to_contain_text("Evidence: proposal + reply in title")
    screenshot(page, "11-report-english")

    page.get_by_role("button", name="简体中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    assert page.errors == []
