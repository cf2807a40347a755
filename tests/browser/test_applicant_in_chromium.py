"""The compare table by kind and the applicant view in headless Chromium (issue 17)."""

import io

import pytest
from django.core.management import call_command

from ..conftest import SEEDS_DIR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
DEV_RAW = SEEDS_DIR.parent / "labelled" / "dev" / "raw"


@pytest.fixture
def dev_docs(seeded):
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("import_reports", *sorted(map(str, DEV_RAW.iterdir())), **quiet)


def test_kinds_apart_and_a_masters_applicant_across_three_cities(dev_docs, new_page, screenshot):
    page = new_page()
    page.goto("/compare/?cities=兰州市,泸州市,深圳市,北京市")
    per_person = page.locator('tr[data-dimension="purchase_subsidy"][data-kind="per_person"]')
    total = page.locator('tr[data-dimension="purchase_subsidy"][data-kind="total"]')
    assert "25萬元" in per_person.inner_text() and "280万元" not in per_person.inner_text()
    assert "280万元" in total.inner_text()
    settlement = page.locator('tr[data-dimension="settlement"][data-kind="condition"]')
    assert "45周岁" in settlement.inner_text()
    screenshot(page, "compare-by-kind")
    page.get_by_role("link", name="按申请人条件查看").click()
    page.select_option("select[name=education]", "硕士")
    page.fill("input[name=age]", "28")
    page.fill("input[name=cities]", "深圳市,北京市,泸州市")
    page.get_by_role("button", name="查看").click()
    page.wait_for_url("**/compare/applicant/?*education=*")
    shenzhen = page.locator('section[data-city="深圳市"]')
    assert "25000元/人" in shenzhen.inner_text()
    assert "硕士" in shenzhen.inner_text()
    assert "30周岁" in page.locator('section[data-city="北京市"]').inner_text()
    screenshot(page, "compare-applicant-masters")
    assert page.errors == []
