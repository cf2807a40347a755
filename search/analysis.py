"""Text analysis: the one place where OpenCC and jieba are configured.

Every caller (indexer, query parser, highlighter, keyword extraction) goes through
these functions so that a document and a query are always analysed identically
(STYLE.md, "One home per concern"). The module is engine-agnostic: it returns plain
tokens, and ``search.schema`` adapts them to Whoosh. An Elasticsearch backend can be
fed the same stream (DESIGN.md, "Scale-out path").

Pipeline: t2s exceptions -> OpenCC ``t2s`` -> NFKC -> lowercase -> jieba.

Speed (issue 7, docs/benchmarks.md): ``FastConversion`` gives OpenCC's output
without its substring search; Han runs are cut by rjieba where
tests/test_segmentation_equivalence.py proves it equals jieba; the indexer's
``word_terms``/``gram_terms`` are ``tokenize``/``grams`` without offsets.

Sources:
- opencc-python-reimplemented 0.1.7: every entry of ``TSPhrases.txt`` and
  ``TSCharacters.txt`` maps a key to a value of the same length, so ``t2s`` keeps
  the length of its input; ``_t2s_aligned`` still checks, so a future dictionary
  that breaks this cannot shift highlight offsets.
- jieba 0.42.1 ``Tokenizer.tokenize(mode="search")``: sub-words are the 2- and
  3-character dictionary words inside a longer word; reproduced in ``_subwords``.
- jieba's own ``analyse.ChineseAnalyzer`` uses character offsets as positions,
  which breaks phrase queries; here positions are ordinals.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import jieba
from opencc import OpenCC

DICTIONARIES_DIR = Path(__file__).resolve().parent / "dictionaries"
T2S_EXCEPTIONS_FILE = DICTIONARIES_DIR / "t2s_exceptions.txt"

# CJK ideographs (URO, Ext. A, compatibility, supplementary planes) and 〇 (U+3007),
# the "zero" of years written in characters (二〇二三年).
HAN = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
# A "word run": a decimal number (1.7, 4.48) or letters/digits that are not Han.
_RUN_RE = re.compile(rf"(?P<han>[{HAN}]+)|(?P<word>\d+(?:\.\d+)+|(?:(?![{HAN}])[^\W_])+)")

_HAN_ONLY_RE = re.compile(f"[{HAN}]+")

log = logging.getLogger(__name__)
_lock = threading.RLock()  # re-entrant: a builder may need another object
_loaded: dict[str, Any] = {}
_accelerate = True


class Token(NamedTuple):
    """A token: normalized text, ordinal position, offsets in the ORIGINAL text."""

    text: str
    pos: int
    start: int
    end: int


@dataclass(frozen=True)
class Normalized:
    """Normalized text plus, per normalized char, the original span it came from.

    ``starts``/``ends`` are None when the mapping is the identity (the common case
    of text that is already NFKC and whose lowercase has the same length).
    """

    text: str
    starts: list[int] | None = None
    ends: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original ``[start, end)`` of the normalized slice ``[start, end)``."""
        if self.starts is None or self.ends is None or end <= start:
            return start, end
        return self.starts[start], self.ends[end - 1]


# --- finding the few characters that change ------------------------------------------

#: Above this many distinct changing characters, one ``str.translate`` pass is
#: cheaper than a ``str.replace`` pass per character.
_MAX_REPLACES = 24
#: Above this many phrases anchored on the dictionary characters a text holds,
#: testing every possible phrase start is cheaper (s2t: 的 anchors thousands).
_MAX_ANCHORED = 200


