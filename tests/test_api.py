"""The /api/ endpoints served by django-ninja (issue 9): same JSON, documented.

The older tests (test_views, test_search_pages, test_compare) keep hitting the
same URLs and now reach these endpoints; here: the schema, the docs page, and
that each endpoint's JSON is exactly what the shared serializers produce.
"""

import io
import json
import re

import pytest
from django.core.cache import caches
from django.core.management import call_command
from openapi_spec_validator import validate

from archive.models import Report
from compare.selectors import city_compare, parse_cities
from search.indexing import backend, drain_queue
from search.params import parse_params
from search.selectors import report_search
from search.serializers import page_json

from .conftest import SEEDS_DIR

pytestmark = pytest.mark.django_db

PATHS = {
    "/api/search",
    "/api/reports/{report_id}",
    "/api/cities",
    "/api/compare",
    "/api/compare/applicant",
}


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Each test starts with empty request counters: the suite is one client address."""
    caches["throttle"].clear()


@pytest.fixture
def seeded() -> dict[str, int]:
    """The five seeds imported and indexed; seed prefix -> report id."""
    backend().clear()
    call_command(
        "import_reports",
        *sorted(map(str, SEEDS_DIR.glob("*.txt"))),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    drain_queue()
    return {r.original_name.rsplit("/", 1)[-1][:3]: r.pk for r in Report.objects.all()}


def get_json(client, url: str, params: dict | None = None, status: int = 200):
    response = client.get(url, params or {})
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def test_the_openapi_schema_is_valid_openapi_3_and_lists_every_endpoint(client):
    schema = get_json(client, "/api/openapi.json")
    validate(schema)  # raises on an invalid document
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == PATHS
    for path in PATHS:
        operation = schema["paths"][path]["get"]
        ok = operation["responses"]["200"]["content"]["application/json"]["schema"]
        assert ok.get("$ref") or ok.get("items", {}).get("$ref"), path
        assert operation["responses"]["400"]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorOut"
        }


def test_the_schema_documents_the_search_bounds_of_search_params(client):
    schema = get_json(client, "/api/openapi.json")
    params = {p["name"]: p["schema"] for p in schema["paths"]["/api/search"]["get"]["parameters"]}
    assert params["page_size"]["maximum"] == 100
    assert params["page"]["minimum"] == 1
    assert params["sort"]["anyOf"][0]["enum"] == ["relevance", "newest", "oldest"]
    assert params["province"]["type"] == "array"


def test_the_docs_page_loads_swagger_ui_from_this_server_only(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert not re.search(r"(?:src|href)=\"(?:https?:)?//", page), "no foreign origin"
    assets = re.findall(r"(?:src|href)=\"(/api/docs/assets/[^\"]+)\"", page)
    assert len(assets) == 5
    for url in assets:
        asset = client.get(url)
        assert asset.status_code == 200, url
        assert b"".join(asset.streaming_content)
    assert '"url": "/api/openapi.json"' in page


def test_the_asset_view_serves_only_its_allow_list(client):
    assert client.get("/api/docs/assets/redoc.standalone.js").status_code == 404
    assert client.get("/api/docs/assets/..%2F__init__.py").status_code == 404
    css = client.get("/api/docs/assets/swagger-ui.css")
    assert css["Content-Type"] == "text/css; charset=utf-8"


def test_search_answers_exactly_what_page_json_builds(client, seeded, rf):
    query = {"q": "人才公寓", "sort": "newest", "page_size": "3"}
    data = get_json(client, "/api/search", query)
    expected = page_json(report_search(parse_params(rf.get("/", query).GET, strict=True)))
    data.pop("took_ms"), expected.pop("took_ms")
    assert data == expected
    assert data["count"] == 3
    assert [r["id"] for r in data["results"]] == [seeded["002"], seeded["004"], seeded["000"]]


def test_search_keeps_chinese_unescaped_in_the_body(client, seeded):
    body = client.get("/api/search", {"q": "泸州"}).content.decode()
    assert "泸州市" in body and "\\u" not in body


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "abc"}, "page"),
        ({"page": "0"}, "page"),
        ({"page_size": "101"}, "page_size"),
        ({"sort": "sideways"}, "sort"),
        ({"year_from": "1800"}, "year_from"),
        ({"doc_type": "memo"}, "doc_type"),
        ({"province": "甘肃省\x00"}, "province"),
    ],
)
def test_malformed_search_params_get_400_with_an_error_naming_the_param(client, params, field):
    data = get_json(client, "/api/search", params, status=400)
    assert list(data) == ["error"]
    assert data["error"].startswith(field)


def test_a_report_has_its_figures_and_the_api_shape(client, seeded):
    data = get_json(client, f"/api/reports/{seeded['004']}")
    assert (data["city"], data["published_on"], data["script"]) == (
        "泸州市",
        "2024-06-18",
        "traditional",
    )
    assert data["original_url"] == f"/reports/{seeded['004']}/original"
    figure = next(f for f in data["figures"] if f["value"] == 250000)
    assert (figure["unit"], figure["report_id"]) == ("yuan", seeded["004"])
    assert "根據學歷最高給予25萬元補助" in figure["sentence"]
    assert figure["url"].startswith(f"/reports/{seeded['004']}/#fig-")


@pytest.mark.parametrize(
    ("report_id", "status"),
    [("999999", 404), ("abc", 400), ("0", 400), ("99999999999999999999", 400)],
)
def test_unknown_or_malformed_report_ids_get_json_errors(client, report_id, status):
    data = get_json(client, f"/api/reports/{report_id}", status=status)
    assert list(data) == ["error"]


def test_cities_lists_the_five_seed_cities_and_all_lists_the_gazetteer(client, seeded):
    rows = get_json(client, "/api/cities")
    assert sorted(r["name"] for r in rows) == sorted(
        ["兰州市", "运城市", "呼和浩特市", "德州市", "泸州市"]
    )
    assert all(r["report_count"] == 1 for r in rows)
    everything = get_json(client, "/api/cities", {"all": "1"})
    assert len(everything) > 3000
    assert get_json(client, "/api/cities", {"all": "maybe"}, status=400)["error"].startswith("all")


def test_compare_answers_the_api_shape_with_report_counts(client, seeded):
    data = get_json(client, "/api/compare", {"cities": "泸州市,兰州市", "terms": "人才公寓"})
    assert data["cities"] == ["泸州市", "兰州市"]
    housing = next(d for d in data["dimensions"] if d["key"] == "housing")
    assert {6000, 44800} <= {f["value"] for city in housing["cells"].values() for f in city}
    assert data["reports"]["泸州市"] == {"count": 1, "first": "2024-06-18", "last": "2024-06-18"}
    assert set(data["terms"]["by_city"]["人才公寓"]) == {"泸州市", "兰州市"}
    comparison = city_compare(parse_cities("泸州市,兰州市"))
    assert len(data["dimensions"]) == len(comparison.rows)


@pytest.mark.parametrize("params", [{}, {"cities": "泸州市"}, {"cities": "泸州市,火星市"}])
def test_bad_city_lists_get_400_json(client, params):
    assert get_json(client, "/api/compare", params, status=400)["error"]
