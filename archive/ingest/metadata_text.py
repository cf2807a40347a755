"""Line-level helpers shared by the metadata detectors (title, date, source, type).

The detectors look at the *shape* of lines near the top and the end of a report
(a short line without sentence punctuation, a "某某局：" salutation, a body name
over a date) rather than at any site's exact strings, so they carry over to pages
from sites we have never seen.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
SENTENCE_END = "。！？!?；;"
_STRIP = " \t\u3000\xa0\ufeff"

# Endings of names of issuing bodies and outlets, Simplified and Traditional.
ORG_SUFFIX = (
    r"(?:委员会|委員會|办公室|辦公室|人民政府|政府|集团|集團|协会|協會|银行|銀行|公司"
    r"|中心|局|委|部|厅|廳|办|辦|院|会|會|社|站|处|處|所|馆|館|室|组|組|团|團|队|隊|署)"
)
_ORG_LINE = re.compile(rf"[{HAN}A-Za-z0-9（）()·]{{2,40}}{ORG_SUFFIX}")
OUTLET = re.compile(
    rf"[{HAN}A-Za-z0-9·]{{1,14}}?(?:新闻网|新聞網|网站|網站|客户端|客戶端|日报|日報|晚报|晚報"
    rf"|在线|在線|电视台|電視台|广播电视台|廣播電視台|网|網|报|報|通讯社|通訊社)"
)
_SALUTATION = re.compile(rf"[{HAN}A-Za-z0-9（）()·、]{{2,40}}[:：]")
_CHROME_START = re.compile(
    r"(首页|首頁|当前位置|當前位置|您当前的位置|您的位置|分享到|copyright|©|版权|版權)", re.I
)


#: "一、总体目标", "（二）", "1.", "第三条": a section heading inside a document,
#: never its headline.
_ENUMERATED = re.compile(
    r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d{1,2}[、.．](?!\d)"
    r"|第[一二三四五六七八九十百]+[条條章节節])"
)


def content_lines(text: str) -> list[str]:
    """Non-blank lines, stripped of ASCII, ideographic and no-break spaces."""
    return [line.strip(_STRIP) for line in text.split("\n") if line.strip(_STRIP)]


def has_sentence_end(line: str) -> bool:
    """Sentence punctuation anywhere means prose, not a headline or a byline."""
    return any(mark in line for mark in SENTENCE_END)


def is_salutation(line: str) -> bool:
    """ "孫孝萍代表:" / "九三学社德州市委：" – a name ending in a colon, alone on its line."""
    return _SALUTATION.fullmatch(line.strip(_STRIP)) is not None


def is_org_name(line: str) -> bool:
    """A line that is only the name of a body: "瀘州市人力資源和社會保障局"."""
    return _ORG_LINE.fullmatch(line.strip(_STRIP)) is not None


def looks_like_headline(line: str, *, strict: bool = False) -> bool:
    """Short, not prose (no 。/；), not a salutation or site chrome.

    Loosely, a comma or a final ？/！ is allowed (news headlines ask, exclaim, and
    quote titles with commas); ``strict`` refuses both, since an opening quote from
    an interviewee looks the same ("“没想到…,做一个乐业有为的青年!”", seed 002).
    """
    line = line.strip(_STRIP)
    letters = len(re.findall(rf"[{HAN}A-Za-z]", line))
    loose = (
        4 <= len(line) <= 80
        and _ENUMERATED.match(line) is None
        and letters >= 4
        and not any(mark in line for mark in "。；;")
        and line[-1] not in ":：，,、"
        and not is_salutation(line)
        and _CHROME_START.match(line) is None
    )
    if not strict:
        return loose
    return (
        loose
        and not any(mark in line for mark in "，,")
        and line.rstrip("”’\"'」』")[-1:] not in "？?！!"
    )


def find_line(lines: list[str], target: str, *, limit: int = 40) -> int | None:
    """Index of the first of ``lines[:limit]`` that is ``target`` or nearly so.

    "Nearly" (similarity >= 0.8) because the raw headline may still carry spam the
    cleaner removed, e.g. "更有B体育力人才支撑" in seed 000.
    """
    target = target.strip(_STRIP)
    if not target:
        return None
    for index, line in enumerate(lines[:limit]):
        if line == target or SequenceMatcher(None, line, target).ratio() >= 0.8:
            return index
    return None


_TRADITIONAL_ONLY = set("關於對會議國這與為們說時發經來區體現實將復號產業")
_SIMPLIFIED_ONLY = set("关于对会议国这与为们说时发经来区体现实将复号产业")


def is_traditional(text: str) -> bool:
    """More Traditional-only than Simplified-only forms among frequent characters."""
    sample = text[:3000]
    return sum(ch in _TRADITIONAL_ONLY for ch in sample) > sum(
        ch in _SIMPLIFIED_ONLY for ch in sample
    )
