"""The batched segment writers write what Whoosh's own writers write (issue 18).

search/whoosh_segment_writer.py spills the posting pool in chunks and reads each
field's lengths once. Proof on the archive's real documents (the seeds and the
labelled captures, as the backend prepares them, each with a duplicate): the
segment files are byte for byte Whoosh's, without spilling, with a run every two
documents, with hundreds of runs (more than Whoosh merges at once, a 20 KB pool)
and with chunks that split runs; the multi-process writer indexes the same
postings; and the archive's own index writes go through them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from haystack import connections
from whoosh.filedb.filestore import FileStorage
from whoosh.multiproc import MpWriter
from whoosh.writing import SegmentWriter

from archive.models import Report
from search import whoosh_segment_writer
from search.indexing import backend
from search.whoosh_segment_writer import (
    BatchedMpWriter,
    BatchedSegmentWriter,
    BatchSpillPool,
    sorted_postings,
)

#: a pool limit (MB) that spills a run every few dozen postings (1 MB: every two
#: documents or so).
TINY_POOL_MB = 0.02


def prepared_documents() -> list[dict]:
    """What the backend hands its writer for each public report, in pk order, each
    followed by a duplicate: the archive holds duplicates, and their postings repeat
    the same positions of the same terms in one spilled run (where one shared
    object would be pickled as a back-reference)."""
    engine = backend()
    index = connections["default"].get_unified_index().get_index(Report)
    docs = []
    for report in index.index_queryset().order_by("pk"):
        doc = index.full_prepare(report)
        doc.pop("boost", None)
        docs.append({key: engine._from_python(value) for key, value in doc.items()})
    return [copy for doc in docs for copy in (doc, {**doc, "id": f"{doc['id']}.copy"})]


def written(folder: Path, writer_class, docs: list[dict], **kwargs) -> dict[str, bytes]:
    """The files of a one-segment index of ``docs``, named without the segment's id."""
    folder.mkdir()
    storage = FileStorage(str(folder))
    index = storage.create_index(backend().schema)
    writer = writer_class(index, compound=False, **kwargs)
    for doc in docs:
        writer.add_document(**doc)
    writer.commit()
    files = {}
    for path in folder.iterdir():
        if path.name.startswith("MAIN_") and "WRITELOCK" not in path.name:
            files[path.name.split(".", 1)[1]] = path.read_bytes()
    return files


def postings_by_document(folder: Path) -> dict:
    """Every posting keyed by field, term and the document's own id (docnums depend
    on which sub-process took which document)."""
    index = FileStorage(str(folder)).open_index()
    with index.reader() as reader:
        ids = {docnum: fields["id"] for docnum, fields in reader.iter_docs()}
        return {
            (field, term, ids[docnum]): (weight, value)
            for field, term, docnum, weight, value in reader.iter_postings()
        }


@pytest.mark.django_db
def test_segment_files_are_byte_for_byte_whooshs(labelled_archive, tmp_path, monkeypatch):
    docs = prepared_documents()
    assert len(docs) == 2 * len(labelled_archive) == 42
    spilled: list[int] = []
    original = BatchSpillPool._write_run

    def counting(pool, f, items):
        spilled.append(1)
        return original(pool, f, items)

    monkeypatch.setattr(BatchSpillPool, "_write_run", counting)
    for limit in (128, 1, TINY_POOL_MB):
        stock = written(tmp_path / f"stock-{limit}", SegmentWriter, docs, limitmb=limit)
        ours = written(tmp_path / f"ours-{limit}", BatchedSegmentWriter, docs, limitmb=limit)
        assert {"pst", "trm", "_stored.col", "_grams_len.col"} <= set(stock)
        assert ours.keys() == stock.keys()
        for name in stock:
            assert ours[name] == stock[name], name
    # the tiny pool spilled more runs than Whoosh merges at once (its maxfiles, 128)
    assert len(spilled) > 128
    monkeypatch.setattr(whoosh_segment_writer, "SPILL_CHUNK", 7)
    chunked = written(tmp_path / "chunked", BatchedSegmentWriter, docs, limitmb=TINY_POOL_MB)
    assert chunked == stock


@pytest.mark.django_db
def test_the_multiprocess_writer_indexes_the_same_postings(labelled_archive, tmp_path):
    docs = prepared_documents()
    kwargs = {"procs": 2, "multisegment": True, "batchsize": 5, "limitmb": TINY_POOL_MB}
    written(tmp_path / "stock", MpWriter, docs, **kwargs)
    written(tmp_path / "ours", BatchedMpWriter, docs, **kwargs)
    stock = postings_by_document(tmp_path / "stock")
    assert len({key[2] for key in stock}) == 42
    assert postings_by_document(tmp_path / "ours") == stock


@pytest.mark.django_db
def test_the_archive_indexes_through_the_batched_writers(labelled_archive, monkeypatch):
    flushed = []
    original = BatchedSegmentWriter._flush_segment

    def counting(writer):
        flushed.append(type(writer))
        return original(writer)

    monkeypatch.setattr(BatchedSegmentWriter, "_flush_segment", counting)
    index = connections["default"].get_unified_index().get_index(Report)
    report = Report.objects.get(pk=next(iter(labelled_archive.values())))
    backend().update(index, [report])
    assert flushed == [BatchedSegmentWriter]


@pytest.mark.django_db
def test_sorted_postings_is_the_whole_tuple_sort(labelled_archive, tmp_path):
    """The pool's postings of the archive's documents (and a spelling-like item of
    docnum 0 added last, which must fall back to the whole sort) sort as ``sorted``."""
    storage = FileStorage(str(tmp_path))
    writer = BatchedSegmentWriter(storage.create_index(backend().schema), compound=False)
    for doc in prepared_documents():
        writer.add_document(**doc)
    items = list(writer.pool.current)
    writer.cancel()
    assert len({item[0] for item in items}) >= 3 and len(items) > 10_000
    assert sorted_postings(list(items)) == sorted(items)
    assert sorted_postings(items[::-1]) == sorted(items)  # docnums descend: whole sort
    late = [*items, ("text", b"\xe4\xba\xba", 0, 1.0, b"")]
    assert sorted_postings(late) == sorted(late)
