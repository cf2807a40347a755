"""Exact phrases stay exact through /api/search (issue 16's surviving mutants).

Three made-up reports of one 德州 station, imported with the seeds as operators
do: in ``glued`` 可拎包入住 is written together; in ``scattered`` the same
characters are all there but apart; in ``paragraph`` 拎包 ends one paragraph
and 入住 begins the next (the text keeps one paragraph per line; the blank line
between them in the upload is dropped by the cleaner). A phrase must match only
where its characters are adjacent within one paragraph.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from archive.models import Report
from search.indexing import backend, drain_queue

from .conftest import SEEDS_DIR

pytestmark = pytest.mark.django_db

REPORTS = {
    "glued": "德州市青年驿站简报\n新引进的青年人才可拎包入住驿站，手续当天办结。\n",
    "scattered": "德州市人才驿站须知\n行李包可寄存，拎着证件前往驿站登记后入住。\n",
    "paragraph": "德州市驿站服务简报\n报到当天只需拎包\n\n入住手续由德州市人才集团办理。\n",
}


@pytest.fixture
def archive(tmp_path) -> dict[str, int]:
    """Report ids: the three made-up reports by name, the seeds by prefix."""
    backend().clear()
    for name, text in REPORTS.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    paths = [*sorted(SEEDS_DIR.glob("*.txt")), *(tmp_path / f"{n}.txt" for n in REPORTS)]
    call_command("import_reports", *map(str, paths), stdout=io.StringIO(), stderr=io.StringIO())
    drain_queue()
    ids = {}
    for report in Report.objects.all():
        name = report.original_name.rsplit("/", 1)[-1].removesuffix(".txt")
        ids[name if name in REPORTS else name[:3]] = report.pk
    return ids


def found(client, q: str, archive: dict[str, int]) -> set[str]:
    response = client.get("/api/search", {"q": q, "page_size": 100})
    assert response.status_code == 200, response.content
    names = {pk: name for name, pk in archive.items()}
    return {names[hit["id"]] for hit in response.json()["results"]}


def test_the_paragraph_report_has_both_words_in_two_paragraphs(client, archive):
    text = Report.objects.get(pk=archive["paragraph"]).clean_text
    assert "只需拎包\n入住手续" in text
    assert "paragraph" in found(client, "拎包 入住", archive)


def test_a_quoted_phrase_does_not_match_across_a_paragraph_break(client, archive):
    assert found(client, '"拎包入住"', archive) == {"glued", "000", "002", "004"}


def test_single_characters_typed_together_match_only_together(client, archive):
    """可拎包 is 可 + 拎包 to jieba: 可 alone means little, so the three characters
    must be adjacent; ``scattered`` has each of them, never together."""
    assert found(client, "可 拎 包", archive) >= {"glued", "scattered"}  # all there…
    assert found(client, "可拎包", archive) == {"glued"}  # …but only one has them together
    assert found(client, "拎包入住 可", archive) >= {"glued"}


def test_city_facet_is_ordered_by_count_then_value(client, archive):
    """德州市 (seed 001 and the three made-up reports) first, though 兰州市 and
    呼和浩特市 sort before it by value; the cities of one report each by value."""
    answer = client.get("/api/search", {"q": "人才", "page_size": 1}).json()
    cities = [(v["value"], v["count"]) for v in answer["facets"]["city"]]
    assert cities == [
        ("德州市", 4),
        ("兰州市", 1),
        ("呼和浩特市", 1),
        ("泸州市", 1),
        ("运城市", 1),
    ]


def test_few_reports_with_every_word_are_followed_by_those_with_some(client, archive):
    """Only ``scattered`` holds both 寄存 and 入住: it comes first, then the reports
    that hold one of the words (search/partial_matches.py); exact=1 keeps the strict
    list, and the CSV export lists what the page lists."""
    answer = client.get("/api/search", {"q": "寄存 入住", "page_size": 100}).json()
    listed = [hit["id"] for hit in answer["results"]]
    some = {archive[n] for n in ("glued", "paragraph", "000", "002", "004")}
    assert listed[0] == archive["scattered"]
    assert set(listed[1:]) == some and answer["count"] == 6
    assert answer["all_words_count"] == 1
    assert [hit["all_words"] for hit in answer["results"]] == [True] + [False] * 5
    assert sum(v["count"] for v in answer["facets"]["city"]) == 6
    exact = client.get("/api/search", {"q": "寄存 入住", "exact": 1}).json()
    assert [hit["id"] for hit in exact["results"]] == [archive["scattered"]]
    assert exact["all_words_count"] is None and exact["results"][0]["all_words"] is True
    assert found(client, "寄存", archive) == {"scattered"}  # one word: nothing to relax


def test_the_page_says_where_reports_with_only_some_of_the_words_begin(client, archive):
    html = client.get("/search/", {"q": "寄存 入住"}).content.decode()
    assert "找到 6 篇报告" in html and "1 篇含全部关键词，其余只含部分关键词" in html
    first, rest = html.split("以下报告只含部分关键词", 1)
    assert "德州市人才驿站须知" in first  # the one holding both words, above the note
    assert "德州市青年驿站简报" in rest and "以下报告只含部分关键词" not in rest  # once
    html = client.get("/search/", {"q": "寄存 入住", "exact": 1}).content.decode()
    assert "以下报告只含部分关键词" not in html and "含全部关键词" not in html


def test_a_second_page_of_partial_matches_carries_the_note_on_its_first_hit(client, archive):
    html = client.get("/search/", {"q": "寄存 入住", "page_size": 2, "page": 2}).content.decode()
    assert html.count("以下报告只含部分关键词") == 1
