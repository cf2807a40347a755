"""Distinctive keywords (textkit/keywords.py) on the five seed reports, cleaned by the
real pipeline, and on small made-up sentences for the rules."""

from collections import Counter
from functools import cache

import pytest

from archive.ingest.pipeline import process_document
from textkit import is_han, tokenize
from textkit.keywords import (
    STOPWORDS,
    corpus_stats,
    distinctive_terms,
    document_terms,
    numbered_names,
)

from .conftest import SEED_EXPECTED, seed_path

CITIES = {prefix: expected["city"] for prefix, expected in SEED_EXPECTED.items()}
OWN_NAMES = {
    "兰州市": ["兰州市", "兰州", "甘肃省", "甘肃"],
    "运城市": ["运城市", "运城", "山西省", "山西"],
    "呼和浩特市": ["呼和浩特市", "呼和浩特", "内蒙古自治区", "内蒙古"],
    "德州市": ["德州市", "德州", "山东省", "山东"],
    "泸州市": ["泸州市", "泸州", "四川省", "四川"],
}


@cache
def seed_terms() -> dict[str, Counter]:
    """City -> term counts of its seed's clean text (pipeline only, no database)."""
    terms = {}
    for prefix, city in CITIES.items():
        path = seed_path(prefix)
        clean = process_document(path.read_bytes(), filename=path.name).clean_text
        terms[city] = document_terms(clean)
    return terms


def keywords_of(city: str) -> list[str]:
    terms = seed_terms()
    corpus = corpus_stats(terms.values())
    return [k.term for k in distinctive_terms(terms[city], corpus, exclude=OWN_NAMES[city])]


def ten_most_frequent_words() -> set[str]:
    """The archive's ten most frequent words, counted from raw jieba tokens."""
    counts: Counter[str] = Counter()
    for prefix in CITIES:
        path = seed_path(prefix)
        clean = process_document(path.read_bytes(), filename=path.name).clean_text
        counts.update(t.text for t in tokenize(clean, subwords=False) if len(t.text) >= 2)
    return {word for word, _ in counts.most_common(10)}


@pytest.mark.parametrize("city", CITIES.values())
def test_each_seed_city_has_a_keyword_that_no_other_city_uses(city):
    others = set().union(*(set(t) for c, t in seed_terms().items() if c != city))
    assert set(keywords_of(city)) - others


@pytest.mark.parametrize("city", CITIES.values())
def test_no_keyword_is_one_of_the_ten_most_frequent_words_of_the_archive(city):
    top = ten_most_frequent_words()
    assert "人才" in top
    assert not set(keywords_of(city)) & top


@pytest.mark.parametrize(
    ("city", "expected"),
    [
        ("德州市", {"黄金30条", "九三学社", "中关村"}),
        ("兰州市", {"金城", "名师", "班主任"}),
        ("泸州市", {"四川大学", "电子科技", "返乡"}),
        ("呼和浩特市", {"首府", "乳品", "疫苗"}),
        ("运城市", {"省校", "包联"}),
    ],
)
def test_the_terms_an_analyst_would_name_are_among_each_citys_keywords(city, expected):
    assert expected <= set(keywords_of(city))


def test_huangjin_30_tiao_is_one_of_dezhous_first_five_keywords():
    assert "黄金30条" in keywords_of("德州市")[:5]


def test_the_citys_own_name_is_left_out_and_traditional_text_counts_as_simplified():
    keywords = keywords_of("泸州市")
    assert not {"泸州", "泸州市", "瀘州"} & set(keywords)
    assert seed_terms()["泸州市"]["泸州"] > 0  # seed 004 is Traditional: 瀘州


def test_a_quoted_numbered_policy_name_is_rebuilt_from_adjacent_tokens():
    text = "先后出台人才政策“黄金30条”“乡村人才振兴20条”等"
    assert numbered_names(text, tokenize(text, subwords=False)) == [
        ("黄金30条", ["黄金"]),
        ("乡村人才振兴20条", ["乡村", "人才", "振兴"]),
    ]


def test_unquoted_counts_and_numbers_without_a_count_word_are_not_names():
    text = "同比增长30%，与30余家企业合作，出台30条措施，“30条”。"
    assert numbered_names(text, tokenize(text, subwords=False)) == []


def test_a_word_used_only_inside_a_numbered_name_is_not_counted_on_its_own():
    terms = document_terms("出台“黄金30条”，落实“黄金30条”。")
    assert terms["黄金30条"] == 2
    assert "黄金" not in terms


def test_single_characters_numbers_and_stopwords_are_not_candidates():
    terms = document_terms("我们今天在德州发布2024年人才政策的细则")
    assert set(terms) == {"德州", "发布", "人才", "政策", "细则"}
    assert all(is_han(t) and len(t) >= 2 for t in terms)
    assert "我们" in STOPWORDS and "今天" in STOPWORDS


def test_a_word_in_every_document_scores_zero_and_is_never_a_keyword():
    docs = [Counter({"人才": 40, "公寓": 3}), Counter({"人才": 1, "驿站": 2})]
    corpus = corpus_stats(docs)
    assert corpus.idf("人才") == 0
    assert [k.term for k in distinctive_terms(docs[0], corpus)] == ["公寓"]


def test_sublinear_frequency_ranks_a_rare_term_above_a_common_repeated_one():
    docs = [Counter({"公寓": 30, "驿站": 2}), Counter({"公寓": 1}), Counter({"其他": 1})]
    ranked = distinctive_terms(docs[0], corpus_stats(docs))
    assert [k.term for k in ranked] == ["驿站", "公寓"]
    assert ranked[0].count == 2


def test_an_empty_archive_has_no_keywords():
    assert distinctive_terms(Counter({"公寓": 3}), corpus_stats([])) == []