def _class_pattern(chars: Iterable[str]) -> re.Pattern[str]:
    """A regex class of ``chars`` in the Basic Multilingual Plane, plus every astral char.

    Why: ``re`` tests a BMP class member in a bitmap (a 5,000-character report is
    scanned in ~15 µs), but astral members one by one (a class with the 350
    supplementary-plane keys of OpenCC took 1.5 ms). Astral text is rare, so any
    astral character is a candidate and callers check membership themselves.
    """
    points = sorted({ord(c) for c in chars if ord(c) < 0x10000})
    ranges: list[tuple[int, int]] = []
    for cp in points:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    body = "".join(f"\\u{a:04x}" if a == b else f"\\u{a:04x}-\\u{b:04x}" for a, b in ranges)
    return re.compile(f"[{body}\\U00010000-\\U0010ffff]")


def _distinct(
    pattern: re.Pattern[str], members: frozenset[str] | dict[str, str], text: str, limit: int
) -> set[str] | None:
    """The distinct ``members`` in ``text`` (``pattern`` is their ``_class_pattern``),
    or None as soon as there are more than ``limit`` of them."""
    found: set[str] = set()
    for m in pattern.finditer(text):
        if (c := m.group()) in members:
            found.add(c)
            if len(found) > limit:
                return None
    return found


class _CharMap:
    """``text.translate(table)`` for a table of single-character keys, faster when
    few distinct characters of the text change.

    Why: ``str.translate`` looks every character up in the table (~65 ns each,
    0.3 ms for a report); a report usually holds a handful of distinct characters
    that change (full-width ，：（）, a Traditional form or two), and ``str.replace``
    for each of them runs at memory speed. Replacing one character after another
    equals translating all at once unless a replacement holds a character still to
    be replaced; then, and for many distinct characters, it translates.
    """

    def __init__(self, changes: dict[str, str], table: dict[int, str]) -> None:
        self._changes = changes  # only keys whose value differs from the key
        self._table = table
        self._pattern = _class_pattern(changes)

    def __call__(self, text: str) -> str:
        found = _distinct(self._pattern, self._changes, text, _MAX_REPLACES)
        if found is None:
            return text.translate(self._table)
        if not found:
            return text
        values = [self._changes[c] for c in found]
        if any(not found.isdisjoint(v) for v in values):
            return text.translate(self._table)
        for char, value in zip(found, values, strict=True):
            text = text.replace(char, value)
        return text


# --- process-wide state -------------------------------------------------------------


def _once(name: str, build: Callable[[], Any]) -> Any:
    """Build a process-wide object once, even when threads race for it."""
    if name not in _loaded:
        with _lock:
            if name not in _loaded:
                _loaded[name] = build()
    return _loaded[name]


def _build_tokenizer() -> jieba.Tokenizer:
    jieba.setLogLevel(logging.WARNING)  # silence "Building prefix dict…" on stderr
    tok = jieba.Tokenizer()
    tok.initialize()
    return tok


def _get_tokenizer() -> jieba.Tokenizer:
    """The jieba tokenizer, built once per process (DESIGN: never per request)."""
    return _once("jieba", _build_tokenizer)


def _build_accelerator() -> Callable[[str], list[str]] | None:
    try:
        import rjieba  # the jieba-rs binding; optional (requirements.txt pins it)
    except ImportError:
        return None
    return rjieba.Jieba().cut


def _get_accelerator() -> Callable[[str], list[str]] | None:
    """rjieba's ``cut`` (HMM on), or None when disabled or not installed."""
    if not _accelerate:
        return None
    return _once("rjieba", _build_accelerator)


def use_accelerator(enabled: bool) -> None:
    """Switch the rjieba accelerator on or off (benchmarks and equivalence tests)."""
    global _accelerate
    _accelerate = enabled


def _get_opencc(conversion: str) -> OpenCC:
    """The reference OpenCC converter; its constructor loads the dictionaries."""
    return _once(f"opencc-{conversion}", lambda: OpenCC(conversion))


def _get_converter(conversion: str = "t2s") -> Callable[[str], str]:
    """The converter used everywhere: ``FastConversion``, or OpenCC's own if the
    dictionaries are not laid out as ``FastConversion`` expects."""

    def build() -> Callable[[str], str]:
        reference = _get_opencc(conversion)
        try:
            return FastConversion(reference)
        except ValueError:
            log.warning("OpenCC %s: unexpected dictionary layout, using the slow path", conversion)
            return reference.convert

    return _once(conversion, build)


