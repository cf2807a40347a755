"""Per-city sums stored at write time (archive/city_sums.py, issue 18 stop 17).

The archive is tests/visibility_archive.py's, built through the real write paths:
several reports per city (泸州市 with a report filed under its county 江阳区, two
成都市 reports), a report held for review (德州市) and a confirmed duplicate (a copy
of a 成都市 report). What must hold:

- the stored sums equal a rebuild from the database, after every kind of write;
- what the pages read from them equals the slow path (summing every report's
  counts; reading every figure of a city);
- a write (new report, deletion, hold / publish, duplicate mark, reprocess, a
  city moved) is seen by the next request, page cache on.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from django.test import Client

from archive import city_sums, term_stats
from archive.models import (
    City,
    CityFigureCount,
    CitySumsPending,
    CityTermCount,
    Figure,
    Report,
    ReportTerms,
)
from archive.selectors import city_keywords, city_reports, city_term_counts
from archive.services import report_ingest, report_reprocess
from archive.upload.services import report_delete, report_publish, report_update
from compare.selectors import (
    cities_with_reports_for_picker,
    city_compare,
    city_compare_suggestions,
    city_figures,
    city_key_figures,
)
from textkit.keywords import distinctive_terms

from .conftest import seed_path
from .visibility_archive import (  # noqa: F401  (the fixtures)
    archive_fixture,
    built_fixture,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memoized_pipeline")]

#: a 泸州市 report with a word no other report uses, said often enough to lead.
FIREFLY = (
    "泸州市萤火虫人才计划实施情况\n泸州市委人才办\n2025年3月2日\n"
    + "泸州市实施萤火虫人才计划，萤火虫人才计划对新引进硕士给予最高5万元安家补贴。\n" * 3
)


def stored() -> tuple[dict, dict, dict]:
    """Every stored sum and per-report record, as comparable values."""
    terms = {(c, t): n for c, t, n in CityTermCount.objects.values_list("city_id", "term", "count")}
    figures = {
        (c, d): n
        for c, d, n in CityFigureCount.objects.values_list("city_id", "dimension", "figures")
    }
    rows = {
        pk: (c, d) for pk, c, d in ReportTerms.objects.values_list("pk", "cities", "dimensions")
    }
    return terms, figures, rows


def assert_rebuild_agrees() -> None:
    incremental = stored()
    assert city_sums.drift() == 0
    city_sums.rebuild()
    assert stored() == incremental


def city(name: str) -> City:
    return City.objects.select_related("province").get(name=name)


def slow_keywords(place: City, limit: int) -> list:
    """The keywords as computed before the sums: every public report's counts summed."""
    ids = city_reports(city=place).values_list("pk", flat=True)
    counts = term_stats.summed_counts(ids)
    own = [place.name, place.short_name, *place.trad_names]
    own += [place.province.name, place.province.short_name, *place.province.trad_names]
    return distinctive_terms(counts, term_stats.corpus_for(counts), exclude=own, limit=limit)


def test_the_built_archive_has_the_sums_a_rebuild_computes(archive):
    assert_rebuild_agrees()
    luzhou = city("泸州市")
    counts = city_term_counts(luzhou)
    assert counts == term_stats.summed_counts(
        [archive.public["luzhou"].pk, archive.public["jiangyang"].pk]
    )
    assert counts["江阳区"] >= 1  # the county's report speaks for its prefecture
    assert (
        city_term_counts(city("江阳区"))
        == ReportTerms.objects.get(report=archive.public["jiangyang"]).counts
    )
    assert city_term_counts(city("德州市")) == {}  # only a report held for review
    chengdu = city_term_counts(city("成都市"))
    assert chengdu == term_stats.summed_counts(
        [archive.public["chengdu_housing"].pk, archive.public["chengdu_youth"].pk]
    )  # the confirmed duplicate is not counted twice


@pytest.mark.parametrize("name", ["泸州市", "成都市", "运城市", "兰州市", "江阳区"])
def test_keywords_from_the_sums_equal_the_slow_path(archive, name):
    place = city(name)
    for limit in (3, 12):
        assert city_keywords(city=place, limit=limit) == slow_keywords(place, limit)


