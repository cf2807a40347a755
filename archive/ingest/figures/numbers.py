"""Numbers as reports write them: 2,559 / 1.5786 / 两千 / 一百五十万 / 1.2万.

Values are computed with ``Decimal`` so that 1.5786亿 is exactly 157860000 and
not 157860000.00000003; callers get an ``int`` whenever the value is whole.
Chinese numerals are parsed strictly: a run that is not a well-formed numeral
(十四五, 九三, 一一, 二〇二三) returns None, because such runs are names, years or
the tail of a word (唯一一家), never amounts.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4}
DIGITS |= {"五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
SMALL_SCALES = {"十": 10, "百": 100, "千": 1000}
BIG_SCALES = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
SCALES = SMALL_SCALES | BIG_SCALES

#: characters a Chinese numeral may be made of (regex class body)
CHINESE_NUMERAL_CHARS = "".join(DIGITS) + "".join(SCALES)


def as_number(value: Decimal) -> int | float:
    """An ``int`` for whole values (persons, units, yuan), else a ``float``."""
    return int(value) if value == value.to_integral_value() else float(value)


def parse_arabic(text: str) -> Decimal | None:
    """``"2,559"`` -> 2559, ``"1.5786"`` -> Decimal("1.5786"); None if malformed."""
    try:
        return Decimal(text.replace(",", "").replace("，", ""))
    except InvalidOperation:
        return None


def scale_value(scale: str) -> int:
    """The multiplier of a scale word such as 万, 千万 or 亿 (1 for "")."""
    value = 1
    for ch in scale:
        value *= SCALES[ch]
    return value


def parse_chinese(text: str) -> int | None:
    """Value of a Chinese numeral (三 / 十万 / 一百五十万 / 两千 / 一万五), else None.

    Two digits in a row are refused (九三学社, 十四五, 二〇二三年 are names and
    years), as are scales out of order (百千). A trailing digit after a scale is the
    spoken abbreviation 一万五 = 15000, 三千五 = 3500.
    """
    total = section = 0
    digit: int | None = None
    last_small = 10_000
    last_scale = 1
    after_zero = False
    for ch in text:
        if ch in DIGITS:
            if digit is not None:
                return None
            if DIGITS[ch] == 0:
                after_zero = True
                continue
            digit = DIGITS[ch]
        elif ch in SMALL_SCALES:
            scale = SMALL_SCALES[ch]
            if scale >= last_small:
                return None
            if digit is None:
                if ch != "十" or section or total:
                    return None
                digit = 1
            section += digit * scale
            digit, last_small, last_scale, after_zero = None, scale, scale, False
        elif ch in BIG_SCALES:
            section += digit or 0
            if not section:
                return None
            big = BIG_SCALES[ch]
            total = (total + section) * big if big > 10_000 else total + section * big
            section, digit, last_small, last_scale, after_zero = 0, None, 10_000, big, False
        else:
            return None
    if digit is not None and last_scale > 1 and not after_zero:
        digit *= last_scale // 10
    return total + section + (digit or 0)


def parse_number(text: str) -> int | float | None:
    """Value of an Arabic, Chinese or mixed number (1.2万, 3千, 两千, 2,559).

    Only the number itself: units and qualifiers are for ``units``/``context``.
    """
    text = text.strip()
    head = text.rstrip(CHINESE_NUMERAL_CHARS)
    if not head:
        value = parse_chinese(text)
        return None if value is None else value
    arabic = parse_arabic(head)
    tail = text[len(head) :]
    if arabic is None or any(ch not in SCALES for ch in tail):
        return None
    return as_number(arabic * scale_value(tail))
