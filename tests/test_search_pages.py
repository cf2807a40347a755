"""Search through the real write path: import_reports -> queue -> Whoosh -> pages."""

import csv
import io
import json

import pytest
from django.core.management import CommandError, call_command

from archive.models import Report
from search.indexing import backend, drain_queue

from .conftest import SEEDS_DIR

pytestmark = pytest.mark.django_db

APART = "青年驿站简报\n报到当天只需拎包前往驿站登记，审核通过后入住青年驿站。德州市人才集团承办。\n"


def quiet(*args):
    call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())


@pytest.fixture
def seeded(tmp_path):
    """The five seeds plus a report with 拎包 and 入住 apart, indexed; prefix -> id."""
    backend().clear()
    apart = tmp_path / "apart.txt"
    apart.write_text(APART, encoding="utf-8")
    quiet("import_reports", *sorted(map(str, SEEDS_DIR.glob("*.txt"))), str(apart))
    drain_queue()
    ids = {r.original_name.rsplit("/", 1)[-1][:3]: r.pk for r in Report.objects.all()}
    ids["apart"] = ids.pop("apa")
    return ids


def api(client, **params) -> dict:
    response = client.get("/api/search", params)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def found(client, q, **params) -> set[int]:
    return {r["id"] for r in api(client, q=q, page_size=100, **params)["results"]}


def test_talent_apartments_are_found_in_000_002_and_004(client, seeded):
    assert found(client, "人才公寓") >= {seeded["000"], seeded["002"], seeded["004"]}


def test_traditional_and_simplified_queries_find_each_other(client, seeded):
    assert seeded["004"] in found(client, "泸州")
    assert seeded["004"] in found(client, "瀘州")
    hit = next(r for r in api(client, q="泸州")["results"] if r["id"] == seeded["004"])
    assert any("<mark>瀘州</mark>" in h for h in hit["highlights"])


def test_a_quoted_phrase_needs_the_words_together(client, seeded):
    hits = found(client, '"拎包入住"')
    assert {seeded["000"], seeded["002"], seeded["004"]} <= hits
    assert seeded["apart"] not in hits
    assert seeded["apart"] in found(client, "拎包 入住")


def test_excluding_a_word_drops_reports_that_contain_it(client, seeded):
    assert seeded["003"] in found(client, "人才")
    assert seeded["003"] not in found(client, "人才 -德州")


def test_one_character_queries_are_served(client, seeded):
    assert seeded["002"] in found(client, "房")


def test_facet_counts_agree_with_the_database(client, seeded):
    data = api(client, q="人才")
    ids = {r["id"] for r in data["results"]}
    reports = Report.objects.filter(pk__in=ids)
    by_province = {}
    for report in reports.exclude(province=None):
        by_province[report.province.name] = by_province.get(report.province.name, 0) + 1
    assert {f["value"]: f["count"] for f in data["facets"]["province"]} == by_province
    doc_types = {f["value"]: f["count"] for f in data["facets"]["doc_type"]}
    assert doc_types["proposal_reply"] == reports.filter(doc_type="proposal_reply").count()


def test_filters_narrow_results_and_facets(client, seeded):
    data = api(client, q="人才", province="四川省")
    assert [r["id"] for r in data["results"]] == [seeded["004"]]
    assert data["facets"]["province"] == [{"value": "四川省", "count": 1}]
    data = api(client, q="人才", doc_type="proposal_reply", year_from=2024)
    assert [r["id"] for r in data["results"]] == [seeded["004"]]


def test_sort_orders_hold(client, seeded):
    newest = [r["published_on"] for r in api(client, q="人才", sort="newest")["results"]]
    dated = [d for d in newest if d]
    assert dated == sorted(dated, reverse=True)
    oldest = [r["published_on"] for r in api(client, q="人才", sort="oldest")["results"]]
    assert [d for d in oldest if d] == sorted(dated)


@pytest.mark.parametrize(
    "params",
    [
        {"page": "-1"},
        {"page": "abc"},
        {"page": "99999"},
        {"year_from": "x"},
        {"sort": "sideways"},
        {"page_size": "1000"},
    ],
)
def test_malformed_api_params_get_a_400_json_error(client, seeded, params):
    response = client.get("/api/search", {"q": "人才", **params})
    assert response.status_code == 400
    assert json.loads(response.content)["error"]


