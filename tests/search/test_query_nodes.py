"""The parser's output as the project's own query nodes, and their Whoosh compilation.

The nodes are the contract between search.query and both engines (issue 15):
what an analyst's query means is decided here, once, in engine-neutral terms.
"""

from dataclasses import replace

import pytest
from whoosh import query as wq

from search.query import TITLE_BOOST, TYPED_BOOST, parse_query, query_to_run, title_only
from search.query_nodes import (
    AllOf,
    AnyOf,
    Everything,
    Not,
    Nothing,
    Phrase,
    Preferring,
    Term,
    boosted,
)
from search.synonyms import EMPTY, build_table
from search.whoosh_matchers import AdjacentPhrase, PreloadingOr
from search.whoosh_query import UnsupportedQuery, compile_query

TABLE = build_table([["购房补贴", "购房补助"], ["落户", "入户"]])


def word(text: str) -> AnyOf:
    """A two-character Han word as the parser searches it (issue 16's recall guarantee)."""
    return AnyOf((Term("text", text), Term("grams", text), Term("title", text, TITLE_BOOST)))


def leaves(node) -> list:
    if isinstance(node, (Term, Phrase)):
        return [node]
    children = {
        AllOf: lambda n: n.parts,
        AnyOf: lambda n: n.parts,
        Preferring: lambda n: (n.required, n.preferred),
        Not: lambda n: (n.base, n.excluded),
    }.get(type(node), lambda n: ())(node)
    return [leaf for child in children for leaf in leaves(child)]


@pytest.mark.parametrize(
    "simplified, traditional",
    [
        ("购房补贴", "購房補貼"),
        ("高层次人才引进", "高層次人才引進"),
        ('"人才公寓" -德州', '"人才公寓" -德州'),
    ],
)
def test_simplified_and_traditional_give_the_same_nodes(simplified, traditional):
    assert parse_query(traditional).query == parse_query(simplified).query
    assert (
        parse_query(traditional, synonyms=TABLE).query
        == parse_query(simplified, synonyms=TABLE).query
    )


def test_a_quoted_phrase_is_an_exact_grams_phrase_or_a_boosted_title_phrase():
    assert parse_query("「拎包入住」").query == AnyOf(
        (
            Phrase("grams", ("拎包", "包入", "入住")),
            Phrase("title", ("拎包", "入住"), TITLE_BOOST),
        )
    )


def test_or_makes_alternatives_of_the_words_either_side():
    assert parse_query("泸州 OR 德州").query == AnyOf((word("泸州"), word("德州")))
    assert parse_query("泸州 德州").query == AllOf((word("泸州"), word("德州")))


def test_an_exclusion_is_not_an_exact_grams_match():
    assert parse_query("房 -德州").query == Not(
        Term("grams", "房"), AnyOf((Term("grams", "德州"),))
    )
    assert parse_query("-德州").query == Not(Everything(), AnyOf((Term("grams", "德州"),)))


def test_an_unspaced_query_requires_its_words_and_prefers_the_verbatim_string():
    assert parse_query("人才公寓").query == Preferring(
        AllOf((word("人才"), word("公寓"))), Phrase("grams", ("人才", "才公", "公寓"))
    )


def test_in_title_moves_every_clause_to_the_titles_fields():
    query = title_only(parse_query('人才公寓 "拎包入住" -德州').query)
    assert {leaf.field for leaf in leaves(query)} == {"title", "title_grams"}
    assert title_only(Everything()) == Everything()


def test_synonyms_widen_a_word_with_the_typed_branch_boosted():
    plain = parse_query("购房补贴").query
    widened = parse_query("购房补贴", synonyms=TABLE).query
    assert isinstance(plain, Preferring) and isinstance(widened, Preferring)
    assert widened.required == AnyOf(
        (replace(plain.required, boost=TYPED_BOOST), parse_query('"购房补助"').query)
    )
    assert widened.preferred == plain.preferred  # verbatim 购房补贴 still ranks first


def test_exact_searches_nothing_but_what_was_typed():
    exact = parse_query("购房补贴 落户", synonyms=EMPTY).query
    assert exact == parse_query("购房补贴 落户").query
    texts = {leaf.text if isinstance(leaf, Term) else "".join(leaf.words) for leaf in leaves(exact)}
    assert not {"补助", "入户", "房补补助"} & texts
    assert all(getattr(node, "boost", 1.0) != TYPED_BOOST for node in exact.required.parts)


def test_phrases_and_exclusions_are_never_widened():
    assert (
        parse_query('"购房补贴" -落户', synonyms=TABLE).query
        == parse_query('"购房补贴" -落户').query
    )


@pytest.mark.parametrize("q, expected", [("", Everything()), ("*", None)])
def test_what_to_run_when_nothing_was_searched(q, expected):
    assert parse_query(q).query == Nothing()
    assert query_to_run(parse_query(q)) == expected


def test_nodes_are_values_with_a_stable_repr():
    """The Whoosh result cache keys on repr(query): equal parses, equal keys."""
    a, b = parse_query("人才 OR 公寓 -德州"), parse_query("人才 OR 公寓 -德州")
    assert a.query == b.query and hash(a.query) == hash(b.query)
    assert repr(a.query) == repr(b.query) and "Term(field='grams', text='德州'" in repr(a.query)
    with pytest.raises(TypeError):
        boosted(Not(Everything(), Nothing()), 2.0)


def test_the_whoosh_compiler_builds_the_projects_fast_classes():
    compiled = compile_query(parse_query('人才公寓 "拎包入住" -德州').query)
    assert isinstance(compiled, wq.AndNot) and isinstance(compiled.a, wq.AndMaybe)
    required = compiled.a.a
    assert isinstance(required, wq.And) and type(required.subqueries[1]) is PreloadingOr
    assert compiled.a.b == AdjacentPhrase("grams", ["人才", "才公", "公寓"])
    assert type(compiled.a.b) is AdjacentPhrase
    assert compile_query(Term("title", "人才", TITLE_BOOST)) == wq.Term("title", "人才", boost=2.0)
    assert compile_query(Everything()) == wq.Every()
    assert compile_query(Nothing()) is wq.NullQuery


def test_the_whoosh_compiler_refuses_what_it_does_not_know():
    with pytest.raises(UnsupportedQuery):
        compile_query("人才")
