"""Print every figure extracted from the seed reports, for a precision review.

Usage: .venv/bin/python bench/figures_precision.py [--tsv]

One numbered row per figure: seed, value, unit, qualifier, year, dimension, cue and
the clause it sits in. A person reads the rows and marks each right or wrong
(value, unit and dimension all right); the verdicts and the resulting precision
live in docs/figures-precision.md.

Input: the cleaner's golden output in fixtures/samples/out/ when present, else
the raw seed — with seed 004's pinyin glosses and doubled punctuation removed by
the same stop-gap regex the tests use.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from archive.ingest.figures import extract_figures  # noqa: E402
from archive.ingest.figures.segments import CLAUSE_END  # noqa: E402

SEEDS = ROOT / "fixtures" / "seeds"
CLEANED = ROOT / "fixtures" / "samples" / "out"
_GLOSS = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zàáǎèéěìíǐòóǒùúǔüǖǘǚǜńňḿāēīōū]+\)")


def stopgap_clean(text: str) -> str:
    """Drop pinyin glosses after Han characters (關(guān)) and doubled commas."""
    text = _GLOSS.sub("", text)
    return text.replace(",,", ",").replace(",、", "、")


def seed_text(path: Path) -> str:
    cleaned = CLEANED / path.name
    if cleaned.exists():
        return cleaned.read_text(encoding="utf-8")
    return stopgap_clean(path.read_text(encoding="utf-8"))


def clause_of(text: str, start: int, end: int) -> str:
    left, right = start, end
    while left > 0 and text[left - 1] not in CLAUSE_END:
        left -= 1
    while right < len(text) and text[right] not in CLAUSE_END:
        right += 1
    return text[left:right].strip()


def main(argv: list[str]) -> None:
    sep = "\t" if "--tsv" in argv else " | "
    n = 0
    for path in sorted(SEEDS.glob("*.txt")):
        text = seed_text(path)
        for fig in extract_figures(text):
            n += 1
            row = [
                f"{n:3d}",
                path.name[:3],
                str(fig.value),
                fig.unit,
                fig.qualifier or "-",
                str(fig.year or "-"),
                fig.dimension or "-",
                fig.cue or "-",
                clause_of(text, fig.start, fig.end),
            ]
            print(sep.join(row))
    print(f"# {n} figures", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
