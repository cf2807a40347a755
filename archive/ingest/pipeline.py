"""The whole pure ingest path for one file: bytes in, everything to store out.

decode -> extract (.docx and .pdf: extract straight from the bytes) -> clean ->
detect (title, date, source, type, place, script) -> fingerprint. No database
here: the service in archive/services.py decides about duplicates and saves;
``reprocess`` calls the same function on stored originals, so a rule fixed here
fixes every stored report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath

from archive.gazetteer import Gazetteer

from . import metadata, neardup
from . import metadata_official as official
from .clean import clean_text
from .decode import decode_bytes
from .dedup import fingerprint_text, hash_fingerprint
from .extract import Extracted, extract, html_declared_charset
from .extract_docx import extract_docx
from .extract_pdf import extract_pdf
from .figures import Figure, extract_figures
from .metadata_source import site_name_in_copyright
from .metadata_text import content_lines
from .places import PlaceDetection, detect_place
from .script import detect_script
from .types import Detected, IngestError, PartialDate

TEXT_SUFFIXES = {".txt", ".md", ".html", ".htm"}
#: formats with their own text layer: no charset decoding, the extractor reads the bytes.
BINARY_EXTRACTORS: dict[str, Callable[[bytes], Extracted]] = {
    ".docx": extract_docx,
    ".pdf": extract_pdf,
}
#: containers of several documents, split before ingest (archive/ingest/inputs.py).
CONTAINER_SUFFIXES = {".zip", ".warc", ".gz"}


@dataclass(frozen=True)
class Processed:
    encoding: str
    decoded_text: str
    clean_text: str
    removed: tuple
    title: Detected[str]
    date: Detected[PartialDate]
    source: Detected[str]
    source_url: str | None
    doc_type: Detected[str]
    place: PlaceDetection
    script: Detected[str]
    text_hash: str
    figures: tuple[Figure, ...] = ()
    #: 文号 and 发文机关 of an official document ("" when the text has none).
    doc_number: Detected[str] = Detected("")
    issuer: Detected[str] = Detected("")
    #: bottom-k MinHash of the clean text (near-duplicates): computed here, in the
    #: pipeline workers of ``import_reports --workers``, not in the one writer.
    sketch: tuple[int, ...] = ()

    def evidence(self) -> dict[str, str]:
        """Evidence per detected field, as shown to staff and analysts."""
        return {
            "title": self.title.evidence,
            "published_on": self.date.evidence,
            "source": self.source.evidence,
            "doc_type": self.doc_type.evidence,
            "city": self.place.city_evidence,
            "province": self.place.province_evidence,
            "script": self.script.evidence,
            "doc_number": self.doc_number.evidence,
            "issuer": self.issuer.evidence,
            "encoding": f"编码：{self.encoding}",
        }


def file_suffix(filename: str) -> str:
    return PurePath(filename).suffix.lower()


def process_document(
    data: bytes, *, filename: str, gazetteer: Gazetteer | None = None
) -> Processed:
    """Run every pure stage on one file; raises IngestError with a reason."""
    suffix = file_suffix(filename)
    if suffix in BINARY_EXTRACTORS:
        if not data.strip():
            raise IngestError("文件为空 / empty file (0 bytes)")
        extracted = BINARY_EXTRACTORS[suffix](data)
        encoding, decoded_text = suffix.lstrip("."), extracted.text
    elif suffix in TEXT_SUFFIXES:
        declared = html_declared_charset(data) if suffix in {".html", ".htm"} else None
        decoded = decode_bytes(data, declared=declared)
        extracted = extract(decoded.text, filename=filename)
        encoding, decoded_text = decoded.encoding, decoded.text
    elif suffix in CONTAINER_SUFFIXES:
        raise IngestError(
            f"{suffix} 是多个文件的容器，需先拆分 / {suffix} holds several documents: "
            "split it first (archive.ingest.inputs)"
        )
    else:
        raise IngestError(f"不支持的文件类型 {suffix or '(无扩展名)'} / unsupported file type")
    cleaned = clean_text(extracted.text)
    page = extracted.page_text or extracted.text  # bylines and footers outside the article
    if not cleaned.text.strip():
        raise IngestError("清理后没有正文 / no report text left after removing site chrome")
    title = metadata.detect_title(raw=page, clean=cleaned.text, title_hint=extracted.title_hint)
    clean_lines = content_lines(cleaned.text)
    number = official.doc_number(clean_lines)
    issuer = official.issuer(
        page_lines=content_lines(page), lines=clean_lines, title=title.value or ""
    )
    doc_type = metadata.detect_doc_type(
        title=title.value or "", clean=cleaned.text, doc_number=number.value or ""
    )
    source = metadata.detect_source(
        raw=page,
        clean=cleaned.text,
        source_hint=extracted.source_hint,
        site_hint=extracted.site_hint,
        issuer=issuer.value or "",
        title=title.value or "",
        policy=doc_type.value == "policy_document",
        gazetteer=gazetteer,
    )
    folded = fingerprint_text(cleaned.text)  # once, for the exact hash and the sketch
    return Processed(
        encoding=encoding,
        decoded_text=decoded_text,
        clean_text=cleaned.text,
        removed=cleaned.removed,
        title=title,
        date=metadata.detect_date(
            raw=page,
            clean=cleaned.text,
            date_hints=extracted.date_hints,
            title=title.value or "",
        ),
        source=source,
        source_url=extracted.source_url_hint,
        doc_type=doc_type,
        place=detect_place(
            title=title.value or "",
            text=cleaned.text,
            gazetteer=gazetteer,
            issuer=issuer.value or "",
            site=extracted.site_hint or site_name_in_copyright(content_lines(page)) or "",
        ),
        script=detect_script(cleaned.text),
        text_hash=hash_fingerprint(folded),
        figures=tuple(extract_figures(cleaned.text)),
        sketch=neardup.sketch_folded(folded),
        doc_number=number,
        issuer=issuer,
    )
