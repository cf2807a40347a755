"""The search page's controls through their URLs (issues 14, 15, 16).

Real data through the real write path: the five seeds (two undated), three
Beijing policy documents from fixtures/labelled/dev/raw/ carrying 文号 and
发文机关, and two short reports where a word is in one's title and only in the
other's body.
"""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.core.management import call_command

from archive.models import Report
from search.elastic import search_body
from search.indexing import backend, drain_queue
from search.query import parse_query

from .conftest import SEEDS_DIR

pytestmark = pytest.mark.django_db

RAW = Path(__file__).resolve().parents[1] / "fixtures" / "labelled" / "dev" / "raw"
IN_TITLE = (
    "鲲鹏英才计划实施情况通报\n兰州市人才工作领导小组办公室通报本年度引进高层次人才一百二十名。\n"
)
IN_BODY = "人才驿站运营简报\n德州市今年推出的鲲鹏英才计划已惠及三百名青年。\n"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def archive(tmp_path) -> dict[str, int]:
    """Report ids by name: seed prefixes, "12"/"13"/"14", "in_title", "in_body"."""
    backend().clear()
    (tmp_path / "in_title.txt").write_text(IN_TITLE, encoding="utf-8")
    (tmp_path / "in_body.txt").write_text(IN_BODY, encoding="utf-8")
    paths = [*sorted(SEEDS_DIR.glob("*.txt")), *(RAW / f"{n}.html" for n in (12, 13, 14))]
    paths += [tmp_path / "in_title.txt", tmp_path / "in_body.txt"]
    call_command("import_reports", *map(str, paths), stdout=io.StringIO(), stderr=io.StringIO())
    drain_queue()
    ids = {}
    for report in Report.objects.all():
        name = report.original_name.rsplit("/", 1)[-1]
        ids[
            name.removesuffix(".txt")
            if name.startswith("in_")
            else name[: 2 if "html" in name else 3]
        ] = report.pk
    return ids


def api(client, **params) -> dict:
    response = client.get("/api/search", {"page_size": 100, **params})
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def ids(client, **params) -> list[int]:
    return [r["id"] for r in api(client, **params)["results"]]


def test_title_only_finds_a_word_only_where_it_is_in_the_title(client, archive):
    assert set(ids(client, q="鲲鹏")) == {archive["in_title"], archive["in_body"]}
    assert ids(client, q="鲲鹏", **{"in": "title"}) == [archive["in_title"]]
    assert ids(client, q='"鲲鹏英才"', **{"in": "title"}) == [archive["in_title"]]
    assert ids(client, q="鹏", **{"in": "title"}) == [archive["in_title"]]  # one character
    page = client.get("/search/", {"q": "鲲鹏", "in": "title"})
    assert page.context["form"].initial["in"] == "title"
    assert [h.report.pk for h in page.context["page"].hits] == [archive["in_title"]]


def test_an_unknown_scope_is_a_400_in_the_api_and_a_note_on_the_page(client, archive):
    response = client.get("/api/search", {"q": "人才", "in": "body"})
    assert response.status_code == 400 and "in" in json.loads(response.content)["error"]
    page = client.get("/search/", {"q": "人才", "in": "body"})
    assert page.status_code == 200 and "unknown in" in page.content.decode()


def test_a_year_range_keeps_reports_of_those_years_only(client, archive):
    assert set(ids(client, year_from=2018, year_to=2021)) == {archive["12"], archive["13"]}
    assert set(ids(client, year_to=2009)) == {archive["14"]}
    page = client.get("/search/", {"year_from": 2018, "year_to": 2021})
    html = page.content.decode()
    assert 'name="year_from" value="2018"' in html and 'name="year_to" value="2021"' in html
    assert {h.report.pk for h in page.context["page"].hits} == {archive["12"], archive["13"]}


