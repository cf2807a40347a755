"""Exact-duplicate fingerprint of a report's clean text.

Two captures of the same article differ in whitespace, full/half-width forms and
punctuation (seed 004 doubles commas), so the fingerprint keeps only letters and
digits after NFKC folding and Traditional→Simplified normalization.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from textkit import t2s

#: runs of letters and digits: ``[^\W_]`` is exactly Unicode categories L* and N*
#: (checked over every code point), matched in C instead of a per-character
#: ``unicodedata.category`` call (a tenth of the pipeline on plain-text reports).
_LETTERS_DIGITS = re.compile(r"[^\W_]+")


def fingerprint_text(clean_text: str) -> str:
    folded = t2s(unicodedata.normalize("NFKC", clean_text)).lower()
    return "".join(_LETTERS_DIGITS.findall(folded))


def text_hash(clean_text: str) -> str:
    return hash_fingerprint(fingerprint_text(clean_text))


def hash_fingerprint(folded: str) -> str:
    """``text_hash`` of a text whose ``fingerprint_text`` is ``folded``: the pipeline
    folds once for both the exact hash and the near-duplicate sketch."""
    return hashlib.sha256(folded.encode("utf-8")).hexdigest()
