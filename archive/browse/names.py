"""The city filter: one rule for the ``?q=`` form and for static/js/city-filter.js.

A query with Han characters matches a substring of any name, Simplified or
Traditional (兰州, 蘭州 and 兰州市 all find 兰州市); a Latin query matches the start
of the pinyin or slug (``lanzhou``, ``Lan Zhou``). The JavaScript copy of this rule
reads the same keys from ``data-names`` / ``data-pinyin`` attributes, which the
template fills from :func:`name_keys` and :func:`pinyin_keys`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import replace
from typing import Protocol, TypeVar

from textkit import HAN, t2s

MAX_QUERY = 40
# Separators people type inside pinyin: spaces, apostrophes (xi'an), hyphens, dots.
_SEPARATORS_RE = re.compile(r"[\s'’\-·.]+")
_HAN_RE = re.compile(f"[{HAN}]")


class Place(Protocol):
    name: str
    short_name: str
    pinyin: str
    slug: str
    trad_names: list[str]


def normalize_query(raw: str | None) -> str:
    """The query as matched: width-folded, lowercase, separators removed, capped."""
    text = unicodedata.normalize("NFKC", (raw or "")[: MAX_QUERY * 4])
    text = "".join(ch for ch in text if ch.isprintable())
    return _SEPARATORS_RE.sub("", text.lower())[:MAX_QUERY]


def name_keys(place: Place) -> list[str]:
    """Every written name of a place, Simplified and Traditional."""
    return list(dict.fromkeys([place.name, place.short_name, *place.trad_names]))


def pinyin_keys(place: Place) -> list[str]:
    return list(dict.fromkeys([place.pinyin.lower(), place.slug.lower()]))


def place_matches(query: str, place: Place) -> bool:
    """True if the normalized ``query`` finds ``place`` (empty finds everything)."""
    if not query:
        return True
    if _HAN_RE.search(query):
        simplified = t2s(query)
        return any(query in name or simplified in name for name in name_keys(place))
    return any(key.startswith(query) for key in pinyin_keys(place))


class Group(Protocol):
    province: Place
    cities: list


G = TypeVar("G", bound=Group)


def filter_groups(groups: Iterable[G], query: str) -> list[G]:
    """Province groups narrowed to the matching cities; a matching province keeps all."""
    kept: list[G] = []
    for group in groups:
        if place_matches(query, group.province):
            kept.append(group)
            continue
        cities = [row for row in group.cities if place_matches(query, row.city)]
        if cities:
            kept.append(replace(group, cities=cities))
    return kept
