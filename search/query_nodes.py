"""The project's own query model: what an analyst's query means, for any engine.

``search.query`` parses the analyst's syntax into these nodes; each backend
compiles them (``search.whoosh_query`` for Whoosh, ``search.elastic_query`` for
Elasticsearch), so the parser imports no engine and one parse means the same
thing everywhere. Nodes are frozen (hashable, comparable, a stable ``repr``: the
Whoosh result cache keys on it) and hold normalized text only: the parser has
already run textkit (OpenCC t2s, NFKC, jieba) exactly as the index does.

Fields name the index's searchable streams (``search.whoosh_schema`` builds them for
Whoosh, ``search.elastic`` for Elasticsearch): ``text`` and ``title`` hold jieba
words, ``grams`` and ``title_grams`` Han unigrams and bigrams.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Union

TEXT_FIELD = "text"
TITLE_FIELD = "title"
GRAMS_FIELD = "grams"
#: the title alone as grams: a title-only search needs one-character queries
#: and exact phrases too.
TITLE_GRAMS_FIELD = "title_grams"
FIELDS = (TEXT_FIELD, TITLE_FIELD, GRAMS_FIELD, TITLE_GRAMS_FIELD)


@dataclass(frozen=True)
class Term:
    """One indexed token of ``field``, exactly."""

    field: str
    text: str
    boost: float = 1.0


@dataclass(frozen=True)
class Phrase:
    """Tokens of ``field`` at consecutive positions (never across punctuation)."""

    field: str
    words: tuple[str, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class AllOf:
    """Every part must match; the scores add up."""

    parts: tuple[Node, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class AnyOf:
    """At least one part must match (OR, a word's alternatives, synonyms)."""

    parts: tuple[Node, ...]
    boost: float = 1.0


@dataclass(frozen=True)
class Preferring:
    """``required`` decides the hits; ``preferred`` only adds score (verbatim first)."""

    required: Node
    preferred: Node


@dataclass(frozen=True)
class Not:
    """Hits of ``base`` minus every document ``excluded`` matches (``-德州``)."""

    base: Node
    excluded: Node


@dataclass(frozen=True)
class Everything:
    """Every document (browsing by facets, or ``-德州`` alone)."""


@dataclass(frozen=True)
class Nothing:
    """No document (words were given but nothing in them is searchable)."""


Node = Union[Term, Phrase, AllOf, AnyOf, Preferring, Not, Everything, Nothing]  # noqa: UP007
#: nodes that carry a boost of their own (``boosted`` sets it).
BOOSTABLE = (Term, Phrase, AllOf, AnyOf)


def boosted(node: Node, boost: float) -> Node:
    """``node`` with its boost set (a Term, Phrase, AllOf or AnyOf)."""
    if not isinstance(node, BOOSTABLE):
        raise TypeError(f"{type(node).__name__} carries no boost")
    return replace(node, boost=boost)


def all_of(parts: list[Node]) -> Node:
    """One part alone, else ``AllOf``: the parser never builds a one-part AND."""
    return parts[0] if len(parts) == 1 else AllOf(tuple(parts))


def any_of(parts: list[Node]) -> Node:
    """One part alone, else ``AnyOf``."""
    return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))


def in_fields(node: Node, moves: dict[str, str]) -> Node:
    """The same query with each leaf's field renamed by ``moves`` (others kept)."""
    if isinstance(node, (Term, Phrase)):
        return replace(node, field=moves.get(node.field, node.field))
    if isinstance(node, (AllOf, AnyOf)):
        return replace(node, parts=tuple(in_fields(p, moves) for p in node.parts))
    if isinstance(node, Preferring):
        return Preferring(in_fields(node.required, moves), in_fields(node.preferred, moves))
    if isinstance(node, Not):
        return Not(in_fields(node.base, moves), in_fields(node.excluded, moves))
    return node
