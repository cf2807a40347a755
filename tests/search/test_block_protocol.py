"""Posting blocks pickled at protocol 5 hold what Whoosh's protocol 2 blocks hold.

search/whoosh_blocks.py has Whoosh 3 pickle its posting blocks and inlined postings
at ``BLOCK_PROTOCOL`` (bytes copied as they are) and its block headers as before.
The same seed paragraphs are indexed both ways, and every posting of every term of
every field reads back the same: ids, weights, values and positions.
"""

from __future__ import annotations

import importlib
import pickle

from whoosh.codec import whoosh3
from whoosh.fields import ID, Schema
from whoosh.filedb.filestore import RamStorage

from search import whoosh_blocks
from search.whoosh_schema import search_fields

from .test_whoosh_leaves import _paragraphs


def _postings(protocol_dumps) -> dict:
    """Every (field, term) -> [(id, weight, value)], of an index whose blocks were
    pickled by ``protocol_dumps``."""
    storage = RamStorage()
    index = storage.create_index(Schema(id=ID(stored=True, unique=True), **search_fields()))
    whoosh3.dumps = protocol_dumps
    try:
        writer = index.writer()
        for n, text in enumerate(_paragraphs()[:600]):
            writer.add_document(id=str(n), text=text, grams=text, title=text[:12])
        writer.commit()
    finally:
        whoosh_blocks.write_blocks_at_protocol()
    out = {}
    with index.searcher() as searcher:
        reader = searcher.reader()
        for field, term in reader.all_terms():
            if field == "id":
                continue
            m = reader.postings(field, term)
            out[field, term] = list(m.items_as("positions"))
    return out


def test_postings_read_the_same_whatever_the_block_protocol():
    new = _postings(whoosh_blocks._postings_dumps)
    old = _postings(whoosh_blocks._whoosh_dumps)
    assert new == old
    assert len(new) > 1000
    assert max(len(postings) for postings in new.values()) > 128  # several blocks


def test_blocks_and_inlined_postings_use_the_protocol_and_headers_do_not():
    importlib.import_module("search.backend")  # the site's backend installs it
    assert whoosh3.dumps is whoosh_blocks._postings_dumps
    block = ((1, 2), (1.0, 2.0), (b"\xff\x01\x00\x00\x00", b"\xff\x02\x00\x00\x00"))
    assert whoosh3.dumps(block, 2)[:2] == bytes([0x80, whoosh_blocks.BLOCK_PROTOCOL])
    assert pickle.loads(whoosh3.dumps(block, 2)) == block
    header = (128, 4096, 3.5, 3, 1, 9)
    assert whoosh3.dumps(header, 2)[:2] == b"\x80\x02"