def test_issuer_and_doc_number_filter_exactly(client, archive):
    hrss = "北京市人力资源和社会保障局"
    assert set(ids(client, issuer=hrss)) == {archive["12"], archive["13"]}
    assert ids(client, issuer="北京市人民政府") == [archive["14"]]
    assert ids(client, doc_number="京人社调发〔2018〕38号") == [archive["12"]]
    assert ids(client, doc_number="京人社调发〔2018〕") == []  # exact, not a prefix
    hit = api(client, doc_number="京政发﹝2009﹞14号")["results"][0]
    assert (hit["issuer"], hit["doc_number"]) == ("北京市人民政府", "京政发﹝2009﹞14号")
    issuers = {v["value"]: v["count"] for v in api(client)["facets"]["issuer"]}
    assert issuers == {hrss: 2, "北京市人民政府": 1, "泸州市人力资源和社会保障局": 1}


def test_issuer_and_doc_number_filters_fold_script_width_and_brackets(client, archive):
    # seed 004 is Traditional: its issuer is 瀘州市人力資源和社會保障局
    assert ids(client, issuer="瀘州市人力資源和社會保障局") == [archive["004"]]
    assert ids(client, issuer="泸州市人力资源和社会保障局") == [archive["004"]]
    # 14 writes its year in ﹝﹞, an analyst types 〔〕 or [] and full-width digits
    for typed in ("京政发〔2009〕14号", "京政发[2009]14号", "京政發﹝２００９﹞14号"):
        assert ids(client, doc_number=typed) == [archive["14"]], typed


def test_the_report_page_links_its_issuer_to_a_search_for_it(client, archive):
    html = client.get(f"/reports/{archive['14']}/").content.decode()
    link = re.search(r'href="(/search/\?issuer=[^"]+)"', html).group(1)
    page = client.get(link.replace("&amp;", "&"))
    assert [h.report.pk for h in page.context["page"].hits] == [archive["14"]]
    assert "发文机关：北京市人民政府" in page.content.decode()  # a removable filter


def test_a_page_past_the_end_links_to_the_last_page(client, archive):
    page = client.get("/search/", {"page_size": 2, "page": 999})
    html = page.content.decode()
    assert page.status_code == 200 and "没有找到符合条件的报告" not in html
    last = re.search(r'<a href="([^"]+)">转到最后一页', html).group(1).replace("&amp;", "&")
    assert last == "?page=5&page_size=2"  # ten reports, two a page
    assert len(client.get("/search/" + last).context["page"].hits) == 2


def test_the_api_answers_404_for_a_page_past_the_end(client, archive):
    response = client.get("/api/search", {"page_size": 2, "page": 6})
    assert response.status_code == 404
    assert json.loads(response.content)["error"] == (
        "page 6 is past the last page (5) of 10 results"
    )
    assert client.get("/api/search", {"page_size": 2, "page": 5}).status_code == 200
    assert client.get("/api/search", {"q": "xyz不存在"}).status_code == 200  # page 1 of none


def test_numbered_pages_around_the_current_one(client, archive):
    page = client.get("/search/", {"page_size": 1, "page": 5})
    nav = re.search(r'<nav class="pagination".*?</nav>', page.content.decode(), re.S).group(0)
    labels = re.findall(r">(上一页|下一页|\d+|…)<", nav)
    assert labels == ["上一页", "1", "2", "3", "4", "5", "6", "7", "…", "10", "下一页"]
    assert 'aria-current="page">5<' in nav and 'href="?page=10&amp;page_size=1"' in nav


def _dated_then_undated(reports: list[dict]) -> tuple[list[str], list[str]]:
    dates = [r["published_on"] for r in reports]
    first_undated = dates.index(None)
    return dates[:first_undated], dates[first_undated:]


@pytest.mark.parametrize("sort", ["newest", "oldest"])
@pytest.mark.parametrize("q", ["", "人才"])
def test_undated_reports_come_last_under_newest_and_oldest(client, archive, sort, q):
    dated, undated = _dated_then_undated(api(client, q=q, sort=sort)["results"])
    assert len(dated) >= 4 and undated and set(undated) == {None}
    assert dated == sorted(dated, reverse=sort == "newest")


@pytest.mark.parametrize("sort", ["newest", "oldest"])
def test_elasticsearch_sorts_undated_reports_last_both_ways(sort):
    body = search_body(parse_query("人才").query, sort=sort)
    order = "desc" if sort == "newest" else "asc"
    assert body["sort"][0] == {"published": {"order": order, "missing": "_last"}}


