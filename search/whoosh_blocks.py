"""Decoded posting blocks remembered per segment file, so one query reads each once.

A Whoosh posting block is decompressed and unpickled (ids, weights and every
posting's positions in one tuple) and its ids delta-decoded each time a matcher
reaches it, and one query builds many matchers over the same terms: the matching
set, the candidates of each phrase, the phrase matcher, the scored pass. At
10,000 reports the bench mix read 14,146 blocks for 5,410 distinct ones; 高校毕业生
就业 read 2,321 for 802 (issue 18, docs/benchmarks.md "Search first asks, stop 18").

The memo hangs on the segment's postings file object, which lives exactly as long
as the searcher (kept per process until the index changes, lent to one thread at
a time: ``ArchiveWhooshBackend._searcher``): a new index is a new file, a new memo.
A block's bytes never change (segments are written once), and the memo holds what
Whoosh itself would decode from them: the same tuple, the same ids.
``tests/search/test_whoosh_leaves.py`` proves the same answers with the memo off.
"""

from __future__ import annotations

import pickle
import zlib
from collections import OrderedDict
from itertools import accumulate

import lz4.block
from whoosh.codec import whoosh3
from whoosh.codec.whoosh3 import W3LeafMatcher

#: blocks remembered per segment file, least recently used dropped first: one query
#: reads up to ~800 distinct ones; the bench mix at 10,000 reports kept 3,685 (+55 MB).
MAX_BLOCKS = 1024
#: set False to decode every block as Whoosh does (tests compare).
ENABLED = True

_whoosh_read_data = W3LeafMatcher._read_data
_whoosh_read_ids = W3LeafMatcher._read_ids


def _memo(m: W3LeafMatcher) -> OrderedDict | None:
    """The postings file's memo of decoded blocks: offset -> [data, ids or None]."""
    if not ENABLED:
        return None
    memo = getattr(m._postfile, "_archive_blocks", None)
    if memo is None:
        memo = m._postfile._archive_blocks = OrderedDict()
    return memo


def _entry(m: W3LeafMatcher) -> list | None:
    memo = _memo(m)
    if memo is None:
        return None
    key = m._dataoffset
    found = memo.get(key)
    if found is not None:
        memo.move_to_end(key)
        return found
    _whoosh_read_data(m)
    found = memo[key] = [m._data, None]
    while len(memo) > MAX_BLOCKS:
        memo.popitem(last=False)
    return found


def read_data(m: W3LeafMatcher) -> None:
    """``W3LeafMatcher._read_data``, once per block and searcher."""
    found = _entry(m)
    if found is None:
        _whoosh_read_data(m)
    else:
        m._data = found[0]


def read_ids(m: W3LeafMatcher) -> None:
    """``W3LeafMatcher._read_ids``; the decoded ids kept beside the block's data."""
    found = _entry(m)
    if found is None:
        _whoosh_read_ids(m)
        return
    m._data = found[0]
    if found[1] is None:
        found[1] = _decoded_ids(m)
    m._ids = found[1]


def _decoded_ids(m: W3LeafMatcher) -> tuple[int, ...]:
    """Whoosh's ``_read_ids`` of a block whose data is read: the ids are stored as
    deltas, and ``itertools.accumulate`` sums them in C where Whoosh's
    ``delta_decode`` is a Python generator (~220,000 steps in four heavy first asks,
    issue 18 stop 24). The same running sums of the same integers."""
    ids = m._data[0]
    return ids if m._byteids else tuple(accumulate(ids))


def remember_blocks() -> None:
    """Install the memo on Whoosh's block reader (search/backend.py does, once)."""
    W3LeafMatcher._read_data = read_data
    W3LeafMatcher._read_ids = read_ids


#: the pickle protocol of the posting blocks and inlined postings written from now on.
BLOCK_PROTOCOL = 5
_whoosh_dumps = whoosh3.dumps


def _postings_dumps(obj: object, protocol: int | None = None) -> bytes:
    """Whoosh 3's ``dumps``, at ``BLOCK_PROTOCOL`` for postings (ids, weights, values).

    Why: Whoosh pickles each block at protocol 2, which has no opcode for bytes, so
    every posting's positions went through ``_codecs.encode`` of a latin-1 string:
    unpickling a block of a common word took ~150 µs, two fifths of a first ask's
    posting reads (issue 18 stop 24). At protocol 5 bytes are copied as they are:
    the same block unpickles in ~30-40 µs and compresses 12 % smaller. The block
    headers (a 6-tuple, read by ``read_pickle`` from a slice) stay at protocol 2.
    ``pickle.loads`` reads any protocol, so blocks written before stay readable
    beside new ones (tests/search/test_block_protocol.py).
    """
    if isinstance(obj, tuple) and len(obj) == 3:
        return pickle.dumps(obj, BLOCK_PROTOCOL)
    return _whoosh_dumps(obj, protocol)


def write_blocks_at_protocol() -> None:
    """Install ``_postings_dumps`` as Whoosh 3's ``dumps`` (search/backend.py does, once)."""
    whoosh3.dumps = _postings_dumps


#: the first byte of a posting block compressed by LZ4. A zlib stream's first byte
#: (CMF) has 8 (deflate) in its low four bits, so a block starting 0xff is never zlib.
LZ4_MARK = b"\xff"


class BlockCompression:
    """What Whoosh 3 calls ``zlib`` for posting blocks: LZ4 when writing, either when
    reading (whoosh/codec/whoosh3.py uses its ``zlib`` there only:
    ``W3PostingsWriter._write_block`` and ``W3LeafMatcher._read_data``).

    Why: inflating the blocks was a quarter of a common word's first ask (人才: 25 of
    101 ms CPU at 10,000 reports, issue 18 stop 25). On the blocks the bench mix
    reads (with 16-bit positions, search/whoosh_postings.py), LZ4 decodes and
    unpickles them in 64 ms where zlib took 217 ms, for 16.2 MB where zlib stored
    14.5 (docs/benchmarks.md, "Issue 18, stop 25"), and it compresses several times
    faster while importing. A block says how it was
    compressed, so an index written before reads as before, segment by segment.
    """

    @staticmethod
    def compress(data: bytes, level: int = -1) -> bytes:
        return LZ4_MARK + lz4.block.compress(data)

    @staticmethod
    def decompress(data: bytes) -> bytes:
        if data[:1] == LZ4_MARK:
            return lz4.block.decompress(memoryview(data)[1:])
        return zlib.decompress(data)


def compress_blocks_with_lz4() -> None:
    """Install ``BlockCompression`` as Whoosh 3's ``zlib`` (search/backend.py does, once)."""
    whoosh3.zlib = BlockCompression
