"""Whoosh's segment writers with per-posting costs taken out, the same segment bytes.

Why (docs/benchmarks.md, "Where the index phase's time goes"): writing a segment
handles every posting of every document (~3,400 a report) one Python call at a
time, and two of those calls do nothing a whole batch could not:

- the posting pool spills its sorted runs to disk with one ``pickle.dump`` per
  posting and reads them back with one ``pickle.load`` each (13 % + 9.5 % of the
  index phase). ``BatchSpillPool`` writes a run as ``marshal`` chunks of
  ``SPILL_CHUNK`` postings, each after its length, and reads them back chunk by
  chunk: the same items in the same order, a run's memory while merging bounded
  by one chunk. (Whoosh's run files are unbuffered: ``marshal.load`` on one
  would read it a few bytes per system call; one ``read`` per chunk does not.)
- the segment writer asks the per-document reader for the posting's document's
  field length once per posting (10.5 %). ``LengthsOnce`` reads a field's length
  column once, at the field's first posting.

A third, found by sampling the index phase (py-spy, issue 18 stop 26): the pool
sorts its postings as whole tuples, ``(field, term, docnum, weight, value)``,
which compares the equal field names of almost every pair first; 1.4 s for the
516,000 postings of 150 reports, ~9 % of the phase. ``sorted_postings`` gives the
same order ~3× faster (its docstring says why it is the same).

The pool's ``add`` also goes without its type asserts. The writers are Whoosh's
own classes with those parts swapped; what they write is byte for byte what
Whoosh writes (tests/test_search_segment_writer.py).
Whoosh's ``SegmentWriter`` takes a ``poolclass`` argument but ignores it, and
``MpWriter``'s sub-writer processes build a plain ``SegmentWriter``: the
sub-process class below points its own (forked) copy of ``whoosh.multiproc`` at
ours, which changes nothing in the parent.
"""

from __future__ import annotations

import io
import marshal
from collections.abc import Iterable, Iterator
from itertools import islice
from operator import itemgetter

from whoosh import multiproc
from whoosh.multiproc import MpWriter, SubWriterTask
from whoosh.writing import PostingPool, SegmentWriter

#: postings per spilled chunk: while runs are merged (up to 128 at once), each open
#: run holds one chunk in memory, ~0.3 MB.
SPILL_CHUNK = 2_000


_TERM = itemgetter(1)


def sorted_postings(items: list[tuple]) -> list[tuple]:
    """``sorted(items)`` for a pool's ``(field, term, docnum, weight, value)`` items.

    The items are split by field (few), each field's sorted by term alone, and the
    fields put in name order. Python's sort is stable, so a term's items keep the
    order they were added in, which is ascending docnum: a writer adds documents in
    docnum order and each field of a document gives a term once. That is the order
    the whole-tuple sort gives. Items whose docnums do not ascend as added (none of
    the archive's; Whoosh's spelling words all have docnum 0) are sorted whole.
    """
    by_field: dict[str, list[tuple]] = {}
    last = -1
    for item in items:
        docnum = item[2]
        if docnum < last:
            return sorted(items)
        last = docnum
        group = by_field.get(item[0])
        if group is None:
            by_field[item[0]] = [item]
        else:
            group.append(item)
    out: list[tuple] = []
    for name in sorted(by_field):
        group = by_field[name]
        group.sort(key=_TERM)
        out += group
    return out


