"""Detect the city and province a talent-policy report is about.

Why scores rather than "first place named": real reports name many places that are
not their subject — other cities listed for comparison (北京、上海、深圳…), partner
universities (四川大学), addresses, "上一篇/下一篇" links and site footers. So every
mention gets a weight, and the subject is the place with the most weight:

* a title mention weighs ``TITLE_WEIGHT`` body mentions;
* link, source and footer lines weigh nothing; mentions in a list of two or more
  different cities, glued to an organisation word (大学, 日报…) or followed by a
  street number weigh a fraction;
* weak aliases (昆山, 城区, 来宾…) count only if the document also names the same
  place, or its city, by a strong alias;
* a county counts toward its city; a county-level city (昆山市) becomes the city
  only when it carries ``COUNTY_DOMINANCE`` of its prefecture's weight;
* a province in the title keeps the city inside that province; a provincial report
  (province in the title, or more 我省/全省 than 我市/全市, and no city in the
  title) has a city only if one carries half the city weight;
* a city needs ``MIN_SCORE``, or one strong naming when the text says 我市/本市/全市;
  without a city in the title it also needs ``ROUNDUP_SHARE`` of the city weight
  and a ``CLEAR_LEAD`` over the runner-up (a round-up of many cities has none);
* province = the city's province, else the best-weighted province.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace

from archive.gazetteer import Gazetteer, Mention, Place
from textkit import t2s

TITLE_WEIGHT = 10.0
LEDE_WEIGHT = 2.0
LIST_FACTOR = 0.25
ORG_FACTOR = 0.25
ADDRESS_FACTOR = 0.1
MIN_SCORE = 2.0
COUNTY_DOMINANCE = 0.6
PROVINCIAL_SHARE = 0.5
ROUNDUP_SHARE = 0.3  # no city in the title: the best must carry this share (多地…)
CLEAR_LEAD = 1.25  # ... and lead the runner-up by this factor

_CHROME_START = re.compile(
    r"\s*(?:上一篇|下一篇|上一条|下一条|上篇|下篇|相关(?:阅读|新闻|文章|链接|推荐|报道)|"
    r"推荐阅读|延伸阅读|热点(?:新闻|推荐)|热门(?:推荐|文章)|猜你喜欢|本文地址|原文(?:链接|地址)|"
    r"版权|copyright|©|分享到|主办单位|承办单位|联系(?:我们|方式|电话|地址)|通讯地址|"
    r"(?:责任编辑|责编|编辑|审核|校对|来源|稿源|作者|地址|电话|传真|邮箱|邮编|网址)\s*[:：])",
    re.IGNORECASE,
)
_CHROME_ANYWHERE = re.compile(
    r"[当當]前的?位置|您的位置|ICP[备備]|版[权權]所有|All Rights Reserved", re.IGNORECASE
)
_LIST_GAP = re.compile(r"\s*(?:[、，,/／]|和|与|及|以及|或)\s*")
# 四川大学, 上海交通大学, 内蒙古日报: the name belongs to an organisation.
_ORG_AFTER = re.compile(
    r"[\u4e00-\u9fff]{0,4}?(?:大学|学院|研究院|日报|晚报|银行|电视台|新闻网|航空|证券|交易所)"
)
_ADDRESS_AFTER = re.compile(r"[^，。；;,\n]{0,20}?\d+\s*号")
_SELF_CITY = re.compile(r"[我本全]市")  # the author is a city: one naming is enough
_SELF_PROVINCE = re.compile(r"[我本全]省")


@dataclass(frozen=True)
class PlaceDetection:
    """The detected city and province, each with evidence shown to analysts."""

    city: Place | None
    province: Place | None
    city_evidence: str = ""
    province_evidence: str = ""


@dataclass(frozen=True)
class WeightedMention:
    """A mention with the weight it lends its place and, if reduced, why."""

    mention: Mention
    weight: float
    in_title: bool
    reason: str = ""


@dataclass
class _Tally:
    city: Counter = field(default_factory=Counter)  # prefecture or province-direct county
    county: Counter = field(default_factory=Counter)  # county-level cities, own weight
    province: Counter = field(default_factory=Counter)
    title_city: Counter = field(default_factory=Counter)
    title_provinces: set = field(default_factory=set)
    credited: dict = field(default_factory=lambda: defaultdict(list))  # place -> [(wm, place)]
    min_score: float = MIN_SCORE
    provincial: bool = False  # title or self-references (我省) speak for a province


def detect_place(
    *,
    title: str,
    text: str,
    gazetteer: Gazetteer | None = None,
    issuer: str = "",
    site: str = "",
) -> PlaceDetection:
    """City and province of a report: the issuer's city first (a 绍兴 notice sending
    cadres to 阿克苏 is 绍兴's), then title and body mentions, then the publishing
    site's name when the text names no city at all."""
    gaz = gazetteer or Gazetteer.load_default()
    own = _mentions_only(issuer, gaz) if issuer else None
    if own is not None:
        return _from_name(own, issuer, "发文机关", gaz)
    found = _detect_in_text(title=title, text=text, gaz=gaz)
    if found.city is None and site:
        own = _mentions_only(site, gaz)
        if own is not None:
            return _from_name(own, site, "来源网站", gaz)
    return found


