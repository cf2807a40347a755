"""The project's query nodes (``search.query_nodes``) as Elasticsearch query DSL.

The Elasticsearch twin of ``search.whoosh_query``: the same nodes, on the same
fields (search.elastic indexes the same token streams), so the analyst's syntax
means the same thing on both engines. Scores differ a little (Lucene BM25 vs
Whoosh BM25F); matches do not. Pure functions from nodes to JSON-ready dicts:
tests check them offline, no server needed.
"""

from __future__ import annotations

from functools import singledispatch

from search.query_nodes import (
    AllOf,
    AnyOf,
    Everything,
    Node,
    Not,
    Nothing,
    Phrase,
    Preferring,
    Term,
)


class UnsupportedQuery(TypeError):
    pass


def _with_boost(spec: dict, boost: float) -> dict:
    return {**spec, "boost": boost} if boost != 1.0 else spec


@singledispatch
def es_query(node: Node) -> dict:
    """The Elasticsearch query for ``node``; an unknown node type raises, so a new
    one cannot be mistranslated."""
    raise UnsupportedQuery(f"no Elasticsearch translation for {type(node).__name__}")


@es_query.register
def _term(node: Term) -> dict:
    return {"term": {node.field: _with_boost({"value": node.text}, node.boost)}}


@es_query.register
def _phrase(node: Phrase) -> dict:
    # a Phrase is adjacent positions: Lucene's slop 0 (it counts moves; Whoosh's
    # slop 1 counts positions between words)
    phrase = {"query": " ".join(node.words), "slop": 0}
    return {"match_phrase": {node.field: _with_boost(phrase, node.boost)}}


@es_query.register
def _all_of(node: AllOf) -> dict:
    return {"bool": _with_boost({"must": [es_query(p) for p in node.parts]}, node.boost)}


@es_query.register
def _any_of(node: AnyOf) -> dict:
    should = [es_query(p) for p in node.parts]
    return {"bool": _with_boost({"should": should, "minimum_should_match": 1}, node.boost)}


@es_query.register
def _preferring(node: Preferring) -> dict:
    return {"bool": {"must": [es_query(node.required)], "should": [es_query(node.preferred)]}}


@es_query.register
def _not(node: Not) -> dict:
    return {"bool": {"must": [es_query(node.base)], "must_not": [es_query(node.excluded)]}}


@es_query.register
def _everything(node: Everything) -> dict:
    return {"match_all": {}}


@es_query.register
def _nothing(node: Nothing) -> dict:
    return {"match_none": {}}
