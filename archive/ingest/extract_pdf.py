"""PDF -> main text: the text layer, with the printer's line wraps undone.

A PDF stores positioned lines, not paragraphs: a Chinese paragraph comes out of
pypdf as lines cut at the right margin, mid-sentence. ``join_wrapped_lines``
rejoins a line with the next when it reaches (nearly) the page's full width and
does not end a sentence, so the cleaner and the detectors see paragraphs as in the
.txt of the same report. Page numbers ("- 3 -", "第 3 页") are dropped.

A scanned PDF has no text layer: it is refused with that reason rather than
stored as an empty report (issue 6). An encrypted PDF is read when it opens with
the empty password (owner-password "protection" only), otherwise refused.
"""

from __future__ import annotations

import io
import itertools
import re
import unicodedata

from pypdf import PageObject, PdfReader
from pypdf.errors import DependencyError, FileNotDecryptedError, PyPdfError

from archive.ingest.extract import Extracted
from archive.ingest.extract_docx import confirmed_title
from archive.ingest.types import IngestError

MAX_PAGES = 2000
#: fewer visible characters per page than this means images with a stray caption.
MIN_CHARS_PER_PAGE = 10
#: a line at least this share of the page's widest line was wrapped by the printer.
#: Widths are estimated from characters (CJK 2, others 1): wrapped lines of the
#: seeds printed at 11 pt measure 0.94-1.0 of the widest, seed 004's headline,
#: which fits on one line, 0.85.
FULL_LINE = 0.86
#: a line ending in one of these ends its paragraph. Not ")": seed 004's pinyin
#: glosses ("產(chǎn)") end lines in mid-sentence.
_SENTENCE_END = tuple("。！？；：…”」』!?;:")
_PAGE_NUMBER = re.compile(
    r"\s*(?:[-—–]\s*\d{1,4}\s*[-—–]|第\s*\d{1,4}\s*页(?:\s*[/，,]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}|\d{1,4})\s*"
)


def extract_pdf(data: bytes) -> Extracted:
    """Text layer and title hint of a PDF, or IngestError saying why there is none."""
    reader = _open(data)
    try:
        pages = [page_lines(page) for page in reader.pages[:MAX_PAGES]]
        title = (reader.metadata or {}).get("/Title")
    # pypdf raises many exception types on damaged files (its own, ValueError,
    # KeyError, struct errors...); every one means "this file cannot be read".
    except Exception as exc:  # noqa: BLE001
        raise IngestError(f"PDF 文件已损坏，无法读取 / damaged PDF ({type(exc).__name__})") from exc
    visible = sum(1 for page in pages for line in page for ch in line if not ch.isspace())
    if visible < MIN_CHARS_PER_PAGE * max(1, len(pages)):
        raise IngestError(
            "PDF 没有文字层（可能是扫描件），请先做文字识别（OCR）再上传；未保存 / "
            "the PDF has no text layer (scanned images?): run OCR first; nothing was stored"
        )
    text = "\n".join(join_wrapped_lines(pages))
    return Extracted(text=text, title_hint=confirmed_title(str(title or ""), text))


def _open(data: bytes) -> PdfReader:
    try:
        reader = PdfReader(io.BytesIO(data))
    except (PyPdfError, ValueError, OSError) as exc:
        raise IngestError(f"无法读取的 PDF 文件 / unreadable PDF ({exc})") from exc
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except (DependencyError, NotImplementedError, FileNotDecryptedError):
            opened = 0
        if not opened:
            raise IngestError(
                "PDF 已加密（需要密码），请上传未加密的版本 / "
                "encrypted PDF (needs a password): upload an unprotected copy"
            )
    if len(reader.pages) > MAX_PAGES:
        raise IngestError(f"PDF 页数过多（> {MAX_PAGES}）/ more than {MAX_PAGES} pages")
    return reader


