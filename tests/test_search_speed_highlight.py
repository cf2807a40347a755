"""The cheaper highlight path changes no output.

A highlight on a result-cache miss normalized the hit's whole text (t2s, NFKC
fold, offsets) at ~1 ms per report. ``FastConversion`` now finds the few
dictionary characters a report holds and replaces only those, and looks for
phrases only where those characters occur; ``normalize_with_offsets`` folds only
the characters that change; the snippet ranking counts the matches in a window
without building lists. Each is compared here with the code it replaced, on the
seeds, the generated corpus sample of tests/test_segmentation_equivalence.py,
every line of those, and hostile strings (combining marks, full-width forms,
ligatures, emoji, NUL, Hangul jamo, a lone surrogate).
"""

import bisect
import random
import unicodedata

import pytest

import textkit
from bench.corpus import generate_one
from bench.queries import QUERY_MIX
from search import highlight
from search.query import parse_query
from textkit import charmap, libraries, normalization, scripts

from .test_segmentation_equivalence import CORPUS_SAMPLE, SEED_FILES, _decoded

HOSTILE = [
    "",
    "\x00",
    "人才\x00公寓",
    "Ａ類人才５萬元，每㎡补贴ﬁve",
    "ＰＤＦ（全文）：１．７",
    "e\u0301cole İstanbul ẞ ǅ ΣΑΣ",
    "😀瀘州🇨🇳人才𠀾",
    "\ud800x",
    "反覆覆蓋 乾隆 乾淨 藉口 彷彿 阪神",
    "Ⅻ ⑴ ½ ﾊﾟ ｶﾞｯｺｳ",
    "\u1100\u1161\u11a8 가",
    "\u0cbf\u0cd5 \u0b47\u0b3e",
    "a\u0301\u0302\u0303 \u0345\u0399",
    "有序 一目瞭然 回覆 祇是 衹有",
]


@pytest.fixture(scope="module")
def texts() -> list[str]:
    seeds = [path.read_text(encoding="utf-8") for path in SEED_FILES]
    corpus = [_decoded(generate_one(i).data) for i in range(CORPUS_SAMPLE)]
    whole = seeds + corpus + HOSTILE
    return whole + [line for text in seeds + corpus for line in text.splitlines()]


# --- the code the fast paths replaced ------------------------------------------------


def _reference_t2s(text: str) -> str:
    """``textkit.t2s`` through OpenCC's own ``convert``."""
    convert = libraries._get_opencc("t2s").convert

    def aligned(piece: str) -> str:
        if piece.isascii():
            return piece
        out = convert(piece)
        if len(out) == len(piece):
            return out
        return "".join(c if len(c := convert(ch)) == 1 else ch for ch in piece)

    table = scripts.load_t2s_exceptions()
    parts, last = [], 0
    for m in scripts._exceptions_pattern().finditer(text):
        parts.append(aligned(text[last : m.start()]))
        parts.append(table[m.group()])
        last = m.end()
    parts.append(aligned(text[last:]))
    return "".join(parts)


def _reference_normalize(text: str) -> tuple[str, list[int] | None, list[int] | None]:
    """``normalize_with_offsets`` as it was: whole-text ``translate`` and set checks."""
    converted = _reference_t2s(text)
    if unicodedata.is_normalized("NFKC", converted):
        lowered = converted.lower()
        if len(lowered) == len(converted):
            return lowered, None, None
    if normalization._combining_marks().isdisjoint(converted):
        folded = converted.translate(normalization._FOLD)
        if len(folded) == len(converted):
            return folded, None, None
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(converted)
    while i < n:
        j = i + 1
        while j < n and unicodedata.combining(converted[j]):
            j += 1
        piece = unicodedata.normalize("NFKC", converted[i:j]).lower()
        out.append(piece)
        starts.extend([i] * len(piece))
        ends.extend([j] * len(piece))
        i = j
    return "".join(out), starts, ends


