"""haystack's documented ``SearchQuerySet`` API against our engine (issue 16).

An integrator who knows haystack reaches for ``SearchQuerySet``: filter, exclude,
order_by, facet, highlight, more_like_this, autocomplete, values, count and date
filters must work on our Chinese index, and a report held for review or confirmed
as a duplicate must not appear through it either. The archive (several reports
per city, one under a county, a held report, a duplicate) is
tests/visibility_archive.py's, built through the real import and upload paths.
"""

from __future__ import annotations

from datetime import date

import pytest
from haystack.query import SearchQuerySet

from archive.models import Report

from .visibility_archive import (  # noqa: F401  (the fixtures)
    Archive,
    archive_fixture,
    built_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memoized_pipeline")]


def pks(results) -> set[int]:
    return {int(result.pk) for result in results}


def public_pks(archive: Archive) -> set[int]:
    return {report.pk for report in archive.public.values()}


def test_everything_public_and_nothing_hidden(archive: Archive):
    everything = SearchQuerySet().all()
    assert everything.count() == len(archive.public) == 7
    assert pks(everything) == public_pks(archive)
    assert not pks(everything) & {report.pk for report in archive.hidden}


def test_filter_and_exclude_by_exact_city(archive: Archive):
    chengdu = {archive.public["chengdu_housing"].pk, archive.public["chengdu_youth"].pk}
    assert pks(SearchQuerySet().filter(city="成都市")) == chengdu  # not the duplicate
    assert pks(SearchQuerySet().exclude(city="成都市")) == public_pks(archive) - chengdu
    # 德州市's only report is held for review: nothing to find.
    assert SearchQuerySet().filter(city="德州市").count() == 0


def test_order_by_publication_date(archive: Archive):
    newest_first = [int(r.pk) for r in SearchQuerySet().order_by("-published")]
    by_date = sorted(archive.public.values(), key=lambda r: r.published_on, reverse=True)
    assert newest_first == [report.pk for report in by_date]
    assert newest_first[0] == archive.public["huhehaote"].pk  # 2024-09-28


def test_date_filters(archive: Archive):
    since_2023 = SearchQuerySet().filter(published__gte=date(2023, 1, 1))
    expected = {r.pk for r in archive.public.values() if r.published_on >= date(2023, 1, 1)}
    assert pks(since_2023) == expected
    assert len(expected) == 4
    in_2022 = SearchQuerySet().filter(published__range=(date(2022, 1, 1), date(2022, 12, 31)))
    assert pks(in_2022) == {archive.public["chengdu_housing"].pk, archive.public["lanzhou"].pk}


def test_facet_counts_public_reports_per_city(archive: Archive):
    counts = dict(SearchQuerySet().facet("city").facet_counts()["fields"]["city"])
    assert counts["成都市"] == 2  # the duplicate is not counted
    assert counts["江阳区"] == counts["泸州市"] == 1  # a county's report is the county's
    provinces = dict(SearchQuerySet().facet("province").facet_counts()["fields"]["province"])
    assert provinces["四川省"] == 4
    assert "德州市" not in counts
    assert sum(counts.values()) == 7


def test_count_and_values(archive: Archive):
    found = SearchQuerySet().filter(content="人才公寓", city="成都市")
    assert found.count() == 1  # the duplicate is out of the index
    (row,) = found.values("title", "city")
    assert row == {"title": "成都市人才安居工程实施情况通报", "city": "成都市"}


def test_result_text_is_the_stored_document(archive: Archive):
    (result,) = SearchQuerySet().filter(city="运城市")
    report = Report.objects.get(pk=result.pk)
    # the title, then the body's paragraphs, a blank line between each (as indexed:
    # no phrase spans a paragraph break)
    assert result.text.split("\n\n") == [report.title, *report.clean_text.splitlines()]


def test_highlight_marks_query_words_in_the_text(archive: Archive):
    (result,) = SearchQuerySet().filter(content="人才公寓", city="成都市").highlight()
    (best, *_) = result.highlighted["text"]
    assert "<em>人才</em><em>公寓</em>3000套" in best


def test_highlight_of_a_simplified_query_marks_the_traditional_original(archive: Archive):
    results = SearchQuerySet().filter(content="泸州").highlight()
    luzhou = next(r for r in results if int(r.pk) == archive.public["luzhou"].pk)
    assert any("<em>瀘州</em>" in snippet for snippet in luzhou.highlighted["text"])


def test_highlight_escapes_the_uploaded_text(archive: Archive):
    results = SearchQuerySet().filter(content="博士").highlight()
    assert results.count() >= 2
    for result in results:
        assert result.highlighted["text"], result.pk
        for snippet in result.highlighted["text"]:
            assert "<em>博士</em>" in snippet
            assert "<" not in snippet.replace("<em>", "").replace("</em>", "")


def test_more_like_this_finds_the_other_housing_subsidy(archive: Archive):
    housing = archive.public["chengdu_housing"]
    similar = pks(SearchQuerySet().more_like_this(housing))
    assert housing.pk not in similar
    assert archive.public["jiangyang"].pk in similar  # 新引进博士 ... 安家补贴
    assert similar <= public_pks(archive)


def test_more_like_this_narrowed_by_a_filter(archive: Archive):
    housing = archive.public["chengdu_housing"]
    narrowed = SearchQuerySet().filter(city="泸州市").more_like_this(housing)
    assert pks(narrowed) and pks(narrowed) <= {
        archive.public["jiangyang"].pk,
        archive.public["luzhou"].pk,
    }


def test_more_like_this_of_a_held_report_is_empty(archive: Archive):
    assert list(SearchQuerySet().more_like_this(archive.held)) == []


def test_autocomplete_on_the_title(archive: Archive):
    titles = {result.title for result in SearchQuerySet().autocomplete(title="成都")}
    assert titles == {"成都市人才安居工程实施情况通报", "成都市青年人才驿站运行报告"}


def test_traditional_and_simplified_queries_find_the_same_reports(archive: Archive):
    simplified = pks(SearchQuerySet().filter(content="泸州"))
    assert archive.public["luzhou"].pk in simplified
    assert pks(SearchQuerySet().filter(content="瀘州")) == simplified
    assert pks(SearchQuerySet().auto_query("瀘州 -简报")) == simplified - {
        archive.public["jiangyang"].pk
    }


def test_one_character_word_through_the_grams_field(archive: Archive):
    """``text`` holds jieba words, so one character is searched in ``grams`` (Han
    unigrams and bigrams), as the analyst search does it: every public report
    whose text holds 房, and no other."""
    expected = {r.pk for r in archive.public.values() if "房" in r.title + r.clean_text}
    assert len(expected) >= 2
    assert pks(SearchQuerySet().filter(grams="房")) == expected
