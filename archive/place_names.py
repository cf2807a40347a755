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


_ADCODES: dict[str, str] = {}


def _adcodes_by_name() -> dict[str, str]:
    """Chinese name -> adcode for every province and city (search facets carry names);
    read once per process, but never kept empty (a database without its gazetteer yet)."""
    if not _ADCODES:
        from archive.models import City, Province

        _ADCODES.update(Province.objects.values_list("name", "adcode"))
        _ADCODES.update(City.objects.values_list("name", "adcode"))
    return _ADCODES


def name_in_reader_language(name: str, language: str | None = None) -> str:
    """A province's or city's stored Chinese ``name`` for a reader of ``language``."""
    if not is_english(language if language is not None else get_language()):
        return name
    adcode = _adcodes_by_name().get(name)
    return english_names().get(adcode, name) if adcode else name
