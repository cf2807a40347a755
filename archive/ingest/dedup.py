"""Exact-duplicate fingerprint of a report's clean text.

Two captures of the same article differ in whitespace, full/half-width forms and
punctuation (seed 004 doubles commas), so the fingerprint keeps only letters and
digits after NFKC folding and Traditional→Simplified normalization.
"""

from __future__ import annotations

import hashlib
import unicodedata

from textkit import t2s


def fingerprint_text(clean_text: str) -> str:
    folded = t2s(unicodedata.normalize("NFKC", clean_text)).lower()
    kept = "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")
    return kept


def text_hash(clean_text: str) -> str:
    return hashlib.sha256(fingerprint_text(clean_text).encode("utf-8")).hexdigest()
