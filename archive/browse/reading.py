"""The report page's text: paragraphs with figures marked, shown in either script,
and its dates in the reader's language.

Everything here returns plain strings in small dataclasses; the template escapes
each piece and wraps a figure in ``<mark id="fig-N">`` itself, so no text from an
uploaded document is ever marked safe (STYLE.md, "Dangerous constructs").
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

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


def evidence_text(evidence: str, language: str) -> str:
    """The reader's half of a bilingual evidence note ``中文说明 / English note``.

    Detection writes some notes in both languages (archive/ingest/metadata*.py);
    the English half is the ASCII tail after the last " / ". Notes without one
    (城市取自标题：瀘州市) are shown whole: they quote the document.
    """
    head, sep, tail = evidence.rpartition(" / ")
    if not sep or not head or not tail.isascii():
        return evidence
    return tail if language.startswith("en") else head


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