def warm_up() -> None:
    """Load jieba, OpenCC and the exception list; call before a server forks.

    The forked workers then share the loaded dictionaries (~1 s and ~50 MB for
    jieba) instead of each paying for them on its first request.
    """
    _get_tokenizer()
    _get_accelerator()
    _get_converter()
    _exceptions_pattern()
    _fold_map()
    _combining_pattern()


class FastConversion:
    """OpenCC's conversion, with the same output as ``OpenCC.convert``, ~100x faster.

    Why: opencc-python-reimplemented 0.1.7 converts by repeatedly scanning every
    substring of every chunk for the longest dictionary key (``StringTree``); the
    ingest pipeline, the indexer and the highlighter call ``t2s`` on every text
    several times, and it was half of the import time (docs/benchmarks.md).

    Same result, by construction of OpenCC's algorithm (opencc/opencc.py): text is
    split at separators (no key can span one); within a chunk, phrase keys are
    taken longest first, leftmost among equals, never overlapping one taken
    before; the characters outside taken phrases are mapped one by one (the
    character dictionary has single-character keys only); a value with
    alternatives (``干 乾``) gives its first. tests/test_segmentation_equivalence.py
    compares the two on the seeds, the generated corpus and random strings.
    """

    def __init__(self, reference: OpenCC) -> None:
        chain = reference._dict_chain_data  # [[phrases, characters]]: t2s.json, s2t.json
        if len(chain) != 1 or len(chain[0]) != 2:
            raise ValueError("expected one group of two dictionaries")
        (_, _, phrases), (max_len, min_len, chars) = chain[0]
        if (max_len, min_len) != (1, 1):
            raise ValueError("expected a character dictionary of single characters")
        separators = reference.split_chars_re
        self._phrases = {k: v.split(" ")[0] for k, v in phrases.items() if not separators.search(k)}
        values = {k: v.split(" ")[0] for k, v in chars.items()}
        if any(len(v) != 1 for v in values.values()):
            raise ValueError("expected single-character values")  # see ``__call__``
        self._chars = str.maketrans(values)
        self._char_map = _CharMap({k: v for k, v in values.items() if k != v}, self._chars)
        lengths: dict[str, set[int]] = {}
        for key in self._phrases:
            lengths.setdefault(key[0], set()).add(len(key))
        self._lengths = {c: sorted(ls, reverse=True) for c, ls in lengths.items()}
        self._starts = re.compile("[" + "".join(map(re.escape, sorted(lengths))) + "]")
        # Text with none of these cannot change: every key holds a character key
        # or is one of the few phrases made only of unchanged characters (有序).
        self._changing = frozenset(chars)
        self._plain = [k for k in self._phrases if self._changing.isdisjoint(k)]
        self._key_chars = _class_pattern(self._changing)
        # Every other phrase holds a dictionary character; it is looked for where its
        # first one (its anchor) occurs: (phrase, the anchor's index in it).
        self._anchored: dict[str, list[tuple[str, int]]] = {}
        for key in self._phrases:
            at = next((i for i, c in enumerate(key) if c in self._changing), None)
            if at is not None:
                self._anchored.setdefault(key[at], []).append((key, at))

    def __call__(self, text: str) -> str:
        present = _distinct(self._key_chars, self._changing, text, _MAX_REPLACES)
        if present is not None and not present and not any(k in text for k in self._plain):
            return text
        if present is None or sum(len(self._anchored.get(c, ())) for c in present) > _MAX_ANCHORED:
            occurrences = list(self._occurrences(text))  # many candidates: look everywhere
        else:
            occurrences = self._anchored_occurrences(text, present)
        taken: list[tuple[int, int, str]] = []
        used = bytearray(len(text))
        for start, end in sorted(occurrences, key=lambda o: (o[0] - o[1], o[0])):
            if not any(used[start:end]):
                used[start:end] = b"\x01" * (end - start)
                taken.append((start, end, self._phrases[text[start:end]]))
        # Characters map one to one, so mapping the whole text and then pasting the
        # phrases equals mapping only the text between them.
        converted = self._char_map(text)
        if not taken:
            return converted
        out: list[str] = []
        last = 0
        for start, end, value in sorted(taken):
            out.append(converted[last:start])
            out.append(value)
            last = end
        out.append(converted[last:])
        return "".join(out)

    def _anchored_occurrences(self, text: str, present: set[str]) -> list[tuple[int, int]]:
        """``_occurrences`` for a text holding only the dictionary characters ``present``.

        Why: a Simplified report holds a few dictionary characters (覆 and 藉 map to
        themselves) but ~200 places where some phrase could start; testing each cost
        ~0.1 ms per report, testing the phrases anchored on where ``present`` occur
        a few µs. Each occurrence is found once: at its phrase's anchor.
        """
        found: list[tuple[int, int]] = []
        for phrase in self._plain:
            at = text.find(phrase)
            while at >= 0:
                found.append((at, at + len(phrase)))
                at = text.find(phrase, at + 1)
        for char in present:
            anchored = self._anchored.get(char, ())
            at = text.find(char)
            while at >= 0:
                for phrase, offset in anchored:
                    start = at - offset
                    if start >= 0 and text.startswith(phrase, start):
                        found.append((start, start + len(phrase)))
                at = text.find(char, at + 1)
        return found

    def _occurrences(self, text: str) -> Iterator[tuple[int, int]]:
        """Every (start, end) of a phrase key in ``text``, overlapping ones included."""
        n = len(text)
        for m in self._starts.finditer(text):
            i = m.start()
            for length in self._lengths[m.group()]:
                if i + length <= n and text[i : i + length] in self._phrases:
                    yield i, i + length


