"""A figure's beneficiary (硕士, 高层次人才, 高校毕业生…) in the reader's language.

Detection (archive/ingest/figures/beneficiary.py) stores one word from a closed
vocabulary: an education level, a talent tier (顶尖人才, or A类人才 … E类人才), a
group, or an employer. Each is a message id here, so the English compare page says
"master's" where the Chinese one says 硕士; a word this table does not know is shown
as stored.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

WORDS = {
    "博士后": _("博士后"),
    "博士": _("博士"),
    "硕士": _("硕士"),
    "本科": _("本科"),
    "大专": _("大专"),
    "顶尖人才": _("顶尖人才"),
    "领军人才": _("领军人才"),
    "高层次人才": _("高层次人才"),
    "青年人才": _("青年人才"),
    "杰出人才": _("杰出人才"),
    "后备人才": _("后备人才"),
    "高校毕业生": _("高校毕业生"),
    "技能人才": _("技能人才"),
    "留学人员": _("留学人员"),
    "用人单位": _("用人单位"),
    "企业": _("企业"),
}
_LETTER_TIER_RE = re.compile(r"([A-E])类人才")


def beneficiary_label(stored: str) -> str:
    """``硕士`` as "master's" for an English reader; Chinese readers get it as stored."""
    label = WORDS.get(stored)
    if label is not None:
        return str(label)
    match = _LETTER_TIER_RE.fullmatch(stored)
    if match:
        return gettext("%(letter)s类人才") % {"letter": match.group(1)}
    return stored
