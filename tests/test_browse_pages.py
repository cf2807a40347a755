"""Browse pages on the imported seeds: home, provinces, cities, a city, feeds, 404s.

Reports are created through the real write path (import_reports), as a user would.
"""

import io
import json
import re
import time

import pytest
from django.core.management import call_command
from django.db import transaction

from archive.models import Report

from .conftest import SEEDS_DIR

pytestmark = pytest.mark.django_db


def quiet(*args):
    call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The five seeds imported once for the module, inside a transaction that is
    rolled back at its end (as Django's ``setUpTestData``): each test runs in a
    savepoint within it, so what a test adds or deletes is undone after it."""
    with django_db_blocker.unblock(), transaction.atomic():
        quiet("import_reports", *sorted(map(str, SEEDS_DIR.glob("*.txt"))))
        yield {r.original_name.rsplit("/", 1)[-1][:3]: r for r in Report.objects.all()}
        transaction.set_rollback(True)


@pytest.fixture
def seeds(seeded, db) -> dict[str, Report]:
    """The five seeds, by file prefix ("000" … "004")."""
    return seeded


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def json_data(html: str, element_id: str):
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', html)
    assert match, element_id
    return json.loads(match.group(1))


def visible_cities(html: str) -> list[str]:
    """City names of the /cities/ cards not hidden by the ?q= filter."""
    cards = re.findall(
        r'<li class="city-card"( hidden)?.*?<a href="/cities/[^"]+/">(.*?)</a>', html, re.S
    )
    return [name for hidden, name in cards if not hidden]


# --- home and provinces -------------------------------------------------------------------


def test_home_counts_the_archive_and_charts_it_by_province_and_year(client, seeds):
    html = page(client, "/")
    counts = re.findall(r"<dt>(.*?)</dt><dd>(?:<a [^>]*>)?(\d+)", html)
    assert counts == [("报告", "5"), ("城市", "5"), ("省级行政区", "5")]
    assert "2022年12月9日" in html and "2024年9月28日" in html
    provinces = json_data(html, "chart-provinces")
    assert sorted(provinces["categories"]) == sorted(
        ["甘肃省", "山西省", "内蒙古自治区", "山东省", "四川省"]
    )
    assert "/provinces/sichuan/" in provinces["links"]
    years = json_data(html, "chart-years")
    assert years["categories"] == ["2022", "2023", "2024"]
    assert years["series"][0]["data"] == [1, 1, 2]
    assert '<script src="/static/vendor/echarts.min.js" defer>' in html
    assert 'action="/search/"' in html


def test_an_empty_archive_has_a_home_page_without_charts(client, seeds):
    Report.objects.all().delete()  # undone after the test, with its savepoint
    html = page(client, "/")
    assert "档案库还是空的" in html
    assert "echarts" not in html


def test_a_province_page_lists_its_cities_with_reports(client, seeds):
    html = page(client, "/provinces/sichuan/")
    assert "<h1>四川省</h1>" in html
    assert '<a href="/cities/luzhou/">泸州市</a>' in html
    assert "瀘州市人力資源和社會保障局" in html
    assert "还没有报告" in page(client, "/provinces/xizang/")


# --- the city directory and its filter --------------------------------------------------


def test_the_cities_page_groups_every_city_with_reports_by_province(client, seeds):
    html = page(client, "/cities/")
    assert visible_cities(html) == ["运城市", "呼和浩特市", "德州市", "泸州市", "兰州市"]
    assert html.index("山西省") < html.index("运城市") < html.index("内蒙古自治区")
    assert "日期不详" in html  # 德州市: the reply letter has no date
    assert '<time datetime="2024-06-18">2024年6月18日</time>' in html


@pytest.mark.parametrize("q", ["lanzhou", "蘭州", "兰州", "兰州市", "Lan Zhou", "甘肃"])
def test_the_city_filter_finds_lanzhou_by_pinyin_traditional_and_simplified(client, seeds, q):
    html = page(client, "/cities/", q=q)
    assert visible_cities(html) == ["兰州市"]
    assert "显示 1 / 5 个城市" in html


def test_a_filter_that_matches_nothing_says_so_and_keeps_the_cards_for_javascript(client, seeds):
    html = page(client, "/cities/", q="beijing")
    assert visible_cities(html) == []
    assert "没有匹配的城市。" in html
    assert html.count('class="city-card"') == 5


@pytest.mark.parametrize(
    "q", ["<script>alert(1)</script>", "x" * 5000, "lan\x00zhou", "%", "' OR 1=1 --"]
)
def test_hostile_filter_queries_are_escaped_and_harmless(client, seeds, q):
    html = page(client, "/cities/", q=q)
    assert "<script>alert(1)</script>" not in html
    assert 'class="city-card"' in html


def test_a_county_report_counts_for_its_prefecture_and_lists_the_county_too(
    client, seeds, tmp_path
):
    note = tmp_path / "jiangyang.txt"
    note.write_text(
        "江阳区人才工作简报\n江阳区发布人才新政，对新引进博士给予最高20万元安家补贴。\n",
        encoding="utf-8",
    )
    quiet("import_reports", "--city", "江阳区", str(note))
    report = Report.objects.get(original_name__endswith="jiangyang.txt")
    assert report.city.name == "江阳区" and not report.needs_review
    html = page(client, "/cities/")
    assert visible_cities(html) == ["运城市", "呼和浩特市", "德州市", "泸州市", "江阳区", "兰州市"]
    assert re.search(r"泸州市</a>\s*<span class=\"count\">2 篇", html)
    city = page(client, "/cities/luzhou/")
    assert "江阳区人才工作简报" in city


# --- the city page ----------------------------------------------------------------------


def test_a_city_page_shows_province_count_dates_and_its_reports(client, seeds):
    html = page(client, "/cities/luzhou/")
    assert "<title>泸州市 · 人才政策档案库</title>" in html
    assert '<a href="/provinces/sichuan/">四川省</a>' in html
    assert re.search(r"<dt>报告</dt><dd>1</dd>", html)
    assert '<time datetime="2024-06-18">2024年6月18日</time>' in html
    assert f'href="/reports/{seeds["004"].pk}/"' in html


def test_dezhous_keywords_lead_with_its_own_policy_names_and_link_to_a_scoped_search(client, seeds):
    html = page(client, "/cities/dezhou/")
    keywords = re.findall(r'<li><a href="/search/\?city=[^"]*" title="[^"]*">(.*?)</a>', html)
    assert "黄金30条" in keywords[:5]
    assert not {"人才", "发展", "创新", "德州"} & set(keywords)
    assert (
        'href="/search/?city=%E5%BE%B7%E5%B7%9E%E5%B8%82&amp;q=%E9%BB%84%E9%87%9130%E6%9D%A1"'
        in html
    )


def test_the_city_search_box_is_scoped_to_the_city(client, seeds):
    html = page(client, "/cities/lanzhou/")
    form = re.search(r'<form class="search-box scoped" action="/search/".*?</form>', html, re.S)
    assert form and '<input type="hidden" name="city" value="兰州市">' in form.group(0)


def test_a_city_page_links_to_compare_it_with_the_other_cities(client, seeds):
    html = page(client, "/cities/lanzhou/")
    assert (
        'href="/compare/?cities=%E5%85%B0%E5%B7%9E%E5%B8%82%2C%E6%B3%B8%E5%B7%9E%E5%B8%82"' in html
    )
    assert html.count("兰州市 ↔ ") == 4


def test_the_city_timeline_counts_reports_by_year_and_type(client, seeds):
    timeline = json_data(page(client, "/cities/luzhou/"), "chart-timeline")
    assert timeline["categories"] == ["2024"]
    assert timeline["series"] == [{"name": "建议提案答复", "data": [1]}]
    assert timeline["stack"] is True


def test_an_undated_citys_page_explains_why_there_is_no_timeline(client, seeds):
    html = page(client, "/cities/dezhou/")
    assert "这个城市的报告都没有日期。" in html
    assert "chart-timeline" not in html


@pytest.mark.parametrize("sort", ["newest", "oldest", "title", "type", "", "-id", "<b>"])
def test_every_sort_order_and_any_odd_value_lists_the_citys_reports(client, seeds, sort):
    html = page(client, "/cities/luzhou/", sort=sort, page="abc")
    assert "瀘州市人力資源和社會保障局" in html


def test_the_sort_links_mark_the_current_order(client, seeds):
    html = page(client, "/cities/luzhou/", sort="oldest")
    assert '<a href="?sort=oldest#reports" class="current" aria-current="true">最早</a>' in html
    assert '<a href="?#reports">最新</a>' in html


def test_a_known_city_without_reports_has_a_page_that_says_so(client, seeds):
    html = page(client, "/cities/shenzhen/")
    assert "这个城市还没有报告。" in html


def test_a_city_name_in_the_address_bar_redirects_to_its_page(client, seeds):
    for name in ("泸州市", "瀘州", "泸州"):
        response = client.get(f"/cities/{name}/")
        assert response.status_code == 301
        assert response["Location"] == "/cities/luzhou/"


# --- feeds ------------------------------------------------------------------------------


def test_the_newest_reports_feed_is_atom_with_one_entry_per_report(client, seeds):
    response = client.get("/feeds/reports/")
    assert response["Content-Type"].startswith("application/atom+xml")
    xml = response.content.decode()
    assert xml.count("<entry>") == 5
    assert f"http://testserver/reports/{seeds['004'].pk}/" in xml
    assert "<title>泸州市 · 瀘州市人力資源和社會保障局" in xml


def test_a_city_feed_has_that_citys_reports_only(client, seeds):
    xml = client.get("/cities/luzhou/feed/").content.decode()
    assert xml.count("<entry>") == 1
    assert "人才政策档案库：泸州市" in xml
    assert 'rel="alternate" type="application/atom+xml"' in page(client, "/cities/luzhou/")


def test_markup_in_a_report_reaches_feed_readers_as_text(client, tmp_path):
    evil = tmp_path / "evil.txt"
    evil.write_text(
        "兰州市人才工作新闻\n兰州市发布人才政策<script>alert(1)</script>，最高补助25万元。",
        encoding="utf-8",
    )
    quiet("import_reports", str(evil))
    xml = client.get("/feeds/reports/").content.decode()
    assert "&amp;lt;script&amp;gt;" in xml  # escaped twice: once for HTML, once for XML
    assert "<script>" not in xml and "&lt;script&gt;" not in xml


# --- 404s and speed -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/cities/nowhere/",
        "/cities/nowhere/feed/",
        "/cities/%E4%B8%8D%E5%AD%98%E5%9C%A8/",
        "/cities/" + "x" * 300 + "/",
        "/cities/%00/",
        "/cities/%2e%2e/",
        "/cities/%E5%85%B0%00/",
        "/provinces/nowhere/",
        "/provinces/%E5%9B%9B%E5%B7%9D/",
        "/reports/999999/",
        "/reports/999999/original",
        "/reports/99999999999999999999999/",
        "/reports/abc/",
    ],
)
def test_unknown_slugs_and_ids_are_404_not_500(client, seeds, url):
    assert client.get(url).status_code == 404


def test_every_page_renders_in_under_a_second_with_the_seeds(client, seeds):
    urls = ["/", "/cities/", "/cities/?q=lanzhou", "/provinces/gansu/", "/feeds/reports/"]
    for report in seeds.values():
        urls += [report.get_absolute_url(), f"/cities/{report.city.slug}/"]
        urls += [f"{report.get_absolute_url()}?script=simplified"]
        urls += [f"{report.get_absolute_url()}?script=traditional"]
    for url in urls:
        client.get(url)  # first call: templates, jieba and the keyword cache warm up
    slowest = []
    for url in urls:
        started = time.perf_counter()
        assert client.get(url).status_code == 200
        slowest.append((time.perf_counter() - started, url))
    assert max(slowest)[0] < 1.0, max(slowest)
