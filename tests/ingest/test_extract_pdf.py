"""PDFs printed from the seeds with fpdf2 (archive/ingest/extract_pdf.py)."""

import pytest

from archive.ingest.extract_pdf import display_width, extract_pdf, join_wrapped_lines
from archive.ingest.pipeline import process_document
from archive.ingest.types import IngestError
from tests.upload_builders import cjk_font, encrypted_pdf, pdf_file, scanned_pdf, seed_text

needs_font = pytest.mark.skipif(
    cjk_font() is None, reason="no CJK TrueType font: apt-get install fonts-droid-fallback"
)


@needs_font
@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_a_printed_seed_has_the_text_and_metadata_of_the_txt(prefix):
    text = seed_text(prefix)
    from_txt = process_document(text.encode(), filename="seed.txt")
    from_pdf = process_document(pdf_file(text), filename="seed.pdf")
    # Same letters and digits in the same order: the exact-duplicate fingerprint.
    assert from_pdf.text_hash == from_txt.text_hash
    assert from_pdf.title.value == from_txt.title.value
    assert from_pdf.place.city == from_txt.place.city
    assert from_pdf.date.value == from_txt.date.value
    assert from_pdf.doc_type.value == from_txt.doc_type.value
    assert from_pdf.encoding == "pdf"


@needs_font
def test_printer_wraps_are_undone_inside_paragraphs():
    text = seed_text("002")
    sentence = next(line.strip() for line in text.split("\n") if len(line.strip()) > 120)
    assert sentence in extract_pdf(pdf_file(text)).text.split("\n")


def test_a_full_line_without_a_sentence_end_continues_on_the_next_line():
    page = [
        "一、工作开展情况",
        "我市坚持教育优先发展,强化现代化建设教育、科技和人",
        "才支撑,加快建设高能级科技创新平台。",
        "- 2 -",
    ]
    assert join_wrapped_lines([page]) == [
        "一、工作开展情况",
        "我市坚持教育优先发展,强化现代化建设教育、科技和人才支撑,加快建设高能级科技创新平台。",
    ]


def test_a_wrap_inside_a_number_or_a_pinyin_gloss_gets_no_space():
    page = ["四川化工职业技术学院从2", "022年6月开始试点。设(s", "hè)立奖励。"]
    # The first two lines are "full" (about the widest on the page), the last is short.
    assert join_wrapped_lines([page]) == [
        "四川化工职业技术学院从2022年6月开始试点。设(shè)立奖励。"
    ]
    assert display_width("设(s") == 4


def test_a_scanned_pdf_without_a_text_layer_is_refused_and_says_so():
    with pytest.raises(IngestError, match="no text layer"):
        extract_pdf(scanned_pdf())


def test_an_encrypted_pdf_is_refused_and_says_so():
    with pytest.raises(IngestError, match="encrypted PDF"):
        extract_pdf(encrypted_pdf())


def test_random_bytes_named_pdf_are_refused():
    with pytest.raises(IngestError, match="PDF"):
        extract_pdf(b"%PDF-1.7\n" + bytes(range(256)) * 8)