def _mentions_only(name: str, gaz: Gazetteer) -> Place | None:
    """The city a short name (an issuer, a site) belongs to, if it names exactly one."""
    found = _detect_in_text(title=name, text="", gaz=gaz)
    return found.city


def _from_name(city: Place, name: str, label: str, gaz: Gazetteer) -> PlaceDetection:
    province = gaz.province_of(city)
    return PlaceDetection(
        city,
        province,
        f"城市取自{label}：{name} / city of the {'issuer' if label == '发文机关' else 'site'}",
        f"省份取自上级行政区：{province.name}",
    )


def _detect_in_text(*, title: str, text: str, gaz: Gazetteer) -> PlaceDetection:
    tally = _tally(_resolve(weigh_mentions(title=title, text=text, gazetteer=gaz), gaz), gaz)
    city_refs, province_refs = len(_SELF_CITY.findall(text)), len(_SELF_PROVINCE.findall(text))
    tally.min_score = 1.0 if city_refs else MIN_SCORE
    tally.provincial = not tally.title_city and (
        bool(tally.title_provinces) or province_refs > city_refs
    )
    city = _choose_city(tally, gaz)
    if city is not None:
        province = gaz.province_of(city)
        return PlaceDetection(
            city, province, _city_evidence(city, tally), f"省份取自上级行政区：{province.name}"
        )
    province, evidence = _choose_province(tally, gaz)
    return PlaceDetection(None, province, "", evidence)


def weigh_mentions(*, title: str, text: str, gazetteer: Gazetteer) -> list[WeightedMention]:
    """Every place mention in title and body with its weight (body offsets kept).

    The lede (the first line of prose) names what a story or notice is about, so its
    mentions weigh ``LEDE_WEIGHT``: "无锡…梁溪区出台…" before "此前…重庆市渝中区…".
    """
    weighted = _weigh_line(title, 0, gazetteer, in_title=True)
    lines = text.splitlines(keepends=True)
    offset, lede = 0, sum(1 for line in lines if len(line.strip()) >= 20) >= 2
    for line in lines:
        scale = LEDE_WEIGHT if lede and len(line.strip()) >= 20 else 1.0
        weighted += _weigh_line(line, offset, gazetteer, in_title=False, scale=scale)
        lede = lede and scale == 1.0
        offset += len(line)
    return _corroborate(weighted, gazetteer)


