"""Title, date, source and type of the five seeds.

The clean text the cleaner will produce is built here by hand from each seed: the
lines an editor would keep (headline once, body, signature), with the spam token
"B体育" (000) and the pinyin glosses and doubled commas (004) removed.
"""

import re
from datetime import date

import pytest

from archive.ingest.metadata import detect_date, detect_doc_type, detect_source, detect_title
from tests.conftest import seed_path

TODAY = date(2025, 1, 1)

# (first, last) line ranges, 1-based as an editor shows them, of what the cleaner keeps.
KEEP = {
    "000": [(4, 4), (10, 108)],  # headline; transcript up to "谢谢大家!"
    "001": [(11, 11), (15, 73)],  # headline; body up to "(记者 杨红义 杨 琳)"
    "002": [(3, 3), (8, 112)],  # headline once; body up to the reporter's credit
    "003": [(1, 22)],  # two reply letters, no chrome at all
    "004": [(1, 1), (3, 17)],  # headline once; letter down to the signature date
}


def raw_text(prefix: str) -> str:
    return seed_path(prefix).read_text(encoding="utf-8")


def clean_text(prefix: str) -> str:
    lines = raw_text(prefix).split("\n")
    kept = [lines[n - 1].strip() for first, last in KEEP[prefix] for n in range(first, last + 1)]
    text = "\n".join(line for line in kept if line).replace("B体育", "")
    text = re.sub(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]+\)", "", text)  # 關(guān) -> 關
    return text.replace(",,", ",").replace(",、", "、").replace(",。", "。")


def title_of(prefix: str, hint: str | None = None):
    return detect_title(raw=raw_text(prefix), clean=clean_text(prefix), title_hint=hint)


def date_of(prefix: str):
    return detect_date(raw=raw_text(prefix), clean=clean_text(prefix), date_hints=(), today=TODAY)


def source_of(prefix: str):
    return detect_source(raw=raw_text(prefix), clean=clean_text(prefix), source_hint=None)


def test_the_hand_built_clean_text_starts_with_the_headline_and_drops_spam():
    assert clean_text("000").startswith(
        "深入实施人才优先发展战略 为兰州高质量发展提供更有力人才支撑"
    )
    assert "B体育" not in clean_text("000")
    assert clean_text("004").endswith("瀘州市人力資源和社會保障局\n2024年6月18日")
    assert "(guān)" not in clean_text("004")


@pytest.mark.parametrize(
    ("prefix", "title", "rule"),
    [
        (
            "000",
            "深入实施人才优先发展战略 为兰州高质量发展提供更有力人才支撑新闻发布会实录(文+图)",
            "first_line",
        ),
        ("001", "厚植人才沃土 赋能高质量发展", "first_line"),
        ("002", "创新链产业链人才链深度融合 呼和浩特市深化改革“环境留才”", "first_line"),
        (
            "003",
            "关于《关于全面占领人才引进高地,为高质量发展提供持久动力的建议》的答复",
            "proposal",
        ),
        (
            "004",
            "瀘州市人力資源和社會保障局關于對市九屆人大三次會議S09030288號建議答復的函",
            "first_line",
        ),
    ],
)
def test_it_finds_each_seeds_headline(prefix, title, rule):
    detected = title_of(prefix)
    assert (detected.value, detected.extra["rule"]) == (title, rule)


def test_it_moves_a_leading_column_tag_out_of_the_title():
    assert title_of("002").extra["column"] == "锚定现代化 改革再深化"


def test_it_says_the_reply_letters_title_was_built_from_the_quoted_proposal():
    evidence = title_of("003").evidence
    assert "按所答复的建议拟定" in evidence
    assert "您提出的《关于全面占领人才引进高地" in evidence


def test_it_prefers_the_page_title_without_its_site_suffix():
    hint = (
        "深入实施人才优先发展战略 为兰州高质量发展提供更有力人才支撑新闻发布会实录(文+图)"
        "_甘肃新闻发布厅_每日甘肃网"
    )
    detected = title_of("000", hint)
    assert detected.value == (
        "深入实施人才优先发展战略 为兰州高质量发展提供更有力人才支撑新闻发布会实录(文+图)"
    )
    assert detected.extra["rule"] == "page_title"
    assert "已去掉网站名后缀" in detected.evidence