# --- Traditional -> Simplified --------------------------------------------------------


@cache
def load_t2s_exceptions(path: Path = T2S_EXCEPTIONS_FILE) -> dict[str, str]:
    """Phrases that OpenCC mis-converts, as ``{variant: correct simplified}``.

    File format: ``variant<TAB>simplified`` per line, ``#`` comments. Both sides
    must have the same length so offsets stay aligned; a bad line fails loudly.
    """
    table: dict[str, str] = {}
    if not path.exists():
        return table
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        variant, _, simplified = line.partition("\t")
        if not simplified or len(variant) != len(simplified):
            raise ValueError(f"{path}:{lineno}: expected 'variant<TAB>same-length name'")
        table[variant] = simplified
    return table


@cache
def _exceptions_pattern() -> re.Pattern[str] | None:
    keys = sorted(load_t2s_exceptions(), key=len, reverse=True)  # longest first
    return re.compile("|".join(map(re.escape, keys))) if keys else None


def _t2s_aligned(text: str) -> str:
    """OpenCC t2s, guaranteed to return a string of the same length."""
    if text.isascii():
        return text
    convert = _get_converter()
    out = convert(text)
    if len(out) == len(text):
        return out
    # A multi-char mapping of unequal length: fall back to char by char.
    return "".join(c if len(c := convert(ch)) == 1 else ch for ch in text)


def t2s(text: str, *, exceptions: bool = True) -> str:
    """Traditional -> Simplified with the gazetteer exceptions protected.

    ``exceptions=False`` is plain OpenCC, for the builder that finds the exceptions.
    """
    pattern = _exceptions_pattern() if exceptions else None
    if pattern is None:
        return _t2s_aligned(text)
    table = load_t2s_exceptions()
    parts, last = [], 0
    for m in pattern.finditer(text):
        parts.append(_t2s_aligned(text[last : m.start()]))
        parts.append(table[m.group()])
        last = m.end()
    parts.append(_t2s_aligned(text[last:]))
    return "".join(parts)


