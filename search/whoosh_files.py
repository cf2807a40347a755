"""Segment files read in place from their memory map, not copied on opening.

Whoosh's ``CompoundStorage.open_file`` wraps each sub-file of a memory-mapped
segment in a ``BufferFile``, whose constructor makes ``BytesIO(buf)``: a copy of
the whole sub-file, postings included. At 10,000 reports opening a searcher
copied ~1.4 GB (every segment's postings, positions and columns) and took
2.4 s; each gunicorn worker paid it on its first search and kept the copy
(issue 18, docs/benchmarks.md "Search first asks and costly classes, stop 17").
Most reads go through ``BufferFile.get``/``get_array``, which slice the map
itself; the ``seek``/``read`` callers (posting headers, term dictionaries) get
``ViewStream``, which reads the same bytes from the same map, one call at a time.
"""

from __future__ import annotations

import io
import pickle

from whoosh.filedb import compound
from whoosh.filedb.structfile import BufferFile


class ViewStream(io.RawIOBase):
    """A read-only, seekable file over a memoryview: ``BytesIO(view)`` without the copy."""

    def __init__(self, view: memoryview) -> None:
        super().__init__()
        self._view = view
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def seek(self, pos: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: len(self._view)}[whence]
        if base + pos < 0:
            raise ValueError(f"negative seek position {base + pos}")
        self._pos = base + pos
        return self._pos

    def tell(self) -> int:
        return self._pos

    def read(self, size: int | None = -1) -> bytes:
        start = min(self._pos, len(self._view))
        end = len(self._view) if size is None or size < 0 else min(start + size, len(self._view))
        self._pos = max(self._pos, end)
        return bytes(self._view[start:end])

    def readall(self) -> bytes:
        return self.read(-1)

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readline(self, size: int | None = -1) -> bytes:
        limit = len(self._view) if size is None or size < 0 else self._pos + size
        end = self._pos
        while end < min(limit, len(self._view)):
            end += 1
            if self._view[end - 1] == 0x0A:
                break
        return self.read(end - self._pos)


class InPlaceBufferFile(BufferFile):
    """``BufferFile`` whose ``file`` reads the buffer in place (``ViewStream``)."""

    def __init__(self, buf, name=None, onclose=None) -> None:
        super().__init__(b"", name=name, onclose=onclose)
        self._buf = buf
        self.file = ViewStream(memoryview(buf))

    def read_pickle(self):
        """``StructFile.read_pickle`` from a slice of the map, not byte reads.

        The C unpickler asks the file for each opcode: on ``ViewStream`` that was
        a Python call per opcode (posting blocks start with a pickled header). A
        pickle parsed from a prefix of its bytes is the pickle parsed from all of
        them (opcodes are read in order, a cut one is an error, never a STOP), so
        a short slice is tried first and doubled while it is too short.
        """
        start, size = self.file.tell(), 512
        while True:
            chunk = io.BytesIO(self._buf[start : start + size])
            try:
                value = pickle.load(chunk)
            except (EOFError, pickle.UnpicklingError):
                if start + size >= len(self._buf):
                    raise
                size *= 4
                continue
            self.file.seek(start + chunk.tell())
            return value


def read_segments_in_place(enabled: bool = True) -> None:
    """Make ``CompoundStorage`` open sub-files in place (or, ``False``, as Whoosh does).

    ``compound.BufferFile`` is the one name ``CompoundStorage.open_file`` builds
    its files with; nothing else in Whoosh refers to it through that module.
    """
    compound.BufferFile = InPlaceBufferFile if enabled else BufferFile