@pytest.mark.parametrize("name", ["泸州市", "成都市", "运城市", "兰州市", "江阳区"])
def test_ranked_terms_read_sorted_are_the_counts_most_frequent_first(archive, name):
    """The database's sort gives the city's counts, most frequent first (the order
    of equal counts is free); the same for a city still pending a re-sum."""
    place = city(name)
    ranked = city_sums.ranked_term_counts(place.pk)
    assert len(ranked) >= 10
    assert dict(ranked) == {t: n for t, n in city_term_counts(place).items() if n > 0}
    assert [n for _, n in ranked] == sorted((n for _, n in ranked), reverse=True)
    CitySumsPending.objects.get_or_create(city_id=place.pk)
    pending = city_sums.ranked_term_counts(place.pk)
    assert sorted(pending) == sorted(ranked)
    assert [n for _, n in pending] == [n for _, n in ranked]


@pytest.mark.parametrize("per_cell", [1, 2])
def test_the_newest_figures_per_cell_equal_the_full_read_cut(archive, per_cell):
    cities = [city("泸州市"), city("成都市"), city("运城市")]
    full, capped = city_compare(cities), city_compare(cities, per_cell=per_cell)
    for whole, cut in zip(full.rows, capped.rows, strict=True):
        for pk, figures in whole.cells.items():
            assert [f.pk for f in cut.cells[pk]] == [f.pk for f in figures[:per_cell]]
            assert cut.totals[pk] == len(figures)
    assert any(len(f) > per_cell for row in full.rows for f in row.cells.values())


@pytest.mark.parametrize("name", ["泸州市", "成都市", "运城市"])
def test_cell_figures_are_the_orms_figures_and_pickle_back_the_same(archive, name):
    """``CellFigures``: built from column values, they are what the ORM reads (every
    field, one shared light report per report, the others deferred), and they come
    back from the shared cache's pickle the same."""
    import pickle

    from compare.selectors import CELL_REPORT_COLUMNS, CellFigures, _newest_figures

    figures, _totals = _newest_figures(city(name), 40)
    assert isinstance(figures, CellFigures) and len(figures) >= 2
    orm = Figure.objects.select_related("report").in_bulk([f.pk for f in figures])

    def fields(figure: Figure) -> tuple:
        values = tuple(getattr(figure, f.attname) for f in Figure._meta.concrete_fields)
        report = figure.report
        return values, tuple(getattr(report, "pk" if c == "id" else c) for c in CELL_REPORT_COLUMNS)

    for copy in (figures, pickle.loads(pickle.dumps(figures, pickle.HIGHEST_PROTOCOL))):
        assert isinstance(copy, CellFigures)
        assert [fields(f) for f in copy] == [fields(orm[f.pk]) for f in figures]
        assert all(not f._state.adding and f._state.db == "default" for f in copy)
        by_report = {}
        for f in copy:
            assert by_report.setdefault(f.report_id, f.report) is f.report  # shared
            assert f.report.get_deferred_fields() >= {"clean_text", "original_name"}
        report = copy[0].report
        assert report.clean_text == Report.objects.get(pk=report.pk).clean_text  # read on demand


@pytest.mark.parametrize("name", ["泸州市", "成都市", "运城市", "呼和浩特市"])
def test_key_figures_are_the_largest_of_every_figure_of_the_city(archive, name):
    place = city(name)
    by_dimension: dict[str, list[Figure]] = {}
    for figure in city_figures(place):
        by_dimension.setdefault(figure.dimension, []).append(figure)
    want = {
        key: (min(figures, key=lambda f: (-f.value, f.report_id, f.ordinal)).pk, len(figures) - 1)
        for key, figures in by_dimension.items()
    }
    got = {row.key: (row.figure.pk, row.more) for row in city_key_figures(place)}
    assert got == want and got


def test_the_picker_and_suggestions_come_from_public_reports_only(archive):
    picked = {c.name for c in cities_with_reports_for_picker()}
    assert {"泸州市", "江阳区", "成都市", "运城市", "兰州市", "呼和浩特市"} <= picked
    assert "德州市" not in picked  # held for review
    suggested = [c.name for c in city_compare_suggestions(city("泸州市"))]
    assert suggested[0] == "成都市"  # same province first
    assert "江阳区" not in suggested and "德州市" not in suggested


