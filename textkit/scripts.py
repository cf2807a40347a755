"""Traditional <-> Simplified: OpenCC with the gazetteer's exception list.

``t2s`` keeps the length of its input (opencc-python-reimplemented 0.1.7: every
entry of ``TSPhrases.txt`` and ``TSCharacters.txt`` maps a key to a value of the
same length; ``_t2s_aligned`` still checks), so highlight offsets never shift.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from textkit.libraries import _get_converter

DICTIONARIES_DIR = Path(__file__).resolve().parent / "dictionaries"
T2S_EXCEPTIONS_FILE = DICTIONARIES_DIR / "t2s_exceptions.txt"


@cache
def load_t2s_exceptions(path: Path = T2S_EXCEPTIONS_FILE) -> dict[str, str]:
    """Phrases that OpenCC mis-converts, as ``{variant: correct simplified}``.

    File format: ``variant<TAB>simplified`` per line, ``#`` comments. Both sides
    must have the same length so offsets stay aligned; a bad line fails loudly.
    """
    table: dict[str, str] = {}
    if not path.exists():
        return table
    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        variant, _, simplified = line.partition("\t")
        if not simplified or len(variant) != len(simplified):
            raise ValueError(f"{path}:{lineno}: expected 'variant<TAB>same-length name'")
        table[variant] = simplified
    return table


@cache
def _exceptions_pattern() -> re.Pattern[str] | None:
    keys = sorted(load_t2s_exceptions(), key=len, reverse=True)  # longest first
    return re.compile("|".join(map(re.escape, keys))) if keys else None


def _t2s_aligned(text: str) -> str:
    """OpenCC t2s, guaranteed to return a string of the same length."""
    if text.isascii():
        return text
    convert = _get_converter()
    out = convert(text)
    if len(out) == len(text):
        return out
    # A multi-char mapping of unequal length: fall back to char by char.
    return "".join(c if len(c := convert(ch)) == 1 else ch for ch in text)


def t2s(text: str, *, exceptions: bool = True) -> str:
    """Traditional -> Simplified with the gazetteer exceptions protected.

    ``exceptions=False`` is plain OpenCC, for the builder that finds the exceptions.
    """
    pattern = _exceptions_pattern() if exceptions else None
    if pattern is None:
        return _t2s_aligned(text)
    table = load_t2s_exceptions()
    parts, last = [], 0
    for m in pattern.finditer(text):
        parts.append(_t2s_aligned(text[last : m.start()]))
        parts.append(table[m.group()])
        last = m.end()
    parts.append(_t2s_aligned(text[last:]))
    return "".join(parts)


def s2t(text: str) -> str:
    """Simplified -> Traditional: the display toggle, the exception builder, bench/."""
    return _get_converter("s2t")(text)
