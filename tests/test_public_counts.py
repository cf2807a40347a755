"""Exact counts and orders on the public surfaces, with several reports per province
and per city (tests/visibility_archive.py): 四川省 has 4 public reports in 泸州市
(one of them filed under its county 江阳区) and 成都市; 山西省, 内蒙古自治区 and 甘肃省
one each; 山东省 only a report held for review; 成都市 also a confirmed duplicate.
"""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree

import pytest

from .visibility_archive import archive_fixture, built_fixture  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memoized_pipeline")]

#: reports per province, most first (ties in adcode order), as the home page ranks them.
BY_PROVINCE = [("四川省", 4), ("山西省", 1), ("内蒙古自治区", 1), ("甘肃省", 1)]
#: public reports filed under each city itself (a county's are its own).
OWN_REPORTS = {"运城市": 1, "呼和浩特市": 1, "泸州市": 1, "江阳区": 1, "成都市": 2, "兰州市": 1}


def html(client, url: str, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def api(client, url: str, **params):
    return json.loads(html(client, url, **params))


def chart(page: str, element_id: str) -> dict:
    match = re.search(rf'<script id="{element_id}" type="application/json">(.*?)</script>', page)
    assert match, element_id
    return json.loads(match.group(1))


def report_links(page: str) -> list[int]:
    """Report ids in the order the page links them (each once)."""
    return list(dict.fromkeys(int(pk) for pk in re.findall(r'href="/reports/(\d+)/"', page)))


def counts(page: str) -> dict[str, str]:
    return dict(re.findall(r"<dt>(.*?)</dt><dd>(?:<a [^>]*>)?(\d+)", page))


def test_the_home_page_counts_each_province_and_ranks_the_largest_first(client, archive):
    page = html(client, "/")
    assert counts(page) == {"报告": "7", "城市": "6", "省级行政区": "4"}
    provinces = chart(page, "chart-provinces")
    assert list(zip(provinces["categories"], provinces["series"][0]["data"], strict=True)) == (
        BY_PROVINCE
    )
    item = r"<li><a href=\"/provinces/[^\"]+/\">(.*?)</a> <span class=\"count\">(\d+)"
    listed = re.findall(item, page)
    assert [(name, int(n)) for name, n in listed] == BY_PROVINCE


def test_the_home_page_counts_reports_by_year(client, archive):
    years = chart(html(client, "/"), "chart-years")
    assert years["categories"] == ["2021", "2022", "2023", "2024"]
    assert years["series"][0]["data"] == [1, 2, 2, 2]


def test_the_home_page_lists_the_newest_published_first(client, archive):
    newest_first = sorted(archive.public.values(), key=lambda r: r.published_on, reverse=True)
    assert report_links(html(client, "/")) == [r.pk for r in newest_first]


def test_the_feed_gives_the_newest_added_first(client, archive):
    xml = client.get("/feeds/reports/").content
    links = [e.text for e in ElementTree.fromstring(xml).iter("{http://www.w3.org/2005/Atom}id")]
    added = [r.pk for r in sorted(archive.public.values(), key=lambda r: r.pk, reverse=True)]
    assert links[1:] == [f"http://testserver/reports/{pk}/" for pk in added]


def test_search_facets_count_public_reports_per_province(client, archive):
    facets = api(client, "/api/search", page_size=1)["facets"]
    assert sorted((v["value"], v["count"]) for v in facets["province"]) == sorted(BY_PROVINCE)
    assert {v["value"]: v["count"] for v in facets["city"]} == OWN_REPORTS


def test_the_cities_page_counts_a_countys_report_once_in_its_province(client, archive):
    page = html(client, "/cities/")
    headings = re.findall(r'">([^<]+)</a> <span class="count">(\d+) 篇</span></h2>', page)
    assert headings == [("山西省", "1"), ("内蒙古自治区", "1"), ("四川省", "4"), ("甘肃省", "1")]
    cards = re.findall(
        r'<li class="city-card".*?/">([^<]+)</a>(?: <small>[^<]*</small>)?\s*'
        r'<span class="count">(\d+)',
        page,
        re.S,
    )
    assert cards == [
        ("运城市", "1"),
        ("呼和浩特市", "1"),
        ("成都市", "2"),
        ("泸州市", "2"),  # its own report and 江阳区's
        ("江阳区", "1"),
        ("兰州市", "1"),
    ]


def test_a_province_page_counts_its_reports_and_cities(client, archive):
    page = html(client, "/provinces/sichuan/")
    assert counts(page) == {"报告": "4", "城市": "3"}
    sichuan = ("luzhou", "jiangyang", "chengdu_housing", "chengdu_youth")  # newest first
    assert report_links(page) == [archive.public[key].pk for key in sichuan]
    assert "这个省级行政区还没有报告。" in html(client, "/provinces/shandong/")


def test_a_city_page_counts_its_own_and_its_countys_reports(client, archive):
    assert counts(html(client, "/cities/luzhou/"))["报告"] == "2"
    assert counts(html(client, "/cities/chengdu/"))["报告"] == "2"
    assert "这个城市还没有报告。" in html(client, "/cities/dezhou/")


def test_the_cities_api_lists_cities_with_public_reports_only(client, archive):
    own = {c["name"]: c["report_count"] for c in api(client, "/api/cities")}
    assert own == OWN_REPORTS
    everywhere = {c["name"]: c["report_count"] for c in api(client, "/api/cities", all=1)}
    assert everywhere["德州市"] == 0 and everywhere["成都市"] == 2


def test_the_compare_picker_offers_cities_with_public_reports_only(client, archive):
    picker = re.findall(r'name="city" value="([^"]+)"', html(client, "/compare/"))
    assert sorted(picker) == sorted(OWN_REPORTS)


def test_compare_counts_each_citys_public_reports(client, archive):
    data = api(client, "/api/compare", cities="泸州市,成都市,德州市")
    assert {name: c["count"] for name, c in data["reports"].items()} == {
        "泸州市": 2,
        "成都市": 2,
        "德州市": 0,
    }
    figures = [f for d in data["dimensions"] for cell in d["cells"].values() for f in cell]
    hidden = {r.pk for r in archive.hidden}
    assert figures and not {f["report_id"] for f in figures} & hidden
    page = html(client, "/compare/", cities="泸州市,成都市,德州市")
    assert re.findall(r"<td>(\d+) 篇", page) == ["2", "2", "0"]


def test_a_citys_export_has_its_public_reports_newest_first(client, archive):
    response = client.get("/exports/cities/chengdu.jsonl")
    rows = [json.loads(line) for line in b"".join(response.streaming_content).splitlines()]
    assert [row["id"] for row in rows] == [
        archive.public["chengdu_housing"].pk,
        archive.public["chengdu_youth"].pk,
    ]
