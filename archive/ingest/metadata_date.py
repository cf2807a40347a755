"""Publication date: where a report states its own date, strongest place first.

1. the signature date: a date alone on a line at the end, usually under the issuing
   body (seed 004 "瀘州市人力資源和社會保障局 / 2024年6月18日");
2. the page's metadata (meta tags, <time>), given as ``date_hints``;
3. a labelled date ("发布时间：2023-05-06") or a byline just under the headline
   (001 "网络编辑 运城 2023-02-06 10:22:13", 002 "2024年09月28日 09:16 内蒙古新闻网");
4. fallback: a date in the page header *above* the headline. Seed 000 has
   "2022-12-09 12:01:11" there while its body only says "12月17日" (no year): that
   is the repost/capture time, not the event's; it is kept, with evidence saying so.
Dates inside prose ("2020年9月推出…") are never taken: every rule needs a line that is
only a date, a labelled date, or a short byline with no sentence punctuation.
"""

from __future__ import annotations

import re
from datetime import date
from email.utils import parsedate_to_datetime

from archive.ingest.metadata_text import (
    content_lines,
    find_line,
    has_sentence_end,
    is_org_name,
)
from archive.ingest.types import Detected, PartialDate

_HAN_DIGIT = "〇○零一二三四五六七八九"
_HAN_MONTH = "十[一二]?|[一二三四五六七八九]"
_HAN_DAY = "三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]"
_DATE = re.compile(
    rf"""
    (?<![\d.])(?P<y>\d{{4}})\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*[日号號]
  | (?<![\d.])(?P<y2>\d{{4}})(?P<sep>[-/.])(?P<m2>\d{{1,2}})(?P=sep)(?P<d2>\d{{1,2}})(?!\d)
  | (?P<hy>[{_HAN_DIGIT}]{{4}})年(?P<hm>{_HAN_MONTH})月(?:(?P<hd>{_HAN_DAY})日)?
  | (?<![\d.])(?P<y3>\d{{4}})\s*年\s*(?P<m3>\d{{1,2}})\s*月
  | (?<![\d.])(?P<y4>\d{{4}})\s*年
    """,
    re.X,
)
#: every form of ``_DATE`` holds 年 or four digits and a separator (\d takes
#: full-width digits too): a line without either has no date, and most lines are
#: skipped without the full-width translation and ``_DATE``.
_MAY_HOLD_DATE = re.compile(r"年|\d{4}[-/.／．－]")
_RFC2822 = re.compile(r"^(?:[A-Za-z]{3},\s*)?\d{1,2}\s+[A-Za-z]{3}\s+\d{4}\s")
_FULLWIDTH = str.maketrans("０１２３４５６７８９／．－：", "0123456789/.-:")
_HAS_FULLWIDTH = re.compile("[０-９／．－：]")


def _flat(text: str) -> str:
    """``text`` with full-width digits and separators in ASCII. ``str.translate`` looks
    up every character of a Chinese line in Python's dict (a tenth of the pipeline on
    long paragraphs), so lines without any are returned as they are."""
    return text.translate(_FULLWIDTH) if _HAS_FULLWIDTH.search(text) else text


_TIME = re.compile(r"(?<!\d)\d{1,2}:\d{2}")
# "发布时间：" / "成文日期：" are publication labels; a bare "时间：" is one only on a
# byline that also names a source or counts views (else it may be an event's time,
# "时间：2024年7月1日 地点：…"), and "活动时间：" never is (a bare label starts a token).
_LABEL = re.compile(
    r"(?:(?P<kind>发布|發布|发表|發表|发文|發文|成文|印发|印發|公布|公开|公開|出版|刊发|刊發"
    r"|更新)|^|(?<=[\s|｜]))(?:时间|時間|日期)\s*[:：]\s*"
)
_DATE_LABEL_BEFORE = re.compile(r"\S*(?:时间|時間|日期)\s*[:：]\s*$")
_OTHER_LABEL = re.compile(r"来源|來源|作者|浏览|瀏覽|点击|點擊|阅读|閱讀|编辑|編輯|字号|字號")
_BYLINE_WORD = re.compile(
    r"来源|來源|作者|编辑|編輯|记者|記者|稿源|发布|發布|浏览|瀏覽|阅读|閱讀|点击|點擊|字号|字號"
    r"|网|網|报|報|社|台|客户端|客戶端"
)
_BRACKETS = "（）()[]【】〔〕 \t"
_NO_DATE = "无日期：没有落款日期、网页日期或电头 / no date: no signature, meta date or byline"


