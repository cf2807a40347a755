"""Partial matches most like the full ones come first (issue 16).

When few reports hold every word of a query, the list goes on with reports that
hold some of them (``search.partial_matches``), ranked by those words alone. For
a query whose words are common on their own, that tail is close to arbitrary:
人才新政 continues with every report that says 人才. Yet the reports holding
every word say what the analyst meant, and the archive knows which reports are
like them (the report page's "similar reports"). So among the partial matches
the neighbours of the first full hits go first, in the order of their
similarity; the rest keep the relaxed query's order. This is pseudo-relevance
feedback restricted to reports that hold at least one query word: nothing is
shown that holds none of them, and the full hits' order never changes.

Only the top ``POOL`` partial matches can move (the same pool on every page, so
paging stays consistent), and a seed's neighbours are remembered until the
archive changes: the report page asks for the same ids.
"""

from __future__ import annotations

from itertools import chain, zip_longest

from archive import cache_versions
from archive.models import Report

from .engine import Engine
from .search_indexes import document_id, document_text

#: full hits whose neighbours are brought forward.
SEEDS = 2
#: neighbours asked for each seed (the report page shows as many).
PER_SEED = 5
#: partial matches among which a neighbour may move forward.
POOL = 100


def neighbours_first(partial: list[int], neighbour_lists: list[list[int]]) -> list[int]:
    """``partial`` with the ids of ``neighbour_lists`` that it holds first.

    The lists are interleaved rank by rank (each seed's best neighbour, then each
    seed's second...), so no one seed fills the page.
    """
    in_pool = set(partial[:POOL])
    ranked = chain.from_iterable(zip_longest(*neighbour_lists))
    first = list(dict.fromkeys(pk for pk in ranked if pk is not None and pk in in_pool))
    moved = set(first)
    return first + [pk for pk in partial if pk not in moved]


def neighbour_lists(engine: Engine, seed_ids: list[int]) -> list[list[int]]:
    """The reports most like each of the first ``SEEDS`` of ``seed_ids``.

    ``engine``: the checked engine the hits came from (``search.engine.checked``)."""
    seeds = seed_ids[:SEEDS]
    reports = Report.objects.only("pk", "title", "clean_text").in_bulk(seeds)
    return [similar_ids(engine, reports[pk]) for pk in seeds if pk in reports]


def similar_ids(engine: Engine, report: Report) -> list[int]:
    """Ids of the reports most like ``report``, best first, until the archive changes."""
    return cache_versions.cached(
        ("similar-ids", report.pk, PER_SEED),
        [cache_versions.ARCHIVE],
        lambda: _similar(engine, report),
    )


def _similar(engine: Engine, report: Report) -> list[int]:
    found = engine.similar(
        doc_id=document_id(report.pk), text=document_text(report), limit=PER_SEED
    )
    return [pk for pk in found if pk != report.pk]
