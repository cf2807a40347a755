"""Edge cases of the ingest fast paths (issue 14): each shortcut must answer as the
general rule does, on the inputs the shortcut skips or treats specially."""

from datetime import date

import pytest

from archive.ingest.dedup import fingerprint_text, text_hash
from archive.ingest.figures.segments import Span, bounds
from archive.ingest.metadata_date import find_dates, standalone_date
from archive.ingest.neardup import sketch
from archive.ingest.pipeline import process_document
from archive.ingest.script import detect_script
from tests.conftest import seed_path

TODAY = date(2025, 1, 1)


def test_the_fingerprint_keeps_letters_and_digits_of_every_script_only():
    # underscore, punctuation, symbols and spaces go; full-width forms fold (NFKC)
    assert fingerprint_text("Ａ_b，1２ 中國！①％") == "ab12中国1"


def test_the_pipeline_hashes_and_sketches_as_the_public_functions_do():
    done = process_document(seed_path("004").read_bytes(), filename="004.txt")
    assert done.text_hash == text_hash(done.clean_text)
    assert done.sketch == sketch(done.clean_text)


@pytest.mark.parametrize(
    ("start", "end", "within", "expected"),
    [
        (3, 4, Span(0, 9), Span(2, 4)),  # stops on both sides: ，before 乙, ；after 丙
        (3, 4, Span(3, 4), Span(3, 4)),  # the figure fills the span
        (1, 2, Span(0, 2), Span(0, 2)),  # no stop: the whole span
        (2, 3, Span(3, 9), Span(2, 4)),  # starts before the span: left stays put
        (6, 7, Span(0, 9), Span(5, 9)),  # after the last stop: to the span's end
    ],
)
def test_bounds_stop_at_the_nearest_stop_inside_the_span(start, end, within, expected):
    assert bounds("甲，乙丙；丁戊己庚", start, end, within, "，；") == expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("（２０２４－０６－１８）", date(2024, 6, 18)),  # full-width digits and dashes
        ("２０２４／６／１８", date(2024, 6, 18)),
        ("二〇二四年六月十八日", date(2024, 6, 18)),
        ("2024年6月18日", date(2024, 6, 18)),
    ],
)
def test_standalone_dates_in_every_form_are_still_found(line, expected):
    found = standalone_date(line, today=TODAY)
    assert found is not None and found.value == expected


@pytest.mark.parametrize("line", ["6月18日", "第20240618号", "18/06", "共计2024人"])
def test_lines_without_a_year_form_hold_no_date(line):
    assert standalone_date(line, today=TODAY) is None
    assert find_dates(line, today=TODAY) == []


def test_script_counts_traditional_characters_and_skips_simplified_text():
    traditional = detect_script("瀘州市人力資源和社會保障局關於發放補貼的通知")
    simplified = detect_script("泸州市人力资源和社会保障局关于发放补贴的通知")
    assert traditional.value == "traditional" and "0/" not in traditional.evidence
    assert simplified.value == "simplified" and "（0/" in simplified.evidence