def find_dates(line: str, *, today: date | None = None) -> list[tuple[PartialDate, str]]:
    """Every valid date written in ``line`` with the text that expressed it.

    Handles 2024年6月18日, 2024-06-18, 2024/6/18, 2024.06.18, 二〇二四年六月十八日,
    month- and year-only forms, and full-width digits. Impossible dates
    (2024-02-30) and dates after ``today`` are skipped.
    """
    found: list[tuple[PartialDate, str]] = []
    if not _MAY_HOLD_DATE.search(line):
        return found
    for match in _DATE.finditer(_flat(line)):
        parsed = _to_partial(match, today)
        if parsed is not None:
            found.append((parsed, match.group(0)))
    return found


def parse_date_hint(hint: str, *, today: date | None = None) -> PartialDate | None:
    """A meta/<time> value: ISO 8601, "2024-06-18 10:22", "20240618" or Chinese forms."""
    hint = _flat(hint.strip())
    if _RFC2822.match(hint):  # front matter of Hexo/Jekyll feeds: "Sat, 14 May 2022 11:53:14 GMT"
        try:
            moment = parsedate_to_datetime(hint)
        except (TypeError, ValueError):
            moment = None
        if moment is not None:
            return PartialDate(moment.date(), "day")
    compact = re.fullmatch(r"(\d{4})(\d{2})(\d{2})(?:\d{4,6})?", hint)
    if compact:
        hint = "-".join(compact.groups())
    month_only = re.fullmatch(r"(\d{4})-(\d{2})", hint)
    if month_only:
        hint = f"{month_only.group(1)}年{month_only.group(2)}月"
    dates = find_dates(hint, today=today)
    return dates[0][0] if dates else None


def _to_partial(match: re.Match[str], today: date | None) -> PartialDate | None:
    groups = match.groupdict()
    if groups["hy"]:
        year = int("".join(str(_han_number(ch)) for ch in groups["hy"]))
        month, day = _han_number(groups["hm"]), _han_number(groups["hd"])
    else:
        year = int(groups["y"] or groups["y2"] or groups["y3"] or groups["y4"])
        month_text = groups["m"] or groups["m2"] or groups["m3"]
        day_text = groups["d"] or groups["d2"]
        month = int(month_text) if month_text else None
        day = int(day_text) if day_text else None
    precision = "day" if day else "month" if month else "year"
    try:
        value = date(year, month or 1, day or 1)
    except ValueError:
        return None
    if year < 1949 or value > (today or date.today()):
        return None
    return PartialDate(value, precision)


def _han_number(text: str | None) -> int | None:
    """0..31 written in Chinese numerals (〇/○/零 = 0, 十 = 10, 二十三 = 23)."""
    if not text:
        return None
    digits = "〇一二三四五六七八九"
    text = text.replace("○", "〇").replace("零", "〇")
    if "十" not in text:
        return digits.index(text)
    tens, _, units = text.partition("十")
    return (digits.index(tens) if tens else 1) * 10 + (digits.index(units) if units else 0)


def standalone_date(line: str, *, today: date | None = None) -> PartialDate | None:
    """The date when ``line`` is nothing but a date (brackets allowed)."""
    if not _MAY_HOLD_DATE.search(line):
        return None
    core = _flat(line.strip(_BRACKETS))
    match = _DATE.fullmatch(core)
    return _to_partial(match, today) if match else None


def detect_date(
    *,
    raw: str,
    clean: str,
    date_hints: tuple[str, ...] = (),
    today: date | None = None,
    title: str = "",
) -> Detected[PartialDate]:
    """The report's publication date with its precision and the rule that found it.

    Last of all, a headline that opens with its year ("2025年海淀区…申请相关要求")
    gives that year, at year precision: an annual notice is issued in its year.
    """
    raw_lines, clean_lines = content_lines(raw), content_lines(clean)
    head = find_line(raw_lines, clean_lines[0]) if clean_lines else None
    return (
        signature_date(clean_lines, raw_lines, today)
        or _hint_date(date_hints, today)
        or _labelled_date(raw_lines, today)
        or _byline_date(raw_lines, head, today)
        or _header_date(raw_lines, head, today)
        or _title_year(title, today)
        or Detected(
            None,
            _NO_DATE,
        )
    )


def signature_date(
    clean_lines: list[str], raw_lines: list[str], today: date | None
) -> Detected[PartialDate] | None:
    """The date closing the clean text (alone on one of its last lines), else a body's
    name directly over a date anywhere (a notice followed by the policy it issues).
    The raw text counts only in the second form: its tail is site chrome."""
    tail_start = max(0, len(clean_lines) - 12)
    for index in range(len(clean_lines) - 1, tail_start - 1, -1):
        found = _signature_at(clean_lines, index, today, needs_body=False)
        if found:
            return found
    for lines in (clean_lines, raw_lines):
        for index in range(len(lines)):
            found = _signature_at(lines, index, today, needs_body=True)
            if found:
                return found
    return None


