"""Word files built from the seeds with python-docx (archive/ingest/extract_docx.py)."""

import pytest

from archive.ingest.extract_docx import extract_docx
from archive.ingest.pipeline import process_document
from archive.ingest.types import IngestError
from tests.upload_builders import docx_file, seed_text, zip_file


def test_it_reads_paragraphs_then_table_rows_in_document_order():
    data = docx_file(
        "泸州市人才公寓政策\n对新引进博士给予安家补贴。",
        table=[["人才类别", "补贴"], ["博士", "最高20万元"]],
    )
    assert extract_docx(data).text == (
        "泸州市人才公寓政策\n对新引进博士给予安家补贴。\n人才类别 补贴\n博士 最高20万元"
    )


@pytest.mark.parametrize("prefix", ["001", "004"])
def test_a_seed_as_docx_cleans_to_exactly_the_text_of_the_txt(prefix):
    text = seed_text(prefix)
    from_txt = process_document(text.encode(), filename="seed.txt")
    from_docx = process_document(docx_file(text), filename="seed.docx")
    assert from_docx.clean_text == from_txt.clean_text
    assert from_docx.title.value == from_txt.title.value
    assert from_docx.place.city == from_txt.place.city
    assert from_docx.date.value == from_txt.date.value
    assert from_docx.encoding == "docx"


def test_the_title_property_counts_only_when_the_text_opens_with_it():
    body = "厚植人才沃土 赋能高质量发展\n2022年,全市不断强化科教人才支撑。"
    assert extract_docx(docx_file(body, title="厚植人才沃土 赋能高质量发展")).title_hint == (
        "厚植人才沃土 赋能高质量发展"
    )
    assert extract_docx(docx_file(body, title="Microsoft Word - 文档1")).title_hint is None


def test_an_encrypted_or_old_word_file_is_refused_with_a_reason():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    with pytest.raises(IngestError, match="encrypted Word file or old .doc"):
        extract_docx(ole)


def test_a_zip_that_is_not_a_word_document_is_refused():
    with pytest.raises(IngestError, match="not a Word document"):
        extract_docx(zip_file({"readme.txt": "你好".encode()}))
    with pytest.raises(IngestError, match="not a valid .docx"):
        extract_docx("纯文本，不是 zip".encode())


def test_a_word_file_without_text_is_refused():
    with pytest.raises(IngestError, match="contains no text"):
        extract_docx(docx_file("\n\n"))
