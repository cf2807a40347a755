"""The import writer's shortcuts (issue 18, stop 17) give the slow path's rows and postings.

- figures are inserted by one ``executemany`` (archive/figure_rows.py) instead of
  ``Figure.objects.bulk_create``: the same rows, field for field;
- the text fields' postings are grouped by ``IndexPositions``
  (search/whoosh_postings.py) instead of Whoosh's ``Positions``: the same bytes;
  ``ArrayPositions`` (the fields' format) the same terms, frequencies, weights
  and decoded positions, its values arrays;
- ``report_ingest`` bumps cache versions once, after its commit: a reader still
  sees the import at once, and a report that fails leaves nothing behind.

On the seeds and the labelled real captures (fixtures/labelled/dev/raw).
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from whoosh.formats import Positions

from archive import cache_versions
from archive.figure_rows import figure_values
from archive.gazetteer import Gazetteer
from archive.ingest.pipeline import process_document
from archive.models import AuditEntry, Figure, Report
from archive.services import report_ingest, report_reprocess
from search.models import IndexQueue
from search.search_indexes import document_text
from search.whoosh_postings import ArrayPositions, IndexPositions
from search.whoosh_schema import grams_analyzer, search_fields, text_analyzer

from .conftest import SEEDS_DIR

LABELLED_RAW = Path(__file__).resolve().parent.parent / "fixtures" / "labelled" / "dev" / "raw"
INPUTS = [*sorted(SEEDS_DIR.glob("*.txt")), *sorted(LABELLED_RAW.iterdir())]


def _figure_rows(report_id: int) -> list[dict]:
    rows = Figure.objects.filter(report_id=report_id).order_by("ordinal").values()
    return [{k: v for k, v in row.items() if k not in ("id", "report_id")} for row in rows]


@pytest.mark.django_db
def test_the_figure_rows_equal_the_orm_bulk_inserts_on_seeds_and_captures():
    compared = 0
    for path in INPUTS:
        outcome = report_ingest(data=path.read_bytes(), filename=path.name)
        if outcome.status != "created":
            continue
        report = outcome.report
        fast = _figure_rows(report.pk)
        # the slow path, rebuilt here: model instances through the ORM's bulk insert
        processed = process_document(
            path.read_bytes(), filename=path.name, gazetteer=Gazetteer.load_default()
        )
        Figure.objects.filter(report=report).delete()
        values = figure_values(report, processed)
        Figure.objects.bulk_create(
            Figure(**{**row, "report": report})
            for row in values  # type: ignore[arg-type]
        )
        assert _figure_rows(report.pk) == fast, path.name
        compared += len(fast)
    assert compared > 100  # the seeds and captures state many figures


@pytest.mark.django_db
def test_stored_figures_are_the_pipelines_figures():
    path = SEEDS_DIR / sorted(p.name for p in SEEDS_DIR.glob("*.txt"))[0]
    report = report_ingest(data=path.read_bytes(), filename=path.name).report
    processed = process_document(
        path.read_bytes(), filename=path.name, gazetteer=Gazetteer.load_default()
    )
    stored = list(Figure.objects.filter(report=report).order_by("ordinal"))
    assert len(stored) == len(processed.figures) > 0
    for row, figure in zip(stored, processed.figures, strict=True):
        assert (row.value, row.unit, row.text, row.kind, row.year) == (
            figure.value,
            figure.unit,
            figure.text,
            figure.kind,
            figure.year,
        )
        assert (row.start, row.end, row.sentence) == (figure.start, figure.end, figure.sentence)


@pytest.mark.django_db
def test_reprocess_replaces_the_figures_without_doubling_them():
    path = sorted(SEEDS_DIR.glob("*.txt"))[1]
    report = report_ingest(data=path.read_bytes(), filename=path.name).report
    before = _figure_rows(report.pk)
    report_reprocess(report=report)
    assert _figure_rows(report.pk) == before != []


def _postings(fmt, value: str, analyzer) -> list:
    return list(fmt.word_values(value, analyzer, mode="index"))


@pytest.mark.parametrize("path", INPUTS, ids=lambda p: p.name)
def test_index_positions_give_whooshs_postings_byte_for_byte(path):
    processed = process_document(
        path.read_bytes(), filename=path.name, gazetteer=Gazetteer.load_default()
    )
    text = document_text(Report(title=processed.title.value or "", clean_text=processed.clean_text))
    for analyzer in (text_analyzer(), grams_analyzer()):
        for boost in (1.0, 2.5):
            slow = _postings(Positions(field_boost=boost), text, analyzer)
            fast = _postings(IndexPositions(field_boost=boost), text, analyzer)
            assert fast == slow
            assert len(fast) > 100
            array = ArrayPositions(field_boost=boost)
            arrays = _postings(array, text, analyzer)
            assert [p[:3] for p in arrays] == [p[:3] for p in slow]
            for (*_, new), (*_, old) in zip(arrays, slow, strict=True):
                assert array.decode_positions(new) == Positions().decode_positions(old)
                width = {b"\xff": 4, b"\xfe": 2}[new[:1]]
                assert len(new) == 1 + width * len(array.decode_positions(new))


def test_other_calls_take_whooshs_own_path():
    """Offsets asked for, or a pre-tokenized list: ``Positions`` answers."""
    analyzer = grams_analyzer()
    fmt = IndexPositions()
    for value, kwargs in (("拎包入住", {"start_pos": 5}), (["拎包", "入住"], {})):
        assert list(fmt.word_values(value, analyzer, **kwargs)) == list(
            Positions().word_values(value, analyzer, **kwargs)
        )


def test_every_positional_search_field_uses_array_positions():
    fields = search_fields()
    assert all(type(field.format) is ArrayPositions for field in fields.values())


def _import(*paths: Path) -> None:
    call_command("import_reports", *map(str, paths), stdout=io.StringIO(), stderr=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_an_import_outside_any_transaction_is_seen_by_the_next_reader():
    """The bump after commit is the one readers rely on: it still comes, per report."""
    path = sorted(SEEDS_DIR.glob("*.txt"))[0]
    report_id_before = Report.objects.count()
    archive_token = cache_versions.tokens([cache_versions.ARCHIVE])
    value_before = cache_versions.cached(
        ["reports"], [cache_versions.ARCHIVE], Report.objects.count
    )
    _import(path)
    report = Report.objects.get()
    city_token = cache_versions.tokens([cache_versions.city_scope(report.city_id)])
    assert cache_versions.tokens([cache_versions.ARCHIVE]) != archive_token
    after = cache_versions.cached(["reports"], [cache_versions.ARCHIVE], Report.objects.count)
    assert (report_id_before, value_before, after) == (0, 0, 1)
    # a second report of another city leaves this city's version as it was
    _import(sorted(SEEDS_DIR.glob("*.txt"))[1])
    assert Report.objects.exclude(city_id=report.city_id).count() == 1
    assert cache_versions.tokens([cache_versions.city_scope(report.city_id)]) == city_token


@pytest.mark.django_db(transaction=True)
def test_a_report_failing_mid_write_rolls_back_entirely(monkeypatch):
    """Figures inserted raw, then the audit row fails: no report, figure, audit or
    queue row survives, nor the cache bump; the next report imports normally."""
    seeds = sorted(SEEDS_DIR.glob("*.txt"))

    def fail(**kwargs):
        raise RuntimeError("disk full while auditing")

    monkeypatch.setattr("archive.services.audit_record", fail)
    token = cache_versions.tokens([cache_versions.ARCHIVE])
    with pytest.raises(RuntimeError):
        report_ingest(data=seeds[0].read_bytes(), filename=seeds[0].name)
    assert (Report.objects.count(), Figure.objects.count()) == (0, 0)
    assert (AuditEntry.objects.count(), IndexQueue.objects.count()) == (0, 0)
    assert cache_versions.tokens([cache_versions.ARCHIVE]) == token
    monkeypatch.undo()
    assert report_ingest(data=seeds[0].read_bytes(), filename=seeds[0].name).status == "created"
    assert Figure.objects.count() > 0


@pytest.mark.django_db
def test_a_new_report_costs_no_figure_delete():
    path = sorted(SEEDS_DIR.glob("*.txt"))[0]
    with CaptureQueriesContext(connection) as queries:
        report_ingest(data=path.read_bytes(), filename=path.name)
    sql = [q["sql"] for q in queries.captured_queries]
    assert not [s for s in sql if s.startswith("DELETE") and "archive_figure" in s]
    assert len([s for s in sql if 'INSERT INTO "archive_figure"' in s]) == 1
