"""Build upload files (.html, .docx, .pdf, .warc, .zip) from the seed reports, in the
tests themselves (issue 6): the files are made with the writers staff's tools use
(python-docx, fpdf2, warcio, zipfile), so the readers meet realistic structure.
"""

from __future__ import annotations

import io
import zipfile
from html import escape
from pathlib import Path

from docx import Document
from fpdf import FPDF
from fpdf.enums import WrapMode
from pypdf import PdfReader, PdfWriter
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.conftest import seed_path

# fpdf2 embeds TrueType outlines; Debian's fonts-droid-fallback has CJK glyphs but
# no Latin digits or punctuation, so DejaVu (always on Debian) is the fallback.
# (path, number in a collection). Noto Sans CJK (fonts-noto-cjk) does not do: its
# CFF outlines embedded by fpdf2 come back from pypdf as scrambled lines.
CJK_FONTS = ((Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"), 0),)
LATIN_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
)


def seed_text(prefix: str) -> str:
    return seed_path(prefix).read_text(encoding="utf-8")


def cjk_font() -> tuple[Path, int] | None:
    """The first installed CJK font and its number in a collection."""
    return next(((p, n) for p, n in CJK_FONTS if p.is_file()), None)


def html_page(text: str, *, title: str = "") -> bytes:
    """A saved news page: the seed's lines as paragraphs inside site chrome, with a
    script and a style that must never reach a page."""
    paragraphs = "\n".join(f"<p>{escape(line)}</p>" for line in text.split("\n") if line.strip())
    return f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>{escape(title)}</title>
<script>alert("xss");document.write("<p>统计代码</p>")</script>
<style>body {{ color: red }} .x::after {{ content: "样式文字" }}</style></head>
<body>
<header><div class="logo">某某新闻网</div></header>
<nav><ul><li><a href="/">首页</a></li><li><a href="/news">新闻中心</a></li></ul></nav>
<article>
{paragraphs}
</article>
<aside class="sidebar"><h3>热点排行</h3><ol><li>无关的新闻标题一则</li></ol></aside>
<footer><p>Copyright © 2024 某某新闻网 版权所有</p><p>京ICP备00000000号</p></footer>
</body></html>""".encode()


def docx_file(
    text: str, *, title: str | None = None, table: list[list[str]] | None = None
) -> bytes:
    """One Word paragraph per line of ``text`` (blank lines stay empty paragraphs)."""
    document = Document()
    if title:
        document.core_properties.title = title
    for line in text.split("\n"):
        document.add_paragraph(line)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_file(text: str, *, title: str | None = None, font: tuple[Path, int] | None = None) -> bytes:
    """A printed PDF of ``text``: lines wrap at the margin character by character,
    as Chinese word processors wrap, so the reader has to undo the wraps."""
    found = font or cjk_font()
    if found is None:
        raise LookupError("no CJK font installed (apt-get install fonts-droid-fallback)")
    pdf = FPDF()
    pdf.add_page()
    pdf.add_font("cjk", fname=str(found[0]), collection_font_number=found[1])
    fallbacks = []
    for i, latin in enumerate(p for p in LATIN_FONTS if p.is_file()):
        pdf.add_font(f"latin{i}", fname=str(latin))
        fallbacks.append(f"latin{i}")
    pdf.set_font("cjk", size=11)
    pdf.set_fallback_fonts(fallbacks)
    if title:
        pdf.set_title(title)
    for line in text.split("\n"):
        pdf.multi_cell(0, 6, line, new_x="LMARGIN", new_y="NEXT", wrapmode=WrapMode.CHAR)
    return bytes(pdf.output())


def scanned_pdf() -> bytes:
    """A PDF whose pages hold only drawings (what a scanner gives): no text layer."""
    pdf = FPDF()
    for _ in range(2):
        pdf.add_page()
        pdf.rect(20, 20, 170, 250, style="F")
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    """A PDF that needs a user password to open."""
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(0, 10, "Talent policy report, confidential")
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(bytes(pdf.output()))))
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def warc_file(pages: list[dict], *, gzip: bool = True) -> bytes:
    """A WARC of response records; each page: uri, body, date, status, content_type."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=gzip)
    for page in pages:
        headers = StatusAndHeaders(
            page.get("status", "200 OK"),
            [("Content-Type", page.get("content_type", "text/html; charset=utf-8"))],
            protocol="HTTP/1.1",
        )
        record = writer.create_warc_record(
            page["uri"],
            "response",
            payload=io.BytesIO(page["body"]),
            http_headers=headers,
            warc_headers_dict={"WARC-Date": page.get("date", "2024-06-20T08:00:00Z")},
        )
        writer.write_record(record)
    return buffer.getvalue()


def zip_file(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data in members.items():
            bundle.writestr(name, data)
    return buffer.getvalue()


def zip_bomb(*, inflated_mb: int = 600) -> bytes:
    """One member of zeros that inflates to ``inflated_mb`` MB (about 0.6 MB packed)."""
    buffer = io.BytesIO()
    chunk = b"\0" * (1024 * 1024)
    with (
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle,
        bundle.open("bomb.txt", "w", force_zip64=True) as member,
    ):
        for _ in range(inflated_mb):
            member.write(chunk)
    return buffer.getvalue()
