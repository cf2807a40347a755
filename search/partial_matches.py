"""Reports holding some of the words, after those holding all of them (issue 16).

Words are all required, and for most queries that is what an analyst wants. But
when fewer than ``FILL_BELOW`` reports hold every word, the list stops short
while reports holding most of the words exist: 购房补贴 missed the report about a
高层次人才购房基金 (购房 without 补贴), 柔性引进 院士 the reply on 柔性引才 that
names no 院士. Then the list goes on with the reports the relaxed query
(``relaxed``: the words as alternatives) ranks best, after every
report that holds all the words, whose order is unchanged. So the first
``total`` of before are still first; only reports that used to be missing are
added, below them; among them, the reports most like the first full hits come
first (``search.neighbours``). The total and facets then count the whole list.

Only for a relevance sort: by date, partial matches would mix with full ones.
"""

from __future__ import annotations

from typing import Any

from . import neighbours
from .engine import Engine, Hits
from .query_nodes import (
    GRAMS_FIELD,
    TITLE_GRAMS_FIELD,
    AllOf,
    AnyOf,
    Node,
    Not,
    Phrase,
    Preferring,
    Term,
)

#: fewer reports than this holding every word: go on with partial matches
#: (one page of /api/search's default size; nDCG@10 and recall@10 look at 10).
FILL_BELOW = 10


def with_partial_matches(
    engine: Engine,
    full: Hits,
    query: Node,
    loose: Node | None,
    options: dict[str, Any],
    *,
    offset: int,
    limit: int,
    widened: Node | None = None,
) -> Hits:
    """``full`` (a page of ``query``, every word) continued by ``loose``'s other hits.

    ``engine``: the checked engine ``full`` came from (``search.engine.checked``);
    ``options``: the filters, years and sort both queries run with; ``widened``:
    ``query`` with synonyms swapped in word by word (``ParsedQuery.widened``), whose
    hits come right after ``full``'s.
    """
    if loose is None or full.total >= FILL_BELOW or options.get("sort") != "relevance":
        return full
    every = full
    if offset > 0 or len(full.ids) < full.total:  # the all-words hits are few: fetch them all
        every = engine.analyst_search(query, **options, offset=0, limit=FILL_BELOW)
    pool = max(offset + limit + every.total, neighbours.POOL)
    stand_ins = _stand_in_ids(engine, widened, every, options, pool)
    if widened is not None:  # a report holding only stand-in words is listed too
        loose = AnyOf((loose, widened))
    rest = engine.analyst_search(loose, **options, offset=0, limit=pool + len(stand_ins))
    held = set(every.ids) | set(stand_ins)
    partial = [pk for pk in rest.ids if pk not in held]
    order = (
        every.ids
        + stand_ins
        + neighbours.neighbours_first(partial, neighbours.neighbour_lists(engine, every.ids))
    )
    page = order[offset : offset + limit]
    scores = {**rest.scores, **every.scores}
    # ``loose`` matches every report ``query`` does: its total and facets count the list
    return Hits(
        total=rest.total,
        ids=page,
        scores={pk: scores[pk] for pk in page if pk in scores},
        facets=rest.facets,
        all_words=every.total,
    )


def _stand_in_ids(
    engine: Engine, widened: Node | None, every: Hits, options: dict[str, Any], pool: int
) -> list[int]:
    """The hits of ``widened`` that are not full hits, best first.

    They hold every word of the query or a synonym's word in its place (人才 and
    住房 for 人才公寓, where 人才住房 is its synonym), only not side by side: closer
    to what the analyst asked than a report holding some of the words.
    """
    if widened is None:
        return []
    held = set(every.ids)
    found = engine.analyst_search(widened, **options, offset=0, limit=pool + len(held))
    return [pk for pk in found.ids if pk not in held]


def _is_exact(node: AllOf) -> bool:
    """An AND of ``grams`` pieces: a phrase split at punctuation or a glued fragment
    (A类, 可拎包), which stays exact."""
    grams = (GRAMS_FIELD, TITLE_GRAMS_FIELD)
    return all(isinstance(p, (Term, Phrase)) and p.field in grams for p in node.parts)


def _relax(node: Node) -> Node:
    if isinstance(node, Not):  # exclusions as they were
        return Not(_relax(node.base), node.excluded)
    if isinstance(node, Preferring):  # the verbatim booster as it was
        return Preferring(_relax(node.required), node.preferred)
    if isinstance(node, AllOf) and not _is_exact(node):
        return AnyOf(tuple(_relax(p) for p in node.parts), boost=node.boost)
    if isinstance(node, AnyOf):
        return AnyOf(tuple(_relax(p) for p in node.parts), boost=node.boost)
    return node


def relaxed(query: Node) -> Node | None:
    """``query`` with its required words made alternatives: the reports that hold
    some of the words, for when too few hold them all (``search.partial_matches``).

    Phrases, glued fragments (A类, 可拎包) and exclusions stay exact; None when
    nothing was required together (one word, one phrase).
    """
    loose = _relax(query)
    return None if loose == query else loose
