"""Distinctive keywords: the terms that set one city's reports apart from the archive.

Pure functions over the tokens of ``textkit`` (the one jieba/OpenCC analyzer),
so a keyword is the same normalized word the index and the query parser see: a
Traditional report (seed 004) contributes Simplified terms, and 瀘州 counts as 泸州.

Scoring is TF-IDF with a sublinear term frequency, ``(1 + ln tf) * ln(N / df)``
(Manning, Raghavan & Schütze, *Introduction to Information Retrieval*, §6.4.1):
a word found in every report (人才, 发展) scores zero however often it is used, and
one long report cannot win on sheer repetition. The IDF is computed against the
whole archive, never a general-language corpus, because what is generic here is
domain vocabulary (人才, 引进, 平台) that a general corpus would call rare.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from textkit.normalization import normalize
from textkit.terms import precise_words
from textkit.tokens import Token, is_han, tokenize

#: Function words, time words and report boilerplate that are frequent in Chinese
#: prose whatever the topic. With few reports per city they would otherwise pass as
#: "distinctive" only because one press conference says 大家 and 今天 (seed 000).
_STOPWORD_TEXT = """
    我们 你们 他们 她们 它们 大家 自己 这个 那个 这些 那些 这样 那样 这里 那里 这种
    一个 一些 一批 一家 一是 二是 三是 四是 五是 两个 三个 几个 各个 每个 一次 一方面
    今天 今年 去年 明年 目前 现在 当前 近年来 近年 以来 同时 此外 另外 之外 其中 以及
    根据 按照 通过 对于 关于 围绕 为了 由于 因为 所以 但是 而且 并且 或者 还是 如果
    已经 正在 进一步 不断 持续 全面 积极 主动 认真 切实 扎实 有效 充分 重要 主要
    方面 情况 问题 工作 有关 相关 进行 开展 加强 推进 推动 实现 提供 给予 坚持
    感谢 谢谢 您好 各位 记者 朋友 下面 刚才 就是 这是 也是 还有 可以 能够 需要 没有
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

#: A policy package named by its article count and quoted: “黄金30条”, “人才改革25条”
#: (seed 003). jieba splits such a name into 黄金 / 30 / 条; it is re-joined from
#: tokens that touch in the text, between quotes, so 出台30条措施 is not a name.
NUMBERED_NAME_MAX_HAN = 8
NUMBERED_NAME_SUFFIXES = frozenset({"条", "项", "招"})
OPENING_QUOTES = frozenset("“「『《\"'")
CLOSING_QUOTES = frozenset("”」』》\"'")


@dataclass(frozen=True)
class Keyword:
    term: str
    score: float
    count: int


@dataclass(frozen=True)
class CorpusStats:
    """Document frequencies over the archive: the denominator of every IDF."""

    documents: int
    df: dict[str, int]

    def idf(self, term: str) -> float:
        df = self.df.get(term, 0)
        if df <= 0 or self.documents <= 0:
            return 0.0
        return math.log(self.documents / df)


def is_candidate(word: str) -> bool:
    """A word worth counting: two or more Han characters, not a stopword."""
    return len(word) >= 2 and is_han(word) and word not in STOPWORDS


def numbered_names(text: str, tokens: Sequence[Token]) -> list[tuple[str, list[str]]]:
    """Quoted policy names like “黄金30条” rebuilt from the tokens of ``text``, each
    with the words before its number: ``[("黄金30条", ["黄金"])]``.

    Tokens are adjacent when one ends where the next starts in the text; the name
    must fill the quotes exactly, so 出台“黄金30条” gives 黄金30条, not 出台黄金30条.
    """
    names: list[tuple[str, list[str]]] = []
    for i, tok in enumerate(tokens):
        if not tok.text.isdigit() or i == 0 or i + 1 >= len(tokens):
            continue
        after = tokens[i + 1]
        if after.text not in NUMBERED_NAME_SUFFIXES or after.start != tok.end:
            continue
        head: list[str] = []
        j, start = i - 1, tok.start
        while j >= 0 and tokens[j].end == start and is_han(tokens[j].text):
            head.insert(0, tokens[j].text)
            start = tokens[j].start
            j -= 1
        quoted = (
            start > 0
            and text[start - 1] in OPENING_QUOTES
            and text[after.end : after.end + 1] in CLOSING_QUOTES
        )
        if head and quoted and sum(map(len, head)) <= NUMBERED_NAME_MAX_HAN:
            names.append(("".join(head) + tok.text + after.text, head))
    return names


_SUFFIX_RE = re.compile("|".join(map(re.escape, sorted(NUMBERED_NAME_SUFFIXES))))


def _may_hold_numbered_name(text: str) -> bool:
    """False only when ``numbered_names`` must find nothing: no opening quote, or no
    name suffix (条) right after a digit. Most reports fail it, and their words are
    then counted without building tokens with offsets (a third of an import's
    keyword time)."""
    if OPENING_QUOTES.isdisjoint(text):
        return False
    norm = normalize(text)
    return any(m.start() and norm[m.start() - 1].isdigit() for m in _SUFFIX_RE.finditer(norm))


def document_terms(text: str) -> Counter[str]:
    """Candidate terms of one document with their counts (normalized, Simplified).

    A word counted inside a numbered name (黄金 in 黄金30条) is not counted again
    on its own, so the name, not its first half, is what stands out.
    """
    if not _may_hold_numbered_name(text):
        return Counter(word for word in precise_words(text) if is_candidate(word))
    tokens = tokenize(text, subwords=False)
    counts: Counter[str] = Counter(t.text for t in tokens if is_candidate(t.text))
    for name, head in numbered_names(text, tokens):
        counts[name] += 1
        counts.subtract(word for word in head if word in counts)
    return +counts  # drops the words whose every use was inside a name


def corpus_stats(documents: Iterable[Counter[str]]) -> CorpusStats:
    """Document frequencies of every term over ``documents`` (one Counter each)."""
    df: Counter[str] = Counter()
    n = 0
    for terms in documents:
        n += 1
        df.update(terms.keys())
    return CorpusStats(documents=n, df=dict(df))


def distinctive_terms(
    terms: Counter[str],
    corpus: CorpusStats,
    *,
    exclude: Iterable[str] = (),
    limit: int = 12,
) -> list[Keyword]:
    """The ``limit`` highest-scoring terms of ``terms`` (a city's summed counts).

    ``exclude`` takes words that are distinctive but tell a reader nothing, such as
    the city's own name on its own page; they are normalized like the terms.
    """
    skip = {normalize(word) for word in exclude}
    scored = []
    idf = corpus.idf
    log = math.log
    for term, count in terms.items():
        if count <= 0 or term in skip:
            continue
        score = (1 + log(count)) * idf(term)
        if score > 0:
            scored.append((-round(score, 4), -count, term))
    # The ``limit`` smallest keys, as sorting all would give (a large city has
    # ~17,000 terms: a Keyword for each, then a full sort, was ~50 ms).
    return [Keyword(term, -score, -count) for score, count, term in heapq.nsmallest(limit, scored)]
