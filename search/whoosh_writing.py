"""Whoosh index writers: the session writer of a queue drain and bulk processes."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from whoosh.writing import IndexWriter

#: Whoosh writer settings (whoosh.writing.SegmentWriter): a larger posting pool
#: than the 128 MB default is not faster here (docs/benchmarks.md, "Whoosh writer").
WRITER_SETTINGS: dict = {"limitmb": 128}
#: a session writer may take any number of documents: as many processes as allowed.
BULK_DOCUMENTS = 1 << 30
_writer = threading.local()


@contextmanager
def index_writer_procs(procs: int) -> Iterator[None]:
    """Index writes in this thread use ``procs`` Whoosh processes (bulk imports).

    Whoosh's MpWriter analyzes documents in forked sub-writers, each writing its
    own segment (``multisegment``): jieba runs on every core. Only for bulk
    writes: each sub-writer adds a segment, which searches then have to read.
    """
    previous = getattr(_writer, "procs", 1)
    _writer.procs = max(1, procs)
    try:
        yield
    finally:
        _writer.procs = previous


@contextmanager
def one_commit() -> Iterator[None]:
    """Index writes in this thread go to one writer per index, committed on exit.

    A drain used to commit every batch of 200 reports: each commit adds a segment
    per writer process and re-merges the small segments (Whoosh's MERGE_SMALL),
    so a 10,000-report import rewrote its growing index 50 times and left tens of
    segments that every search then reads. Enter it with the writer lock held
    (``drain_queue`` does); on an exception nothing is committed and the queue
    rows stay for the next drain.
    """
    if getattr(_writer, "session", None) is not None:
        yield  # nested: the outer session commits
        return
    _writer.session = {}
    try:
        yield
    except BaseException:
        for entry in _writer.session.values():
            entry.writer.cancel()
        raise
    else:
        for entry in _writer.session.values():
            entry.writer.commit()
    finally:
        _writer.session = None


@dataclass
class _OpenWriter:
    writer: IndexWriter
    ids: set[str] = field(default_factory=set)  # documents written by this writer