def test_the_year_facet_is_ordered_by_year_newest_first(client, archive):
    years = [v["value"] for v in api(client)["facets"]["year"]]
    assert years == sorted(years, reverse=True) and len(years) >= 4
    groups = {g.name: g for g in client.get("/search/").context["facet_groups"]}
    assert [v.value for v in groups["year"].values] == years


@pytest.mark.parametrize("name", ["province", "city", "doc_type"])
def test_the_other_facets_are_ordered_by_count_then_value(client, archive, name):
    values = [(v["value"], v["count"]) for v in api(client)["facets"][name]]
    assert values == sorted(values, key=lambda v: (-v[1], v[0]))
    # Beijing's three documents outnumber every other place and type, though
    # 兰州市, 内蒙古自治区 and "news" sort before them by value.
    top = {"province": ("北京市", 3), "city": ("北京市", 3), "doc_type": ("policy_document", 3)}
    assert values[0] == top[name]


def test_facet_groups_carry_label_values_counts_urls_and_flags(client, archive):
    response = client.get("/search/", {"q": "人才", "city": "北京市"}, HTTP_ACCEPT_LANGUAGE="en")
    groups = response.context["facet_groups"]
    assert [g.name for g in groups] == ["province", "city", "year", "doc_type", "issuer"]
    assert [g.label for g in groups] == ["Province", "Cities", "Year", "Type", "Issuing body"]
    city = next(g for g in groups if g.name == "city")
    assert city.truncated is False and city.hidden == 0
    beijing = next(v for v in city.values if v.value == "北京市")
    assert (
        beijing.selected
        and beijing.count == 3
        and beijing.toggle_url == "?" + urlencode({"q": "人才"})
    )
    doc_type = next(g for g in groups if g.name == "doc_type")
    assert doc_type.values[0].label == "Policy document"
    html = response.content.decode()
    for group in groups:  # the template renders what Python computed, nothing else
        assert f"<h2>{group.label}</h2>" in html
        for value in group.values:
            assert f'href="{value.toggle_url.replace("&", "&amp;")}"' in html


def test_a_long_facet_is_truncated_but_keeps_its_selected_values():
    from search.facets import facet_group
    from search.params import SearchParams

    counts = [(f"城市{i:02d}", 100 - i) for i in range(15)]
    group = facet_group(SearchParams(city=("城市14",)), "city", counts, size=12)
    assert group.truncated and group.hidden == 2
    assert [v.value for v in group.values][-2:] == ["城市11", "城市14"]
    assert group.values[-1].selected and group.values[-1].toggle_url == "?"


def test_every_search_has_an_atom_feed_newest_first_without_invented_dates(client, archive):
    page = client.get("/search/", {"q": "人才"})
    feed_url = page.context["feed_url"]
    assert (
        'type="application/atom+xml"' in page.content.decode()
        and feed_url in page.content.decode().replace("&amp;", "&")
    )
    response = client.get(feed_url)
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/atom+xml"
    )
    entries = ET.fromstring(response.content).findall(f"{ATOM}entry")
    published = [e.findtext(f"{ATOM}published") for e in entries]
    assert len(entries) == len(api(client, q="人才")["results"])
    dated = [p for p in published if p]
    assert dated == sorted(dated, reverse=True) and len(dated) >= 4
    assert published[len(dated) :] == [None] * (len(entries) - len(dated))  # undated last
    undated_ids = set(Report.objects.filter(published_on=None).values_list("pk", flat=True))
    for entry in entries:
        pk = int(re.search(r"/reports/(\d+)/", entry.find(f"{ATOM}link").get("href")).group(1))
        assert (entry.findtext(f"{ATOM}published") is None) == (pk in undated_ids)
        assert entry.findtext(f"{ATOM}updated")  # Atom requires it: the record's change


def test_the_search_pages_have_one_h1(client, archive):
    for params in ({}, {"q": "人才"}, {"page": 999}):
        html = client.get("/search/", params).content.decode()
        assert html.count("<h1") == 1
    assert (
        '<h1 class="search-heading">“人才”的检索结果</h1>'
        in client.get("/search/", {"q": "人才"}).content.decode()
    )