def _reference_segments(text, terms, *, max_snippets=3, context=40):
    """``highlight_segments`` as it was: a list of the matches inside every window."""
    matches = highlight._matches(text, list(terms.highlight_terms))
    if not matches or max_snippets < 1:
        return []
    bounds = [m.end() for m in highlight._SENTENCE_END_RE.finditer(text)]
    starts = [m.start for m in matches]
    candidates = []
    for m in matches:
        start, end = highlight._window(text, m, context, bounds)
        inside = matches[bisect.bisect_left(starts, start) : bisect.bisect_left(starts, end)]
        inside = [x for x in inside if x.end <= end]
        start = min(start, m.start)
        distinct = len(set().union(*(x.terms for x in inside)))
        candidates.append(((-distinct, -len(inside), start), start, end, inside))
    candidates.sort(key=lambda c: c[0])
    chosen = []
    for _, start, end, inside in candidates:
        if all(end <= s or start >= e for s, e, _ in chosen):
            chosen.append((start, end, inside))
            if len(chosen) == max_snippets:
                break
    return [highlight._segments(text, s, e, inside) for s, e, inside in chosen]


# --- the comparisons -----------------------------------------------------------------


def test_the_sample_exercises_every_path(texts):
    fast = libraries._get_converter("t2s")
    held = [charmap._distinct(fast._key_chars, fast._changing, t, 24) for t in texts]
    assert any(h is None for h in held)  # Traditional reports: every phrase start
    assert any(h for h in held)  # Simplified with 覆/藉: anchored phrases
    assert any(h == set() for h in held)  # nothing to convert
    normalized = [_reference_normalize(t) for t in texts]
    assert any(starts is not None for _, starts, _ in normalized)  # cluster loop
    folded = [t for t, (text, starts, _) in zip(texts, normalized, strict=True) if starts is None]
    assert any(normalization._fold_map()(t) != t for t in folded)  # replaced per character


def test_normalize_with_offsets_equals_the_previous_code(texts):
    for text in texts:
        norm = textkit.normalize_with_offsets(text)
        assert (norm.text, norm.starts, norm.ends) == _reference_normalize(text), repr(text[:60])


def test_t2s_equals_opencc_with_the_exceptions(texts):
    for text in texts:
        assert textkit.t2s(text) == _reference_t2s(text), repr(text[:60])


@pytest.mark.parametrize("conversion", ["t2s", "s2t"])
def test_fast_conversion_equals_opencc_on_mixed_random_text(conversion):
    """Long plain text with a few dictionary characters and phrases dropped in: the
    anchored phrase search, the replace-per-character map and their fallbacks."""
    reference = libraries._get_opencc(conversion).convert
    fast = libraries._get_converter(conversion)
    keys = sorted(fast._phrases)
    chars = sorted(fast._changing)
    plain = "人才工作，政策、补贴。的 发展 创新 2023 PDF\n"
    rng = random.Random(11)
    for _ in range(300):
        parts = [plain[rng.randrange(len(plain)) :] for _ in range(rng.randint(1, 6))]
        for _ in range(rng.randint(0, 30)):
            pool = keys if rng.random() < 0.5 else chars
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(pool))
        text = "".join(parts)
        assert fast(text) == reference(text), text


def test_the_char_map_equals_translate_also_when_replacements_chain():
    table = {"a": "b", "b": "c", "x": "yz", "é": "e"} | {chr(0x4E00 + i): "字" for i in range(40)}
    char_map = charmap._CharMap(table, str.maketrans(table))
    rng = random.Random(3)
    alphabet = [*table, "字", "q", "😀", "\u0301"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        assert char_map(text) == text.translate(str.maketrans(table)), text


def test_the_class_pattern_finds_astral_members_only():
    members = frozenset({"a", "覆", "𠀾", "😀"})
    pattern = charmap._class_pattern(members)
    text = "xa覆𠀾🇨🇳😀b"
    assert charmap._distinct(pattern, members, text, 10) == members
    assert charmap._distinct(pattern, members, text, 2) is None
    assert charmap._distinct(pattern, members, "xyz𠀿", 10) == set()


def test_highlights_equal_the_previous_ranking(texts):
    queries = [params["q"] for _, params in QUERY_MIX if params["q"]] + [
        "人才 公寓 补贴 住房",
        "创新 发展 人才 政策",
        "A类 5万元",
        "瀘州 补贴 2023",
        "覆盖",
    ]
    parsed = [parse_query(q) for q in queries]
    compared = 0
    for text in texts[: len(SEED_FILES) + CORPUS_SAMPLE]:
        for query in parsed:
            for max_snippets, context in ((3, 40), (1, 10), (5, 80)):
                expected = _reference_segments(
                    text, query, max_snippets=max_snippets, context=context
                )
                got = highlight.highlight_segments(
                    text, query, max_snippets=max_snippets, context=context
                )
                assert got == expected, (query.text, text[:40])
                compared += bool(expected)
    assert compared > 500