def page(client: Client, url: str) -> str:
    """The page's HTML without its CSRF token (masked afresh on every render)."""
    response = client.get(url)
    assert response.status_code == 200
    return re.sub(r'csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())


def test_a_new_report_and_its_deletion_are_seen_by_the_next_request(archive, tmp_path):
    client = Client()
    luzhou = city("泸州市")
    url = f"/cities/{luzhou.slug}/"
    compare = "/compare/?cities=泸州市,成都市"
    assert "萤火虫" not in page(client, url)
    page(client, compare)
    added = report_ingest(data=FIREFLY.encode(), filename="firefly.txt").report
    assert added.city == luzhou and not added.needs_review
    assert "萤火虫" in page(client, url)
    assert [k.term for k in city_keywords(city=luzhou)] == [
        k.term for k in slow_keywords(luzhou, 12)
    ]
    shown = page(client, compare)
    assert "萤火虫" in shown
    link = added.get_absolute_url()
    assert link in shown  # its figures are the newest of 泸州市's cells
    assert_rebuild_agrees()
    report_delete(report=added, user=None)
    assert "萤火虫" not in page(client, url)
    shown = page(client, compare)
    assert "萤火虫" not in shown and link not in shown
    assert_rebuild_agrees()


def test_hold_publish_and_duplicate_are_seen_by_the_next_request(archive):
    client = Client()
    dezhou = city("德州市")
    assert dezhou.name not in {c.name for c in cities_with_reports_for_picker()}
    report_publish(report=archive.held, user=None)
    assert city_term_counts(dezhou) == ReportTerms.objects.get(report=archive.held).counts
    assert "黄金30条" in page(client, f"/cities/{dezhou.slug}/")
    assert dezhou.name in {c.name for c in cities_with_reports_for_picker()}
    assert_rebuild_agrees()
    report_update(report=archive.held, changes={"needs_review": True}, user=None)
    assert city_term_counts(dezhou) == {}
    assert_rebuild_agrees()
    youth = archive.public["chengdu_youth"]
    report_update(
        report=youth, changes={"duplicate_of": archive.public["chengdu_housing"]}, user=None
    )
    chengdu = city("成都市")
    assert (
        city_term_counts(chengdu)
        == ReportTerms.objects.get(report=archive.public["chengdu_housing"]).counts
    )
    assert "驿站" not in page(client, f"/cities/{chengdu.slug}/")
    assert_rebuild_agrees()


def test_a_city_moved_by_staff_takes_its_sums_along(archive):
    report = archive.public["lanzhou"]
    moved_from, moved_to = report.city, city("德州市")
    report_update(report=report, changes={"city": moved_to}, user=None)
    assert city_term_counts(moved_from) == {}
    assert city_term_counts(moved_to) == ReportTerms.objects.get(report=report).counts
    assert city_key_figures(moved_to)
    assert_rebuild_agrees()


def test_reprocess_restores_figures_and_their_sums(archive):
    client = Client()
    report = report_ingest(
        data=FIREFLY.encode(), filename="firefly.txt"
    ).report  # its original here
    url = "/compare/?cities=泸州市,成都市"
    before, totals = page(client, url), _totals(report.city)
    assert Figure.objects.filter(report=report).exclude(dimension="").exists()
    Figure.objects.filter(report=report).delete()  # behind the sums' back
    assert city_sums.drift() > 0
    report_reprocess(report=report)
    assert city_sums.drift() == 0
    assert _totals(report.city) == totals
    again = page(client, url)
    links = r"#fig-\d+|/reports/\d+/|fig-\d+"
    assert re.sub(links, "", again) == re.sub(links, "", before)


def _totals(place: City) -> dict[str, int]:
    return {row.key: row.totals[place.pk] for row in city_compare([place], per_cell=2).rows}


def test_check_archive_repairs_stored_sums(archive):
    CityTermCount.objects.filter(city=city("泸州市")).delete()
    assert city_sums.drift() > 0
    out = io.StringIO()
    # It also exits 1: this module's originals were stored outside this test's folder.
    with pytest.raises(SystemExit):
        call_command("check_archive", "--originals-only", "--repair", stdout=out)
    assert "repaired   term statistics" in out.getvalue()
    assert city_sums.drift() == 0
    assert city_keywords(city=city("泸州市")) == slow_keywords(city("泸州市"), 12)


def test_a_held_seed_adds_nothing_until_published(archive):
    path = seed_path("002")
    extra = "\n呼和浩特市另设青城人才驿站。\n".encode()
    held = report_ingest(
        data=path.read_bytes() + extra, filename="held.txt", review_missing=True
    ).report
    if not held.needs_review:
        report_update(report=held, changes={"needs_review": True}, user=None)
    row = ReportTerms.objects.get(report=held)
    assert row.cities == [] and row.dimensions == {}
    assert_rebuild_agrees()
