"""Pure helpers of the browse pages (archive/browse/): name filter, reading, charts,
sorting. No database: seeds go through the pure pipeline only."""

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from types import SimpleNamespace

import pytest
from django.utils import translation

from archive.browse import charts
from archive.browse.listing import page_url, parse_sort, sort_links
from archive.browse.names import filter_groups, normalize_query, place_matches
from archive.browse.reading import (
    FigureSpan,
    converter,
    date_label,
    display_script,
    evidence_text,
    marked_paragraphs,
    paragraph_spans,
)
from archive.ingest.pipeline import process_document
from archive.models import Report

from .conftest import SEED_EXPECTED, seed_path

LANZHOU = SimpleNamespace(
    name="兰州市",
    short_name="兰州",
    pinyin="lanzhou",
    slug="lanzhou",
    trad_names=["蘭州市", "蘭州"],
)
LUZHOU = SimpleNamespace(
    name="泸州市", short_name="泸州", pinyin="luzhou", slug="luzhou", trad_names=["瀘州市", "瀘州"]
)
SICHUAN = SimpleNamespace(
    name="四川省", short_name="四川", pinyin="sichuan", slug="sichuan", trad_names=[]
)
GANSU = SimpleNamespace(
    name="甘肃省", short_name="甘肃", pinyin="gansu", slug="gansu", trad_names=[]
)


@cache
def processed(prefix: str):
    path = seed_path(prefix)
    return process_document(path.read_bytes(), filename=path.name)


def unsaved_report(prefix: str) -> Report:
    p = processed(prefix)
    return Report(title=p.title.value, clean_text=p.clean_text)


# --- the city filter -------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    ["lanzhou", "LanZhou", "lan zhou", "ｌａｎｚｈｏｕ", "lan", "蘭州", "兰州", "兰州市", "蘭州市"],
)
def test_pinyin_traditional_and_simplified_queries_all_find_lanzhou(query):
    assert place_matches(normalize_query(query), LANZHOU)


@pytest.mark.parametrize("query", ["luzhou", "zhou", "广州", "泸州", "anzhou", "<script>"])
def test_other_names_and_pinyin_from_the_middle_do_not_find_lanzhou(query):
    assert not place_matches(normalize_query(query), LANZHOU)


def test_a_traditional_query_finds_a_city_through_opencc_as_well_as_its_stored_names():
    assert place_matches(normalize_query("瀘州"), LUZHOU)
    no_trad_names = SimpleNamespace(**{**vars(LUZHOU), "trad_names": []})
    assert place_matches(normalize_query("瀘州"), no_trad_names)


def test_a_hostile_query_is_cut_short_and_loses_control_characters():
    assert normalize_query("lan\x00zhou\u200b") == "lanzhou"
    assert len(normalize_query("x" * 10_000)) == 40
    assert normalize_query(None) == ""


@dataclass
class Group:
    province: SimpleNamespace
    cities: list = field(default_factory=list)


def test_filtering_keeps_matching_cities_and_whole_provinces_that_match():
    groups = [
        Group(SICHUAN, [SimpleNamespace(city=LUZHOU)]),
        Group(GANSU, [SimpleNamespace(city=LANZHOU)]),
    ]
    assert [g.province.name for g in filter_groups(groups, "luzhou")] == ["四川省"]
    assert [g.province.name for g in filter_groups(groups, "gansu")] == ["甘肃省"]
    assert [g.province.name for g in filter_groups(groups, "")] == ["四川省", "甘肃省"]
    assert filter_groups(groups, "beijing") == []


# --- reading -----------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTED))
def test_paragraph_spans_cut_the_same_paragraphs_as_the_model(prefix):
    report = unsaved_report(prefix)
    spans = paragraph_spans(report.clean_text, report.title)
    assert [report.clean_text[s:e] for s, e in spans] == report.paragraphs()


@pytest.mark.parametrize("prefix", sorted(SEED_EXPECTED))
def test_every_seed_figure_is_marked_and_the_text_is_unchanged(prefix):
    report, figures = unsaved_report(prefix), processed(prefix).figures
    spans = [FigureSpan(i, f.start, f.end) for i, f in enumerate(figures, 1)]
    paragraphs, marked = marked_paragraphs(report.clean_text, report.title, spans)
    assert marked == set(range(1, len(figures) + 1))
    assert ["".join(p.text for p in para.pieces) for para in paragraphs] == report.paragraphs()
    pieces = {p.figure: p.text for para in paragraphs for p in para.pieces if p.figure}
    assert all(pieces[i] == figures[i - 1].text for i in marked)


