"""Steps that depend on where the report body starts and ends on the page.

A site name, a bare date or a stray counter is chrome above the body (001 opens
with "大院网-山西大院资讯网" and a lone "0") but could be content inside it, so
these rules only look at the lines before the first and after the last line that
reads as prose. The footer rule cuts the tail from the first footer marker only
when every line after it is footer material too, so a report sentence is never
lost to a disclaimer printed above it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from .clean_base import HAN, Lines, StepOutput, has_sentence_end, keyword_re
from .clean_lines import COPYRIGHT, DATE, is_line_chrome

_HAN_CHAR = re.compile(f"[{HAN}]")


@lru_cache(maxsize=4096)
def is_body_like(line: str) -> bool:
    """Prose: ten or more Han characters and clause or sentence punctuation.

    Cached: the layout steps ask it again for every line on each pass."""
    return any(mark in line for mark in "，,。；;！!？?") and len(_HAN_CHAR.findall(line)) >= 10


def body_bounds(lines: Lines) -> tuple[int, int]:
    """Indices of the first and last prose lines, or (len, -1) if there is none."""
    prose = [i for i, line in enumerate(lines) if is_body_like(line)]
    return (prose[0], prose[-1]) if prose else (len(lines), -1)


def _outside_body(lines: Lines, predicate: Callable[[str], bool]) -> StepOutput:
    """Drop lines matching ``predicate`` above the first or below the last prose line."""
    first, last = body_bounds(lines)
    if last < 0:
        return lines, []
    kept: Lines = []
    removed: Lines = []
    for i, line in enumerate(lines):
        outside = i < first or i > last
        (removed if outside and predicate(line) else kept).append(line)
    return kept, removed


_SITE_SUFFIX = keyword_re(
    "网 网站 客户端 门户 频道 官网 APP App 日报 晚报 新闻 资讯 在线 电视台 融媒 融媒体 报社"
    " 人民政府",
    suffix="$",
)
_DOMAIN = re.compile(r"\w\.(?:com|cn|net|org)\b", re.IGNORECASE)
_SITE_SPLIT = re.compile(r"[-—_|｜·•\s]+")


def is_site_name(line: str) -> bool:
    """Short dash-separated names ending like a site or app ("大院网-山西大院资讯网")."""
    if has_sentence_end(line) or any(mark in line for mark in "“”《》【】,，、:："):
        return False
    parts = [part for part in _SITE_SPLIT.split(line) if part]
    if not parts or any(len(part) > 16 for part in parts):
        return False
    return any(_SITE_SUFFIX.search(part) or _DOMAIN.search(part) for part in parts)


def _reads_as_title(line: str) -> bool:
    """Short and without a full stop: a headline with a comma still reads as one."""
    return len(line) <= 60 and not any(mark in line for mark in "。！!？?")


def drop_header_site_names(lines: Lines) -> StepOutput:
    """Drop site and app names above the body ("大院网-…" in 001, "新浪新闻客户端" in 002)."""
    first, _ = body_bounds(lines)
    head = range(min(first, len(lines)))
    sites = [i for i in head if is_site_name(lines[i])]
    titles = [i for i in head if i not in sites and not lines[i].isdigit()]
    if not titles and not (first < len(lines) and _reads_as_title(lines[first])):
        sites = sites[:-1]  # nothing else can be the headline: the last one may be it
    drop = set(sites)
    return (
        [line for i, line in enumerate(lines) if i not in drop],
        [lines[i] for i in sites],
    )


_BARE_DATE = re.compile(rf"^{DATE}(?:\s*(?:星期|周)[一二三四五六日天])?$")


def drop_header_dates(lines: Lines) -> StepOutput:
    """Drop a bare date above the body (a page date; a letter's own date sits below it, 004)."""
    first, _ = body_bounds(lines)
    kept = [line for i, line in enumerate(lines) if i >= first or not _BARE_DATE.match(line)]
    removed = [line for i, line in enumerate(lines) if i < first and _BARE_DATE.match(line)]
    return kept, removed


_COUNTER = re.compile(
    r"\d{1,6}"
    r"|\d{1,6}\s*(?:人|次)?(?:赞过|点赞|赞|喜欢|收藏|看过|阅读|浏览|点击|评论|在看|分享)"
    r"|(?:阅读|浏览|点赞|赞|收藏|评论|在看|分享)(?:量|数|次数)?\s*[:：]?\s*\d{1,6}"
)


def drop_stray_counters(lines: Lines) -> StepOutput:
    """Drop lone view/like counters above or below the body ("0" in 001, "19人赞过" dev 09)."""
    return _outside_body(lines, lambda line: bool(_COUNTER.fullmatch(line.strip())))


_FOOTER_MARK = keyword_re(
    "版权声明 免责声明 本站声明 本网声明 凡注有 凡注明 凡本网注明 转载目的在于 不代表本网"
    " 不代表本站 网站标识码"
)
_FOOTER_PHRASE = re.compile(
    keyword_re("未经许可 未经授权 未经同意", suffix=r".{0,8}(?:转载|镜像|复制)").pattern
    + "|"
    + keyword_re("法律顾问", suffix=r"\s*[:：]").pattern
)
_FOOTER_LABEL = keyword_re(
    "联系我们 网站地图 关于我们 关于本站 相关阅读 相关新闻 相关文章 相关链接 推荐阅读 延伸阅读"
    " 热点推荐 热门推荐 猜你喜欢",
    prefix=r"^[【\[]?",
    suffix=r"[】\]]?[:：]?$",
)
_ABOUT_SITE = re.compile(r"^关于.{1,12}(?:网|網|网站|網站|我们|我們)$")
_FOOTER_CONTACT = keyword_re(
    "主办单位 承办单位 协办单位 技术支持 运维单位 联系电话 联系地址 邮编",
    prefix="^",
    suffix=r"\s*[:：]",
)
_SITE_SELF = keyword_re("本站 本网 网站 站长 网民 网友 转载 版权 侵权 作者观点 门户 律师 客服")


def is_footer_start(line: str) -> bool:
    """A line that opens a page footer: copyright, disclaimer, about-us or related links."""
    return bool(
        COPYRIGHT.search(line)
        or _FOOTER_MARK.search(line)
        or _FOOTER_PHRASE.search(line)
        or _FOOTER_LABEL.match(line)
        or _ABOUT_SITE.match(line)
    )


def _mostly_latin(line: str) -> bool:
    letters = sum(ch.isascii() and ch.isalpha() for ch in line)
    return letters * 2 >= len(line.replace(" ", ""))


def is_footer_material(line: str) -> bool:
    """Anything a footer holds: markers, chrome, short labels, site talk, English boilerplate."""
    return (
        is_footer_start(line)
        or bool(_FOOTER_CONTACT.match(line) or _SITE_SELF.search(line))
        or (len(line) <= 30 and not has_sentence_end(line))
        or _mostly_latin(line)
        or is_line_chrome(line)
    )


def drop_footer_block(lines: Lines) -> StepOutput:
    """Cut the page footer from its first marker on (版权声明/凡注有/Copyright in 000-002)."""
    first, _ = body_bounds(lines)
    material_from = len(lines)  # lines[material_from:] are all footer material
    while material_from > 0 and is_footer_material(lines[material_from - 1]):
        material_from -= 1
    for i in range(max(first + 1, material_from - 1), len(lines)):
        if is_footer_start(lines[i]):
            cut = i
            while cut > first + 1 and _FOOTER_CONTACT.match(lines[cut - 1]):
                cut -= 1  # "主办单位:" lines printed just above the site code belong to it
            return lines[:cut], lines[cut:]
    return lines, []


_SOFT_LABEL = keyword_re(
    "温馨提示 相关阅读 相关新闻 推荐阅读 延伸阅读 阅读原文 更多 返回 打印 关闭 分享 收藏 点赞"
    " 在看 评论 打印本页 关闭窗口 返回顶部 附件下载 相关附件 附件",
    prefix=r"^[【\[]?",
    suffix=r"[】\]]?[:：]?$",
)


def drop_trailing_labels(lines: Lines) -> StepOutput:
    """Drop label-only lines left at the very end ("溫馨提示" closing 004)."""
    end = len(lines)
    while end > 0 and (_SOFT_LABEL.match(lines[end - 1]) or lines[end - 1].isdigit()):
        end -= 1
    return lines[:end], lines[end:]


def drop_repeated_lines(lines: Lines) -> StepOutput:
    """Drop a line identical to the one before it (the headline printed twice in 002 and 004)."""
    kept: Lines = []
    removed: Lines = []
    for line in lines:
        (removed if kept and kept[-1] == line else kept).append(line)
    return kept, removed
