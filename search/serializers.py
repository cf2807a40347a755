"""A search page as the JSON of ../shared/API.md ``/api/search``.

Its own module so the API (and any JSON twin of the page) reads it without
importing a view; the report fields of each hit come from archive/serializers.py.
"""

from __future__ import annotations

from archive.serializers import REPORT_HIT, report_dict

from .selectors import Hit, SearchPage


def hit_json(hit: Hit) -> dict:
    """One result: the report's hit fields, its highlights and its score."""
    return {
        **report_dict(hit.report, REPORT_HIT),
        "highlights": hit.highlights,
        "score": round(hit.score, 4),
        # False: listed after every report holding all the words (search.partial_matches)
        "all_words": not hit.partial,
    }


def page_json(page: SearchPage) -> dict:
    """API.md's search answer: count, paging, results, synonyms used, facet counts,
    time taken."""
    return {
        "count": page.total,
        # how many of count hold every word when reports holding some follow; else null
        "all_words_count": page.all_words,
        "page": page.params.page,
        "page_size": page.params.page_size,
        "num_pages": page.num_pages,
        "results": [hit_json(hit) for hit in page.hits],
        # the synonyms the query was widened with, so the reader sees why a hit matched
        "expanded": list(page.parsed.expanded),
        "facets": {
            name: [{"value": value, "count": count} for value, count in values]
            for name, values in page.facets.items()
        },
        "took_ms": round(page.took_ms, 1),
    }