def _weigh_line(
    line: str, offset: int, gaz: Gazetteer, *, in_title: bool, scale: float = 1.0
) -> list[WeightedMention]:
    """Weights of one line's mentions; ``offset`` maps them back onto the whole text.

    A place written right before the place inside it ("重庆市渝中区", "广东省深圳市")
    is one reference: each of the two gets half its weight.
    """
    mentions = gaz.find_mentions(line)
    listed = _listed(line, mentions, gaz)
    chrome = not in_title and _is_chrome(line)
    scale = TITLE_WEIGHT if in_title else scale
    weighted = []
    for k, m in enumerate(mentions):
        factor, reason = (0.0, "链接或页脚") if chrome else _context(line, m)
        adjacent = (k + 1 < len(mentions) and mentions[k + 1].start == m.end) or (
            k > 0 and mentions[k - 1].end == m.start
        )
        if adjacent and factor:
            factor, reason = factor * 0.5, "连写地名"
        elif k in listed and factor:
            factor, reason = factor * LIST_FACTOR, "列举"
        moved = replace(m, start=m.start + offset, end=m.end + offset)
        weighted.append(WeightedMention(moved, scale * factor, in_title, reason))
    return weighted


def _is_chrome(line: str) -> bool:
    """Link, source, contact and footer lines: they name other pages' places."""
    return bool(_CHROME_START.match(t2s(line[:12])) or _CHROME_ANYWHERE.search(line))


def _context(line: str, m: Mention) -> tuple[float, str]:
    """Weight factor from what follows the mention: an organisation or an address."""
    after = t2s(line[m.end : m.end + 30])
    if _ORG_AFTER.match(after):
        return ORG_FACTOR, "机构名"
    if _ADDRESS_AFTER.match(after):
        return ADDRESS_FACTOR, "地址"
    return 1.0, ""


def _listed(line: str, mentions: list[Mention], gaz: Gazetteer) -> set[int]:
    """Indexes of mentions in runs (A、B、C) naming two or more different cities."""
    listed: set[int] = set()
    run = [0] if mentions else []
    for k in range(1, len(mentions) + 1):
        joined = k < len(mentions) and _LIST_GAP.fullmatch(
            line[mentions[k - 1].end : mentions[k].start]
        )
        if joined:
            run.append(k)
            continue
        units = {gaz.city_of(mentions[j].place) or mentions[j].place for j in run}
        if len(units) >= 2:
            listed.update(run)
        run = [k]
    return listed


def _corroborate(weighted: list[WeightedMention], gaz: Gazetteer) -> list[WeightedMention]:
    """Zero the weak mentions whose place (or its city) is not named strongly."""
    strong: set[Place] = set()
    for wm in weighted:
        if wm.weight > 0 and not wm.mention.weak:
            for place in wm.mention.candidates:
                strong.update({place, gaz.city_of(place) or place})
    return [
        wm
        if not wm.mention.weak
        or any(p in strong or gaz.city_of(p) in strong for p in wm.mention.candidates)
        else replace(wm, weight=0.0, reason="未佐证的简称")
        for wm in weighted
    ]


def _single(m: Mention) -> Place | None:
    """The one place a mention means, treating 北京 (province + its twin city) as the city."""
    if len(m.candidates) == 1:
        return m.candidates[0]
    first, second = m.candidates[:2]
    if len(m.candidates) == 2 and second.parent == first.adcode and second.name == first.name:
        return second
    return None


def _resolve(
    weighted: list[WeightedMention], gaz: Gazetteer
) -> list[tuple[WeightedMention, Place]]:
    """Choose a place for each weighted mention; ambiguous names follow the context."""
    base: Counter = Counter()
    for wm in weighted:
        if wm.weight > 0 and (place := _single(wm.mention)):
            base[place] += wm.weight
    resolved = []
    for wm in weighted:
        place = _single(wm.mention) or _by_context(wm.mention.candidates, base, gaz)
        if place is not None and wm.weight > 0:
            resolved.append((wm, place))
    return resolved


def _by_context(candidates: tuple[Place, ...], base: Counter, gaz: Gazetteer) -> Place | None:
    """The candidate whose own or ancestors' unambiguous weight is largest.

    With no support at all a province beats lower levels (吉林, 海南); two places of
    the same level (朝阳区 in 北京 and 长春) with no context are left unresolved.
    """

    def support(place: Place) -> float:
        lineage = [a for a in gaz.ancestors(place) if a not in candidates]
        return base[place] + sum(base[a] for a in lineage)

    best = max(candidates, key=lambda p: (support(p), -len(gaz.ancestors(p))))
    if support(best) > 0:
        return best
    if candidates[0].level == "province" and candidates[1].level != "province":
        return candidates[0]
    return None