def s2t(text: str) -> str:
    """Simplified -> Traditional: the display toggle, the exception builder, bench/."""
    return _get_converter("s2t")(text)


# --- normalization ------------------------------------------------------------------


class _FoldTable(dict):
    """``str.translate`` table: each char to its NFKC lowercase, filled on first use."""

    def __missing__(self, code: int) -> str:
        self[code] = folded = unicodedata.normalize("NFKC", chr(code)).lower()
        return folded


_FOLD = _FoldTable()


def _combining_marks() -> frozenset[str]:
    """Every character with a non-zero canonical combining class (built once)."""
    return _once(
        "combining",
        lambda: frozenset(c for c in map(chr, range(0x110000)) if unicodedata.combining(c)),
    )


def _combining_pattern() -> re.Pattern[str]:
    """``_class_pattern`` of the combining marks (built once)."""
    return _once("combining-re", lambda: _class_pattern(_combining_marks()))


def _has_combining_mark(text: str) -> bool:
    """``not _combining_marks().isdisjoint(text)``, without hashing every character."""
    marks = _combining_marks()
    return any(m.group() in marks for m in _combining_pattern().finditer(text))


def _build_fold_map() -> _CharMap:
    changes: dict[str, str] = {}
    for c in map(chr, range(0x110000)):
        folded = unicodedata.normalize("NFKC", c).lower()  # what ``_FOLD`` holds for c
        if folded != c:
            changes[c] = folded
    return _CharMap(changes, _FOLD)


def _fold_map() -> _CharMap:
    """``text.translate(_FOLD)`` for every character that NFKC + lowercase changes.

    Built once per process from the whole of Unicode (~0.2 s, in ``warm_up``), so
    that no character the translate would change is missed.
    """
    return _once("fold", _build_fold_map)


def normalize_with_offsets(text: str) -> Normalized:
    """t2s, then NFKC width folding, then lowercase, keeping an offset map.

    NFKC and ``lower()`` can change length (``㎡`` -> ``m2``, ``İ`` -> ``i̇``), so
    they are applied per cluster (a base char and its combining marks) and every
    output char remembers the cluster it came from.
    """
    converted = t2s(text)
    if unicodedata.is_normalized("NFKC", converted):
        lowered = converted.lower()
        if len(lowered) == len(converted):
            return Normalized(lowered)
    if not _has_combining_mark(converted):
        # Every cluster is one char: fold them all at C speed (full-width ，：（） in
        # most captures made the loop below a tenth of the index time).
        folded = _fold_map()(converted)
        if len(folded) == len(converted):
            return Normalized(folded)
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
    return Normalized("".join(out), starts, ends)


def normalize(text: str) -> str:
    """The normalized form used for indexing and querying."""
    return normalize_with_offsets(text).text


# --- segmentation -------------------------------------------------------------------

# jieba's Han block (jieba/__init__.py ``re_han_default``): Tokenizer.cut splits its
# input at any character outside it, jieba-rs at a wider range (Ext. A, compatibility
# ideographs), so a run with such a character (〇, 㐀) goes to jieba itself.
_JIEBA_HAN_RE = re.compile("[\u4e00-\u9fd5]+")


def reference_cut(text: str) -> list[str]:
    """jieba's precise-mode words, HMM on: the reference segmentation (and baseline)."""
    return list(_get_tokenizer().cut(text, HMM=True))


def cut_han(run: str) -> list[str]:
    """jieba's words of one Han run, computed by rjieba where it is proven equal.

    rjieba (jieba-rs, same dictionary, same DAG + HMM algorithm) segments ~20x
    faster; tests/test_segmentation_equivalence.py proves its words equal jieba's
    on the seeds and on the generated benchmark corpus. jieba stays the reference
    and the fallback: without rjieba, or for runs outside jieba's Han block.
    """
    accelerated = _get_accelerator()
    if accelerated is not None and _JIEBA_HAN_RE.fullmatch(run):
        return accelerated(run)
    return list(_get_tokenizer().cut(run, HMM=True))


