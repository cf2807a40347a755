"""The report page's text: paragraphs with figures marked, shown in either script,
and its dates in the reader's language.

Everything here returns plain strings in small dataclasses; the template escapes
each piece and wraps a figure in ``<mark id="fig-N">`` itself, so no text from an
uploaded document is ever marked safe (STYLE.md, "Dangerous constructs").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from textkit import s2t, t2s

SCRIPTS = ("simplified", "traditional")


@dataclass(frozen=True)
class Piece:
    text: str
    figure: int | None = None  # the figure's ordinal when this piece is a figure


@dataclass
class Paragraph:
    number: int  # 1-based, the ``#p-N`` permalink
    pieces: list[Piece] = field(default_factory=list)


@dataclass(frozen=True)
class FigureSpan:
    ordinal: int
    start: int
    end: int


def paragraph_spans(clean_text: str, title: str) -> list[tuple[int, int]]:
    """Offsets of ``Report.paragraphs()`` in the clean text, in the same order.

    Same rule as the model: non-blank lines, minus a first line repeating the title.
    """
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in clean_text.split("\n"):
        if line.strip():
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    if spans and clean_text[slice(*spans[0])].strip() == title.strip():
        spans = spans[1:]
    return spans


def marked_paragraphs(
    clean_text: str,
    title: str,
    figures: Iterable[FigureSpan],
    convert: Callable[[str], str] = str,
) -> tuple[list[Paragraph], set[int]]:
    """Paragraphs split into plain and figure pieces, and the ordinals marked.

    A figure that crosses a paragraph boundary, overlaps an earlier one or lies in
    the dropped title line is left unmarked rather than guessed at. ``convert``
    (t2s or s2t) is applied piece by piece, so offsets never need re-mapping.
    """
    ordered = sorted(figures, key=lambda f: (f.start, f.end))
    paragraphs: list[Paragraph] = []
    marked: set[int] = set()
    i = 0
    for number, (start, end) in enumerate(paragraph_spans(clean_text, title), 1):
        para = Paragraph(number)
        cursor = start
        while i < len(ordered) and ordered[i].start < end:
            fig = ordered[i]
            i += 1
            if fig.start < cursor or fig.end > end or fig.end <= fig.start:
                continue
            if fig.start > cursor:
                para.pieces.append(Piece(convert(clean_text[cursor : fig.start])))
            para.pieces.append(Piece(convert(clean_text[fig.start : fig.end]), fig.ordinal))
            marked.add(fig.ordinal)
            cursor = fig.end
        if cursor < end:
            para.pieces.append(Piece(convert(clean_text[cursor:end])))
        paragraphs.append(para)
    return paragraphs, marked


def display_script(requested: str | None, stored: str) -> str:
    """The script to show: ``?script=`` when it names one, else the stored script."""
    return requested if requested in SCRIPTS else stored


def converter(*, shown: str, stored: str) -> Callable[[str], str]:
    """The conversion from the stored text to the shown script (identity if equal)."""
    if shown == stored:
        return str
    return t2s if shown == "simplified" else s2t


#: Chinese-only evidence labels (archive/ingest/metadata*.py) as message ids, so an
#: English reader gets "city from the title: 瀘州市" rather than half a sentence of
#: Chinese interface text; the quoted document text after the colon stays as it is.
EVIDENCE_LABELS = {
    "城市取自标题": gettext_lazy("城市取自标题"),
    "城市取自正文所提区县": gettext_lazy("城市取自正文所提区县"),
    "城市取自正文": gettext_lazy("城市取自正文"),
    "省份取自上级行政区": gettext_lazy("省份取自上级行政区"),
    "省份取自标题": gettext_lazy("省份取自标题"),
    "省份取自正文所提城市": gettext_lazy("省份取自正文所提城市"),
    "省份取自正文": gettext_lazy("省份取自正文"),
    "编码": gettext_lazy("编码"),
}
_MENTIONS_RE = re.compile(r"（提及(\d+)次）$")
_TRADITIONAL_RE = re.compile(r"繁体字占 ([\d.]+%)（(\d+)/(\d+) 个汉字）")


def _english_evidence(note: str) -> str | None:
    """An English version of a Chinese-only note, None when its label is unknown."""
    traditional = _TRADITIONAL_RE.fullmatch(note)
    if traditional:
        share, changed, total = traditional.groups()
        return _("繁体字占 %(share)s（%(changed)s/%(total)s 个汉字）") % {
            "share": share,
            "changed": changed,
            "total": total,
        }
    label, _colon, quote = note.partition("：")
    english = EVIDENCE_LABELS.get(label)
    if english is None:
        return None
    quote = _MENTIONS_RE.sub(lambda m: " " + _("（提及 %(n)s 次）") % {"n": m.group(1)}, quote)
    return f"{english}: {quote}" if quote else str(english)


def evidence_text(evidence: str, language: str) -> str:
    """The reader's half of an evidence note ``中文说明：引文 / English note``.

    Detection writes most notes in both languages (archive/ingest/metadata*.py);
    the English half is the ASCII tail after the last " / ", and an English reader
    gets it with the quoted document text (``page title: 瀘州市…``). Chinese-only
    notes are translated by their label (``EVIDENCE_LABELS``); an unknown one is
    shown whole rather than lost.
    """
    head, sep, tail = evidence.rpartition(" / ")
    bilingual = bool(sep and head and tail.isascii())
    chinese = head if bilingual else evidence
    if not language.startswith("en"):
        return chinese
    if not bilingual:
        return _english_evidence(evidence) or evidence
    _label, colon, quote = chinese.partition("：")
    return f"{tail}: {quote}" if colon and quote else tail


def date_label(day: date | None, precision: str) -> str:
    """A publication date in the reader's language, to the precision it is known.

    ``2024年6月18日`` / ``June 18, 2024``; ``2024年6月`` / ``June 2024``; ``2024``.
    """
    if day is None:
        return _("日期不详")
    if precision == "year":
        return str(day.year)
    return date_format(day, "YEAR_MONTH_FORMAT" if precision == "month" else "DATE_FORMAT")


@dataclass(frozen=True)
class FigureRow:
    figure: Any  # archive.models.Figure
    marked: bool  # False: not found in the shown paragraphs, so no #fig-N link
    dimension: str  # the dimension's label, translated
    sentence: str  # in the shown script


@dataclass(frozen=True)
class ReadingView:
    """Everything the report page shows of a report's text, in the shown script."""

    script: str
    title: str
    paragraphs: list[Paragraph]
    figures: list[FigureRow]
    evidence: dict[str, str]
    published: str


def reading_view(
    report: Any,
    figures: Sequence[Any],
    *,
    requested_script: str | None,
    language: str,
    dimension_labels: Mapping[str, object],
) -> ReadingView:
    """The report page's text for ``?script=`` and the reader's ``language``."""
    shown = display_script(requested_script, report.script)
    convert = converter(shown=shown, stored=report.script)
    spans = [FigureSpan(f.ordinal, f.start, f.end) for f in figures]
    paragraphs, marked = marked_paragraphs(report.clean_text, report.title, spans, convert)
    evidence = report.evidence if isinstance(report.evidence, dict) else {}
    return ReadingView(
        script=shown,
        title=convert(report.title),
        paragraphs=paragraphs,
        figures=[
            FigureRow(
                f,
                f.ordinal in marked,
                str(dimension_labels.get(f.dimension, "")),
                convert(f.sentence),
            )
            for f in figures
        ],
        evidence={key: evidence_text(str(value), language) for key, value in evidence.items()},
        published=date_label(report.published_on, report.date_precision),
    )