def _tally(resolved: list[tuple[WeightedMention, Place]], gaz: Gazetteer) -> _Tally:
    tally = _Tally()
    for wm, place in resolved:
        if place.level == "province":
            tally.province[place] += wm.weight
            tally.credited[place].append((wm, place))
            if wm.in_title:
                tally.title_provinces.add(place)
            continue
        city = gaz.city_of(place)
        tally.city[city] += wm.weight
        tally.credited[city].append((wm, place))
        if wm.in_title and not wm.reason:
            tally.title_city[city] += wm.weight
        if place.is_county_city and place != city:
            tally.county[place] += wm.weight
            tally.credited[place].append((wm, place))
    return tally


def _choose_city(tally: _Tally, gaz: Gazetteer) -> Place | None:
    scores = dict(tally.city)
    inside = {c: s for c, s in scores.items() if gaz.province_of(c) in tally.title_provinces}
    scores = inside or scores
    titled = {c: s for c, s in scores.items() if tally.title_city[c]}
    scores = titled or scores  # the headline names the subject, however often others occur
    if not scores:
        return None
    best = max(scores, key=lambda c: (scores[c], tally.title_city[c], -_first(tally, c)))
    if scores[best] < tally.min_score:
        return None
    share = PROVINCIAL_SHARE if tally.provincial else 0.0 if tally.title_city else ROUNDUP_SHARE
    if scores[best] < share * sum(scores.values()):
        return None
    runner_up = max((s for c, s in scores.items() if c != best), default=0.0)
    if not tally.title_city and scores[best] < CLEAR_LEAD * runner_up:
        return None
    counties = [k for k in tally.county if gaz.city_of(k) == best]
    for county in sorted(counties, key=lambda k: -tally.county[k]):
        weight = tally.county[county]
        if weight >= tally.min_score and weight >= COUNTY_DOMINANCE * scores[best]:
            return county
    return best


def _first(tally: _Tally, place: Place) -> int:
    """Order of the first credited mention (title first), to break ties."""
    return min((not wm.in_title, wm.mention.start) for wm, _ in tally.credited[place])[1]


def _city_evidence(city: Place, tally: _Tally) -> str:
    items = tally.credited[city]
    titled = [(wm, p) for wm, p in items if wm.in_title]
    if titled:
        return f"城市取自标题：{_label(*titled[0], city)}"
    direct = [wm for wm, p in items if p == city]
    if direct:
        surface = Counter(wm.mention.surface for wm in direct).most_common(1)[0][0]
        return f"城市取自正文：{surface}（提及{len(direct)}次）"
    return f"城市取自正文所提区县：{_label(*items[0], city)}"


def _label(wm: WeightedMention, place: Place, city: Place) -> str:
    surface = wm.mention.surface
    return surface if place == city else f"{surface}（属{city.name}）"


def _choose_province(tally: _Tally, gaz: Gazetteer) -> tuple[Place | None, str]:
    """Without a city: direct province mentions, plus half the weight of its cities."""
    scores: Counter = Counter(tally.province)
    for city, weight in tally.city.items():
        scores[gaz.province_of(city)] += weight / 2
    best = max(scores, key=scores.__getitem__, default=None)
    if best is None or scores[best] < MIN_SCORE:
        return None, ""
    runner_up = max((s for p, s in scores.items() if p != best), default=0.0)
    if best not in tally.title_provinces and scores[best] < CLEAR_LEAD * runner_up:
        return None, ""
    direct = tally.credited.get(best, [])
    if best in tally.title_provinces:
        return best, f"省份取自标题：{next(wm for wm, _ in direct if wm.in_title).mention.surface}"
    if direct:
        surface = Counter(wm.mention.surface for wm, _ in direct).most_common(1)[0][0]
        return best, f"省份取自正文：{surface}（提及{len(direct)}次）"
    names = "、".join(c.name for c in tally.city if gaz.province_of(c) == best)
    return best, f"省份取自正文所提城市：{names}"
