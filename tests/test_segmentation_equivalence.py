"""The speed-ups of issue 7 change nothing a user can see.

Each accelerated path is compared with its reference on the five seeds (raw and
cleaned) and on reports of the benchmark corpus (bench/corpus.py):

- rjieba (jieba-rs) words equal jieba's on every Han run the analyzer cuts;
- ``FastConversion`` equals opencc-python-reimplemented's ``convert``, also on
  random strings of its dictionary keys (where its longest-match order matters);
- the index-time ``word_terms``/``gram_terms`` equal ``tokenize``/``grams``;
- a Whoosh index built with every optimization and one built without give the
  same hits, scores and highlights for the benchmark's query mix.
"""

import random
from pathlib import Path

import pytest
from whoosh import index
from whoosh.fields import ID, Schema

import textkit
from bench.corpus import generate_one
from bench.queries import QUERY_MIX
from search.highlight import highlight
from search.query import parse_query
from search.whoosh_query import compile_query
from search.whoosh_schema import GramsTokenizer, JiebaTokenizer, search_fields
from textkit import fastconv, keywords, libraries, segmentation, terms, tokens

ROOT = Path(__file__).resolve().parent.parent
SEED_FILES = sorted((ROOT / "fixtures" / "seeds").glob("*.txt")) + sorted(
    (ROOT / "fixtures" / "samples" / "out").glob("*.txt")
)
CORPUS_SAMPLE = 30


