"""Steps that cut noise out of a line and keep the rest of the sentence.

Injected gambling-site tokens ("B体育" inside "更有B体育力人才支撑" in 000), pinyin
glosses glued to Traditional characters ("關(guān)" in 004), the spurious comma before
another punctuation mark (",," ",、" ",。" in 004) and invisible characters.
"""

from __future__ import annotations

import re
from collections import Counter

from .clean_base import HAN, Lines, StepOutput, has_sentence_end, keyword_re, sub_lines

_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]+")


def strip_blank_lines(lines: Lines) -> StepOutput:
    """Strip each line (full-width spaces too, 001 pads with U+00A0) and drop empty ones."""
    stripped = (line.strip() for line in lines)
    return [line for line in stripped if line], []


_ODD_SPACE = re.compile("[\u00a0\u2000-\u200a\u202f\u205f]")


def normalize_spaces(lines: Lines) -> StepOutput:
    """Turn no-break and other odd spaces into plain ones (U+00A0 inside 001/002 headlines)."""
    return [_ODD_SPACE.sub(" ", line) for line in lines], []


def strip_invisible_chars(lines: Lines) -> StepOutput:
    """Remove zero-width spaces, BOMs and soft hyphens that web pages leave inside words."""
    return sub_lines(lines, _INVISIBLE)


# A short Latin/digit prefix glued to a betting word is a gambling brand ("B体育" in
# 000). Real words go on after 体育/娱乐 ("体育局", "娱乐场所"), so those are excluded.
_BET_TOKEN = keyword_re(
    "体育 娱乐 彩票 棋牌 真人 电竞 博彩",
    prefix=r"(?<![A-Za-z0-9])[A-Za-z0-9]{1,3}",
    suffix="(?!" + keyword_re("局 馆 场 课 中心 产业 事业 设施 赛事 彩票 总局").pattern + ")",
)
_SPAM_HEADER = keyword_re(
    "登录入口 官方网站 官网入口 官方入口 网页版 手机版 APP下载 app下载 官方app 官方APP"
)
_SEO_CHINA = re.compile(r"[(（]中[国國][)）]")
_BRAND = re.compile(r"^[^\s·・|｜\-—_(（:：]{2,12}")


def _spam_header_brand(line: str) -> str | None:
    """The brand opening a betting-site header such as "B体育·(中国)登录入口", if any.

    Only brands that look like gambling SEO count (Latin letters, a betting word or the
    "(中国)" suffix), so "兰州市人民政府官方网站" is left to the site-name rule.
    """
    if has_sentence_end(line) or len(line) > 40 or not _SPAM_HEADER.search(line):
        return None
    match = _BRAND.match(line)
    if not match or not re.search(f"[{HAN}]", match.group(0)):
        return None
    brand = match.group(0)
    if _SEO_CHINA.search(line) or _BET_TOKEN.search(brand) or re.search("[A-Za-z]", brand):
        return brand
    return None


def strip_gambling_spam(lines: Lines) -> StepOutput:
    """Drop betting-site title lines and their brand wherever it recurs (B体育 in 000)."""
    header = [(i, _spam_header_brand(line)) for i, line in enumerate(lines)]
    drop = {i for i, brand in header if brand}
    brands = {brand for _, brand in header if brand}
    kept = [line for i, line in enumerate(lines) if i not in drop]
    removed = [lines[i] for i in sorted(drop)]
    counts = Counter(m.group(0) for line in kept for m in _BET_TOKEN.finditer(line))
    brands.update(token for token, n in counts.items() if n >= 2)
    if not brands:
        return kept, removed
    pattern = re.compile("|".join(re.escape(b) for b in sorted(brands, key=len, reverse=True)))
    kept, tokens = sub_lines(kept, pattern)
    return kept, removed + tokens


_TONE = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"
_SYLLABLE = rf"(?:[a-zü]*[{_TONE}][a-zü]*|[a-zü]+[1-5])"
_PINYIN_GLOSS = re.compile(rf"(?<=[{HAN}])[(（]{_SYLLABLE}(?: {_SYLLABLE}){{0,3}}[)）]")


def strip_pinyin_glosses(lines: Lines) -> StepOutput:
    """Remove "(guān)"-style pinyin glued after a character ("關(guān)於", "復(fù)" in 004)."""
    return sub_lines(lines, _PINYIN_GLOSS)


_SPURIOUS_COMMA = re.compile(r"[,，](?=[,，、。；;！!？?])")


def collapse_doubled_punctuation(lines: Lines) -> StepOutput:
    """Remove a comma glued before another mark (",," ",、" ",。" throughout 004)."""
    return sub_lines(lines, _SPURIOUS_COMMA)
