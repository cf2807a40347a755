"""Synonym groups (search/synonyms.py) and the query parser's exactness around them.

Pure tests on the parser and a real Whoosh index of the seeds and made-up reports
(tests/search/conftest.py); the API's ``expanded`` and ``exact=1`` are tested in
tests/test_search_recall.py.
"""

import pytest
from whoosh import index
from whoosh.fields import ID, Schema

from search.query import parse_query
from search.synonyms import MAX_VARIANTS, build_table, split_terms
from search.whoosh_query import compile_query
from search.whoosh_schema import search_fields

TABLE = build_table(
    [
        ["购房补贴", "购房补助", "购房补贴资金"],
        ["安家补贴", "安家费", "安家补助"],
        ["博士后", "博士後"],
        ["人才公寓", "人才住房"],
    ]
)

DOCS = {
    "verbatim": ("购房补贴办法", "对引进人才给予购房补贴。"),
    "variant": ("购房补助办法", "对引进人才给予购房補助。"),
    "scattered": ("人才新政", "购房可申请贷款，另有生活补助。"),
    "settle": ("某市安家费发放", "博士安家费30万元。"),
    # the same two characters, apart by a blank line (a paragraph break)
    "blank_line": ("某区驿站", "报到当天拎包\n\n入住青年驿站。"),
    "glued": ("人才驿站", "可拎包入住。"),
    "apart": ("驿站须知", "拎包前往，登记后可入住。"),
}


@pytest.fixture(scope="module")
def find(tmp_path_factory):
    schema = Schema(id=ID(stored=True, unique=True), **search_fields())
    ix = index.create_in(str(tmp_path_factory.mktemp("synonyms")), schema)
    with ix.writer() as writer:
        for doc_id, (title, body) in DOCS.items():
            full = f"{title}\n{body}"
            writer.add_document(id=doc_id, title=title, text=full, grams=full)

    def run(q: str, *, synonyms=TABLE) -> list[str]:
        parsed = parse_query(q, synonyms=synonyms)
        with ix.searcher() as searcher:
            return [hit["id"] for hit in searcher.search(compile_query(parsed.query), limit=None)]

    return run


def test_a_group_member_also_finds_the_others_and_the_verbatim_report_ranks_first(find):
    assert find("购房补贴")[:2] == ["verbatim", "variant"]
    assert find("安家补贴") == ["settle"]


def test_a_traditional_query_expands_like_a_simplified_one(find):
    assert find("購房補貼")[:2] == ["verbatim", "variant"]
    assert parse_query("購房補貼", synonyms=TABLE).expanded == ("购房补助", "购房补贴资金")


def test_a_brought_in_spelling_is_exact_not_its_words_anywhere(find):
    """购房补助 widens 购房补贴 to 购房补助, not to 购房 ... 补助 (report "scattered")."""
    assert "scattered" in find("购房补助", synonyms=build_table([]))  # typed: words
    assert "scattered" not in find("购房补贴")


def test_phrases_exclusions_and_the_exact_flag_are_never_widened(find):
    assert find('"购房补贴"') == ["verbatim"]
    assert "variant" in find("办法 -购房补贴")
    assert find("购房补贴", synonyms=build_table([])) == ["verbatim"]
    assert parse_query('"购房补贴"', synonyms=TABLE).expanded == ()


def test_spellings_that_normalize_alike_are_no_expansion():
    assert parse_query("博士后", synonyms=TABLE).expanded == ()
    assert build_table([["博士后", "博士後"]]).groups == {}


def test_the_expansion_names_each_spelling_once_in_the_groups_script():
    parsed = parse_query("安家补贴 购房补贴", synonyms=TABLE)
    assert parsed.expanded == ("安家费", "安家补助", "购房补助", "购房补贴资金")
    assert "购房补助" in parsed.highlight_terms


def test_a_chunk_naming_many_groups_stays_bounded():
    q = "购房补贴安家补贴人才公寓购房补贴"  # 3 x 3 x 2 x 3 - 1 = 53 variants
    assert len(TABLE.variants(q)) == MAX_VARIANTS


def test_staff_may_separate_members_with_any_usual_mark():
    assert split_terms("购房补贴、购房补助, 购房资助\n购房补贴；购房补贴资金") == [
        "购房补贴",
        "购房补助",
        "购房资助",
        "购房补贴资金",
    ]


def test_a_phrase_never_spans_a_blank_line(find):
    assert "blank_line" not in find('"拎包入住"')
    assert find('"拎包入住"') == ["glued"]


def test_single_characters_stay_glued_into_a_phrase(find):
    """可拎包: 可 alone means little; "apart" has 可 and 拎包, not 可拎包."""
    assert find("可拎包") == ["glued"]
