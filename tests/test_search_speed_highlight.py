"""The cheaper highlight path keeps the output it was proven to give.

A highlight on a result-cache miss normalized the hit's whole text (t2s, NFKC
fold, offsets) at ~1 ms per report. ``FastConversion`` now finds the few
dictionary characters a report holds and replaces only those, and looks for
phrases only where those characters occur; ``normalize_with_offsets`` folds only
the characters that change; the snippet ranking counts the matches in a window
without building lists. When they landed they were compared with the code they
replaced; that code's outputs are recorded in tests/golden/text_speed.json (a
digest per text: the seeds, the cleaned samples, the generated corpus sample,
every line of those, and hostile strings — combining marks, full-width forms,
ligatures, emoji, NUL, Hangul jamo, a lone surrogate — whose outputs are kept in
full). Where a simple reference exists the fast code is also checked against it:
OpenCC's own ``convert``, ``str.translate``, a membership scan.

After an intended change of output, re-record and review the diff: ``RECORD_GOLDEN=1
.venv/bin/python -m pytest -p no:cacheprovider tests/test_search_speed_highlight.py``
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import random
from pathlib import Path

import pytest

import textkit
from archive.ingest.decode import decode_bytes
from bench.corpus import generate_one
from bench.queries import QUERY_MIX
from search import highlight
from search.query import parse_query
from textkit.charmap import CharMap, class_pattern, distinct_members
from textkit.libraries import reference_opencc

from .test_segmentation_equivalence import CORPUS_SAMPLE, SEED_FILES

GOLDEN = Path(__file__).resolve().parent / "golden" / "text_speed.json"
RECORD = os.environ.get("RECORD_GOLDEN") == "1"

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
QUERIES = [params["q"] for _, params in QUERY_MIX if params["q"]] + [
    "人才 公寓 补贴 住房",
    "创新 发展 人才 政策",
    "A类 5万元",
    "瀘州 补贴 2023",
    "覆盖",
]
SNIPPETS = ((3, 40), (1, 10), (5, 80))  # (max_snippets, context)


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    """Named sample texts: seeds and cleaned samples, the corpus sample, hostile strings."""
    named = {path.name: path.read_text(encoding="utf-8") for path in SEED_FILES}
    named |= {f"corpus-{i}": decode_bytes(generate_one(i).data).text for i in range(CORPUS_SAMPLE)}
    return named | {f"hostile-{i}": text for i, text in enumerate(HOSTILE)}


def digest(value: object) -> str:
    """A short stable digest of JSON-able output (a lone surrogate included)."""
    raw = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()[:20]


def normalized(text: str) -> list:
    norm = textkit.normalize_with_offsets(text)
    return [norm.text, norm.starts, norm.ends]


def text_outputs(text: str) -> list:
    """normalize_with_offsets and t2s of the text and of each of its lines."""
    pieces = [text, *text.splitlines()]
    return [[normalized(piece), textkit.t2s(piece)] for piece in pieces]


def highlight_outputs(text: str) -> list:
    return [
        highlight.highlight_segments(text, parse_query(q), max_snippets=n, context=c)
        for q in QUERIES
        for n, c in SNIPPETS
    ]


@pytest.fixture(scope="module")
def golden(texts) -> dict:
    if RECORD:
        recorded = {
            "text": {name: digest(text_outputs(text)) for name, text in texts.items()},
            "highlight": {name: digest(highlight_outputs(text)) for name, text in texts.items()},
            "hostile": {str(i): text_outputs(text)[0] for i, text in enumerate(HOSTILE)},
        }
        GOLDEN.parent.mkdir(exist_ok=True)
        GOLDEN.write_text(json.dumps(recorded, indent=1, ensure_ascii=True) + "\n")
    return json.loads(GOLDEN.read_text())


def test_the_golden_file_covers_every_sample_text(texts, golden):
    assert set(golden["text"]) == set(texts) == set(golden["highlight"]), "re-record"


def test_normalize_and_t2s_give_the_recorded_output(texts, golden):
    changed = [
        name for name, text in texts.items() if digest(text_outputs(text)) != golden["text"][name]
    ]
    assert changed == []


def test_hostile_strings_normalize_to_the_recorded_text_and_offsets(golden):
    for i, text in enumerate(HOSTILE):
        assert text_outputs(text)[0] == golden["hostile"][str(i)], repr(text)
    ligature = golden["hostile"]["3"][0]  # Ａ類人才５萬元，每㎡补贴ﬁve
    assert ligature[0] == "a类人才5万元,每m2补贴five" and ligature[1] is not None


def test_highlights_give_the_recorded_snippets(texts, golden):
    outputs = {name: highlight_outputs(text) for name, text in texts.items()}
    changed = [name for name, out in outputs.items() if digest(out) != golden["highlight"][name]]
    assert changed == []
    marked = sum(bool(snippets) for out in outputs.values() for snippets in out)
    assert marked > 500  # the sample exercises the ranking, not only empty answers


def test_a_snippet_marks_each_match_in_its_sentence():
    text = "第一句无关。泸州市对人才公寓给予补贴，人才可拎包入住。最后一句。"
    (snippet,) = highlight.highlight_segments(text, parse_query("人才公寓"), max_snippets=1)
    assert ("人才公寓", True) in snippet
    assert "".join(piece for piece, _ in snippet) in text


def test_the_sample_exercises_every_path(texts):
    """Traditional texts, Simplified texts with a phrase character, texts with nothing to
    convert; texts whose offsets need the cluster loop and texts folded per character."""
    values = list(texts.values())
    assert any(textkit.t2s(t) != t for t in values)
    assert any(textkit.t2s(t) == t and t for t in values)
    assert any("覆" in t or "藉" in t for t in values)
    norms = [textkit.normalize_with_offsets(t) for t in values]
    assert any(n.starts is not None for n in norms)
    assert any(n.starts is None and n.text != t.lower() for n, t in zip(norms, values, strict=True))


#: OpenCC's dictionary files, beside its module (textkit.libraries alone imports it).
OPENCC_DICTIONARIES = Path(inspect.getfile(type(reference_opencc("t2s")))).parent / "dictionary"
#: the dictionaries of each conversion (opencc/config/<conversion>.json).
DICTIONARIES = {"t2s": ("TSPhrases", "TSCharacters"), "s2t": ("STPhrases", "STCharacters")}


def dictionary_keys(conversion: str) -> list[str]:
    """Every key (phrases and characters) of a conversion's OpenCC dictionaries."""
    return sorted(
        line.split("\t", 1)[0]
        for name in DICTIONARIES[conversion]
        for line in (OPENCC_DICTIONARIES / f"{name}.txt").read_text("utf-8").splitlines()
        if "\t" in line
    )


