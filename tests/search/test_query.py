import pytest

from search.query import MAX_QUERY_CHARS, parse_query
from search.query_nodes import Nothing
from textkit import normalize

from .conftest import all_documents

SEEDS = {"000", "001", "002", "003", "004"}


def containing(*needles: str) -> set[str]:
    """Ids of the test documents whose normalized text contains every needle."""
    return {
        doc_id
        for doc_id, (title, body) in all_documents().items()
        if all(n in normalize(f"{title}\n\n{body}") for n in needles)
    }


def test_rencai_gongyu_finds_the_three_seeds_about_talent_apartments(find):
    assert set(find("人才公寓")) == {"000", "002", "004"}


@pytest.mark.parametrize("q", ["瀘州", "泸州"])
def test_traditional_and_simplified_luzhou_both_find_the_traditional_seed(find, q):
    assert find(q) == ["004"]


def test_quoted_phrase_needs_the_words_together(find):
    assert containing("拎包", "入住") >= {"apart"}  # both words are in "apart"…
    assert set(find('"拎包入住"')) == {"000", "002", "004"}  # …but not together
    assert "apart" in find("拎包入住")  # unquoted: all words required, anywhere


def test_chinese_curly_quotes_make_a_phrase_too(find):
    assert set(find("“拎包入住”")) == {"000", "002", "004"}


@pytest.mark.parametrize("phrase", ["人才引进", "住房补贴", "高层次人才"])
def test_phrase_queries_find_exactly_the_reports_containing_the_phrase(find, phrase):
    expected = containing(phrase)
    assert expected  # the phrase really occurs in the test data
    assert set(find(f'"{phrase}"')) == expected


def test_a_minus_word_excludes_reports_containing_it(find):
    assert "003" in find("人才")
    assert set(find("人才 -德州")) == set(find("人才")) - {"003"}


def test_a_query_of_only_exclusions_returns_everything_else(find):
    assert set(find("-德州")) == set(all_documents()) - containing("德州")


def test_a_one_character_query_finds_every_report_containing_it(find):
    assert set(find("房")) == containing("房")
    assert len(containing("房")) >= 5


def test_a_class_and_b_class_are_distinguishable(find):
    assert find("A类") == ["a_class"]
    assert find("B类") == ["b_class"]
    assert find("a类人才") == ["a_class"]


def test_an_amount_is_searchable_without_matching_larger_amounts(find):
    # b_class says 5万元, 000 says 每年发放5万元; a_class says 100万元.
    assert set(find("5万元")) == {"b_class", "000"}


def test_an_unspaced_chinese_query_is_segmented_into_required_words(find):
    parsed = parse_query("高层次人才引进")
    assert parsed.highlight_terms == ("高层次人才引进", "高层次", "人才", "引进")
    expected = containing("高层次", "人才", "引进")
    assert set(find("高层次人才引进")) == expected
    assert len(expected - containing("高层次人才引进")) >= 3  # not only verbatim hits


def test_a_verbatim_match_of_an_unspaced_query_ranks_first(find):
    assert containing("高层次人才引进") == {"000"}
    assert find("高层次人才引进")[0] == "000"


def test_a_title_match_ranks_above_a_body_only_match(find):
    assert find("公积金") == ["in_title", "in_body"]


def test_or_between_words_makes_them_alternatives(find):
    assert set(find("瀘州 OR 德州")) == {"003", "004"}


def test_lowercase_or_is_an_ordinary_word():
    parsed = parse_query("人才 or 公寓")
    assert parsed.highlight_terms == ("人才", "or", "公寓")


def test_latin_is_case_insensitive(find):
    assert find("s09030288号") == find("S09030288號") == ["004"]


def test_gazetteer_exception_names_match_in_both_scripts():
    assert parse_query("乾安縣").highlight_terms == parse_query("乾安县").highlight_terms
    assert parse_query("乾安县").highlight_terms == ("乾安县",)


def test_excluded_terms_are_not_highlighted():
    parsed = parse_query('人才 -德州 -"黄金30条"')
    assert parsed.highlight_terms == ("人才",)
    assert parsed.excluded == ("德州", "黄金30条")


@pytest.mark.parametrize("q", ["", "   ", "*", "?", "()", '"', "-", "OR", "、。,"])
def test_queries_without_searchable_text_are_empty(q):
    parsed = parse_query(q)
    assert parsed.is_empty
    assert parsed.query == Nothing()


HOSTILE = [
    '"人才公寓',
    '人才"',
    "*",
    "人才*",
    "?",
    "AND",
    "NOT 人才",
    "人才 AND NOT 公寓",
    "(人才 OR 公寓",
    "人才)",
    "人才" * 2500,
    "人\x00才",
    "<script>alert(1)</script>",
    "OR OR OR",
    "- - -",
    "--德州",
    "\ud800",
    "title:人才",
    "人才~2 ^3 [a TO b] {x}",
]


@pytest.mark.parametrize("q", HOSTILE, ids=lambda q: ascii(q[:12]))
def test_hostile_queries_never_raise(find, q):
    assert isinstance(find(q), list)


@pytest.mark.parametrize(
    ("hostile", "plain"),
    [
        ('"人才公寓', "人才公寓"),
        ("人才*", "人才"),
        ("(瀘州 OR 德州", "瀘州 OR 德州"),
        ("瀘州)", "瀘州"),
        ("瀘州 OR OR", "瀘州"),
    ],
)
def test_operators_we_do_not_support_are_read_as_punctuation(find, hostile, plain):
    assert find(hostile) == find(plain)
    assert find(plain)


def test_very_long_queries_are_cut():
    parsed = parse_query("人才" * 2500)
    assert len(parsed.text) == MAX_QUERY_CHARS
    assert parsed.highlight_terms[-1] == "人才"


def test_a_nul_byte_separates_words():
    assert parse_query("人\x00才").highlight_terms == ("人", "才")


def test_operator_lookalikes_are_searched_as_plain_words():
    assert parse_query("NOT 人才").highlight_terms == ("not", "人才")
