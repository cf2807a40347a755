"""The project's query nodes (``search.query_nodes``) compiled to a Whoosh query.

One Whoosh class per node, built exactly as the parser built them before it had
nodes of its own, so matches, scores and order are unchanged: phrases are
``AdjacentPhrase`` (Whoosh slop 1: adjacent positions) and unions ``PreloadingOr``
(search.whoosh_matchers: Whoosh's own answers, faster). Anything else raises, so
a new node type cannot be silently mistranslated.
"""

from __future__ import annotations

from functools import singledispatch

from whoosh import query as wq

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
from search.whoosh_matchers import AdjacentPhrase, PreloadingOr


class UnsupportedQuery(TypeError):
    pass


@singledispatch
def compile_query(node: Node) -> wq.Query:
    """The Whoosh query for ``node`` (any node ``search.query`` builds)."""
    raise UnsupportedQuery(f"no Whoosh translation for {type(node).__name__}")


@compile_query.register
def _term(node: Term) -> wq.Query:
    return wq.Term(node.field, node.text, boost=node.boost)


@compile_query.register
def _phrase(node: Phrase) -> wq.Query:
    return AdjacentPhrase(node.field, list(node.words), boost=node.boost)


@compile_query.register
def _all_of(node: AllOf) -> wq.Query:
    return wq.And([compile_query(p) for p in node.parts], boost=node.boost)


@compile_query.register
def _any_of(node: AnyOf) -> wq.Query:
    return PreloadingOr([compile_query(p) for p in node.parts], boost=node.boost)


@compile_query.register
def _preferring(node: Preferring) -> wq.Query:
    return wq.AndMaybe(compile_query(node.required), compile_query(node.preferred))


@compile_query.register
def _not(node: Not) -> wq.Query:
    return wq.AndNot(compile_query(node.base), compile_query(node.excluded))


@compile_query.register
def _everything(node: Everything) -> wq.Query:
    return wq.Every()


@compile_query.register
def _nothing(node: Nothing) -> wq.Query:
    return wq.NullQuery