def test_it_finds_a_headline_printed_twice_when_the_clean_text_starts_elsewhere():
    body = "\n".join(clean_text("002").split("\n")[1:])  # a cleaner that lost the headline
    detected = detect_title(raw=raw_text("002"), clean=body, title_hint=None)
    assert detected.value == "创新链产业链人才链深度融合 呼和浩特市深化改革“环境留才”"
    assert detected.extra["rule"] == "repeated"


@pytest.mark.parametrize(
    ("prefix", "iso", "precision", "rule"),
    [
        ("000", "2022-12-09", "day", "header"),
        ("001", "2023-02-06", "day", "byline"),
        ("002", "2024-09-28", "day", "byline"),
        ("004", "2024-06-18", "day", "signature"),
    ],
)
def test_it_dates_each_seed_by_the_strongest_rule_available(prefix, iso, precision, rule):
    detected = date_of(prefix)
    assert (detected.value.isoformat(), detected.value.precision) == (iso, precision)
    assert detected.extra["rule"] == rule


def test_it_dates_seed_000_by_its_page_header_and_says_it_is_a_fallback():
    # The body only says "12月17日" (no year); 2022-12-09 sits above the headline, so it
    # is the repost/capture time. Kept as a fallback, and the evidence says so.
    evidence = date_of("000").evidence
    assert "2022-12-09 12:01:11" in evidence
    assert "fallback" in evidence


def test_it_leaves_seed_003_undated_instead_of_using_dates_from_its_prose():
    detected = date_of("003")  # the body mentions "2020年9月推出…" and "2020年全市…"
    assert detected.value is None
    assert "no date" in detected.evidence


def test_it_names_the_signing_body_as_the_date_evidence_of_004():
    assert "瀘州市人力資源和社會保障局" in date_of("004").evidence


@pytest.mark.parametrize(
    ("prefix", "source", "rule"),
    [
        ("000", "每日甘肃网", "breadcrumb"),
        ("001", "山西大院新闻网", "copyright"),
        ("002", "内蒙古新闻网", "byline"),
        ("003", "市委组织部", "letter_header"),
        ("004", "瀘州市人力資源和社會保障局", "signature"),
    ],
)
def test_it_finds_each_seeds_outlet_or_issuing_body(prefix, source, rule):
    detected = source_of(prefix)
    assert (detected.value, detected.extra["rule"]) == (source, rule)


def test_it_reads_seed_003_as_letters_from_two_bodies_to_the_proposer():
    detected = source_of("003")
    assert detected.extra["addressee"] == "九三学社德州市委"
    assert detected.extra["also"] == ["市人力资源和社会保障局"]


def test_a_page_source_hint_wins_and_loses_its_label():
    detected = detect_source(
        raw=raw_text("002"), clean=clean_text("002"), source_hint="来源：新华社"
    )
    assert (detected.value, detected.extra["rule"]) == ("新华社", "meta")


def test_a_url_is_not_taken_as_a_source_hint():
    detected = detect_source(
        raw=raw_text("002"), clean=clean_text("002"), source_hint="https://www.facebook.com/x"
    )
    assert detected.value == "内蒙古新闻网"


@pytest.mark.parametrize(
    ("prefix", "doc_type"),
    [
        ("000", "press_conference"),
        ("001", "news"),
        ("002", "news"),
        ("003", "proposal_reply"),
        ("004", "proposal_reply"),
    ],
)
def test_it_types_each_seed(prefix, doc_type):
    detected = detect_doc_type(title=title_of(prefix).value, clean=clean_text(prefix))
    assert detected.value == doc_type


def test_it_types_the_reply_letter_from_its_opening_even_without_a_title():
    detected = detect_doc_type(title="", clean=clean_text("003"))
    assert detected.value == "proposal_reply"
    assert "reply letter opening" in detected.evidence
