"""Title: the report's headline, and which rule found it.

1. the page's own title (HTML <title>/og:title, Markdown "# "), minus the
   "_栏目_网站名" / " - 网站名" tail sites append;
2. the clean text's first line when it surely reads as a headline (the cleaner
   keeps the headline once, as the first line): short, no comma, no final ？/！;
3. a line printed twice at the top of the raw text (seeds 002, 004: page title and
   article title both survive a copy-paste);
4. the clean text's first line read loosely (commas, a final ？/！ allowed);
5. a reply letter without a headline (seed 003): "关于《<the proposal's title>》的答复",
   built from the proposal the letter quotes ("您提出的《关于…的建议》已收悉"), in the
   letter's own script ("關於《…》的答復" for Traditional text);
6. the first headline-like line near the top.
A leading column tag such as "【锚定现代化 改革再深化】" (002) is moved to ``extra``.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from archive.ingest.metadata_text import (
    content_lines,
    find_line,
    is_org_name,
    is_traditional,
    looks_like_headline,
)
from archive.ingest.types import Detected

_TITLE_SEPARATOR = re.compile(r"\s*(?:_|\||｜|--+|——\s|\s[-–—－]\s)\s*")
_COLUMN_TAG = re.compile(r"^【([^】]{1,20})】\s*(?=\S{6,})")
_PROPOSAL = re.compile(
    r"《((?:关于|關於|关於|關于)[^《》]{2,120}?(?:建议|建議|提案|议案|議案|意见|意見))》"
)
_NUMBERED = re.compile(r"(第?\s*[A-Za-z]?\d{1,12}\s*[号號]\s*(?:建议|建議|提案|议案|議案))")
_REPLY_CUE = re.compile(r"提出的|收悉|答复如下|答復如下|办理|辦理")


def detect_title(*, raw: str, clean: str, title_hint: str | None) -> Detected[str]:
    """The headline, with the rule that found it as evidence.

    A candidate that is only an issuer's name (an <h1> "北京市人力资源和社会保障局"
    over the <h2> "关于印发…的通知") gives way to the headline under it.
    """
    clean_lines = content_lines(clean)
    raw_lines = content_lines(raw)
    found = (
        _from_original(title_hint, raw_lines)
        or _from_hint(title_hint, clean_lines)
        or _from_first_line(clean_lines, strict=True)
        or _from_repeated_line(raw_lines)
        or _from_first_line(clean_lines, strict=False)
        or _from_quoted_proposal(clean_lines or raw_lines)
        or _from_opening(clean_lines)
        or _from_top_lines(clean_lines)
        or Detected(None, "未找到标题 / no headline found")
    )
    return _past_issuer_name(found, clean_lines) or found


_ORIGINAL = re.compile(r"^(?:原标题|原標題|原题|原題)\s*[:：]\s*《?(?P<title>.+?)》?\s*$")
_NOT_LETTER = re.compile(r"[^\w]|_")


def _from_original(hint: str | None, raw_lines: list[str]) -> Detected[str] | None:
    """A syndicator's "原标题：…" line: the outlet's own headline, with the quotes a
    file name or front matter lost ("谁是_中部人口第一城_"), when it matches the hint."""
    for line in raw_lines:
        match = _ORIGINAL.match(line)
        if not match:
            continue
        title = strip_site_suffix(match.group("title"))
        if not hint or _letters(title) == _letters(hint) or _similar(title, hint):
            return _result(title, f"原标题：{line[:60]} / original headline", "original")
    return None


def _letters(text: str) -> str:
    return _NOT_LETTER.sub("", text)


def _similar(one: str, other: str) -> bool:
    return SequenceMatcher(None, _letters(one), _letters(other)).ratio() >= 0.8


_OPENING = re.compile(
    r"就(?P<subject>[^，,。；]{2,40}?)(?:[（(][^）)]*[）)])?[，,]\s*(?:现|特)?提出(?:以下|如下)"
    r"(?P<kind>实施意见|意见|措施)"
)


def _from_opening(clean_lines: list[str]) -> Detected[str] | None:
    """A 公文 body whose headline was not kept opens with "就推进X，提出以下实施意见":
    its headline is "关于推进X的实施意见" (the standard headline form)."""
    for line in clean_lines[:3]:
        match = _OPENING.search(line)
        if match:
            title = f"关于{match.group('subject')}的{match.group('kind')}"
            return _result(
                title, f"按公文开头拟定：{line[:50]} / built from the opening", "opening"
            )
    return None


_HEADLINE_SHAPE = re.compile(
    r"^(?:关于|關於)|《[^》]+》$|(?:通知|办法|辦法|意见|意見|细则|細則|规定|規定|方案)$"
)


def _past_issuer_name(found: Detected[str], clean_lines: list[str]) -> Detected[str] | None:
    if not found.value or not is_org_name(found.value):
        return None
    index = find_line(clean_lines[:6], found.value)
    start = 0 if index is None else index + 1
    for line in clean_lines[start : start + 3]:
        if _HEADLINE_SHAPE.search(line) and looks_like_headline(line):
            return _result(
                line,
                f"标题在发文机关“{found.value}”之下：{line} / headline under the issuer",
                "headline",
            )
    return None


def strip_site_suffix(title: str) -> str:
    """ "标题_新闻_每日甘肃网" -> "标题": the longest part (a site name is short)."""
    parts = [part for part in _TITLE_SEPARATOR.split(" ".join(title.split())) if part]
    return max(parts, key=len) if parts else ""


def _result(title: str, evidence: str, rule: str) -> Detected[str]:
    """Normalise spaces (no-break, ideographic) and move a leading 【column】 tag out
    of the headline into ``extra``."""
    extra: dict = {"rule": rule}
    title = " ".join(title.split())
    tag = _COLUMN_TAG.match(title)
    if tag:
        extra["column"] = tag.group(1)
        title = title[tag.end() :]
    return Detected(title, evidence, extra)


def _from_hint(hint: str | None, clean_lines: list[str]) -> Detected[str] | None:
    if not hint:
        return None
    normalized = " ".join(hint.split())
    parts = [p for p in _TITLE_SEPARATOR.split(normalized) if len(p) >= 4]
    repeated = [p for p in parts if any(p in line for line in clean_lines[:5])]
    title = max(repeated, key=len) if repeated else strip_site_suffix(normalized)
    if len(title) < 4:
        return None
    cut = "（已去掉网站名后缀）" if title != normalized else ""
    if clean_lines and find_line(clean_lines[:1], title) == 0:
        title, cut = clean_lines[0], f"{cut}（取正文中清理后的写法）"  # no pinyin glosses
    return _result(title, f"网页标题{cut}：{normalized} / page title", "page_title")


def _from_first_line(clean_lines: list[str], *, strict: bool) -> Detected[str] | None:
    if clean_lines and looks_like_headline(clean_lines[0], strict=strict):
        return _result(clean_lines[0], "正文首行标题 / first line of the clean text", "first_line")
    return None


def _from_repeated_line(raw_lines: list[str]) -> Detected[str] | None:
    top = raw_lines[:15]
    for index, line in enumerate(top):
        if line in top[index + 1 :] and looks_like_headline(line):
            return _result(line, f"页首重复出现的标题：{line} / headline printed twice", "repeated")
    return None


def _from_quoted_proposal(lines: list[str]) -> Detected[str] | None:
    """Title of a reply letter built from the proposal it answers (document it: the
    letter has no headline of its own; this names what it replies to)."""
    for line in lines[:8]:
        if not _REPLY_CUE.search(line):
            continue
        quoted, numbered = _PROPOSAL.search(line), _NUMBERED.search(line)
        if not (quoted or numbered):
            continue
        subject = f"《{quoted.group(1)}》" if quoted else numbered.group(1).replace(" ", "")
        template = "關於{}的答復" if is_traditional("".join(lines)) else "关于{}的答复"
        return _result(
            template.format(subject),
            f"答复函无标题，按所答复的建议拟定：{line[:60]} / built from the proposal answered",
            "proposal",
        )
    return None


def _from_top_lines(clean_lines: list[str]) -> Detected[str] | None:
    for line in clean_lines[:10]:
        if looks_like_headline(line):
            return _result(line, f"首个标题样式的行：{line} / first headline-like line", "top_line")
    return None
