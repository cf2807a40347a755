"""The one form of a 发文机关 or 文号 in the index and in a filter.

Exact fields match whole values, so the index and the query must agree on the
form: Traditional folds to Simplified (seed 004's 瀘州市人力資源和社會保障局 is
found by 泸州市人力资源和社会保障局, and the other way round), NFKC folds
full-width letters and digits, spaces go, and a 文号's year brackets, written
〔〕, ﹝﹞, [], ［］ or () by different offices (labelled 12 and 14), become 〔〕.
"""

from __future__ import annotations

import re
import unicodedata

import textkit

#: the exact fields whose values are folded before indexing and filtering.
FOLDED = ("issuer", "doc_number")
_OPENING = re.compile(r"[﹝\[［(（【]")
_CLOSING = re.compile(r"[﹞\]］)）】]")
_SPACE = re.compile(r"\s+")


def fold(name: str, value: str) -> str:
    """``value`` as the index holds it for field ``name`` (others unchanged)."""
    if name not in FOLDED:
        return value
    folded = _SPACE.sub("", textkit.t2s(unicodedata.normalize("NFKC", value)))
    if name == "doc_number":
        folded = _CLOSING.sub("〕", _OPENING.sub("〔", folded))
    return folded