def _decoded(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


@pytest.fixture(scope="module")
def texts() -> list[str]:
    seeds = [path.read_text(encoding="utf-8") for path in SEED_FILES]
    return seeds + [_decoded(generate_one(i).data) for i in range(CORPUS_SAMPLE)]


def _han_runs(text: str) -> list[str]:
    norm = textkit.normalize(text)
    return [norm[r.start : r.end] for r in tokens._runs(norm) if r.kind == "han"]


def test_the_corpus_sample_has_traditional_and_gb18030_reports():
    items = [generate_one(i) for i in range(CORPUS_SAMPLE)]
    assert any(item.traditional for item in items)
    assert any(item.path.endswith(".html") for item in items)


def test_rjieba_cuts_every_han_run_exactly_as_jieba(texts):
    rjieba = pytest.importorskip("rjieba")
    cut = rjieba.Jieba().cut
    runs = [run for text in texts for run in _han_runs(text)]
    assert len(runs) > 5_000
    compared = 0
    for run in runs:
        if segmentation._JIEBA_HAN_RE.fullmatch(run):
            assert cut(run) == textkit.reference_cut(run), run
            compared += 1
    assert compared > 0.99 * len(runs)


def test_a_run_outside_jiebas_han_block_is_cut_by_jieba_itself():
    pytest.importorskip("rjieba")
    run = "二〇二三年人才工作"  # 〇 (U+3007) is outside jieba's \u4e00-\u9fd5
    assert textkit.cut_han(run) == textkit.reference_cut(run)


@pytest.mark.parametrize("conversion", ["t2s", "s2t"])
def test_fast_conversion_equals_opencc_on_seeds_and_corpus(texts, conversion):
    reference = libraries.reference_opencc(conversion).convert
    fast = libraries._get_converter(conversion)
    assert isinstance(fast, fastconv.FastConversion)
    for text in texts:
        assert fast(text) == reference(text)
        for line in text.splitlines():
            assert fast(line) == reference(line)


@pytest.mark.parametrize("conversion", ["t2s", "s2t"])
def test_fast_conversion_equals_opencc_on_random_dictionary_strings(conversion):
    reference = libraries.reference_opencc(conversion).convert
    fast = libraries._get_converter(conversion)
    keys = sorted(fast._phrases)
    alphabet = sorted(set("".join(keys))) + list("，。 的人才")
    rng = random.Random(7)
    for _ in range(3000):
        parts = [
            rng.choice(keys) if rng.random() < 0.3 else rng.choice(alphabet)
            for _ in range(rng.randint(1, 12))
        ]
        text = "".join(parts)
        assert fast(text) == reference(text), text


def test_index_terms_equal_the_tokens_they_replace(texts):
    extra = ["", "，", "科创中国 创新基地", "Ａ類人才５萬元，PDF", "1.7 m² İ\n\n拎包，入住"]
    for text in [*texts, *extra]:
        assert textkit.word_terms(text) == [(t.text, t.pos) for t in textkit.tokenize(text)]
        assert textkit.gram_terms(text) == [(t.text, t.pos) for t in textkit.grams(text)]
        precise = [t.text for t in textkit.tokenize(text, subwords=False)]
        assert textkit.precise_words(text) == precise


def test_keyword_counts_equal_the_token_path_they_shortcut(texts, monkeypatch):
    """Reports without a quoted “黄金30条” skip the offset-keeping tokens; the counts
    must be those of the full path, which the pre-check is patched to force."""
    extra = ["出台“黄金30条”，落实30条措施", "「人才25條」和“10项”", "“黄金”30条"]
    fast = [keywords.document_terms(text) for text in [*texts, *extra]]
    assert sum(keywords._may_hold_numbered_name(t) for t in [*texts, *extra]) < len(fast)
    monkeypatch.setattr(keywords, "_may_hold_numbered_name", lambda text: True)
    assert fast == [keywords.document_terms(text) for text in [*texts, *extra]]
    assert fast[-3]["黄金30条"] == 1 and fast[-2]["人才25条"] == 1


# --- the same search results with and without the optimizations ----------------------


class _PlainJieba(JiebaTokenizer):
    """The analyzer as before issue 7: every field through the offset-keeping path."""

    def _terms(self, value, mode):
        return [(t.text, t.pos) for t in self._tokens(value, mode)]


class _PlainGrams(GramsTokenizer):
    def _terms(self, value, mode):
        return [(t.text, t.pos) for t in self._tokens(value, mode)]


def _documents() -> list[tuple[str, str, str]]:
    docs = []
    for path in SEED_FILES[:5]:
        body = path.read_text(encoding="utf-8")
        docs.append((path.stem, body.splitlines()[0], body))
    for i in range(8):
        body = _decoded(generate_one(i).data)
        docs.append((f"g{i}", body.splitlines()[0], body))
    return docs


def _build(folder: Path, fields: dict) -> index.Index:
    folder.mkdir()
    ix = index.create_in(str(folder), Schema(id=ID(stored=True, unique=True), **fields))
    with ix.writer() as writer:
        for doc_id, title, body in _documents():
            full = f"{title}\n{body}"
            writer.add_document(id=doc_id, title=title, text=full, grams=full)
    return ix


def _results(ix: index.Index) -> list:
    out = []
    with ix.searcher() as searcher:
        for _, params in QUERY_MIX:
            parsed = parse_query(params["q"])
            if parsed.is_empty:
                continue
            hits = searcher.search(compile_query(parsed.query), limit=None)
            out.append([(hit["id"], round(hit.score, 9)) for hit in hits])
    return out


def _highlights() -> list:
    bodies = [body for _, _, body in _documents()]
    return [
        highlight(body, parse_query(params["q"]), max_snippets=3)
        for _, params in QUERY_MIX
        for body in bodies[:6]
    ]


def test_search_results_and_highlights_are_identical_without_the_optimizations(
    tmp_path, monkeypatch
):
    fast_index = _build(tmp_path / "fast", search_fields())
    fast = _results(fast_index), _highlights()

    plain_fields = search_fields()
    for name, cls in (("text", _PlainJieba), ("title", _PlainJieba), ("grams", _PlainGrams)):
        plain_fields[name].analyzer = cls()
    textkit.use_accelerator(False)
    monkeypatch.setitem(libraries._loaded, "t2s", libraries.reference_opencc("t2s").convert)
    terms._document_runs.cache_clear()
    try:
        plain = _results(_build(tmp_path / "plain", plain_fields)), _highlights()
    finally:
        textkit.use_accelerator(True)
        terms._document_runs.cache_clear()
    assert any(hits for hits in fast[0])
    assert plain == fast
