"""``import_reports --workers N`` (issue 7) gives the rows, exit status and index of one worker.

Run on the seeds plus benchmark reports, a duplicate and a refused file, so every
status appears; the index written by several Whoosh processes must find what
the single-process index finds.
"""

import io
import json

import pytest
from django.core.management import call_command

from archive import term_stats
from archive.models import Report
from bench.corpus import generate_one
from search.backend import ArchiveWhooshBackend
from search.indexing import backend
from search.models import IndexQueue

from .conftest import SEEDS_DIR

pytestmark = pytest.mark.django_db


def import_rows(*args) -> tuple[list[dict], int]:
    out = io.StringIO()
    try:
        call_command("import_reports", "--json", *map(str, args), stdout=out, stderr=io.StringIO())
        code = 0
    except SystemExit as exc:
        code = exc.code
    return [json.loads(line) for line in out.getvalue().splitlines()], code


@pytest.fixture
def inputs(tmp_path):
    folder = tmp_path / "in"
    for i in range(6):
        item = generate_one(i)
        path = folder / item.path
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(item.data)
    (folder / "zz-copy.txt").write_bytes(next(SEEDS_DIR.glob("001_*.txt")).read_bytes())
    (folder / "zz-empty.txt").write_bytes(b"")
    return [*sorted(SEEDS_DIR.glob("*.txt")), folder]


def _without_ids(rows: list[dict]) -> list[dict]:
    return [
        {k: v for k, v in row.items() if k not in ("report_id", "duplicate_of")} for row in rows
    ]


def _hits(q: str) -> set[str]:
    from search.query import parse_query

    engine: ArchiveWhooshBackend = backend()
    hits = engine.analyst_search(parse_query(q).query, limit=100)
    return {Report.objects.get(pk=pk).original_name.rsplit("/", 1)[-1] for pk in hits.ids}


def test_two_workers_give_the_rows_exit_status_and_hits_of_one(inputs):
    backend().clear()
    one, one_code = import_rows("--workers", "1", *inputs)
    one_hits = {q: _hits(q) for q in ("人才公寓", '"拎包入住"', "瀘州", "房")}

    Report.objects.all().delete()
    IndexQueue.objects.all().delete()
    backend().clear()
    two, two_code = import_rows("--workers", "2", *inputs)

    assert one_code == two_code == 1  # the empty file failed, the others landed
    assert _without_ids(two) == _without_ids(one)
    assert [r["status"] for r in two].count("duplicate") == 1
    assert [r["file"] for r in two] == [r["file"] for r in one]  # input order
    assert {q: _hits(q) for q in one_hits} == one_hits
    assert all(one_hits.values())


def test_workers_must_be_positive(inputs):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("import_reports", "--workers", "0", *map(str, inputs))


def test_workers_hand_back_the_pipeline_result_of_every_file_in_order(inputs):
    from archive.gazetteer import Gazetteer
    from archive.ingest.inputs import expand_paths, iter_file_items
    from archive.ingest.pipeline import Processed, process_document
    from archive.management.commands import import_reports

    items = [
        i
        for p, label in expand_paths(inputs)
        for i in iter_file_items(p, max_bytes=10**8, label=label)
    ]
    ahead = list(import_reports._processed_ahead(iter(items), 2))
    assert [item.name for item, _ in ahead] == [item.name for item in items]
    for item, result in ahead:
        if not item.data:
            assert isinstance(result, str)  # the refusal's reason
            continue
        here = process_document(item.data, filename=item.name, gazetteer=Gazetteer.load_default())
        result, counts = result
        assert isinstance(result, Processed)
        assert (result.clean_text, result.title, result.figures) == (
            here.clean_text,
            here.title,
            here.figures,
        )
        assert counts == term_stats.counts_for_text(here.clean_text)
