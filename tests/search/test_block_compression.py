"""Posting blocks compressed by LZ4 hold what Whoosh's zlib blocks hold.

search/whoosh_blocks.py has Whoosh 3 compress its posting blocks with LZ4 (marked by
their first byte) and read either kind. The same seed paragraphs are indexed both
ways, and every posting of every term of every field reads back the same; an index
whose segments were written some each way is read block by block as written.
"""

from __future__ import annotations

import importlib
import zlib

import pytest
from whoosh.codec import whoosh3
from whoosh.fields import ID, Schema
from whoosh.filedb.filestore import RamStorage

from search import whoosh_blocks
from search.whoosh_blocks import LZ4_MARK, BlockCompression
from search.whoosh_schema import search_fields

from .test_whoosh_leaves import _paragraphs


class _Counting:
    """A block compression that counts the blocks of each kind it reads."""

    def __init__(self) -> None:
        self.read = {"lz4": 0, "zlib": 0}

    def compress(self, data: bytes, level: int = -1) -> bytes:
        return BlockCompression.compress(data, level)

    def decompress(self, data: bytes) -> bytes:
        self.read["lz4" if data[:1] == LZ4_MARK else "zlib"] += 1
        return BlockCompression.decompress(data)


def _index(compressions: list) -> RamStorage:
    """An index of 900 paragraphs in one segment per entry of ``compressions``, each
    segment's blocks written by that module (``zlib``: as Whoosh writes them)."""
    storage = RamStorage()
    storage.create_index(Schema(id=ID(stored=True, unique=True), **search_fields()))
    paragraphs = _paragraphs()[:900]
    size = -(-len(paragraphs) // len(compressions))
    try:
        for part, compression in enumerate(compressions):
            whoosh3.zlib = compression
            writer = storage.open_index().writer()
            for n, text in enumerate(paragraphs[part * size : (part + 1) * size], part * size):
                writer.add_document(id=str(n), text=text, grams=text, title=text[:12])
            writer.commit(merge=False)
    finally:
        whoosh_blocks.compress_blocks_with_lz4()
    return storage


def _postings(storage: RamStorage, reading) -> dict:
    """Every (segment, field, term) -> [(id, weight, positions)], blocks read by ``reading``."""
    whoosh3.zlib = reading
    out = {}
    try:
        with storage.open_index().searcher() as searcher:
            for number, (reader, _offset) in enumerate(searcher.reader().leaf_readers()):
                for field, term in reader.all_terms():
                    if field != "id":
                        m = reader.postings(field, term)
                        out[number, field, term] = list(m.items_as("positions"))
    finally:
        whoosh_blocks.compress_blocks_with_lz4()
    return out


@pytest.fixture(scope="module")
def indexes() -> dict[str, RamStorage]:
    return {
        "zlib": _index([zlib, zlib]),
        "lz4": _index([BlockCompression, BlockCompression]),
        "mixed": _index([zlib, BlockCompression]),
    }


def test_postings_read_the_same_whatever_compressed_their_blocks(indexes):
    expected = _postings(indexes["zlib"], zlib)  # Whoosh's own reading
    for name in ("lz4", "mixed"):
        counting = _Counting()
        assert _postings(indexes[name], counting) == expected, name
        assert counting.read["lz4"] > 100
        assert (counting.read["zlib"] > 100) is (name == "mixed")
    assert len(expected) > 2000
    assert max(len(postings) for postings in expected.values()) > 128  # several blocks


def test_an_index_written_before_is_read_as_whoosh_reads_it(indexes):
    counting = _Counting()
    assert _postings(indexes["zlib"], counting) == _postings(indexes["zlib"], zlib)
    assert counting.read == {"lz4": 0, "zlib": counting.read["zlib"]} and counting.read["zlib"]


def test_the_site_writes_lz4_blocks():
    importlib.import_module("search.backend")  # the site's backend installs it
    assert whoosh3.zlib is BlockCompression
    data = b"\x80\x05" + bytes(range(256)) * 8
    block = BlockCompression.compress(data, 3)
    assert block[:1] == LZ4_MARK and len(block) < len(data)
    assert BlockCompression.decompress(block) == data


@pytest.mark.parametrize("level", range(10))
def test_a_zlib_block_never_starts_with_the_lz4_mark(level):
    data = bytes(range(256)) * 4
    stream = zlib.compress(data, level)
    assert stream[0] & 0x0F == 8 and stream[:1] != LZ4_MARK  # CMF: deflate
    assert BlockCompression.decompress(stream) == data
