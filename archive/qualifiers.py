"""A figure's qualifier (最高, 余, 以上, 近三年…) in the reader's language.

Figures store the qualifier words detection found, joined by ``、``
(archive/ingest/figures/context.py); the words come from the cue tables in
archive/ingest/figures/cues.py and units.py. Each word is a message id here, so the
English page says "up to" where the Chinese one says 最高. A word this table does
not know is shown as stored rather than dropped.
"""

from __future__ import annotations

import re

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from .place_names import is_english

WORDS = {
    "最高": _("最高"),
    "最多": _("最多"),
    "最低": _("最低"),
    "不低于": _("不低于"),
    "不少于": _("不少于"),
    "不超过": _("不超过"),
    "高达": _("高达"),
    "累计": _("累计"),
    "共计": _("共计"),
    "总计": _("总计"),
    "每年": _("每年"),
    "每月": _("每月"),
    "每人": _("每人"),
    "每户": _("每户"),
    "每平方米": _("每平方米"),
    "人均": _("人均"),
    "年均": _("年均"),
    "预计": _("预计"),
    "力争": _("力争"),
    "超过": _("超过"),
    "近": _("近"),
    "超": _("超"),
    "逾": _("逾"),
    "约": _("约"),
    "余": _("余"),
    "多": _("多"),
    "以上": _("以上"),
    "左右": _("左右"),
}
_NUMERALS = dict(zip("一二两三四五六七八九十", (1, 2, 2, 3, 4, 5, 6, 7, 8, 9, 10), strict=True))
_PERIOD_RE = re.compile(r"近([一二两三四五六七八九十\d]{1,2})年")
SEPARATOR = "、"


def _period(word: str) -> str | None:
    """近三年 -> "in the last 3 years" (Chinese readers keep 近三年)."""
    match = _PERIOD_RE.fullmatch(word)
    if match is None:
        return None
    raw = match.group(1)
    years = int(raw) if raw.isdigit() else _NUMERALS.get(raw, 0) if len(raw) == 1 else 0
    if not years:
        return word
    return gettext("近%(n)s年") % {"n": years}


def qualifier_label(stored: str, language: str | None = None) -> str:
    """The stored ``最高、每人`` as ``up to, per person`` for an English reader."""
    if not stored:
        return ""
    if not is_english(language if language is not None else get_language()):
        return stored
    labels = []
    for word in stored.split(SEPARATOR):
        label = WORDS.get(word)
        labels.append(str(label) if label is not None else (_period(word) or word))
    return ", ".join(labels)