def test_seed_004_marks_25_wan_yuan_in_place_and_converts_it_to_simplified():
    report, figures = unsaved_report("004"), processed("004").figures
    spans = [FigureSpan(i, f.start, f.end) for i, f in enumerate(figures, 1)]
    shown = converter(shown="simplified", stored="traditional")
    paragraphs, _ = marked_paragraphs(report.clean_text, report.title, spans, shown)
    text = "".join(p.text for para in paragraphs for p in para.pieces)
    assert "根据学历最高给予25万元补助" in text
    assert "根據" not in text
    (wan,) = [p for para in paragraphs for p in para.pieces if p.text == "25万元"]
    assert wan.figure is not None


def test_overlapping_and_paragraph_crossing_figures_stay_unmarked():
    text = "标题\n补助25万元。\n安家费10万元。"
    spans = [FigureSpan(1, 5, 9), FigureSpan(2, 7, 9), FigureSpan(3, 8, 14), FigureSpan(4, 0, 2)]
    paragraphs, marked = marked_paragraphs(text, "标题", spans)
    assert marked == {1}
    assert [[(p.text, p.figure) for p in para.pieces] for para in paragraphs] == [
        [("补助", None), ("25万元", 1), ("。", None)],
        [("安家费10万元。", None)],
    ]
    assert [para.number for para in paragraphs] == [1, 2]


@pytest.mark.parametrize(
    ("requested", "shown"),
    [
        ("simplified", "simplified"),
        ("traditional", "traditional"),
        (None, "traditional"),
        ("", "traditional"),
        ("<script>", "traditional"),
        ("SIMPLIFIED", "traditional"),
    ],
)
def test_the_script_shown_is_the_requested_one_or_the_stored_one(requested, shown):
    assert display_script(requested, "traditional") == shown


def test_converting_to_the_stored_script_is_the_identity():
    assert converter(shown="traditional", stored="traditional")("瀘州") == "瀘州"
    assert converter(shown="traditional", stored="simplified")("泸州") == "瀘州"


def test_bilingual_evidence_shows_the_readers_half_and_quotes_stay_whole():
    note = "标题含“建議”和“答復” / proposal + reply in title"
    assert evidence_text(note, "zh-hans") == "标题含“建議”和“答復”"
    assert evidence_text(note, "en") == "proposal + reply in title"
    assert evidence_text("城市取自标题：瀘州市", "zh-hans") == "城市取自标题：瀘州市"
    assert evidence_text("网页标题：关于人才公寓的通知 / page title", "en") == (
        "page title: 关于人才公寓的通知"
    )
    assert evidence_text("未写明的说明：甲", "en") == "未写明的说明：甲"  # unknown: whole
    assert evidence_text("来源：甲 / 乙", "en") == "来源：甲 / 乙"


@pytest.mark.parametrize(
    ("language", "precision", "expected"),
    [
        ("zh-hans", "day", "2024年6月18日"),
        ("en", "day", "June 18, 2024"),
        ("zh-hans", "month", "2024年6月"),
        ("en", "month", "June 2024"),
        ("en", "year", "2024"),
    ],
)
def test_dates_read_in_the_readers_language_to_their_precision(language, precision, expected):
    with translation.override(language):
        assert date_label(date(2024, 6, 18), precision) == expected


def test_an_unknown_date_says_so():
    with translation.override("zh-hans"):
        assert date_label(None, "") == "日期不详"


# --- charts and sorting ------------------------------------------------------------------


def test_a_year_chart_shows_the_missing_years_as_zero():
    chart = charts.reports_by_year([(2022, 1), (2024, 2)], name="报告")
    assert chart.data() == {
        "categories": ["2022", "2023", "2024"],
        "series": [{"name": "报告", "data": [1, 0, 2]}],
        "stack": False,
        "links": None,
        "unit": "",
    }


def test_a_timeline_stacks_types_and_its_rows_repeat_the_numbers_for_the_table():
    chart = charts.timeline(
        [(2023, "news", 1), (2024, "news", 2), (2024, "proposal_reply", 1)], label=str.upper
    )
    assert chart.stack and chart.series_names == ["NEWS", "PROPOSAL_REPLY"]
    assert [(r.label, r.values) for r in chart.rows()] == [("2023", [1, 0]), ("2024", [2, 1])]


def test_a_place_chart_keeps_a_link_per_bar():
    chart = charts.reports_by_place([("四川省", 2, "/provinces/sichuan/")], name="报告")
    assert chart.rows()[0].url == "/provinces/sichuan/"
    assert charts.reports_by_year([], name="报告").categories == []


def test_an_unknown_sort_falls_back_to_newest_and_links_start_on_page_one():
    assert parse_sort("title") == "title"
    assert parse_sort("-published_on; DROP") == "newest"
    assert parse_sort(None) == "newest"
    links = {link.key: (link.url, link.current) for link in sort_links("oldest")}
    assert links == {
        "newest": ("?", False),
        "oldest": ("?sort=oldest", True),
        "title": ("?sort=title", False),
        "type": ("?sort=type", False),
    }
    assert page_url("oldest", 2) == "?sort=oldest&page=2"
    assert page_url("newest", 1) == "?"
