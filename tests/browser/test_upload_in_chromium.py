"""The staff upload flow in headless Chromium (issue 6): log in, drop files on the
page (set on the file input), watch the progress bar, read the result table, publish
a report held for review. Screenshots go to test-output/screenshots/upload-*.png.
"""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from archive.models import Report

from ..conftest import seed_path

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page) -> None:
    User.objects.create_superuser("chief", "chief@example.cn", "a-long-test-password")
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "a-long-test-password")
    page.click("input[type=submit]")
    expect(page.locator("#archive-upload-module")).to_be_visible()


def test_staff_upload_files_see_the_result_table_and_publish_a_held_report(
    new_page, screenshot, seeded, tmp_path, monkeypatch
):
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # ORM next to Playwright's loop
    page = new_page()
    log_in(page)
    page.get_by_role("link", name="上传报告（文件、zip、网页存档）").click()
    expect(page.locator("#upload-form")).to_be_visible()
    page.wait_for_load_state("load")  # upload.js is deferred: its listeners come last
    brief = tmp_path / "brief.txt"
    brief.write_text("人才政策简报\n2024年6月18日\n本市新建人才公寓500套。", encoding="utf-8")
    again = seed_path("001")  # already in the archive (seeded): a duplicate
    page.set_input_files("input[type=file]", [str(brief), str(again), str(seed_path("003"))])
    expect(page.locator("#upload-list li")).to_have_count(3)
    screenshot(page, "upload-1-chosen")
    page.get_by_role("button", name="上传 / Upload").click()
    table = page.locator("#result-table")
    expect(table).to_be_visible(timeout=60_000)
    expect(table.locator("tr[data-status=needs_review]")).to_have_count(1)
    expect(table.locator("tr[data-status=duplicate]")).to_have_count(2)  # 001 and 003 again
    screenshot(page, "upload-2-results")

    row = table.locator("tr[data-status=needs_review]")
    row.locator("input[name=city]").fill("泸州市 · 四川省 · 510500")
    row.get_by_role("button", name="发布 / publish").click()
    expect(page.locator("#result-table tr[data-status=created]")).to_have_count(1)
    screenshot(page, "upload-3-published")
    report = Report.objects.get(original_name="brief.txt")
    assert (report.city.name, report.needs_review) == ("泸州市", False)
    # The admin pages have no favicon (a 404 the browser logs); nothing else may fail.
    assert [e for e in page.errors if "status of 404" not in e] == []