def dictionary_words() -> list[tuple[str, int]]:
    """jieba's dictionary words with their counts, commonest first (bench corpus)."""
    freq = _get_tokenizer().FREQ
    return sorted(((w, n) for w, n in freq.items() if n > 0), key=lambda item: (-item[1], item[0]))


# --- tokenization -------------------------------------------------------------------


class _Run(NamedTuple):
    kind: str  # "han" or "word"
    start: int  # offsets in the NORMALIZED text
    end: int
    gap: bool  # True if punctuation (or a blank line) separates it from the previous run


def _runs(normalized: str) -> Iterator[_Run]:
    """Han runs and word runs; punctuation and whitespace are dropped.

    Punctuation between runs breaks phrases (拎包，入住 is not "拎包入住"), plain
    whitespace does not: line-wrapped text and quotes stripped to spaces (seed 001,
    "科创中国 创新基地") still read as one sentence.
    """
    last = 0
    for m in _RUN_RE.finditer(normalized):
        sep = normalized[last : m.start()]
        gap = bool(sep.strip()) or sep.count("\n") >= 2
        yield _Run(m.lastgroup or "word", m.start(), m.end(), gap)
        last = m.end()


@lru_cache(maxsize=1 << 16)
def _subwords(word: str) -> tuple[str, ...]:
    """jieba search-mode sub-words: dictionary 2-grams (len > 2) and 3-grams (len > 3).

    Cached: a report repeats its words, an archive its vocabulary.
    """
    if len(word) < 3:
        return ()
    freq = _get_tokenizer().FREQ
    subs: list[str] = []
    for size in (2, 3):
        if len(word) > size:
            subs.extend(g for i in range(len(word) - size + 1) if freq.get(g := word[i : i + size]))
    return tuple(dict.fromkeys(s for s in subs if s != word))


def _token(norm: Normalized, start: int, end: int, pos: int) -> Token:
    """The token for normalized ``[start, end)``, with its original offsets."""
    return Token(norm.text[start:end], pos, *norm.span(start, end))


def _pieces(
    text: str, split_han: Callable[[str], Iterable[str]]
) -> Iterator[tuple[Normalized, int, int, int]]:
    """Word runs whole and Han runs split by ``split_han``, at ordinal positions.

    Yields (normalized text, start, end, position). One position is skipped at a
    punctuation gap, so no phrase spans it.
    """
    norm = normalize_with_offsets(text)
    pos = -1
    for run in _runs(norm.text):
        pos += 1 if run.gap and pos >= 0 else 0
        chunk = norm.text[run.start : run.end]
        offset = run.start
        for piece in [chunk] if run.kind == "word" else split_han(chunk):
            pos += 1
            yield norm, offset, offset + len(piece), pos
            offset += len(piece)


def tokenize(text: str, *, subwords: bool = True) -> list[Token]:
    """jieba tokens with ordinal positions and original-text offsets.

    Precise-mode words get consecutive positions; search-mode sub-words share
    their parent's position, so a query for 人才 finds 人才引进 while a phrase of
    precise words still matches. ``subwords=False`` (query mode): precise words only.
    """
    tokens: list[Token] = []
    for norm, start, end, pos in _pieces(text, cut_han):
        tokens.append(_token(norm, start, end, pos))
        if subwords:
            word = norm.text[start:end]
            for sub in _subwords(word):
                s = start + word.index(sub)
                tokens.append(_token(norm, s, s + len(sub), pos))
    return tokens


def gram_units(text: str) -> list[Token]:
    """Han characters one by one and word runs whole, with ordinal positions."""
    return [_token(*piece) for piece in _pieces(text, list)]


