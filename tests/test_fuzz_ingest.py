"""Property tests of the pure ingest stages on arbitrary text and bytes (hypothesis).

Uploads are hostile input: whatever the bytes, decode either returns text or
raises IngestError with a reason, and the later stages never raise at all.
Cleaning is idempotent and adds no character that was not in its input, except
plain spaces (odd spaces normalized) and the exact re-decoding of mojibake.

Examples are kept few (``FAST``) so the default ``make test`` stays quick on 2
cores; run ``HYPOTHESIS_PROFILE=thorough`` for a long hunt.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from archive.gazetteer import Gazetteer
from archive.ingest import metadata
from archive.ingest.clean import clean_text
from archive.ingest.clean_garbled import repair_mojibake
from archive.ingest.decode import decode_bytes
from archive.ingest.figures import extract_figures
from archive.ingest.places import detect_place
from archive.ingest.types import IngestError

from .conftest import SEEDS_DIR

# "fast" (the default) draws the same examples on every run, so CI is never flaky;
# "thorough" draws new ones. Neither writes an example database into the tree:
# a failure prints the input to reproduce it.
COMMON = {"deadline": None, "database": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("fast", max_examples=40, derandomize=True, **COMMON)
settings.register_profile("thorough", max_examples=2000, **COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "fast"))

SEED_TEXT = "\n".join(p.read_text(encoding="utf-8") for p in sorted(SEEDS_DIR.glob("*.txt")))
SEED_CHARS = sorted(set(SEED_TEXT))
# Characters the rules key on: numbers and units, spam brands, pinyin tones, odd
# spaces and invisible ones, mojibake bytes, both scripts.
TRICKY = list("0123456789.,，、。；;！!？?()（）：:万亿千百十元人次套平方米最高累计每年B体育āáǎà")
TRICKY += ["\u00a0", "\u3000", "\u200b", "\ufeff", "\u00ad", "\r", "\t", "ä", "¸", "­", "鍙"]
# No lone surrogates: decoded uploads cannot hold them.
chars = st.one_of(st.sampled_from(SEED_CHARS + TRICKY), st.characters(blacklist_categories=("Cs",)))
texts = st.text(alphabet=chars, max_size=300)


@st.composite
def spliced_seeds(draw) -> str:
    """A stretch of a real seed with arbitrary text spliced in: reaches the deep rules."""
    start = draw(st.integers(0, len(SEED_TEXT) - 1))
    piece = SEED_TEXT[start : start + draw(st.integers(0, 1500))]
    at = draw(st.integers(0, len(piece)))
    return piece[:at] + draw(texts) + piece[at:]


any_text = st.one_of(texts, spliced_seeds())


@given(st.binary(max_size=2000))
def test_decode_returns_text_or_a_reasoned_ingest_error_for_any_bytes(data):
    try:
        decoded = decode_bytes(data)
    except IngestError as exc:
        assert exc.reason
        return
    assert "\r" not in decoded.text
    assert decoded.text.strip()


@given(any_text)
def test_decode_reads_back_any_text_encoded_as_utf8(text):
    if not text.strip() or any(ord(c) < 32 and c not in "\t\n\r\x0c" for c in text):
        return  # empty or control characters: refused as binary, as it should be
    try:
        decoded = decode_bytes(text.encode("utf-8"))
    except IngestError as exc:
        assert exc.reason
        return
    assert decoded.text.replace("\n", "") == text.replace("\r", "").replace("\n", "").lstrip(
        "\ufeff"
    )


@given(any_text)
def test_cleaning_is_idempotent(text):
    once = clean_text(text).text
    assert clean_text(once).text == once


def test_cleaning_is_idempotent_on_doubly_mis_decoded_text():
    once = clean_text("Ã\x82Â\x80").text  # U+0080 as UTF-8, read as Latin-1 twice
    assert clean_text(once).text == once


@given(any_text)
def test_cleaning_adds_no_character_beyond_spaces_and_exact_mojibake_repair(text):
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    repaired, _removed = repair_mojibake(lines)
    allowed = set(text) | set("".join(repaired)) | {" ", "\n"}
    assert set(clean_text(text).text) <= allowed


@given(any_text, any_text)
@settings(max_examples=25)
def test_metadata_detection_never_raises(raw, hint):
    clean = clean_text(raw).text
    title = metadata.detect_title(raw=raw, clean=clean, title_hint=hint or None)
    metadata.detect_date(raw=raw, clean=clean, date_hints=(hint,) if hint else ())
    metadata.detect_source(raw=raw, clean=clean, source_hint=hint or None, site_hint=None)
    doc_type = metadata.detect_doc_type(title=title.value or "", clean=clean)
    assert doc_type.value in (
        None,
        "press_conference",
        "news",
        "proposal_reply",
        "policy_document",
        "work_report",
        "other",
    )


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load_default()


@given(title=any_text, text=any_text)
@settings(max_examples=25)
def test_place_detection_never_raises_and_a_city_lies_in_its_province(gazetteer, title, text):
    place = detect_place(title=title, text=text, gazetteer=gazetteer)
    if place.city is not None and place.province is not None:
        assert place.city.adcode[:2] == place.province.adcode[:2]


@given(any_text)
def test_every_figure_points_at_its_own_text_and_sentence(text):
    for figure in extract_figures(text):
        assert text[figure.start : figure.end] == figure.text
        assert figure.sentence_start <= figure.start <= figure.end <= figure.sentence_end
        assert figure.value >= 0
