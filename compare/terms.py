"""Term usage: occurrences per 10,000 characters, by city and by year.

Counting runs on normalized text (textkit.normalize: Traditional →
Simplified, width folding), so 人才公寓 counts 人才公寓 and 人才公寓's Traditional
form alike. Pure: texts in, rates out.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from textkit import normalize

PER = 10_000
MAX_TERMS = 5
MAX_TERM_CHARS = 20


@dataclass(frozen=True)
class TermText:
    city: str
    year: int | None
    text: str


def parse_terms(raw: str) -> list[str]:
    """Terms typed by the analyst: separated by spaces or commas, deduplicated."""
    for sep in "，,、;；":
        raw = raw.replace(sep, " ")
    terms = [t.strip()[:MAX_TERM_CHARS] for t in raw.split() if t.strip()]
    return list(dict.fromkeys(terms))[:MAX_TERMS]


def term_rates(texts: Iterable[TermText], terms: list[str]) -> dict:
    """{"by_city": {term: {city: rate}}, "by_year": {term: {city: {year: rate}}}}."""
    chars: dict[str, int] = defaultdict(int)
    year_chars: dict[tuple[str, int], int] = defaultdict(int)
    hits: dict[tuple[str, str], int] = defaultdict(int)
    year_hits: dict[tuple[str, str, int], int] = defaultdict(int)
    needles = {term: normalize(term) for term in terms}
    for item in texts:
        body = normalize(item.text)
        chars[item.city] += len(body)
        if item.year is not None:
            year_chars[item.city, item.year] += len(body)
        for term, needle in needles.items():
            count = body.count(needle) if needle else 0
            hits[term, item.city] += count
            if item.year is not None:
                year_hits[term, item.city, item.year] += count
    by_city = {
        term: {city: _rate(hits[term, city], n) for city, n in chars.items()} for term in terms
    }
    by_year: dict = {term: defaultdict(dict) for term in terms}
    for (city, year), n in sorted(year_chars.items()):
        for term in terms:
            by_year[term][city][year] = _rate(year_hits[term, city, year], n)
    return {"by_city": by_city, "by_year": {t: dict(v) for t, v in by_year.items()}}


def _rate(count: int, chars: int) -> float:
    return round(count * PER / chars, 3) if chars else 0.0
