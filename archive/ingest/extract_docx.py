"""Word (.docx) -> main text, one paragraph or table row per line.

Staff receive reply letters and policy documents as .docx (seed 003 and 004 are
such letters copied to the web). The body is read in document order, tables
included (policy documents put subsidies in tables); page headers and footers are
left out like a web page's chrome. A .docx is a zip, so its declared sizes are
checked before python-docx inflates anything (a 50 MB upload must not become
gigabytes of XML in memory).
"""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.opc.exceptions import PackageNotFoundError
from docx.table import Table

from archive.ingest.extract import Extracted
from archive.ingest.types import IngestError

#: inflated size of all parts together; real reports are a few MB of XML at most.
MAX_DOCX_UNCOMPRESSED = 200 * 1024 * 1024
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # old .doc, and every password-protected .docx


def extract_docx(data: bytes) -> Extracted:
    """Text and title hint of a .docx, or IngestError naming what is wrong with it."""
    if data.startswith(_OLE_MAGIC):
        raise IngestError(
            "这是加密的 Word 文件或旧版 .doc 文件，请另存为未加密的 .docx / "
            "encrypted Word file or old .doc format: save it as an unprotected .docx"
        )
    _check_package(data)
    try:
        document = Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise IngestError(f"无法读取的 Word 文件 / unreadable .docx file ({exc})") from exc
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            lines.extend(_table_lines(block))
        else:
            lines.append(block.text)
    text = "\n".join(" ".join(line.split()) for line in lines).strip("\n")
    if not text.strip():
        raise IngestError("Word 文件里没有文字 / the .docx file contains no text")
    return Extracted(text=text, title_hint=confirmed_title(document.core_properties.title, text))


def _check_package(data: bytes) -> None:
    """Refuse a non-zip or a zip that would inflate past MAX_DOCX_UNCOMPRESSED."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            total = sum(info.file_size for info in package.infolist())
            has_body = "word/document.xml" in package.namelist()
    except zipfile.BadZipFile as exc:
        raise IngestError("这不是有效的 .docx 文件 / not a valid .docx file (not a zip)") from exc
    if total > MAX_DOCX_UNCOMPRESSED:
        raise IngestError(
            f"Word 文件解压后过大（{total} 字节）/ .docx inflates to {total} bytes, over the limit"
        )
    if not has_body:
        raise IngestError("这不是 Word 文档（缺少 word/document.xml）/ not a Word document")


def _table_lines(table: Table) -> list[str]:
    """One line per row, cells separated by a space; merged cells appear once."""
    lines = []
    for row in table.rows:
        cells: list[str] = []
        for cell in row.cells:
            text = " ".join(cell.text.split())
            if text and (not cells or cells[-1] != text):
                cells.append(text)
        lines.append(" ".join(cells))
    return lines


def confirmed_title(title: str | None, text: str) -> str | None:
    """A file's Title property only if the text itself opens with it: Word and PDF
    printers fill it from templates ("Microsoft Word - 文档1"), so alone it proves nothing."""
    title = " ".join((title or "").split())
    head = text.split("\n")[:5]
    return title if len(title) >= 4 and any(title in line for line in head) else None
