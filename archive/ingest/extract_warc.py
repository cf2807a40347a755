"""Web archives (.warc, .warc.gz) -> the HTML pages they captured.

Staff save reports with a web-archiving tool (browser extensions, wget --warc-file)
so that the capture itself is evidence: the WARC names the URL fetched
(WARC-Target-URI) and when (WARC-Date). Each successful HTML response becomes one
report; images, scripts, redirects and errors in the same file are skipped.

A WARC is read twice: a first pass checks the whole file (it parses, and its
counts and sizes are within limits) before any page is handed out, so a damaged
or oversized archive is refused whole and changes nothing; the second pass yields
the pages one at a time, never holding more than one in memory. The stream must
be seekable (an uploaded temporary file or a BytesIO).
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeadersParserException

from archive.ingest.types import IngestError

#: the same limits as a zip bundle (archive/ingest/inputs.py): pages and inflated bytes.
MAX_PAGES = 2000
MAX_TOTAL = 500 * 1024 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_READ_ERRORS = (
    ArchiveLoadFailed,
    StatusAndHeadersParserException,
    EOFError,
    OSError,
    ValueError,
    zlib.error,
)


@dataclass(frozen=True)
class WarcPage:
    """One captured HTML page: its ordinal among the pages, where and when it was
    captured, and its payload (None with ``error`` when the page is too large)."""

    ordinal: int
    target_uri: str
    captured_at: str
    payload: bytes | None = None
    error: str | None = None


def warc_pages(stream: BinaryIO, *, max_bytes: int) -> Iterator[WarcPage]:
    """The HTML pages of a WARC; IngestError (before any page) if the file is refused."""
    _check(stream)
    stream.seek(0)
    ordinal = 0
    for record in ArchiveIterator(stream):
        if not _is_html_page(record):
            continue
        ordinal += 1
        uri = record.rec_headers.get_header("WARC-Target-URI") or ""
        captured = record.rec_headers.get_header("WARC-Date") or ""
        # content_stream() undoes chunked and gzip transfer encodings; reading one
        # byte past the limit catches a payload that inflates beyond it.
        payload = record.content_stream().read(max_bytes + 1)
        if len(payload) > max_bytes:
            yield WarcPage(ordinal, uri, captured, error=_too_big(max_bytes))
        else:
            yield WarcPage(ordinal, uri, captured, payload=payload)


def _check(stream: BinaryIO) -> None:
    """Parse every record header once; refuse the file on damage or broken limits."""
    pages = total = 0
    try:
        for record in ArchiveIterator(stream):
            total += record.length or 0
            pages += _is_html_page(record)
            if total > MAX_TOTAL:
                raise IngestError(
                    f"WARC 文件内容过大（超过 {MAX_TOTAL // 1048576} MB）/ "
                    "WARC content over the 500 MB limit"
                )
            if pages > MAX_PAGES:
                raise IngestError(
                    f"WARC 中网页过多（> {MAX_PAGES}）/ more than {MAX_PAGES} pages in one WARC"
                )
    except _READ_ERRORS as exc:
        # The exception text may quote the binary it choked on: name the kind only.
        raise IngestError(
            f"无法读取的 WARC 文件 / unreadable WARC file ({type(exc).__name__})"
        ) from exc
    if pages == 0:
        raise IngestError(
            "WARC 文件中没有成功抓取的 HTML 网页 / no successfully captured HTML page in the WARC"
        )


def _is_html_page(record: ArcWarcRecord) -> bool:
    """A 200 response with an HTML body (or an HTML 'resource' record, as saved by
    tools that archive local files)."""
    if record.rec_type == "response" and record.http_headers is not None:
        status = record.http_headers.get_statuscode()
        content_type = record.http_headers.get_header("Content-Type") or ""
        return status == "200" and content_type.split(";")[0].strip().lower() in _HTML_TYPES
    if record.rec_type == "resource":
        content_type = record.rec_headers.get_header("Content-Type") or ""
        return content_type.split(";")[0].strip().lower() in _HTML_TYPES
    return False


def _too_big(max_bytes: int) -> str:
    return f"网页内容过大（上限 {max_bytes // 1048576} MB）/ page larger than {max_bytes} bytes"
