"""Place names in the reader's language: Chinese as stored, or English.

The English names are generated once from the gazetteer into
``fixtures/place_names_en.json`` (``fixtures/build_english_names.py``: pinyin as
English readers write it, Xi'an, Lu'an, and the conventional forms, Inner
Mongolia, Hohhot, Urumqi). Chinese stays the default: any language that is not
English gets the stored name.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Protocol

from django.utils.translation import get_language

NAMES_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "place_names_en.json"


class Named(Protocol):
    adcode: str
    name: str


@cache
def english_names() -> dict[str, str]:
    """adcode -> English name, read once per process (about 100 KB)."""
    return json.loads(NAMES_PATH.read_text(encoding="utf-8"))


def is_english(language: str | None) -> bool:
    return (language or "").lower().startswith("en")


def place_name(place: Named | None, language: str | None = None) -> str:
    """``place``'s name for a reader of ``language`` (default: the active one)."""
    if place is None:
        return ""
    if is_english(language if language is not None else get_language()):
        return english_names().get(place.adcode) or place.name
    return place.name
