"""What a reader may see, through every public surface: a report held for review and
a confirmed duplicate appear nowhere (archive/visibility.py); staff who review
reports still open them. The archive comes from tests/visibility_archive.py.
"""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import Permission

from archive.models import Report

from .visibility_archive import (  # noqa: F401  (the fixtures)
    Archive,
    archive_fixture,
    built_fixture,
    quiet,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memoized_pipeline")]

#: compare three cities: two with public reports, and 德州市 whose only report is held.
CITIES = "泸州市,成都市,德州市"
#: the surfaces of 德州市 and 山东省 alone, which have no public report: empty.
EMPTY = {
    "/provinces/shandong/",
    "/cities/dezhou/",
    "/cities/dezhou/feed/",
    "/search/?city=德州市",
    "/exports/cities/dezhou.jsonl",
}
#: surfaces that list cities, not reports.
CITY_LISTS = {"/cities/", "/compare/", "/api/cities", "/api/cities?all=1"}


def public_surfaces(archive: Archive) -> list[str]:
    """Every page, feed, API answer and export a reader can fetch."""
    some = archive.public["chengdu_housing"].pk  # the original of the duplicate
    return [
        "/",
        "/provinces/sichuan/",
        "/provinces/shandong/",
        "/cities/",
        "/cities/chengdu/",
        "/cities/luzhou/",
        "/cities/dezhou/",
        "/feeds/reports/",
        "/cities/chengdu/feed/",
        "/cities/dezhou/feed/",
        "/search/?q=人才",
        "/search/?q=安居",
        "/search/?city=德州市",
        "/api/search?q=&page_size=100",
        "/api/search?q=安居",
        "/search/export.csv?q=人才",
        "/search/export.jsonl",
        f"/compare/?cities={CITIES}",
        "/compare/",
        f"/compare/export.csv?cities={CITIES}",
        f"/compare/export.jsonl?cities={CITIES}",
        f"/api/compare?cities={CITIES}&terms=人才",
        "/api/cities",
        "/api/cities?all=1",
        f"/api/reports/{some}",
        f"/reports/{some}/",
        "/exports/cities/chengdu.csv",
        "/exports/cities/chengdu.jsonl",
        "/exports/cities/dezhou.jsonl",
    ]


def body(response) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def mentions(text: str, report: Report) -> list[str]:
    """How ``text`` names ``report``: its title, its page, its id in JSON."""
    found = []
    if report.title in text:
        found.append("title")
    if f"/reports/{report.pk}/" in text:
        found.append("link")
    if re.search(rf'"(?:id|report_id|duplicate_of|near_duplicate_of)": ?{report.pk}\b', text):
        found.append("id")
    return found


def test_no_public_surface_names_a_held_report_or_a_duplicate(client, archive):
    leaks = []
    for url in public_surfaces(archive):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        text = body(response)
        for report in archive.hidden:
            if mentions(text, report):
                leaks.append((url, report.title, mentions(text, report)))
        shown = any(mentions(text, r) for r in archive.public.values())
        assert shown is (url not in EMPTY | CITY_LISTS), url  # each surface lists reports, or none
    assert leaks == []


def test_every_public_report_is_found_and_only_those(client, archive):
    public = {r.pk for r in archive.public.values()}
    data = json.loads(client.get("/api/search", {"page_size": 100}).content)
    assert data["count"] == 7
    assert {hit["id"] for hit in data["results"]} == public
    lines = body(client.get("/search/export.jsonl")).splitlines()
    assert {json.loads(line)["id"] for line in lines} == public


def test_a_held_report_is_not_found_by_its_own_words(client, archive):
    words = "黄金30条"  # 德州市's policy name, in the held report only
    assert words in archive.held.clean_text
    data = json.loads(client.get("/api/search", {"q": words}).content)
    assert data["count"] == 0


@pytest.mark.parametrize("hidden", ["held", "duplicate"])
def test_readers_cannot_open_a_hidden_report_by_its_id(client, archive, hidden):
    report = getattr(archive, hidden)
    assert client.get(f"/api/reports/{report.pk}").status_code == 404
    assert client.get(f"/reports/{report.pk}/original").status_code == 404


def test_a_held_reports_page_is_not_found(client, archive):
    assert client.get(f"/reports/{archive.held.pk}/").status_code == 404


def test_a_duplicates_page_sends_the_reader_to_its_original(client, archive):
    response = client.get(f"/reports/{archive.duplicate.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/reports/{archive.public['chengdu_housing'].pk}/"


def reviewer(django_user_model, *, may_change: bool):
    user = django_user_model.objects.create_user("reviewer", password="pw", is_staff=True)
    if may_change:
        user.user_permissions.add(Permission.objects.get(codename="change_report"))
    return user


def test_staff_who_review_reports_open_held_ones_and_duplicates(client, archive, django_user_model):
    client.force_login(reviewer(django_user_model, may_change=True))
    for report in archive.hidden:
        data = json.loads(client.get(f"/api/reports/{report.pk}").content)
        assert data["title"] == report.title
        assert report.title in body(client.get(f"/reports/{report.pk}/"))
    assert "等待人工审核" in body(client.get(f"/reports/{archive.held.pk}/"))
    copy = body(client.get(f"/reports/{archive.duplicate.pk}/"))
    assert "与另一篇报告重复" in copy and archive.public["chengdu_housing"].title in copy


def test_staff_without_the_change_permission_read_what_the_public_reads(
    client, archive, django_user_model
):
    client.force_login(reviewer(django_user_model, may_change=False))
    assert client.get(f"/api/reports/{archive.held.pk}").status_code == 404
    assert client.get(f"/reports/{archive.held.pk}/").status_code == 404


def test_reviewing_staff_still_see_public_lists_without_hidden_reports(
    client, archive, django_user_model
):
    client.force_login(reviewer(django_user_model, may_change=True))
    for url in ("/", "/cities/", "/api/cities", "/feeds/reports/"):
        text = body(client.get(url))
        assert not any(mentions(text, r) for r in archive.hidden), url


def test_a_public_report_never_names_a_held_near_duplicate(client, archive, tmp_path):
    copy = tmp_path / "dezhou-copy.txt"
    body_text = archive.held.clean_text.split("\n", 1)[1]  # under another headline
    copy.write_text(f"德州市人才新政转载稿\n{body_text}\n2024年3月1日\n", encoding="utf-8")
    quiet("import_reports", "--city", "德州市", str(copy))
    report = Report.objects.get(original_name__endswith="dezhou-copy.txt")
    assert report.near_duplicate_of_id == archive.held.pk  # the premise
    page = body(client.get(f"/reports/{report.pk}/"))
    data = body(client.get(f"/api/reports/{report.pk}"))
    assert json.loads(data)["near_duplicate_of"] is None
    assert mentions(page, archive.held) == [] and mentions(data, archive.held) == []
