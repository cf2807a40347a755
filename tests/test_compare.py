"""Comparison of cities by policy figures, through the real import path (issue 5)."""

import csv
import html
import io
import json
import re

import pytest
from django.core.management import call_command

from archive.ingest.figures import DIMENSIONS
from compare.dimensions import LABELS, format_value
from compare.terms import TermText, parse_terms, term_rates

from .conftest import SEEDS_DIR

pytestmark = pytest.mark.django_db
ALL = "兰州市,运城市,呼和浩特市,德州市,泸州市"


@pytest.fixture
def seeded():
    call_command(
        "import_reports",
        *sorted(map(str, SEEDS_DIR.glob("*.txt"))),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


def compare(client, cities: str, **params) -> dict:
    response = client.get("/api/compare", {"cities": cities, **params})
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def cell(data: dict, dimension: str, city: str) -> list[dict]:
    (row,) = [d for d in data["dimensions"] if d["key"] == dimension]
    return row["cells"][city]


def has(figures, value, unit, qualifier=None, sentence_part=None) -> bool:
    return any(
        f["value"] == value
        and f["unit"] == unit
        and (qualifier is None or qualifier in f["qualifier"].split("、"))
        and (sentence_part is None or sentence_part in f["sentence"])
        for f in figures
    )


def test_the_seed_figures_an_analyst_needs_are_there_with_their_sentences(client, seeded):
    data = compare(client, ALL)
    assert data["cities"] == ALL.split(",")
    assert has(
        cell(data, "purchase_subsidy", "泸州市"),
        250000,
        "yuan",
        "最高",
        "根據學歷最高給予25萬元補助",
    )
    assert has(cell(data, "housing", "泸州市"), 6000, "unit", "余")
    assert has(cell(data, "housing", "兰州市"), 44800, "m2")
    assert has(cell(data, "talent_budget", "兰州市"), 157860000, "yuan")
    assert has(cell(data, "talents_introduced", "兰州市"), 2559, "person")
    assert has(cell(data, "housing", "呼和浩特市"), 15472, "unit", sentence_part="筹集房源15472套")
    assert has(cell(data, "talent_budget", "呼和浩特市"), 100000000, "yuan", "每年")
    assert has(cell(data, "graduates_retained", "呼和浩特市"), 110400, "person")
    assert has(cell(data, "postdoc_stations", "德州市"), 17, "item")


def test_every_figure_links_to_its_report_at_the_figure(client, seeded):
    data = compare(client, "泸州市,兰州市")
    figure = next(f for f in cell(data, "purchase_subsidy", "泸州市") if f["value"] == 250000)
    assert figure["url"] == f"/reports/{figure['report_id']}/#fig-" + figure["url"].split("-")[-1]
    report = json.loads(client.get(f"/api/reports/{figure['report_id']}").content)
    assert "根據學歷最高給予25萬元補助" in report["clean_text"]


def test_years_and_document_numbers_are_not_figures(client, seeded):
    data = compare(client, ALL)
    values = {f["value"] for d in data["dimensions"] for c in d["cells"].values() for f in c}
    assert not values & {2020, 2022, 2023, 2024, 9030288}


def test_every_dimension_of_the_api_is_listed_with_a_label(client, seeded):
    data = compare(client, "泸州市,兰州市")
    assert [d["key"] for d in data["dimensions"]] == list(DIMENSIONS)
    assert set(LABELS) == set(DIMENSIONS)


@pytest.mark.parametrize(
    "cities", ["", "兰州市", "兰州市,火星市", ",".join(["兰州市"] * 2), "<script>", "a" * 5000]
)
def test_bad_city_lists_get_a_400_with_a_reason(client, seeded, cities):
    response = client.get("/api/compare", {"cities": cities})
    assert response.status_code == 400
    assert json.loads(response.content)["error"]


def _refuse_nul_parameters(execute, sql, params, many, context):
    """PostgreSQL refuses a NUL in a text parameter (a 500); SQLite would let it by."""
    rows = params if many else [params]
    assert not any("\x00" in str(p) for row in rows for p in (row or ())), sql
    return execute(sql, params, many, context)


@pytest.mark.parametrize(
    "url",
    [
        "/api/compare",
        "/api/compare/applicant",
        "/compare/",
        "/compare/applicant/",
        "/compare/export.csv",
        "/compare/export.jsonl",
    ],
)
def test_a_city_name_with_a_nul_byte_is_unknown_and_never_reaches_the_database(client, seeded, url):
    from django.db import connection

    cities = "\x00\u00b1\u00b3\U00022d00~\x10,兰州市"
    with connection.execute_wrapper(_refuse_nul_parameters):
        response = client.get(url, {"cities": cities})
    assert response.status_code in (200, 400)
    body = response.content.decode()
    assert "\x00" not in body and "未知城市" in body and "±³\U00022d00~" in body


def test_cities_can_be_named_in_traditional_or_by_slug(client, seeded):
    assert compare(client, "瀘州市,lanzhou")["cities"] == ["泸州市", "兰州市"]


def test_the_compare_page_renders_the_table_and_term_chart(client, seeded):
    page = client.get("/compare/", {"cities": "泸州市,兰州市,呼和浩特市", "terms": "人才公寓 补贴"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "购房补贴与安家费" in html and "25萬元" in html and "#fig-" in html
    assert 'id="term-data"' in html


def test_the_compare_page_explains_a_bad_choice(client, seeded):
    html = client.get("/compare/", {"cities": "兰州市"}).content.decode()
    assert "请选择 2 到 8 个城市，现在是 1 个" in html


def test_csv_export_lists_every_figure_with_its_sentence(client, seeded):
    response = client.get("/compare/export.csv", {"cities": "泸州市,兰州市"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    row = next(r for r in rows if r["city"] == "泸州市" and r["value"] == "250000")
    assert row["dimension"] == "purchase_subsidy"
    assert "25萬元" in row["sentence"]
    assert row["url"].startswith("http://testserver/reports/")


def test_term_rates_count_both_scripts_per_ten_thousand_characters():
    texts = [
        TermText("泸州市", 2024, "購房補貼" + "。" * 96),  # 100 characters, Traditional
        TermText("泸州市", 2023, "购房补贴购房补贴" + "。" * 92),
        TermText("兰州市", 2024, "沒有" + "。" * 98),
    ]
    rates = term_rates(texts, ["购房补贴"])
    assert rates["by_city"]["购房补贴"] == {"泸州市": 150.0, "兰州市": 0.0}
    assert rates["by_year"]["购房补贴"]["泸州市"] == {2023: 200.0, 2024: 100.0}
    undated = term_rates([TermText("泸州市", None, "購房補貼")], ["購房補貼"])
    assert undated["by_city"] == {"購房補貼": {"泸州市": 2500.0}}
    assert undated["by_year"] == {"購房補貼": {}}


def test_parse_terms_splits_on_spaces_and_chinese_commas():
    assert parse_terms("人才公寓，补贴、 落户 补贴") == ["人才公寓", "补贴", "落户"]


def test_values_are_shown_in_english_without_wan_and_yi():
    from django.utils import translation

    with translation.override("en"):
        assert format_value(250000, "yuan") == "250,000 yuan"
        assert format_value(157860000, "yuan") == "157.86 million yuan"
        assert format_value(15472, "unit") == "15,472 units"


def test_values_are_shown_the_way_analysts_write_them():
    assert format_value(250000, "yuan") == "25万元"
    assert format_value(157860000, "yuan") == "1.5786亿元"
    assert format_value(15472, "unit") == "15472套"
    assert format_value(44800, "m2") == "4.48万平方米"


def test_key_figures_give_one_headline_number_per_dimension(seeded):
    from archive.models import City
    from compare.selectors import city_key_figures

    rows = {row.key: row for row in city_key_figures(City.objects.get(name="泸州市"))}
    assert rows["purchase_subsidy"].figure.value == 250000
    assert "25萬元" in rows["purchase_subsidy"].figure.sentence
    assert rows["housing"].figure.value == 6000
    assert "talent_budget" not in rows


def test_a_figure_excerpt_keeps_the_words_around_the_number(seeded):
    from archive.models import Figure

    figure = Figure.objects.get(report__city__name="泸州市", value=250000)
    assert "最高給予25萬元補助" in figure.excerpt()
    assert len(figure.excerpt()) <= 36 * 2 + len(figure.text) + 2


def test_the_page_shows_the_newest_figures_of_each_cell_and_counts_them_all(seeded):
    from compare.selectors import city_compare, parse_cities

    cities = parse_cities("兰州市,德州市,泸州市")
    full = city_compare(cities)
    capped = city_compare(cities, per_cell=2)
    assert any(len(cells) > 2 for row in full.rows for cells in row.cells.values())
    for whole, page in zip(full.rows, capped.rows, strict=True):
        for city in cities:
            assert page.totals[city.pk] == len(whole.cells[city.pk])
            assert page.cells[city.pk] == whole.cells[city.pk][:2]


def test_the_page_shows_six_figures_a_cell_and_counts_the_rest_behind_another(client, seeded):
    from compare.selectors import city_compare, parse_cities
    from compare.views import PER_CELL

    cities = parse_cities("兰州市,泸州市")
    rows = city_compare(cities, per_cell=PER_CELL).kind_rows  # a cell is a dimension × kind
    sizes = [len(row.cells[c.pk]) for row in rows for c in cities]
    html = client.get("/compare/", {"cities": "兰州市,泸州市"}).content.decode()
    assert any(size > 6 for size in sizes)  # the seeds fill a cell past the fold
    for size in {s for s in sizes if s > 6}:
        assert f"另有 {size - 6} 项" in html
    # only the six shown are drawn; the rest are a link each (compare/more/)
    assert html.count('class="figures"') == sum(1 for s in sizes if s)
    assert html.count('class="figure"') == sum(min(s, 6) for s in sizes)
    assert html.count("data-more=") == sum(1 for s in sizes if s > 6)
    assert 'href="/cities/luzhou/"' in html and 'href="/compare/"' in html


def _more_links(page: str) -> list[str]:
    """The addresses behind the page's "另有 N 项", in table order."""
    return [
        html.unescape(u) for u in re.findall(r'<details class="more" data-more="([^"]+)"', page)
    ]


def test_every_cell_past_the_fold_links_to_exactly_its_hidden_figures(client, seeded):
    """The more page of each "另有 N 项" draws the N figures the page left out, in
    the page's order, each linked to its sentence: the same figures the page of all
    their figures would have drawn (``Comparison.kind_rows`` of any city set)."""
    from compare.selectors import city_compare, parse_cities
    from compare.views import PER_CELL, SHOWN

    names = "兰州市,泸州市,德州市"
    cities = parse_cities(names)
    rows = city_compare(cities, per_cell=PER_CELL).kind_rows
    links = _more_links(client.get("/compare/", {"cities": names}).content.decode())
    expected = [
        (city, row, row.cells[city.pk][SHOWN:])
        for row in rows
        for city in cities
        if len(row.cells[city.pk]) > SHOWN
    ]
    assert len(links) == len(expected) >= 1
    for (city, row, hidden), link in zip(expected, links, strict=True):
        assert f"city={city.slug}" in link and f"dimension={row.key}" in link
        page = client.get(link)
        assert page.status_code == 200
        body = page.content.decode()
        drawn = re.findall(r'<a href="/reports/(\d+)/#fig-(\d+)"', body)
        assert drawn == [(str(f.report_id), str(f.ordinal)) for f in hidden]
        assert 'id="more-figures"' in body and "noindex" in body


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"city": "luzhou"},
        {"city": "luzhou", "dimension": "housing"},
        {"city": "luzhou", "dimension": "nonsense", "kind": "per_person"},
        {"city": "luzhou", "dimension": "housing", "kind": "nonsense"},
        {"city": "no-such-city", "dimension": "housing", "kind": "per_person"},
        {"city": "lu\x00zhou", "dimension": "housing", "kind": "per_person"},
        {"city": "x" * 500, "dimension": "housing", "kind": "per_person"},
    ],
)
def test_a_more_page_of_no_cell_is_a_404(client, seeded, query):
    assert client.get("/compare/more/", query).status_code == 404


def test_a_more_page_of_a_cell_with_six_or_fewer_figures_is_a_404(client, seeded):
    from compare.selectors import city_compare, parse_cities
    from compare.views import PER_CELL, SHOWN

    (city,) = parse_cities("兰州市,泸州市")[:1]
    small = [
        row
        for row in city_compare([city], per_cell=PER_CELL).kind_rows
        if 0 < len(row.cells[city.pk]) <= SHOWN
    ]
    assert small
    row = small[0]
    query = {"city": city.slug, "dimension": row.key, "kind": row.kind}
    assert client.get("/compare/more/", query).status_code == 404
