"""Block-at-a-time postings, the block memo and the positions decoder give Whoosh's answers.

A real Whoosh index built from the seed reports, one paragraph a document, in
three segments with deletions, so that common terms span several posting blocks
and some postings are filtered out. Every query the bench mix (and a few harder
ones) builds is run with ``search.whoosh_leaves``, ``search.whoosh_blocks`` and
``IndexPositions.decode_positions`` on and then off (Whoosh's own code), and
the hits with their unrounded scores, the matching sets and the union arrays
cut into small parts must be the same: on an index of ``ArrayPositions`` values
in blocks pickled at protocol 5, on one written before them (pickled positions,
blocks at protocol 2) and opened with today's schema, and on one holding both
(new documents added to such an index).
"""

import pickle
import random
import zlib

import pytest
from whoosh import matching
from whoosh import query as wq
from whoosh.codec import whoosh3
from whoosh.fields import ID, Schema
from whoosh.filedb.filestore import RamStorage
from whoosh.formats import Positions

from bench.queries import QUERY_MIX
from search import whoosh_blocks, whoosh_leaves, whoosh_phrases
from search.query import parse_query
from search.whoosh_collect import matching_docs
from search.whoosh_matchers import _ArrayUnion
from search.whoosh_postings import ArrayPositions, IndexPositions
from search.whoosh_query import compile_query
from search.whoosh_schema import search_fields
from search.whoosh_scoring import ArchiveBM25F

from .conftest import SEEDS_DIR

QUERIES = [params["q"] for _, params in QUERY_MIX if params["q"]] + [
    "人才 -补贴",
    "高层次人才的住房",
    '博士后 OR "人才公寓"',
    "房 补贴",
]


