"""Compare like with like (issue 17): 兰州, 泸州 (seeds), 深圳 and 北京 (labelled dev
documents) imported through import_reports, then read through /compare/ and the API."""

import csv
import io
import json
import re

import pytest
from django.core.management import call_command

from .conftest import SEEDS_DIR

pytestmark = pytest.mark.django_db
DEV_RAW = SEEDS_DIR.parent / "labelled" / "dev" / "raw"
FOUR = "兰州市,泸州市,深圳市,北京市"


@pytest.fixture
def archive():
    paths = sorted(map(str, SEEDS_DIR.glob("*.txt"))) + sorted(map(str, DEV_RAW.iterdir()))
    call_command("import_reports", *paths, stdout=io.StringIO(), stderr=io.StringIO())


def api_compare(client) -> dict:
    response = client.get("/api/compare", {"cities": FOUR})
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def test_no_page_row_mixes_a_total_with_a_per_person_cap(client, archive):
    html = client.get("/compare/", {"cities": FOUR}).content.decode()
    rows = re.findall(r'data-dimension="purchase_subsidy" data-kind="(\w*)"', html)
    assert {"per_person", "total"} <= set(rows)
    per_person = html.split('data-dimension="purchase_subsidy" data-kind="per_person"')[1]
    per_person = per_person.split("</tr>")[0]
    assert "25萬元" in per_person and "280万元" not in per_person
    total = html.split('data-dimension="purchase_subsidy" data-kind="total"')[1].split("</tr>")[0]
    assert "280万元" in total and "25萬元" not in total


def test_api_cells_keep_kinds_apart_and_the_capital_threshold_is_a_condition(client, archive):
    data = api_compare(client)
    (purchase,) = [d for d in data["dimensions"] if d["key"] == "purchase_subsidy"]
    kinds = {
        f["text"]: f["kind"] for f in purchase["cells"]["兰州市"] + purchase["cells"]["泸州市"]
    }
    assert kinds["280万元"] == "total" and kinds["25萬元"] == "per_person"
    (startup,) = [d for d in data["dimensions"] if d["key"] == "startup_funding"]
    capital = [f for f in startup["cells"]["北京市"] if f["value"] == 300_000_000]
    assert capital and all(f["kind"] == "condition" for f in capital)
    assert "实收资本" in capital[0]["sentence"]


def test_housing_separates_a_flats_size_from_flats_and_floor_space_built(client, archive):
    html = client.get("/compare/", {"cities": FOUR}).content.decode()
    area = html.split('data-dimension="housing" data-kind="area"')[1].split("</tr>")[0]
    count = html.split('data-dimension="housing" data-kind="count"')[1].split("</tr>")[0]
    assert "50平方米" in area and "4.48万平方米" not in area and "6000余套" not in area
    assert "6000余套" in count


def test_beijing_settlement_shows_its_conditions_and_values_as_written(client, archive):
    html = client.get("/compare/", {"cities": FOUR}).content.decode()
    settlement = html.split('data-dimension="settlement" data-kind="condition"')[1]
    beijing = settlement.split("</tr>")[0].split("<td>")[4]
    assert "45周岁" in beijing and "3个月" in beijing
    assert "12535人" in html and "1.2535万人" not in html
    assert "<time" in beijing  # each figure says its report's date


def test_errors_are_in_the_readers_language(client, archive):
    html = client.get("/compare/", {"cities": "火星市,兰州市"}).content.decode()
    assert "未知城市：火星市" in html and "unknown city" not in html
    english = client.get(
        "/compare/", {"cities": "兰州市"}, headers={"accept-language": "en"}
    ).content.decode()
    assert "choose 2 to 8 cities" in english.lower()


def test_city_pages_suggest_cities_from_the_data(client, archive):
    shenzhen = client.get("/cities/shenzhen/").content.decode()
    lanzhou = client.get("/cities/lanzhou/").content.decode()
    first = re.findall(r"深圳市 ↔ (\S+?)</a>", shenzhen)
    assert first[0] in ("广州市", "珠海市")  # same province first
    assert re.findall(r"兰州市 ↔ (\S+?)</a>", lanzhou) != first


def test_a_masters_graduate_sees_what_applies_in_three_cities(client, archive):
    params = {"cities": "深圳市,北京市,泸州市", "education": "硕士", "age": "28"}
    data = json.loads(client.get("/api/compare/applicant", params).content)
    by_city = {c["city"]: c for c in data["cities"]}
    shenzhen = by_city["深圳市"]
    amounts = {(f["text"], f["beneficiary"]) for f in shenzhen["amounts"]}
    assert ("25000元/人", "硕士") in amounts
    assert not any(f["beneficiary"] in ("本科", "博士") for f in shenzhen["amounts"])
    assert all(
        f["url"].startswith("/reports/") and "#fig-" in f["url"] for f in shenzhen["amounts"]
    )
    beijing = by_city["北京市"]
    ages = {(f["text"], f["beneficiary"], f["met"]) for f in beijing["conditions"]}
    assert ("30周岁", "硕士", True) in ages and not any(b == "博士" for _, b, _ in ages)
    assert "purchase_subsidy" in beijing["not_stated"]
    assert any(f["text"] == "25萬元" for f in by_city["泸州市"]["amounts"])
    page = client.get("/compare/applicant/", params)
    assert page.status_code == 200 and "25000元/人" in page.content.decode()
    rows = list(
        csv.DictReader(
            io.StringIO(
                client.get("/compare/applicant/export.csv", params).getvalue().decode("utf-8-sig")
            )
        )
    )
    assert {"深圳市", "北京市", "泸州市"} <= {r["city"] for r in rows}


def test_bad_applicant_input_is_a_clear_400(client, archive):
    response = client.get("/api/compare/applicant", {"cities": "深圳市,北京市", "age": "abc"})
    assert response.status_code == 400 and "年龄" in json.loads(response.content)["error"]
    page = client.get("/compare/applicant/", {"cities": "深圳市,北京市", "education": "院士"})
    assert page.status_code == 400 and "未知学历" in page.content.decode()


def test_the_applicant_endpoint_is_in_the_openapi_schema(client):
    schema = json.loads(client.get("/api/openapi.json").content)
    assert "/api/compare/applicant" in schema["paths"]
    assert "ApplicantOut" in schema["components"]["schemas"]
