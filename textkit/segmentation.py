"""jieba's words: the reference segmentation, its rjieba fast path, finer cuts.

jieba 0.42.1 ``Tokenizer.tokenize(mode="search")``: sub-words are the 2- and
3-character dictionary words inside a longer word; reproduced in ``_subwords``.
"""

from __future__ import annotations

import re
from functools import lru_cache

from textkit.libraries import _get_accelerator, _get_tokenizer

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
