"""Which script a report is written in, decided by characters that differ.

Only characters whose Simplified form differs count as evidence: most Han
characters are the same in both scripts, and a Simplified report quoting one
Traditional name must still be Simplified, hence the ratio threshold.
"""

from __future__ import annotations

import re

from textkit import t2s

from .types import Detected

_HAN = re.compile("[\u4e00-\u9fff]+")


def detect_script(text: str) -> Detected[str]:
    sample = "".join(_HAN.findall(text))
    if not sample:
        return Detected("simplified", "无汉字，按简体处理")
    simplified = t2s(sample)
    changed = (
        0  # Simplified prose, the common case: nothing to count
        if simplified == sample
        else sum(1 for a, b in zip(sample, simplified, strict=False) if a != b)
    )
    share = changed / len(sample)
    # Traditional prose changes about a quarter of its characters under t2s;
    # Simplified prose changes almost none.
    if share >= 0.05:
        return Detected("traditional", f"繁体字占 {share:.0%}（{changed}/{len(sample)} 个汉字）")
    return Detected("simplified", f"繁体字占 {share:.1%}（{changed}/{len(sample)} 个汉字）")