def page_lines(page: PageObject) -> list[str]:
    """The page's text lines, with "" where a larger vertical gap than the usual
    line spacing separates two lines: paragraph spacing, the only paragraph mark
    many PDFs have (and the blank lines of a printed .txt)."""
    lines: list[str] = [""]
    heights: list[float | None] = [None]

    def visit(text: str, cm: list, tm: list, font: object, size: object) -> None:
        # pypdf reads the two-byte codes of some embedded CFF fonts as NUL + glyph
        # (seen with Noto Sans CJK printed by fpdf2); a NUL is never text.
        text = text.replace("\x00", "")
        for i, piece in enumerate(text.split("\n")):
            if i:
                lines.append("")
                heights.append(None)
            if piece.strip() and heights[-1] is None:
                heights[-1] = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            lines[-1] += piece

    page.extract_text(visitor_text=visit)
    return _with_paragraph_gaps(lines, heights)


def _with_paragraph_gaps(lines: list[str], heights: list[float | None]) -> list[str]:
    placed = [(line, y) for line, y in zip(lines, heights, strict=True) if y is not None]
    gaps = [a[1] - b[1] for a, b in itertools.pairwise(placed) if a[1] > b[1]]
    if not gaps:
        return [line for line, _ in placed]
    usual = sorted(gaps)[len(gaps) // 2]
    out = [placed[0][0]]
    for (_, above), (line, y) in itertools.pairwise(placed):
        if above - y > 1.5 * usual:
            out.append("")
        out.append(line)
    return out


def display_width(line: str) -> int:
    """Columns a line takes: CJK, full-width forms and the "ambiguous" punctuation
    that CJK fonts draw full-width (“”…—·) count 2; letters (pinyin ā) and the rest 1."""
    return sum(_char_width(ch) for ch in line)


def _char_width(ch: str) -> int:
    kind = unicodedata.east_asian_width(ch)
    if kind in "WF" or (kind == "A" and not ch.isalpha()):
        return 2
    return 1


def join_wrapped_lines(pages: list[list[str]]) -> list[str]:
    """Lines of all pages with printer wraps rejoined and page numbers dropped.

    Widths are compared within a page (margins and font size can change between
    pages); a wrap at the foot of a page continues on the next one.
    """
    # When paragraphs are set apart by spacing, a full line ending in "。" is still
    # a wrap (seed 000: "…优质服务。" at the margin, "近三年来…" below it).
    spaced = any(not line.strip() for page in pages for line in page)
    out: list[str] = []
    open_line = False  # out[-1] was wrapped and continues on the next line
    for page in pages:
        lines = _without_page_numbers([line.rstrip() for line in page])
        widest = max((display_width(line.strip()) for line in lines), default=0)
        for line in lines:
            stripped = line.strip()
            if not stripped:
                out.append("")
                open_line = False
                continue
            if open_line:
                out[-1] = _glue(out[-1], stripped)
            else:
                out.append(stripped)
            open_line = display_width(stripped) >= FULL_LINE * widest and (
                spaced or not stripped.endswith(_SENTENCE_END)
            )
    return out


def _without_page_numbers(lines: list[str]) -> list[str]:
    """Drop a page number printed as the page's first or last line (not a lone
    number inside the text: seed 001 has a "0" comment counter of its own)."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    ends = {filled[0], filled[-1]} if filled else set()
    return [
        line for i, line in enumerate(lines) if i not in ends or not _PAGE_NUMBER.fullmatch(line)
    ]


def _glue(left: str, right: str) -> str:
    """Join a wrapped line to its continuation. Chinese text wraps anywhere, even
    inside a number or a pinyin gloss (seed 004: "2\n022年", "數(s\nhù)"), so no
    space is added unless the line is mostly Latin text wrapped between words."""
    wide = sum(1 for ch in left if unicodedata.east_asian_width(ch) in "WF")
    latin_line = wide < 0.2 * len(left)
    if latin_line and (left[-1] + right[0]).isascii() and (left[-1] + right[0]).isalnum():
        return f"{left} {right}"
    return left + right