def grams(text: str) -> list[Token]:
    """Unigrams and bigrams of Han text (word runs whole) for the ``grams`` field.

    A bigram sits at its first character's position, so a phrase of overlapping
    bigrams is an exact substring match independent of jieba's segmentation, and a
    one-character query (房) finds every 房, which word tokens cannot.
    """
    units = gram_units(text)
    out: list[Token] = []
    for i, unit in enumerate(units):
        out.append(unit)
        if i + 1 < len(units):
            nxt = units[i + 1]
            if nxt.pos == unit.pos + 1 and is_han(unit.text) and is_han(nxt.text):
                out.append(Token(unit.text + nxt.text, unit.pos, unit.start, nxt.end))
    return out


# --- index terms: what the index stores, without offsets ------------------------------


@lru_cache(maxsize=4)
def _document_runs(text: str) -> tuple[tuple[str, bool, bool], ...]:
    """(chunk, is Han, gap before) per run of the normalized text.

    Cached because one report's text reaches the analyzer once per field (``text``
    and ``grams`` hold the same string): normalized and split once per report.
    """
    norm = normalize(text)
    return tuple((norm[r.start : r.end], r.kind == "han", r.gap) for r in _runs(norm))


def word_terms(text: str) -> list[tuple[str, int]]:
    """``tokenize(text)`` as (word, position) pairs, the index's view, built faster.

    No original-text offsets: the index stores positions only (search.schema).
    tests/test_segmentation_equivalence.py checks it equals ``tokenize``.
    """
    out: list[tuple[str, int]] = []
    pos = -1
    for chunk, han, gap in _document_runs(text):
        if gap and pos >= 0:
            pos += 1
        for word in cut_han(chunk) if han else (chunk,):
            pos += 1
            out.append((word, pos))
            out.extend((sub, pos) for sub in _subwords(word))
    return out


def precise_words(text: str) -> list[str]:
    """``[t.text for t in tokenize(text, subwords=False)]``, without building tokens.

    Keyword counting needs the words only (search.keywords); the equivalence is
    tested with ``word_terms``'.
    """
    words: list[str] = []
    for chunk, han, _gap in _document_runs(text):
        if han:
            words.extend(cut_han(chunk))
        else:
            words.append(chunk)
    return words


def gram_terms(text: str) -> list[tuple[str, int]]:
    """``grams(text)`` as (gram, position) pairs, built faster (see ``word_terms``)."""
    units: list[tuple[str, int, bool]] = []
    pos = -1
    for chunk, han, gap in _document_runs(text):
        if gap and pos >= 0:
            pos += 1
        if han:
            units.extend((ch, pos + i, True) for i, ch in enumerate(chunk, 1))
            pos += len(chunk)
        else:
            pos += 1
            units.append((chunk, pos, False))
    out: list[tuple[str, int]] = []
    for (unit, at, han), (nxt, nxt_at, nxt_han) in zip(units, units[1:], strict=False):
        out.append((unit, at))
        if han and nxt_han and nxt_at == at + 1:
            out.append((unit + nxt, at))
    if units:
        out.append(units[-1][:2])
    return out


def is_han(text: str) -> bool:
    """True if ``text`` is one or more Han characters only."""
    return bool(text) and _HAN_ONLY_RE.fullmatch(text) is not None


def finer_cut(word: str) -> list[str]:
    """jieba's best segmentation of ``word`` that does not keep it whole.

    A query word (泸州市) may be one token in the query but two in a document where
    context cut it differently (泸州 / 市); a phrase of the finer cut finds those.
    Returns ``[word]`` for single characters.
    """
    if len(word) < 2:
        return [word]
    tok = _get_tokenizer()
    dag = tok.get_DAG(word)
    dag[0] = [k for k in dag[0] if k != len(word) - 1] or [0]
    route: dict[int, tuple[float, int]] = {}
    tok.calc(word, dag, route)
    pieces, i = [], 0
    while i < len(word):
        j = route[i][1] + 1
        pieces.append(word[i:j])
        i = j
    return pieces
