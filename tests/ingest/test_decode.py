"""decode_bytes on the seeds re-encoded the ways real uploads arrive, and on non-text."""

import random

import pytest

from archive.ingest.decode import decode_bytes
from archive.ingest.types import IngestError
from tests.conftest import seed_path

SEEDS = ["000", "001", "002", "003", "004"]


def seed_text(prefix: str) -> str:
    return seed_path(prefix).read_text(encoding="utf-8")


@pytest.mark.parametrize("prefix", SEEDS)
def test_it_reads_every_seed_as_utf8_unchanged(prefix):
    decoded = decode_bytes(seed_path(prefix).read_bytes())
    assert decoded.encoding == "utf-8"
    assert decoded.text == seed_text(prefix)
    assert decoded.replacements == 0


@pytest.mark.parametrize("prefix", SEEDS)
def test_it_reads_gb18030_versions_of_the_seeds(prefix):
    decoded = decode_bytes(seed_text(prefix).encode("gb18030"))
    assert decoded.encoding == "gb18030"
    assert decoded.text == seed_text(prefix)


def test_it_reads_the_traditional_seed_in_big5_not_as_gb18030_gibberish():
    original = seed_text("004")
    big5 = original.encode("big5", errors="ignore")  # drops pinyin tone letters (guān)
    decoded = decode_bytes(big5)
    assert decoded.encoding == "big5"
    assert decoded.text == big5.decode("big5")
    assert len(decoded.text) > 0.9 * len(original)
    assert decoded.text.startswith("瀘州市人力資源和社會保障局")


def test_it_reads_a_short_big5_paragraph_as_big5():
    paragraph = (
        "我市堅持教育優先發展，強化現代化建設教育、科技和人才支撐，加快建設高能級科技創新平臺。"
    )
    decoded = decode_bytes(paragraph.encode("big5"))
    assert (decoded.encoding, decoded.text) == ("big5", paragraph)


def test_it_reads_a_short_gb18030_paragraph_as_gb18030():
    paragraph = "盐湖高新区科技企业孵化器获批成为我市首个国家级综合性孵化器。"
    decoded = decode_bytes(paragraph.encode("gb18030"))
    assert (decoded.encoding, decoded.text) == ("gb18030", paragraph)


@pytest.mark.parametrize(
    ("codec", "expected"),
    [
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16-le"),
        ("utf-16-le", "utf-16-le"),
        ("utf-16-be", "utf-16-be"),
        ("utf-32", "utf-32-le"),
    ],
)
@pytest.mark.parametrize("prefix", ["000", "004"])
def test_it_reads_unicode_encodings_with_and_without_a_bom(prefix, codec, expected):
    decoded = decode_bytes(seed_text(prefix).encode(codec))
    assert decoded.encoding == expected
    assert decoded.text == seed_text(prefix)


def test_it_reads_bom_marked_utf16_big_endian():
    data = b"\xfe\xff" + seed_text("002").encode("utf-16-be")
    assert decode_bytes(data).text == seed_text("002")


def test_it_normalizes_windows_and_old_mac_newlines():
    text = seed_text("003").replace("\n", "\r\n")
    assert decode_bytes(text.encode("gb18030")).text == seed_text("003")
    assert decode_bytes("市委组织部:\r九三学社德州市委:\r".encode()).text == (
        "市委组织部:\n九三学社德州市委:\n"
    )


def test_it_keeps_slightly_damaged_utf8_as_utf8_with_replacement_characters():
    text = seed_text("004")
    damaged = text[:1000].encode() + b"\xff\xfe" + text[1000:2000].encode() + b"\xc3("
    damaged += text[2000:].encode()
    decoded = decode_bytes(damaged)
    assert decoded.encoding == "utf-8"
    assert decoded.replacements == 3
    assert decoded.text == text[:1000] + "\ufffd\ufffd" + text[1000:2000] + "\ufffd(" + text[2000:]


def test_it_keeps_utf8_with_a_pasted_gbk_paragraph_as_utf8():
    text = seed_text("001")
    mixed = text[:2000].encode() + text[2000:2600].encode("gb18030") + text[2600:].encode()
    decoded = decode_bytes(mixed)
    assert decoded.encoding == "utf-8"
    assert decoded.text.startswith(text[:2000])
    assert decoded.text.endswith(text[2600:])


def test_it_trusts_a_declared_charset_that_decodes_cleanly():
    data = seed_text("003").encode("gb18030")
    assert decode_bytes(data, declared="GBK").encoding == "gb18030"
    assert decode_bytes(data, declared="x-gbk").text == seed_text("003")


def test_it_ignores_a_declared_charset_the_bytes_contradict():
    assert decode_bytes(seed_path("001").read_bytes(), declared="gb2312").encoding == "utf-8"
    big5 = seed_text("004").encode("big5", errors="ignore")
    assert decode_bytes(big5, declared="utf-8").encoding == "big5"


def test_it_ignores_a_declared_latin1_on_chinese_bytes():
    data = seed_text("002").encode("gb18030")
    decoded = decode_bytes(data, declared="ISO-8859-1")
    assert (decoded.encoding, decoded.text) == ("gb18030", seed_text("002"))


def test_it_ignores_an_unknown_declared_label():
    data = seed_text("002").encode("gb18030")
    assert decode_bytes(data, declared="no-such-charset").encoding == "gb18030"


def test_it_reads_mostly_ascii_legacy_text_as_windows_1252():
    text = "Talent policy notes — résumé of the Lanzhou press conference, 17 December."
    decoded = decode_bytes(text.encode("cp1252"))
    assert (decoded.encoding, decoded.text) == ("cp1252", text)


@pytest.mark.parametrize(
    "data", [b"", b"   ", b" \r\n\t\n", "\u3000\u3000\n".encode(), b"\xef\xbb\xbf"]
)
def test_it_refuses_empty_and_whitespace_only_files(data):
    with pytest.raises(IngestError) as refused:
        decode_bytes(data)
    assert "文件为空" in refused.value.reason
    assert "empty file" in refused.value.reason


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "PNG"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00word/document.xml", "ZIP"),
        (b"\x7fELF\x02\x01\x01\x00", "ELF"),
        (b"\x1f\x8b\x08\x00", "GZIP"),
    ],
)
def test_it_refuses_binary_formats_by_their_magic_number(data, kind):
    with pytest.raises(IngestError) as refused:
        decode_bytes(data)
    assert "二进制文件" in refused.value.reason
    assert kind in refused.value.reason


def test_it_refuses_random_bytes_as_binary():
    noise = random.Random(20240618).randbytes(4096)
    with pytest.raises(IngestError) as refused:
        decode_bytes(noise)
    assert "binary file" in refused.value.reason


def test_it_refuses_text_peppered_with_control_bytes():
    data = "人才政策".encode() + b"\x01\x02\x03\x04\x05\x06" + "兰州市".encode()
    with pytest.raises(IngestError, match="control bytes"):
        decode_bytes(data)


def test_it_refuses_high_bytes_no_encoding_can_read():
    with pytest.raises(IngestError) as refused:
        decode_bytes(bytes(range(0x80, 0x100)) * 4)
    assert "无法识别文本编码" in refused.value.reason
    assert "undecodable" in refused.value.reason
