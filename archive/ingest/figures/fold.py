"""Fold Traditional characters and full-width digits so one table matches both.

The cue and unit tables are written once, in Simplified. Rather than convert the
whole report (OpenCC lives in ``textkit``, and ``archive`` must not import
``search`` outside its views), the matcher reads a copy of the text in which only
the characters the tables use are folded, one character for one character, so
every offset in the folded copy is an offset in the original.

``TRADITIONAL`` lists the Traditional (OpenCC s2t, s2tw and s2hk) forms of every
character in the tables; ``tests/ingest/test_figures_tables.py`` fails when a new
table entry needs a character missing here.
"""

from __future__ import annotations

TRADITIONAL = (
    "萬專業兩個義鄉買爭於產億餘準幾創動醫單發後啓員場處復學屬開錄總戶擔數術來畢電療稱"
    "稅約經職營補譽計訓談謂購貼貸費賃資較達過進銷長間項預額館驛啟爲為眾衆實"
    "滿內兌現淨潤備級週歲與國獎勵齡撥寬傑註冊碩會險籌類納給繳設連續頂領軍層"
)
SIMPLIFIED = (
    "万专业两个义乡买争于产亿余准几创动医单发后启员场处复学属开录总户担数术来毕电疗称"
    "税约经职营补誉计训谈谓购贴贷费赁资较达过进销长间项预额馆驿启为为众众实"
    "满内兑现净润备级周岁与国奖励龄拨宽杰注册硕会险筹类纳给缴设连续顶领军层"
)
FULL_WIDTH = "０１２３４５６７８９．％"
HALF_WIDTH = "0123456789.%"

_TABLE = str.maketrans(TRADITIONAL + FULL_WIDTH, SIMPLIFIED + HALF_WIDTH)


def fold(text: str) -> str:
    """Same-length copy of ``text`` with table characters in Simplified form."""
    return text.translate(_TABLE)
