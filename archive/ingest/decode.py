"""Bytes -> text for uploaded reports: UTF-8/16, GB18030 or Big5, or a clear refusal.

Order of evidence, strongest first (each step is explained where it is coded):
1. a byte-order mark;                  2. magic numbers / NULs / control bytes -> binary;
3. BOM-less UTF-16 (NULs on one byte parity);   4. strict UTF-8;
5. the declared charset (HTML meta / HTTP header), if the bytes decode cleanly with it;
6. UTF-8 with local damage (a few invalid sequences among many valid ones);
7. GB18030 vs Big5, chosen by how many decoded characters are common Chinese ones;
8. charset-normalizer, for the rare non-Chinese legacy file.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from charset_normalizer import from_bytes

from archive.ingest.types import IngestError


@dataclass(frozen=True)
class Decoded:
    """Decoded text (newlines normalized to "\\n") and the encoding that produced it."""

    text: str
    encoding: str
    replacements: int = 0  # undecodable sequences replaced by U+FFFD


_BOMS = (  # UTF-32 first: its LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_MAGIC = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP/DOCX"),
    (b"PK\x05\x06", "ZIP"),
    (b"\x89PNG", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF8", "GIF"),
    (b"\x7fELF", "ELF"),
    (b"\x1f\x8b", "GZIP"),
    (b"\xd0\xcf\x11\xe0", "DOC/XLS (OLE)"),
    (b"Rar!", "RAR"),
    (b"7z\xbc\xaf", "7Z"),
    (b"SQLite format 3\x00", "SQLite"),
    (b"RIFF", "RIFF (WEBP/WAV/AVI)"),
)

# Bytes that never occur in real text in any of our encodings (tab, LF, FF, CR allowed).
_CONTROL_BYTES = frozenset(range(32)) - {9, 10, 12, 13} | {127}
_CONTROL_DELETE = bytes(sorted(_CONTROL_BYTES))

# The 500 most frequent characters of jieba's dictionary (0.42.1 dict.txt; character
# frequency = sum of the frequencies of the words containing it), plus the Traditional
# forms OpenCC s2t, s2tw and s2hk give for them. They cover ~77% of the Chinese
# characters of every seed, but only ~7% of Big5 bytes read as GB18030 and ~3% of
# GB18030 bytes read as Big5.
_COMMON_SIMPLIFIED = (
    "一是人了不在有大中国和为这上他个地年来我会以到时要出的生学说道民家子也成行下们于"
    "后就发自之对得主长可过天作分方用多你着部能市等业全里工公经本都而高政法面门动日进"
    "区事代那去心小同北定开产前其军还然起种所如现理机体表力好外与文当两实重新三么只山"
    "水关明从化平建又制南内西没此将员名手最东头者月间无安看见各城十相但已些正口通想度"
    "加第她合院物性战由位常点海意场武使次二向治因立数样身情入原问把路被并利石老教万知"
    "级量任江及应省资委务元美特期世湖回系比气汉总展电科金先声提品设或义王社很统处四首"
    "共马形己儿司太目基领队直计别女权话少流命至报米给打变果书清活几州华解议更称程今决"
    "张导术府才保交放管结师便走达族反再题色五京河接条规式县白它改风光运信受什组听布百"
    "济党指论强做取技黄神选记斯真却职号界件花类何眼兵传带空干农边据集联古广完质阳难增"
    "历史专官每住商即步认车台林必死游举线言皇土团收考求德叫近备研争非具李众连调感转笑"
    "革该持始英克士尔让拉思根格造较际亲单朝红型价校约器字段周亚深候则功属积快图火千准"
    "究往极育装许参半令吃观鱼精办像帝八复影告远群包整构料随划算象容示投势热值夫网望源"
    "息语股铁断派速怎需片爱律纪支早况病境证编"
)
_COMMON_TRADITIONAL = (
    "國爲這個來會時學說們於後發對長過業裏經門動進區開產軍還種現機體與當兩實麼關從內沒"
    "將員東頭間無見戰點場數樣問並萬級應資務氣漢總電聲設義統處馬兒領隊計別權話報給變書"
    "幾華議稱決張導術結師達題條規縣風運組聽濟黨論強黃選記卻職號類傳帶幹農邊據聯廣質陽"
    "難歷專認車臺遊舉線團備爭衆連調轉該爾讓較際親單紅價約亞則屬積圖準極裝許參喫觀魚辦"
    "復遠羣構隨勢熱網語鐵斷愛紀況證編為著裡眾説"
)
_COMMON = frozenset(_COMMON_SIMPLIFIED + _COMMON_TRADITIONAL)

_MULTIBYTE_FAMILIES = ("utf-", "gb18030", "big5", "shift_jis", "euc", "iso2022", "cp9")
_LABEL_ALIASES = {"x-gbk": "gbk", "gb_2312-80": "gb2312", "x-big5": "big5"}
_GB_LIKE = {"gb2312", "gbk", "gb18030"}
_BIG5_LIKE = {"big5", "cp950", "big5hkscs"}
_BIG5_CODECS = ("big5", "cp950", "big5hkscs")  # Python's big5 is the narrowest


def decode_bytes(data: bytes, *, declared: str | None = None) -> Decoded:
    """Decode an uploaded text file, or raise IngestError saying why it is not text."""
    if not data.strip(b" \t\r\n\f\v"):
        raise IngestError(
            "文件为空或只有空白 / empty file (no content or only whitespace)"
            if data
            else "文件为空 / empty file (0 bytes)"
        )
    decoded = _decode_unicode_marked(data) or _decode_unmarked(data, declared)
    text = decoded.text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    if not text.strip():
        raise IngestError("文件为空或只有空白 / empty file (only whitespace)")
    return Decoded(text, decoded.encoding, decoded.replacements)


def _decode_unicode_marked(data: bytes) -> Decoded | None:
    """BOM, or UTF-16 recognisable by its NUL bytes; refuse binaries before guessing."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _decode_with_replacements(data[len(bom) :], codec.replace("-sig", ""), codec)
    kind = _binary_kind(data)
    utf16 = _utf16_without_bom(data)
    if utf16 is not None:
        return utf16
    if kind is not None:
        raise IngestError(f"这是二进制文件（{kind}），不是文本 / binary file ({kind}), not text")
    return None


