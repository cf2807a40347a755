"""Shared pieces of the cleaning steps: the step type, two helpers, script variants.

Every step takes the current lines and returns the lines it keeps plus the strings
it removed, so ``clean_text`` can show staff exactly what each rule dropped.
Chrome keywords are written once in Simplified; ``variants`` widens them to the
Traditional forms too, because seed 004 (a Traditional page) ends with
"溫馨提示 / 如已完成請點擊”已登錄“", chrome that a Simplified-only pattern misses.
"""

from __future__ import annotations

import re
from collections.abc import Callable

Lines = list[str]
StepOutput = tuple[Lines, Lines]
Step = Callable[[Lines], StepOutput]

# Simplified -> Traditional pairs for the characters used in chrome keywords. Only
# patterns are widened; the text itself is never converted (DESIGN.md: keep the script).
_PAIRS = (
    "录錄页頁关關闭閉扫掃维維码碼机機开開当當编編辑輯责責评評论論举舉报報权權声聲转轉载載"
    "网網温溫点點击擊册冊发發时時间間来來览覽阅閱读讀数數访訪问問号號体體护護备備单單办辦"
    "标標识識联聯们們图圖视視频頻户戶门門资資讯訊线線闻聞广廣电電邮郵违違验驗证證条條复復"
    "审審对對类類请請热熱荐薦链鏈顶頂处處务務传傳递遞娱娛乐樂竞競设設赞贊师師顾顧现現馆館场場"
    "课課产產业業赛賽总總"
)
_VARIANTS = {_PAIRS[i]: _PAIRS[i + 1] for i in range(0, len(_PAIRS), 2)}

SENTENCE_END = "。！!？?；;"
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


def variants(keywords: str) -> str:
    """Regex source matching ``keywords`` in Simplified or Traditional characters."""
    return "".join(f"[{ch}{_VARIANTS[ch]}]" if ch in _VARIANTS else ch for ch in keywords)


def keyword_re(words: str, *, prefix: str = "", suffix: str = "") -> re.Pattern[str]:
    """Compile the space-separated ``words``, script-widened, between ``prefix``/``suffix``."""
    body = "|".join(variants(word) for word in words.split())
    return re.compile(f"{prefix}(?:{body}){suffix}")


def has_sentence_end(line: str) -> bool:
    """True when the line carries sentence punctuation, i.e. reads as prose."""
    return any(mark in line for mark in SENTENCE_END)


def drop_lines(lines: Lines, predicate: Callable[[str], bool]) -> StepOutput:
    """Split lines into (kept, removed) by ``predicate``."""
    kept: Lines = []
    removed: Lines = []
    for line in lines:
        (removed if predicate(line) else kept).append(line)
    return kept, removed


def sub_lines(lines: Lines, pattern: re.Pattern[str], repl: str = "") -> StepOutput:
    """Apply ``pattern.sub`` to every line, collecting each removed match."""
    removed: Lines = []

    def record(match: re.Match[str]) -> str:
        removed.append(match.group(0))
        return match.expand(repl)

    return [pattern.sub(record, line) for line in lines], removed
