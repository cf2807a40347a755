"""Reading pages and JSON twins on imported seeds."""

import io
import json
import re

import pytest
from django.core.management import call_command

from archive.models import Report

from .conftest import seed_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def luzhou(db) -> Report:
    call_command(
        "import_reports", str(seed_path("004")), stdout=io.StringIO(), stderr=io.StringIO()
    )
    return Report.objects.get()


def test_the_report_page_shows_clean_paragraphs_and_metadata(client, luzhou):
    page = client.get(f"/reports/{luzhou.pk}/").content.decode()
    # Figures are marked in place (<mark id="fig-N">), so compare the text without tags.
    assert "根據學歷最高給予25萬元補助" in re.sub(r"<[^>]+>", "", page)
    assert "泸州市" in page and "四川省" in page
    assert "2024-06-18" in page
    assert 'id="p-1"' in page


def test_the_original_is_escaped_on_the_page_and_downloadable_verbatim(client, luzhou):
    page = client.get(f"/reports/{luzhou.pk}/").content.decode()
    assert "關(guān)" in page  # the original as uploaded, glosses and all
    response = client.get(f"/reports/{luzhou.pk}/original")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == seed_path("004").read_bytes()
    assert response["Content-Disposition"].startswith("attachment")


def test_html_in_a_report_is_escaped(client, tmp_path):
    evil = tmp_path / "evil.txt"
    evil.write_text(
        "兰州市人才工作新闻\n兰州市发布人才政策<script>alert(1)</script>，最高补助25万元。",
        encoding="utf-8",
    )
    call_command("import_reports", str(evil), stdout=io.StringIO(), stderr=io.StringIO())
    page = client.get(f"/reports/{Report.objects.get().pk}/").content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_api_report_matches_the_api_shape(client, luzhou):
    data = json.loads(client.get(f"/api/reports/{luzhou.pk}").content)
    assert data["city"] == "泸州市"
    assert data["province"] == "四川省"
    assert data["published_on"] == "2024-06-18"
    assert data["date_precision"] == "day"
    assert data["doc_type"] == "proposal_reply"
    assert data["script"] == "traditional"
    assert data["original_url"] == f"/reports/{luzhou.pk}/original"
    assert len(data["sha256"]) == 64
    assert data["duplicate_of"] is None


def test_api_report_404_is_json(client):
    response = client.get("/api/reports/999999")
    assert response.status_code == 404
    assert "error" in json.loads(response.content)


def test_api_cities_lists_cities_with_reports_and_the_whole_gazetteer(client, luzhou):
    rows = json.loads(client.get("/api/cities").content)
    assert [(r["name"], r["province"], r["report_count"]) for r in rows] == [
        ("泸州市", "四川省", 1)
    ]
    everything = json.loads(client.get("/api/cities?all=1").content)
    assert len(everything) > 3000
    assert {"name": "兰州市", "report_count": 0}.items() <= next(
        r for r in everything if r["name"] == "兰州市"
    ).items()


@pytest.mark.parametrize("page", ["-1", "abc", "99999", "0", "1e9"])
def test_odd_page_numbers_on_home_never_fail(client, luzhou, page):
    response = client.get("/", {"page": page})
    assert response.status_code == 200
    assert "瀘州市" in response.content.decode()