def _binary_kind(data: bytes) -> str | None:
    """Name the binary format, or None when the bytes may be text."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if b"\x00" in data:
        return "NUL bytes"
    head = data[:65536]
    controls = len(head) - len(head.translate(None, _CONTROL_DELETE))  # counted in C
    if controls > max(2, len(head) // 100):
        return "control bytes"
    return None


def _utf16_without_bom(data: bytes) -> Decoded | None:
    """UTF-16 without BOM: ASCII characters (newlines, digits) put NULs on one parity.

    CJK characters rarely have a NUL byte (一 U+4E00 does: ~1 NUL in 10 on the other
    side in seed 000), so a 3:1 imbalance plus text that reads as text decides.
    """
    if len(data) < 4 or len(data) % 2:
        return None
    even, odd = data[0::2].count(0), data[1::2].count(0)
    if max(even, odd) < 4 or min(even, odd) * 3 > max(even, odd):
        return None
    codec = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return Decoded(text, codec) if _looks_like_text(text) else None


def _looks_like_text(text: str) -> bool:
    """At least 95% of the characters are ones Chinese reports are written in.

    Binary data read as UTF-16 spreads over the whole BMP (Hangul, symbols, PUA,
    controls), so it fails this even though every code unit "decodes".
    """
    texty = sum(1 for ch in text if _is_texty(ch))
    return texty >= 0.95 * len(text)


def _is_texty(ch: str) -> bool:
    """Printable ASCII, whitespace, Latin-1 letters, CJK ideographs and punctuation."""
    code = ord(ch)
    return (
        32 <= code < 127
        or ch in "\t\n\r\f"
        or 0xA0 <= code <= 0x24F
        or 0x2000 <= code <= 0x206F
        or 0x3000 <= code <= 0x303F
        or 0x4E00 <= code <= 0x9FFF
        or 0xFF00 <= code <= 0xFFEF
    )


def _decode_unmarked(data: bytes, declared: str | None) -> Decoded:
    """Choose among UTF-8, the declared charset, GB18030 and Big5 for BOM-less bytes."""
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    trusted = _trusted_declared(data, declared)
    if trusted is not None:
        return trusted
    return (
        _damaged_utf8(data, min_valid_per_invalid=9)
        or _best_chinese(data)
        or _damaged_utf8(data, min_valid_per_invalid=2)
        or _fallback_detector(data)
    )


def _trusted_declared(data: bytes, declared: str | None) -> Decoded | None:
    """The declared charset, if the bytes decode cleanly with it.

    A single-byte charset (ISO-8859-1, windows-1252) decodes any bytes, so it is
    trusted only for mostly-ASCII text: Chinese pages often declare it by mistake.
    """
    codec = _codec_name(declared) if declared else None
    if codec is None:
        return None
    candidates = _BIG5_CODECS if codec == "big5" else (codec,)
    if not codec.startswith(_MULTIBYTE_FAMILIES) and _non_ascii_ratio(data) > 0.1:
        return None
    for candidate in candidates:
        try:
            return Decoded(data.decode(candidate), codec)
        except (UnicodeDecodeError, LookupError):
            continue
    return None


def _codec_name(label: str) -> str | None:
    """Normalise a charset label ("GB2312", "x-gbk", "utf8") to the codec we decode with."""
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(_LABEL_ALIASES.get(label, label)).name
    except LookupError:
        return None
    if name in _GB_LIKE:
        return "gb18030"  # superset: GBK pages routinely contain GB18030-only characters
    return "big5" if name in _BIG5_LIKE else name


def _damaged_utf8(data: bytes, *, min_valid_per_invalid: int) -> Decoded | None:
    """UTF-8 with some invalid sequences (a pasted or truncated stretch), kept as UTF-8.

    GB18030 or Big5 bytes read as UTF-8 give about 3 invalid sequences per valid
    multibyte character (measured on the seeds). At 9 valid per invalid (>= 90% of
    the non-ASCII text well-formed) UTF-8 wins before GB18030/Big5 are tried; at 2
    per invalid it is still the best reading of a file those cannot decode either
    (e.g. a UTF-8 page with a GBK paragraph pasted in).
    """
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd") - data.count("\ufffd".encode())
    valid = sum(1 for ch in text if ord(ch) > 127) - invalid
    if valid >= min_valid_per_invalid * invalid:
        return Decoded(text, "utf-8", invalid)
    return None


def _best_chinese(data: bytes) -> Decoded | None:
    """GB18030 or Big5, by the share of common characters in the result.

    Big5 bytes nearly always decode "cleanly" as GB18030 (its byte ranges are a
    subset), so errors alone cannot decide; common characters can (about 77% when
    right, under 15% when wrong). A short text (under ~100 characters, 300 bytes) may contain
    no common character at all: then a clean decode that reads as text still beats a
    Korean/Japanese guess from charset-normalizer, unless the bytes are mostly ASCII.
    """
    candidates = [_decode_with_replacements(data, "gb18030", "gb18030")]
    candidates += [_decode_with_replacements(data, c, "big5") for c in _BIG5_CODECS]
    scored = [(_score(d), d) for d in candidates if d.replacements <= len(d.text) // 100]
    if not scored:
        return None
    best_score, best = max(scored, key=lambda pair: pair[0])  # max keeps the first tie
    if best_score >= 0.3:
        return best
    if len(data) > 300 or _non_ascii_ratio(data) <= 0.1:
        return None
    clean = [d for _, d in scored if d.replacements == 0 and _looks_like_text(d.text)]
    return clean[0] if clean else None


def _score(decoded: Decoded) -> float:
    """Share of common Chinese characters among the CJK ones, minus decode errors."""
    cjk = [ch for ch in decoded.text if "\u4e00" <= ch <= "\u9fff"]
    if not cjk:
        return 0.0
    return sum(ch in _COMMON for ch in cjk) / len(cjk) - decoded.replacements / len(cjk)


def _decode_with_replacements(data: bytes, codec: str, name: str) -> Decoded:
    """Decode with U+FFFD for bad sequences and count how many were replaced."""
    text = data.decode(codec, errors="replace")
    genuine = data.count("\ufffd".encode(codec, errors="ignore") or b"\x00")
    return Decoded(text, name, text.count("\ufffd") - genuine)


def _fallback_detector(data: bytes) -> Decoded:
    """Mostly-ASCII legacy text as windows-1252 (what browsers read "latin-1" as);
    charset-normalizer for other multibyte scripts; refuse what nothing can read."""
    if _non_ascii_ratio(data) <= 0.1:
        for codec in ("cp1252", "latin-1"):
            try:
                return Decoded(data.decode(codec), codec)
            except UnicodeDecodeError:
                continue
    match = from_bytes(data).best()
    if match is not None:
        codec = _codec_name(match.encoding) or match.encoding
        if codec.startswith(_MULTIBYTE_FAMILIES):
            return Decoded(str(match), codec)
    raise IngestError(
        "无法识别文本编码（不是 UTF-8、GB18030 或 Big5） / "
        "undecodable text: not UTF-8, GB18030 or Big5"
    )


def _non_ascii_ratio(data: bytes) -> float:
    """Share of bytes >= 0x80: near zero for English, about 2/3 for Chinese text."""
    return sum(1 for byte in data if byte > 127) / len(data)
