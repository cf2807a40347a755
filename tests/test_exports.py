"""CSV and JSON Lines downloads of search results, a city's reports and a comparison."""

import csv
import io
import json

import pandas as pd
import pytest
from django.core.cache import caches
from django.core.management import call_command

from archive.exports import csv_lines, jsonl_lines
from archive.models import Report
from search.indexing import backend, drain_queue

from .conftest import SEEDS_DIR

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with empty request counters: the suite is one client address."""
    caches["throttle"].clear()


@pytest.fixture
def seeded() -> dict[str, int]:
    backend().clear()
    call_command(
        "import_reports",
        *sorted(map(str, SEEDS_DIR.glob("*.txt"))),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    drain_queue()
    return {r.original_name.rsplit("/", 1)[-1][:3]: r.pk for r in Report.objects.all()}


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode("utf-8")
    return response.content.decode("utf-8")


def jsonl(response) -> list[dict]:
    assert response["Content-Type"] == "application/x-ndjson; charset=utf-8"
    return [json.loads(line) for line in body(response).splitlines()]


def csv_rows(response) -> list[dict]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = body(response)
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def test_search_jsonl_lists_the_same_reports_as_the_csv_in_order(client, seeded):
    params = {"q": "人才公寓", "sort": "newest"}
    lines = jsonl(client.get("/search/export.jsonl", params))
    rows = csv_rows(client.get("/search/export.csv", params))
    assert [line["id"] for line in lines] == [seeded["002"], seeded["004"], seeded["000"]]
    assert [int(row["id"]) for row in rows] == [line["id"] for line in lines]
    luzhou = lines[1]
    assert luzhou["city"] == "泸州市" and luzhou["published_on"] == "2024-06-18"
    assert luzhou["url"] == f"http://testserver/reports/{seeded['004']}/"
    assert set(luzhou) == set(rows[1])


@pytest.mark.parametrize("name", ["luzhou", "泸州市", "瀘州"])
def test_a_city_export_lists_its_reports_by_slug_or_name(client, seeded, name):
    lines = jsonl(client.get(f"/exports/cities/{name}.jsonl"))
    assert [(line["id"], line["title"][:4]) for line in lines] == [(seeded["004"], "瀘州市人")]
    response = client.get(f"/exports/cities/{name}.csv")
    assert response["Content-Disposition"] == 'attachment; filename="luzhou-reports.csv"'
    assert [row["id"] for row in csv_rows(response)] == [str(seeded["004"])]


def test_a_city_without_reports_exports_only_a_header_and_an_unknown_city_is_404(client, seeded):
    assert body(client.get("/exports/cities/lanzhou.jsonl")) != ""  # 兰州 has seed 000
    empty = client.get("/exports/cities/chengdu.csv")
    assert body(empty) == (
        "\ufeffid,title,city,province,published_on,doc_type,doc_type_label,source,doc_number,"
        "issuer,url\r\n"
    )
    assert client.get("/exports/cities/atlantis.csv").status_code == 404


def test_compare_jsonl_has_one_line_per_figure_of_the_csv(client, seeded):
    params = {"cities": "泸州市,兰州市"}
    lines = jsonl(client.get("/compare/export.jsonl", params))
    rows = csv_rows(client.get("/compare/export.csv", params))
    assert len(lines) == len(rows) > 10
    assert [(x["dimension"], x["city"], x["report_id"]) for x in lines] == [
        (r["dimension"], r["city"], int(r["report_id"])) for r in rows
    ]
    subsidy = next(x for x in lines if x["value"] == 250000)
    assert (subsidy["unit"], subsidy["display"], subsidy["city"]) == ("yuan", "25万元", "泸州市")
    assert "根據學歷最高給予25萬元補助" in subsidy["sentence"]
    assert subsidy["url"].startswith(f"http://testserver/reports/{seeded['004']}/#fig-")


def test_compare_jsonl_explains_a_bad_city_list(client):
    response = client.get("/compare/export.jsonl", {"cities": "泸州市"})
    assert response.status_code == 400
    assert "2" in response.content.decode()


def test_csv_cells_are_defused_and_missing_values_are_empty():
    text = "".join(
        csv_lines(["title", "year", "n"], [{"title": "=HYPERLINK(1)", "year": None, "n": 3}])
    )
    assert text == "\ufefftitle,year,n\r\n'=HYPERLINK(1),,3\r\n"
    assert list(jsonl_lines([{"title": "泸州", "year": None}])) == [
        '{"title": "泸州", "year": null}\n'
    ]


# --- what an analyst meets in pandas (issue 19) -----------------------------------------


def read_csv(response) -> pd.DataFrame:
    """The download as a notebook reads it: pandas with nullable dtypes."""
    raw = b"".join(response.streaming_content)
    assert raw.startswith("\ufeff".encode()), "Excel needs the BOM to read Chinese"
    return pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", dtype_backend="numpy_nullable")


def test_pandas_reads_the_compare_csv_with_integer_years_and_each_figures_report(client, seeded):
    frame = read_csv(client.get("/compare/export.csv", {"cities": "泸州市,兰州市"}))
    assert list(frame.columns) == [
        "dimension", "label", "city", "value", "unit", "display", "text", "qualifier", "kind",
        "beneficiary", "year", "report_id", "report_title", "report_date", "sentence", "url",
    ]  # fmt: skip
    assert frame["year"].isna().any() and frame["year"].notna().any()  # blanks stay blank
    assert str(frame["year"].dtype) == "Int64" and str(frame["report_id"].dtype) == "Int64"
    luzhou = frame[frame["report_id"] == seeded["004"]]
    assert set(luzhou["report_title"].str[:4]) == {"瀘州市人"}
    assert set(luzhou["report_date"]) == {"2024-06-18"}
    assert 250000 in set(luzhou["value"])
    assert set(luzhou[luzhou["value"] == 250000]["kind"]) == {"per_person"}  # issue 17
    assert frame["report_title"].notna().all()


def test_pandas_reads_the_search_csv_with_integer_ids_and_a_label_beside_each_code(client, seeded):
    frame = read_csv(client.get("/search/export.csv", {"q": "人才"}))
    assert list(frame.columns) == [
        "id", "title", "city", "province", "published_on", "doc_type", "doc_type_label",
        "source", "doc_number", "issuer", "url",
    ]  # fmt: skip
    assert str(frame["id"].dtype) == "Int64"
    labels = dict(zip(frame["doc_type"], frame["doc_type_label"], strict=True))
    assert labels["news"] == "新闻报道" and labels["proposal_reply"] == "建议提案答复"
    assert frame["published_on"].isna().any()  # seeds 000 and 003 have no date: blank


def test_the_label_follows_the_readers_language(client, seeded):
    lines = jsonl(client.get("/search/export.jsonl", {"q": "人才"}, HTTP_ACCEPT_LANGUAGE="en"))
    labels = {line["doc_type"]: line["doc_type_label"] for line in lines}
    assert labels["news"] != "新闻报道" and labels["news"].isascii()


def test_whole_numbers_are_written_without_a_decimal_point():
    text = "".join(csv_lines(["value", "year"], [{"value": 250000.0, "year": 2023}]))
    assert text == "\ufeffvalue,year\r\n250000,2023\r\n"
    assert "".join(csv_lines(["value"], [{"value": 1.5}])).endswith("1.5\r\n")
