"""Repair text decoded with the wrong codec when that is exact, else cut it out.

Seed 004 holds two stretches of GBK bytes read one byte out of step. In
"本科院?!狈矫?。" the page had "本科院校”方面,。" (GBK D0A3 A1B1 B7BD C3E6 2C):
read from the second byte, the pairs A3A1 B1B7 BDC3 give "!狈矫" and the bytes
left over at either end became "?". In "?jié)摿σ约吧镜谋匾赃M行", from
"潛力以及升本的必要性進行", the pairs FD B1 and AA D0 are not GBK and were
dropped as well, so 升, 本, 要 and 性 each lost a byte. Bytes that are gone cannot
be brought back without guessing, so such stretches are removed and recorded. A line
or run that round-trips exactly (UTF-8 read as GBK, or as Latin-1/cp1252) is
re-decoded instead: nothing is guessed when every byte is still there.
"""

from __future__ import annotations

import re

from .clean_base import HAN, Lines, StepOutput

# What bytes 0x80-0xFF become when read as Latin-1 or as cp1252 ("€‚ƒ„…" and friends).
_CP1252_HIGH = bytes(range(0x80, 0xA0)).decode("cp1252", errors="ignore")
_LATIN1_RUN = re.compile(f"[\u0080-\u00ff{re.escape(_CP1252_HIGH)}]{{2,}}")
_HAN_CHAR = re.compile(f"[{HAN}]")


def _utf8_read_as_gbk(line: str) -> str | None:
    """The line's real text when it is UTF-8 bytes decoded as GBK ("鍙戝竷" for 发布)."""
    if line.isascii() or len(line) - len(line.encode("ascii", "ignore")) < 6:
        return None  # fewer than 6 non-ASCII characters (counted in C)
    try:
        fixed = line.encode("gbk").decode("utf-8")
    except UnicodeError:
        return None
    return fixed if fixed != line and _HAN_CHAR.search(fixed) else None


def _utf8_read_as_latin1(run: str) -> str | None:
    """The run's real text when it is UTF-8 bytes decoded as cp1252/Latin-1 ("ä¸­" for 中)."""
    for codec in ("cp1252", "latin-1"):
        try:
            return run.encode(codec).decode("utf-8")
        except UnicodeError:
            continue
    return None


MAX_REPAIR_ROUNDS = 3  # text mis-decoded twice needs two rounds; more is noise


def _repair_line(line: str) -> str:
    fixed = _utf8_read_as_gbk(line)
    if fixed is not None:
        return fixed

    def fix_run(match: re.Match[str]) -> str:
        text = _utf8_read_as_latin1(match.group(0))
        return match.group(0) if text is None else text

    return _LATIN1_RUN.sub(fix_run, line)


def repair_mojibake(lines: Lines) -> StepOutput:
    """Re-decode lines or runs that are UTF-8 read with a wrong codec, to a fixpoint."""
    # Repeated (at most MAX_REPAIR_ROUNDS): text mis-decoded twice must come out
    # repaired in one cleaning, or cleaning is not idempotent (found by fuzzing).
    removed: Lines = []
    repaired: Lines = []
    for line in lines:
        fixed = line
        for _ in range(MAX_REPAIR_ROUNDS):
            again = _repair_line(fixed)
            if again == fixed:
                break
            fixed = again
        if fixed != line:
            removed.append(line)
        repaired.append(fixed)
    return repaired, removed


_EXOTIC = re.compile(
    "[\u0370-\u03ff\u0400-\u04ff\u2500-\u257f\u3040-\u30ff\u3100-\u312f\uff61-\uff9f]"
)
_TONE_RUN = re.compile("[a-zA-Z]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ][a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]*")
_ODD_QUESTION = re.compile(f"(?<=[{HAN}])[?？](?=[A-Za-z0-9!！。，,、?？])")
_LONE_LATIN = re.compile(f"(?<=[{HAN}])[A-Za-z](?=[{HAN}])")
_GAP = 8


def _signals(line: str) -> list[tuple[int, int, int]]:
    """(start, end, weight) of every trace a wrong decoding leaves in a line.

    A pinyin run weighs 0: romanized names ("Lúzhōu Dàxué") are real text, so tone
    letters only add to a cluster that has another trace ("?jié)" in 004).
    """
    found = [(m.start(), m.end(), 2) for m in re.finditer("[\ufffd\ue000-\uf8ff]|锟斤拷", line)]
    for match in _EXOTIC.finditer(line):
        around = line[max(match.start() - 1, 0) : match.end() + 1]
        if _HAN_CHAR.search(around):
            found.append((match.start(), match.end(), 1))
    found += [(m.start(), m.end(), 1) for m in _ODD_QUESTION.finditer(line)]
    if found:
        found += [(m.start(), m.end(), 0) for m in _TONE_RUN.finditer(line)]
    return sorted(found)


def _clusters(line: str) -> list[tuple[int, int]]:
    """Spans where traces lie within a few characters of each other and weigh two or more."""
    spans: list[list[int]] = []
    for start, end, weight in _signals(line):
        if spans and start - spans[-1][1] <= _GAP:
            spans[-1][1] = max(spans[-1][1], end)
            spans[-1][2] += weight
        else:
            spans.append([start, end, weight])
    return [(start, end) for start, end, weight in spans if weight >= 2]


def garbled_spans(line: str) -> list[tuple[int, int]]:
    """Garbled clusters, widened to a lone Latin letter stuck between characters ("赃M行")."""
    widened = []
    for start, end in _clusters(line):
        for letter in _LONE_LATIN.finditer(line):
            if 0 <= letter.start() - end <= _GAP:
                end = letter.end()
            elif 0 <= start - letter.end() <= _GAP:
                start = min(start, letter.start())
        widened.append((start, end))
    return widened


def strip_garbled_spans(lines: Lines) -> StepOutput:
    """Remove clusters of mis-decoded characters that cannot be repaired (two in 004)."""
    removed: Lines = []
    kept: Lines = []
    for line in lines:
        for start, end in reversed(garbled_spans(line)):
            removed.append(line[start:end])
            line = line[:start] + line[end:]
        kept.append(line)
    return kept, removed
