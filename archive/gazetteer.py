"""The national gazetteer: every province, prefecture and county, and a mention finder.

Pure Python (no Django) so the ingest pipeline, management commands and tests share
one cached instance built from ``fixtures/regions.json`` (see fixtures/README.md).

Mention finding is a dictionary scan, leftmost-longest over all aliases of all places
(about 4,000 keys, so no regex alternation), after folding the text: pinyin glosses
such as ``關(guān)`` skipped, then ``textkit.t2s`` (length-preserving), so
offsets still point into the raw text and mixed scripts match. Policy prose is full
of words that contain or equal place names, so aliases are chosen to keep false
positives rare (see ``_aliases``):

* provinces and prefectures: full name, short name (兰州), Traditional forms, and
  ``恩施州`` style forms for autonomous prefectures;
* counties: full name only (和平区, not 和平), plus ``长阳县`` for 长阳土家族自治县;
  the short name of a county-level city (昆山, 义乌), two-character full names
  (兴县 in 振兴县域) and descriptive ones (城区, 新城区) are *weak* aliases;
* a designation glued to the next word is not one: 河北区域 is 河北, 东方市场 no 东方市;
* prefecture short names that are everyday words (来宾, 安康, 朝阳, 大庆…) are weak too;
  a weak mention only counts where the document corroborates it (see places.py);
* a few non-place words (长治久安, 孙中山, 创新乡村…) are matched as blockers and dropped;
* a place inside an organisation's name (四川大学) is still reported here: places.py
  decides how much it counts.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Literal

from textkit import t2s

Level = Literal["province", "prefecture", "county"]
REGIONS_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "regions.json"
LEVEL_RANK = {"province": 0, "prefecture": 1, "county": 2}


def _words(text: str) -> list[str]:
    """Space-separated word lists keep the curated vocabularies below readable."""
    return text.split()


# Prefecture short names that are ordinary words, idioms' parts or famous other things.
COMMON_WORD_SHORT_NAMES = frozenset(
    _words(
        "来宾 安康 朝阳 大同 大庆 白银 阿里 中山 普洱 红河 玉树 黄山 海西 白山 四平 日照 北海 兴安"
    )
)
# County names that are descriptive words (城区 "urban area", 新城区 "new town").
GENERIC_DISTRICT_STEMS = frozenset(
    _words("城 郊 矿 东 西 新城 老城 城关 新市 市中 市南 市北 城中 城东 城西 城北")
)
# A designation glued to the next word is no name: 河北区|域, 振兴|县域, 东方市|场.
_GLUED = {"区": "域", "县": "域", "市": "场"}
# Non-place words containing a place alias; matched so the alias inside is skipped.
NON_PLACE_WORDS = tuple(
    _words(
        "长治久安 朝阳产业 孙中山 中山装 三明治 阿里巴巴 阿里云 北京时间 上海合作组织 "
        "延安精神 遵义会议 井冈山精神 大庆精神 海南航空 四川航空 山东航空 深圳航空 "
        "新乡村 新乡镇 新乡贤 大理石 盛大庆"
    )
)
# A pinyin gloss glued after a Han character: 關(guān), 現（xiàn）.
_GLOSS = re.compile(
    r"(?<=[\u3400-\u9fff])[(（][a-zA-Z\u00e0-\u00fc\u0100-\u01dc\u0300-\u036f]{1,7}[)）]"
)


@dataclass(frozen=True)
class Place:
    """One record of regions.json."""

    adcode: str
    name: str
    short_name: str
    level: Level
    parent: str | None
    pinyin: str
    slug: str
    trad_names: tuple[str, ...] = ()

    @property
    def is_county_city(self) -> bool:
        """A county-level city (昆山市), the only county that may stand for a city."""
        return self.level == "county" and self.name.endswith("市")


@dataclass(frozen=True)
class Mention:
    """A place named in a text; ``start``/``end`` index the raw text given."""

    place: Place
    surface: str
    start: int
    end: int
    candidates: tuple[Place, ...] = ()  # every place the alias may mean, best first
    weak: bool = False  # alias needs corroboration (county short name, common word)


@dataclass(frozen=True)
class _Alias:
    places: tuple[Place, ...]  # empty for a blocker
    weak: bool


def load_records(path: Path = REGIONS_PATH) -> list[dict]:
    """The raw records of regions.json."""
    return json.loads(path.read_text(encoding="utf-8"))


class Gazetteer:
    """Lookups over all places plus the mention finder, built once from the records."""

    def __init__(self, places: Iterable[Place]) -> None:
        self.places: tuple[Place, ...] = tuple(sorted(places, key=lambda p: p.adcode))
        self._by_code = {p.adcode: p for p in self.places}
        self._by_slug = {p.slug: p for p in self.places}
        self._children: dict[str, list[Place]] = defaultdict(list)
        for p in self.places:
            if p.parent:
                self._children[p.parent].append(p)
        self._names: dict[str, list[Place]] = defaultdict(list)
        for p in self.places:
            keys = {p.name, p.short_name, p.pinyin, p.slug, *p.trad_names}
            for key in keys | {self._fold(k)[0] for k in keys}:
                self._names[key].append(p)
        self._aliases = self._build_aliases()
        # Alias lengths by first two characters (every alias has two or more).
        self._lengths: dict[str, list[int]] = defaultdict(list)
        for key in self._aliases:
            self._lengths[key[:2]].append(len(key))
        for lengths in self._lengths.values():
            lengths.sort(reverse=True)
        # About 7 characters in 10 of a report start no alias: one regex search
        # jumps over them instead of a Python call per character.
        firsts = sorted({key[0] for key in self._lengths})
        self._starts = re.compile("[" + "".join(map(re.escape, firsts)) + "]")

    @classmethod
    def from_records(cls, records: Iterable[dict]) -> Gazetteer:
        fields = dict.fromkeys(Place.__dataclass_fields__)
        return cls(
            Place(**{**{k: r[k] for k in fields}, "trad_names": tuple(r["trad_names"])})
            for r in records
        )

    @staticmethod
    @cache
    def load_default() -> Gazetteer:
        """The gazetteer of fixtures/regions.json, built once per process."""
        return Gazetteer.from_records(load_records())

    # -- lookups -------------------------------------------------------------
    def get(self, adcode: str) -> Place | None:
        return self._by_code.get(adcode)

    def by_slug(self, slug: str) -> Place | None:
        return self._by_slug.get(slug)

    def lookup(self, name: str) -> list[Place]:
        """Places called ``name`` (full, short, Traditional, pinyin, slug or a finder
        alias such as 恩施州), best first."""
        name = name.strip()
        folded = self._fold(name)[0]
        alias = self._aliases.get(folded)
        found = self._names.get(name) or self._names.get(folded) or (alias.places if alias else ())
        return sorted(set(found), key=_rank)

    def parent(self, place: Place) -> Place | None:
        return self._by_code.get(place.parent) if place.parent else None

    def children(self, place: Place) -> list[Place]:
        return list(self._children.get(place.adcode, ()))

    def ancestors(self, place: Place) -> list[Place]:
        """Parent first, province last."""
        chain, current = [], self.parent(place)
        while current is not None:
            chain.append(current)
            current = self.parent(current)
        return chain

    def province_of(self, place: Place) -> Place:
        return ([place, *self.ancestors(place)])[-1]

    def city_of(self, place: Place) -> Place | None:
        """The city-level unit of a place: its prefecture, or a province-direct county."""
        if place.level == "province":
            return None
        if place.level == "prefecture" or self.parent(place).level == "province":
            return place
        return self.parent(place)

    # -- mention finding ------------------------------------------------------
    def find_mentions(self, text: str) -> list[Mention]:
        """Leftmost-longest mentions of places in ``text`` (raw offsets and surfaces)."""
        folded, index = self._fold(text)
        mentions, i = [], 0
        while (start := self._starts.search(folded, i)) is not None:
            i = start.start()
            hit = self._match_at(folded, i)
            if hit is None:
                i += 1
                continue
            length, alias = hit
            if alias.places:
                positions = index[i : i + length]
                surface = "".join(text[k] for k in positions)
                start, end = positions[0], positions[-1] + 1
                mentions.append(
                    Mention(alias.places[0], surface, start, end, alias.places, alias.weak)
                )
            i += length
        return mentions

    def _match_at(self, folded: str, i: int) -> tuple[int, _Alias] | None:
        for length in self._lengths.get(folded[i : i + 2], ()):
            key = folded[i : i + length]
            alias = self._aliases.get(key)
            if alias is not None and folded[i + length : i + length + 1] != _GLUED.get(key[-1]):
                return length, alias
        return None

    @staticmethod
    def _fold(text: str) -> tuple[str, list[int]]:
        """Text without pinyin glosses, in Simplified; and each char's raw index.

        ``textkit.t2s`` keeps the length of its input (and protects names
        such as 乾县), so the index survives the conversion.
        """
        glosses = list(_GLOSS.finditer(text))
        if not glosses:  # most lines: no character-by-character copy needed
            return t2s(text), list(range(len(text)))
        kept, pos = [], 0
        for gloss in [*glosses, None]:
            stop = gloss.start() if gloss else len(text)
            kept.extend(range(pos, stop))
            pos = gloss.end() if gloss else stop
        return t2s("".join(text[k] for k in kept)), kept

    def _build_aliases(self) -> dict[str, _Alias]:
        strong: dict[str, list[Place]] = defaultdict(list)
        weak: dict[str, list[Place]] = defaultdict(list)
        full_names = {p.name for p in self.places}
        for place in self.places:
            for alias, is_weak in _aliases(place, full_names):
                for form in (alias, *_trad_of(alias, place)):
                    target = weak if is_weak else strong
                    key = self._fold(form)[0]
                    if place not in target[key]:
                        target[key].append(place)
        table = {k: _Alias(tuple(sorted(v, key=_rank)), False) for k, v in strong.items()}
        for key, places in weak.items():
            table.setdefault(key, _Alias(tuple(sorted(places, key=_rank)), True))
        for word in NON_PLACE_WORDS:
            table[word] = _Alias((), False)
        return table


def _rank(place: Place) -> tuple[int, str]:
    return LEVEL_RANK[place.level], place.adcode


def _aliases(place: Place, full_names: set[str]) -> Iterator[tuple[str, bool]]:
    """(alias, weak) pairs for one place; the policy is in the module docstring."""
    name, short = place.name, place.short_name
    generic = place.level == "county" and (
        len(name) <= 2 or (name.endswith("区") and name[:-1] in GENERIC_DISTRICT_STEMS)
    )
    yield name, generic
    if short == name or len(short) < 2:
        return
    if place.level == "county":
        designation = {"自治县": "县", "自治旗": "旗"}.get(name[-3:])
        if designation and short + designation not in full_names:
            yield short + designation, False
        if place.is_county_city:
            yield short, True
        return
    yield short, place.level == "prefecture" and short in COMMON_WORD_SHORT_NAMES
    if name.endswith("自治州"):
        yield short + "州", False


def _trad_of(alias: str, place: Place) -> list[str]:
    """Traditional forms of ``alias`` taken from the place's own trad_names."""
    return [t for t in place.trad_names if len(t) == len(alias) and t != alias]
