"""Near-duplicate detection: the same article captured on another site.

Two captures of one article share almost all of their body text but differ in
what the cleaner could not remove (a site's own byline, an editor line, a
"相关阅读" block) or in a paragraph one site cut. Exact fingerprints
(``dedup.text_hash``) miss them; a resemblance estimate catches them.

Method: bottom-k MinHash (Broder 1997, "On the resemblance and containment of
documents"; the bottom-k estimator of Cohen & Kaplan 2007) over character
5-shingles of the normalized text (``dedup.fingerprint_text``: NFKC,
Traditional -> Simplified, letters and digits only), so punctuation, spacing and
script differences do not count. Each shingle is hashed once (64-bit BLAKE2b)
and the sketch keeps the K smallest hashes: one pass, no K hash functions, so a
50,000-character report is sketched in milliseconds. For texts with fewer than
K shingles the sketch is the whole set and the estimate is the exact Jaccard
index. With K = 128 the standard error at J = 0.5 is about 0.045.

Pure: no Django. The service stores the sketch with the report (as hex in
``evidence``) and compares a new upload against every stored sketch, which
costs K set operations per report: about 50 ms for 10,000 reports.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass
from hashlib import blake2b

from archive.ingest.dedup import fingerprint_text

SHINGLE = 5
K = 128
#: estimated Jaccard resemblance at or above which staff are told "possible duplicate".
#: Different seeds score below 0.02 against each other; a seed and the same seed
#: with another site's chrome or a paragraph cut score above 0.8 (tests/ingest/
#: test_neardup.py).
THRESHOLD = 0.6
_HEX = 16  # characters per 64-bit hash
_from_bytes = int.from_bytes  # one lookup, not one per shingle


@dataclass(frozen=True)
class NearMatch:
    """The most similar earlier report and the estimated resemblance (0..1)."""

    report_id: int
    score: float


def shingles(text: str, size: int = SHINGLE) -> set[str]:
    """Character shingles of the normalized text; a short text is one shingle."""
    return _folded_shingles(fingerprint_text(text), size)


def _folded_shingles(folded: str, size: int) -> set[str]:
    if len(folded) <= size:
        return {folded} if folded else set()
    return {folded[i : i + size] for i in range(len(folded) - size + 1)}


def sketch(text: str, k: int = K) -> tuple[int, ...]:
    """The k smallest shingle hashes, ascending (the bottom-k MinHash sketch)."""
    return sketch_folded(fingerprint_text(text), k)


def sketch_folded(folded: str, k: int = K) -> tuple[int, ...]:
    """``sketch`` of a text whose ``dedup.fingerprint_text`` is ``folded`` (the
    pipeline folds once for the exact hash and the sketch)."""
    hashes = {
        _from_bytes(blake2b(s.encode("utf-8"), digest_size=8).digest(), "big")
        for s in _folded_shingles(folded, SHINGLE)
    }
    return tuple(sorted(heapq.nsmallest(k, hashes)))


def resemblance(a: tuple[int, ...], b: tuple[int, ...], k: int = K) -> float:
    """Estimated Jaccard index of the two shingle sets from their sketches.

    Of the k smallest hashes of the union, the fraction present in both sketches
    (a hash of the union's bottom k that is in a set is in that set's sketch).
    """
    if not a or not b:
        return 0.0
    union = heapq.nsmallest(k, set(a) | set(b))
    both = set(a) & set(b)
    return sum(1 for h in union if h in both) / len(union)


def best_match(
    candidate: tuple[int, ...], stored: Iterable[tuple[int, tuple[int, ...]]]
) -> NearMatch | None:
    """The stored (report_id, sketch) most like ``candidate`` if it reaches THRESHOLD;
    the lowest id wins ties (the earliest capture is the one to link to). Scores are
    compared before they are rounded for the answer, so the order of ``stored``
    never decides (two close scores can round to one value)."""
    best: tuple[float, int] | None = None
    for report_id, other in stored:
        score = resemblance(candidate, other)
        if score < THRESHOLD:
            continue
        if best is None or score > best[0] or (score == best[0] and report_id < best[1]):
            best = (score, report_id)
    return None if best is None else NearMatch(best[1], round(best[0], 3))


def to_hex(signature: tuple[int, ...]) -> str:
    """Compact storage form: 16 hex digits per hash (2 KB for K = 128)."""
    return "".join(f"{h:016x}" for h in signature)


def from_hex(value: object) -> tuple[int, ...]:
    """Parse ``to_hex`` output; anything else (missing, damaged) is an empty sketch."""
    if not isinstance(value, str) or len(value) % _HEX:
        return ()
    try:
        return tuple(int(value[i : i + _HEX], 16) for i in range(0, len(value), _HEX))
    except ValueError:
        return ()
