"""The Elasticsearch compiler's JSON for the parser's nodes (offline: no server).

Same nodes as tests/search/test_query_nodes.py; tests/test_elastic.py checks the
request around them and, with SEARCH_URL set, the same matches as Whoosh.
"""

import json

import pytest

from search.elastic_query import UnsupportedQuery, es_query
from search.query import parse_query, title_only
from search.query_nodes import Everything, Nothing
from search.synonyms import build_table

TABLE = build_table([["购房补贴", "购房补助"]])


def word(field_text: str, *, fields=("text", "grams", "title")) -> dict:
    terms = [
        {"term": {fields[0]: {"value": field_text}}},
        {"term": {fields[1]: {"value": field_text}}},
    ]
    terms.append({"term": {fields[2]: {"value": field_text, "boost": 2.0}}})
    return {"bool": {"should": terms, "minimum_should_match": 1}}


def test_or_is_a_should_of_at_least_one():
    assert es_query(parse_query("泸州 OR 德州").query) == {
        "bool": {"should": [word("泸州"), word("德州")], "minimum_should_match": 1}
    }


def test_words_are_must_and_the_verbatim_string_a_should_that_only_ranks():
    assert es_query(parse_query("人才公寓").query) == {
        "bool": {
            "must": [{"bool": {"must": [word("人才"), word("公寓")]}}],
            "should": [{"match_phrase": {"grams": {"query": "人才 才公 公寓", "slop": 0}}}],
        }
    }


def test_in_title_queries_the_titles_fields():
    assert es_query(title_only(parse_query("人才 -德州").query)) == {
        "bool": {
            "must": [word("人才", fields=("title", "title_grams", "title"))],
            "must_not": [
                {
                    "bool": {
                        "should": [{"term": {"title_grams": {"value": "德州"}}}],
                        "minimum_should_match": 1,
                    }
                }
            ],
        }
    }


def test_the_typed_branch_of_a_synonym_group_keeps_its_boost():
    required = es_query(parse_query("购房补贴", synonyms=TABLE).query)["bool"]["must"][0]
    typed, variant = required["bool"]["should"]
    assert typed["bool"]["boost"] == 2.0 and typed["bool"]["must"] == [word("购房"), word("补贴")]
    assert variant == es_query(parse_query('"购房补助"').query)
    assert "购房补助" not in json.dumps(es_query(parse_query("购房补贴").query), ensure_ascii=False)


def test_traditional_and_simplified_send_the_same_json():
    assert es_query(parse_query("購房補貼 -瀘州").query) == es_query(
        parse_query("购房补贴 -泸州").query
    )


def test_everything_nothing_and_the_unknown():
    assert es_query(Everything()) == {"match_all": {}}
    assert es_query(Nothing()) == {"match_none": {}}
    with pytest.raises(UnsupportedQuery):
        es_query({"term": {"text": "人才"}})