class BatchSpillPool(PostingPool):
    """A ``PostingPool`` whose runs are written and read a chunk at a time, and
    sorted by ``sorted_postings``."""

    def save(self) -> None:
        # SortingPool.save + PostingPool.save, sorted by sorted_postings
        if self.current:
            path, f = self._new_run()
            self._write_run(f, sorted_postings(self.current))
            self._add_run(path)
            self.current = []
        self.currentsize = 0

    def items(self, maxfiles: int = 128):
        if not self.runs:  # nothing spilled: SortingPool.items sorts in memory
            return sorted_postings(self.current)
        return super().items(maxfiles)

    def add(self, item: tuple) -> None:
        # PostingPool.add without its type asserts (our analyzers' postings are
        # bytes by construction), the same size estimate in one sum
        fieldname, tbytes, _docnum, _weight, vbytes = item
        self.fieldnames.add(fieldname)
        self.currentsize += 150 + len(fieldname) + 2 * len(tbytes) + len(vbytes or b"")
        if self.currentsize > self.limit:
            self.save()
        self.current.append(item)

    def _write_run(self, f, items: Iterable[tuple]) -> None:
        items = iter(items)
        try:
            while chunk := list(islice(items, SPILL_CHUNK)):
                data = marshal.dumps(chunk)
                f.write(len(data).to_bytes(8, "little") + data)
        finally:
            f.close()

    def _read_run(self, path: str) -> Iterator[tuple]:
        # buffered: read(n) returns n bytes however the raw file answers
        f = io.BufferedReader(self._open_run(path))
        try:
            while size := int.from_bytes(f.read(8), "little"):
                yield from marshal.loads(f.read(size))
        finally:
            f.close()
            self._remove_run(path)


class LengthsOnce:
    """A per-document reader's ``doc_field_length``, each field's column read once.

    ``add_postings`` walks the postings field by field, so one field's lengths are
    kept at a time: a list of the reader's own answers for every document."""

    def __init__(self, reader, doc_count: int) -> None:
        self._reader = reader
        self._doc_count = doc_count
        self._field: str | None = None
        self._lengths: list = []

    def doc_field_length(self, docnum: int, fieldname: str, default: int = 0):
        if fieldname != self._field:
            read = self._reader.doc_field_length
            self._lengths = [read(d, fieldname, default) for d in range(self._doc_count)]
            self._field = fieldname
        return self._lengths[docnum]


class _BatchedSegment:
    """The two swaps, for ``SegmentWriter`` and its subclass ``MpWriter``."""

    def __init__(self, ix, *args, limitmb: int = 128, **kwargs) -> None:
        super().__init__(ix, *args, limitmb=limitmb, **kwargs)
        # nothing is pooled yet: the constructor only made the empty pool
        self.pool = BatchSpillPool(self._tempstorage, self.newsegment, limitmb=limitmb)

    def _flush_segment(self) -> None:
        # SegmentWriter._flush_segment, its lengths reader wrapped
        self.perdocwriter.close()
        pdr = self.per_document_reader() if self.codec.length_stats else None
        lengths = LengthsOnce(pdr, pdr.doc_count_all()) if pdr else None
        self.fieldwriter.add_postings(self.schema, lengths, self.pool.iter_postings())
        self.fieldwriter.close()
        if pdr:
            pdr.close()


class BatchedSegmentWriter(_BatchedSegment, SegmentWriter):
    """``SegmentWriter`` (``index.writer()``) with the module docstring's two swaps."""


class _BatchedSubWriterTask(SubWriterTask):
    def run(self) -> None:
        # This runs in the forked sub-process: its own module copy, not the parent's.
        multiproc.SegmentWriter = BatchedSegmentWriter
        super().run()


class BatchedMpWriter(_BatchedSegment, MpWriter):
    """``MpWriter`` (``index.writer(procs=N)``) whose sub-writers are batched too."""

    def _new_task(self) -> SubWriterTask:
        # MpWriter._new_task with our task class: it names SubWriterTask directly
        task = _BatchedSubWriterTask(
            self.storage,
            self.indexname,
            self.jobqueue,
            self.resultqueue,
            self.subargs,
            self.multisegment,
        )
        self.tasks.append(task)
        task.start()
        return task


def segment_writer(index, *, procs: int = 1, **kwargs) -> SegmentWriter:
    """What ``index.writer(procs=procs, **kwargs)`` opens, batched."""
    if procs > 1:
        return BatchedMpWriter(index, procs=procs, **kwargs)
    return BatchedSegmentWriter(index, **kwargs)