def mixed_texts(keys: list[str], seed: int) -> list[str]:
    """Long plain text with a few dictionary characters and phrases dropped in: the
    anchored phrase search, the replace-per-character map and their fallbacks."""
    plain = "人才工作，政策、补贴。的 发展 创新 2023 PDF\n"
    rng = random.Random(seed)
    out = []
    for _ in range(300):
        parts = [plain[rng.randrange(len(plain)) :] for _ in range(rng.randint(1, 6))]
        for _ in range(rng.randint(0, 30)):
            parts.insert(rng.randrange(len(parts) + 1), rng.choice(keys))
        out.append("".join(parts))
    return out


def test_s2t_equals_opencc_on_mixed_random_text():
    reference = reference_opencc("s2t").convert
    for text in mixed_texts(dictionary_keys("s2t"), seed=11):
        assert textkit.s2t(text) == reference(text), text


def test_plain_t2s_equals_opencc_wherever_opencc_keeps_the_length():
    """``t2s`` keeps offsets (same length); where OpenCC does too, it is OpenCC's output."""
    reference = reference_opencc("t2s").convert
    same_length = 0
    for text in mixed_texts(dictionary_keys("t2s"), seed=11):
        expected = reference(text)
        got = textkit.t2s(text, exceptions=False)
        assert len(got) == len(text), text
        if len(expected) == len(text):
            assert got == expected, text
            same_length += 1
    assert same_length > 200


def test_the_char_map_equals_translate_also_when_replacements_chain():
    table = {"a": "b", "b": "c", "x": "yz", "é": "e"} | {chr(0x4E00 + i): "字" for i in range(40)}
    char_map = CharMap(table, str.maketrans(table))
    rng = random.Random(3)
    alphabet = [*table, "字", "q", "😀", "\u0301"]
    for _ in range(2000):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 60)))
        assert char_map(text) == text.translate(str.maketrans(table)), text


def test_the_class_pattern_finds_astral_members_only():
    members = frozenset({"a", "覆", "𠀾", "😀"})
    pattern = class_pattern(members)
    text = "xa覆𠀾🇨🇳😀b"
    assert distinct_members(pattern, members, text, 10) == members
    assert distinct_members(pattern, members, text, 2) is None
    assert distinct_members(pattern, members, "xyz𠀿", 10) == set()