@pytest.mark.parametrize(
    "q",
    [
        '"人才',
        "*",
        "人才" * 2500,
        "人才\x00公寓",
        "<script>alert(1)</script>",
        "OR",
        "-",
        "AND NOT",
    ],
)
def test_hostile_queries_give_a_normal_page(client, seeded, q):
    page = client.get("/search/", {"q": q, "page": "-1", "year_from": "x"})
    assert page.status_code == 200
    assert "<script>alert(1)</script>" not in page.content.decode()
    assert client.get("/api/search", {"q": q}).status_code == 200


def test_highlights_are_escaped_apart_from_mark(client, seeded, tmp_path):
    evil = tmp_path / "evil.txt"
    evil.write_text(
        "兰州市人才简报\n兰州市<b>人才</b>政策<script>x()</script>发布。", encoding="utf-8"
    )
    quiet("import_reports", str(evil))
    drain_queue()
    hit = next(r for r in api(client, q="人才政策")["results"] if r["title"] == "兰州市人才简报")
    joined = "".join(hit["highlights"])
    assert "<script>" not in joined and "<b>" not in joined
    assert "&lt;b&gt;" in joined and "<mark>" in joined


def test_the_search_page_shows_hits_facets_and_an_empty_state(client, seeded):
    page = client.get("/search/", {"q": "拎包入住"}).content.decode()
    assert "<mark>" in page and "导出 CSV" in page and "四川省" in page
    empty = client.get("/search/", {"q": "量子纠缠", "province": "四川省"}).content.decode()
    assert "没有找到" in empty and "全部去掉" in empty


def test_csv_export_lists_the_current_results(client, seeded):
    response = client.get("/search/export.csv", {"q": "人才公寓"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {int(r["id"]) for r in rows} == found(client, "人才公寓")


def test_check_index_finds_and_repairs_a_report_deleted_behind_our_back(seeded):
    backend().remove(f"archive.report.{seeded['002']}")
    out = io.StringIO()
    with pytest.raises(CommandError, match="drifted") as failed:
        call_command("check_index", stdout=out)
    assert failed.value.returncode == 1  # cron sees a non-zero exit
    assert f"missing   report #{seeded['002']}" in out.getvalue()
    call_command("check_index", "--repair", stdout=io.StringIO())
    out = io.StringIO()
    call_command("check_index", stdout=out)
    assert "0 missing, 0 stale, 0 orphaned" in out.getvalue()


def test_the_report_page_lists_similar_reports(client, seeded):
    page = client.get(f"/reports/{seeded['000']}/").content.decode()
    assert "相似报告" in page


def test_the_index_follows_saves_and_deletes_after_commit(
    client, django_capture_on_commit_callbacks
):
    backend().clear()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command(
            "import_reports",
            str(SEEDS_DIR / "002_1ab71f5613728c94.txt"),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert callbacks, "indexing must be scheduled on commit"
    report = Report.objects.get()
    assert found(client, "拎包入住") == {report.pk}
    with django_capture_on_commit_callbacks(execute=True):
        report.delete()
    assert found(client, "拎包入住") == set()


def test_a_title_match_outranks_a_body_only_match(client, tmp_path):
    backend().clear()
    title = tmp_path / "title.txt"
    title.write_text(
        "德州市住房公积金新规解读\n本文介绍德州市缴存比例调整的主要内容。", encoding="utf-8"
    )
    body = tmp_path / "body.txt"
    body.write_text("德州市住房新规解读\n本文介绍德州市公积金缴存比例调整内容。", encoding="utf-8")
    quiet("import_reports", str(body), str(title))
    drain_queue()
    ranked = [r["title"] for r in api(client, q="公积金")["results"]]
    assert ranked == ["德州市住房公积金新规解读", "德州市住房新规解读"]


def test_reports_awaiting_review_stay_out_of_search(client, seeded):
    report = Report.objects.get(pk=seeded["002"])
    report.needs_review = True
    report.save()
    drain_queue()
    assert seeded["002"] not in found(client, "拎包入住")
    report.needs_review = False
    report.save()
    drain_queue()
    assert seeded["002"] in found(client, "拎包入住")