def _signature_at(
    lines: list[str], index: int, today: date | None, *, needs_body: bool
) -> Detected[PartialDate] | None:
    found, body = _dated_signature_line(lines[index], today)
    if not found:
        return None
    if body is None and index > 0 and is_org_name(lines[index - 1]):
        body = lines[index - 1]
    if needs_body and not body:
        return None
    where = f"，署名 {body}" if body else ""
    return Detected(
        found,
        f"落款日期{where}：{lines[index]} / signature date",
        {"rule": "signature", "body": body},
    )


def _dated_signature_line(line: str, today: date | None) -> tuple[PartialDate | None, str | None]:
    """A date alone, or "某某局 2024年6月18日" (body and date on one line)."""
    if not _MAY_HOLD_DATE.search(line):
        return None, None  # most lines: no 年 and no 2024-06-18 form, so no date
    alone = standalone_date(line, today=today)
    if alone:
        return alone, None
    dates = find_dates(line, today=today)
    flat = _flat(line)
    if dates and flat.endswith(dates[-1][1]):
        body = flat[: -len(dates[-1][1])].strip()
        if is_org_name(body):
            return dates[-1][0], line[: len(body)]
    return None, None


_TITLE_YEAR = re.compile(r"^\s*(?P<y>(?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")


def _title_year(title: str, today: date | None) -> Detected[PartialDate] | None:
    match = _TITLE_YEAR.match(title or "")
    if not match:
        return None
    year = int(match.group("y"))
    if year > (today or date.today()).year:
        return None
    return Detected(
        PartialDate(date(year, 1, 1), "year"),
        f"标题开头的年份：{title[:30]} / year opening the headline",
        {"rule": "title_year"},
    )


def _hint_date(hints: tuple[str, ...], today: date | None) -> Detected[PartialDate] | None:
    for hint in hints:
        found = parse_date_hint(hint, today=today)
        if found:
            return Detected(found, f"网页元数据日期：{hint} / page metadata", {"rule": "meta"})
    return None


def _labelled_date(lines: list[str], today: date | None) -> Detected[PartialDate] | None:
    """ "发布时间：2023-05-06" in the first lines: an explicit statement, wherever it is."""
    for line in lines[:25]:
        for label in _LABEL.finditer(line):
            if not label.group("kind") and not _OTHER_LABEL.search(line):
                continue
            rest = _flat(line[label.end() :])
            dates = find_dates(rest, today=today)
            if dates and rest.startswith(dates[0][1]):
                evidence = f"标注的日期：{line} / labelled date"
                return Detected(dates[0][0], evidence, {"rule": "label"})
    return None


def _byline_date(
    lines: list[str], head: int | None, today: date | None
) -> Detected[PartialDate] | None:
    """A dateline/byline in the five lines under the headline (or the top lines
    when the headline was not found in the raw text)."""
    start = 0 if head is None else head + 1
    for line in lines[start : start + 5]:
        dates = find_dates(line, today=today)
        if dates and is_byline(line, dates[0][1]):
            return Detected(dates[0][0], f"电头/署名行：{line} / byline", {"rule": "byline"})
    return None


def is_byline(line: str, date_text: str) -> bool:
    """Short, not prose, and more than a stray date: a time, an outlet or a label.
    A date labelled as something else ("活动时间：", "报名截止日期：") is an event's."""
    if len(line) > 80 or has_sentence_end(line) or "，" in line or "," in line:
        return False
    flat = _flat(line)
    before, _, after = flat.partition(date_text)
    other_label = _DATE_LABEL_BEFORE.search(before)
    if other_label and not _LABEL.search(other_label.group(0)):
        return False
    rest = f"{before} {after}"
    return bool(_TIME.search(rest) or _BYLINE_WORD.search(rest) or not rest.strip(_BRACKETS))


def _header_date(
    lines: list[str], head: int | None, today: date | None
) -> Detected[PartialDate] | None:
    """Fallback: a date-and-time or bare date line above the headline (seed 000)."""
    for line in lines[: head or 0]:
        dates = find_dates(line, today=today)
        if dates and is_byline(line, dates[0][1]):
            return Detected(
                dates[0][0],
                f"页眉日期（标题之上，可能是转载/抓取时间）：{line} / "
                "fallback: page-header date above the headline (repost or capture time)",
                {"rule": "header"},
            )
    return None