def _paragraphs() -> list[str]:
    lines = [
        line.strip()
        for path in sorted(SEEDS_DIR.glob("*.txt"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if len(line.strip()) > 8
    ]
    return lines * 8  # 人才 and 发展 then span several blocks of postings


def _schema(positions: type[IndexPositions]) -> Schema:
    fields = search_fields()
    for field in fields.values():
        if isinstance(field.format, IndexPositions):
            field.format = positions(field_boost=field.format.field_boost)
    return Schema(id=ID(stored=True, unique=True), **fields)


@pytest.fixture(scope="module", params=["array", "pickled", "mixed"])
def searcher(request):
    """The index, its positions written as ``ArrayPositions`` (today), pickled (an
    index written before), or pickled in the first segment only; always opened
    with today's schema, as haystack opens an index."""
    whoosh_blocks.remember_blocks()  # as search/backend.py installs it
    schema = _schema(ArrayPositions)
    assert all(type(f.format) is ArrayPositions for n, f in schema.items() if n != "id")
    storage = RamStorage()
    old = _schema(IndexPositions)
    storage.create_index(schema if request.param == "array" else old)
    paragraphs = _paragraphs()
    for start in range(0, len(paragraphs), 500):  # three segments
        pickled = request.param == "pickled" or (request.param == "mixed" and start == 0)
        index = storage.open_index(schema=old if pickled else schema)
        # an index written before also has its blocks pickled at Whoosh's protocol 2
        # and compressed by zlib
        whoosh3.dumps = whoosh_blocks._whoosh_dumps if pickled else whoosh_blocks._postings_dumps
        whoosh3.zlib = zlib if pickled else whoosh_blocks.BlockCompression
        try:
            writer = index.writer()
            for n, text in enumerate(paragraphs[start : start + 500], start):
                title = text[:12]
                writer.add_document(
                    id=str(n), text=text, grams=text, title=title, title_grams=title
                )
            writer.commit(merge=False)
        finally:
            whoosh_blocks.write_blocks_at_protocol()
            whoosh_blocks.compress_blocks_with_lz4()
    index = storage.open_index(schema=schema)
    writer = index.writer()
    for n in range(0, len(paragraphs), 7):
        writer.delete_by_term("id", str(n))
    writer.commit(merge=False)
    with index.searcher(weighting=ArchiveBM25F()) as s:
        assert len(s.leaf_searchers()) >= 3 and s.doc_count() < s.doc_count_all()
        yield s


@pytest.fixture
def whoosh_way(monkeypatch):
    """Call to read postings and positions with Whoosh's own code."""

    def use() -> None:
        monkeypatch.setattr(whoosh_leaves, "ENABLED", False)
        monkeypatch.setattr(whoosh_blocks, "ENABLED", False)
        monkeypatch.setattr(IndexPositions, "decode_positions", Positions.decode_positions)

    return use


def _forget_blocks(searcher) -> None:
    for reader, _ in searcher.reader().leaf_readers():
        reader._terms._postfile.__dict__.pop("_archive_blocks", None)


def _answers(searcher) -> list[tuple]:
    out = []
    for text in QUERIES:
        query = compile_query(parse_query(text).query)
        hits = searcher.search(query, limit=None)
        out.append((text, [(h.docnum, h.score) for h in hits], matching_docs(searcher, query)))
    return out


def test_every_query_scores_and_matches_as_whoosh(searcher, whoosh_way):
    _forget_blocks(searcher)
    fast = _answers(searcher)
    again = _answers(searcher)  # blocks now remembered
    whoosh_way()
    _forget_blocks(searcher)
    reference = _answers(searcher)
    assert sum(len(hits) > 300 for _, hits, _ in reference) >= 5  # several blocks
    assert max(sub.doc_frequency("grams", "人才") for sub, _ in searcher.leaf_searchers()) > 256
    assert fast == reference
    assert again == reference
    for text, hits, matched in reference:
        assert matched == {d for d, _ in hits}, text


def _union_items(m) -> list[tuple[int, float]]:
    items = []
    while m.is_active():
        items.append((m.id(), m.score()))
        m.next()
    return items


@pytest.mark.parametrize("scored", [True, False])
def test_union_parts_add_the_same_scores_as_whoosh(searcher, scored):
    """Small parts cut blocks in the middle; a boosted title term is wrapped."""
    terms = [wq.Term("text", "人才"), wq.Term("grams", "人才"), wq.Term("title", "人才", boost=2.0)]
    longest = 0
    for sub, _ in searcher.leaf_searchers():
        context = sub.context() if scored else sub.boolean_context()
        ours = _ArrayUnion(
            [t.matcher(sub, context) for t in terms], sub.doc_count_all(), 1.5, scored, 37
        )
        whoosh = matching.ArrayUnionMatcher(
            [t.matcher(sub, context) for t in terms], sub.doc_count_all(), 1.5, scored, 37
        )
        expected = _union_items(whoosh)
        longest = max(longest, len(expected))
        assert _union_items(ours) == expected
    assert longest > 260  # postings over three blocks (Whoosh writes 128 a block)


def test_leaves_are_only_plain_term_postings(searcher):
    sub = searcher.leaf_searchers()[0][0]
    assert whoosh_leaves.leaf(wq.Term("text", "人才").matcher(sub, sub.context())) is not None
    boosted = whoosh_leaves.leaf(wq.Term("title", "人才", boost=2.0).matcher(sub, sub.context()))
    assert boosted is not None and boosted.boosts[-1] == 2.0
    phrase = wq.Phrase("grams", ["人才", "才引"]).matcher(sub, sub.context())
    assert whoosh_leaves.leaf(phrase) is None


@pytest.mark.parametrize(
    "positions",
    [[0], [65535], [65536], [3, 4, 90, 91, 5000], list(range(0, 70000, 7)), [1, 65537], [9, 70000]],
)
def test_positions_decode_as_whoosh(positions):
    value = IndexPositions().encode(positions)
    assert IndexPositions().decode_positions(value) == positions
    assert IndexPositions().decode_positions(value) == Positions().decode_positions(value)
    array = ArrayPositions(field_boost=2.0)
    for encoded in (value, array.encode(positions)):  # an old value, a new one
        assert array.decode_positions(encoded) == positions
        assert array.decode_frequency(encoded) == len(positions)
        assert array.decode_weight(encoded) == 2.0 * len(positions)
        assert array.decode_position_boosts(encoded) == [(p, 1) for p in positions]
    # 16-bit deltas when every one fits, else 32-bit
    wide = max(b - a for a, b in zip([0, *positions], positions, strict=False)) >= 65536
    encoded = array.encode(positions)
    assert encoded[:1] == (b"\xff" if wide else b"\xfe") and value[:1] == b"\x00"
    assert len(encoded) == 1 + (4 if wide else 2) * len(positions)


class _OtherPositions(Positions):
    """A format of the same bytes that is not ``Positions`` itself: decoded by its own
    ``decode_positions``, one value at a time."""


def test_positions_decoded_together_equal_each_decoded_alone():
    rng = random.Random(22)
    lists = [[0], [1], [255, 256], [65535, 65536, 70000], list(range(0, 70000, 7))]
    lists += [sorted(rng.sample(range(2**31 - 1), rng.randint(1, 40))) for _ in range(300)]
    lists += [sorted(rng.sample(range(200_000), rng.randint(1, 40))) for _ in range(300)]
    values = [IndexPositions().encode(p) for p in lists]
    values = [v[:-1] if i % 3 == 0 else v for i, v in enumerate(values)]  # STOP dropped
    docs = list(range(5, 5 + len(values)))
    expected = [(d, p) for d, positions in zip(docs, lists, strict=True) for p in positions]
    for fmt in (IndexPositions(), Positions(), _OtherPositions(), ArrayPositions()):
        found, positions = whoosh_phrases.decode_positions_of(fmt, docs, values)
        assert list(zip(found.tolist(), positions.tolist(), strict=True)) == expected
    arrays = [ArrayPositions().encode(p) for p in lists]
    mixed = [a if i % 2 else v for i, (a, v) in enumerate(zip(arrays, values, strict=True))]
    for encoded in (arrays, mixed):
        found, positions = whoosh_phrases.decode_positions_of(ArrayPositions(), docs, encoded)
        assert list(zip(found.tolist(), positions.tolist(), strict=True)) == expected
    assert {a[:1] for a in arrays} == {b"\xfe", b"\xff"}  # both widths, side by side
    assert whoosh_phrases._array_deltas(arrays) is not None  # read at once, not one by one
    assert whoosh_phrases._array_deltas(mixed) is None
    assert whoosh_phrases._deltas(arrays) is None
    assert whoosh_phrases._deltas([b"\x00\x00\x00\x01" + pickle.dumps([5], 4)]) is None
    empty = whoosh_phrases.decode_positions_of(IndexPositions(), [], [])
    assert [a.tolist() for a in empty] == [[], []]
