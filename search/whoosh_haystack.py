"""haystack's documented ``SearchQuerySet`` API on our Whoosh backend (issue 16).

haystack's own Whoosh code highlights with an English ``StemmingAnalyzer`` over
the stored content field and runs more-like-this on a stored or vectored field;
our content field was neither, so ``highlight()`` raised AssertionError and
``more_like_this()`` "not vectored or stored". This mixin keeps haystack's
methods and signatures and swaps the parts that assume English:

- ``search(..., highlight=True)``: ``result.highlighted`` from our highlighter
  (search/highlight.py) over the stored text, the query's own terms as our
  analyzer made them (a wildcard expanded to the words the index holds).
- ``more_like_this(instance)``: our more-like-this (search/whoosh_similar.py),
  narrowed as haystack narrows it (registered models, an extra query).
- ``result.text``: the content field is stored (``build_schema`` in
  search/backend.py; +6 % index size measured, docs/haystack-compat.md).

The analyst views do not go through here: they use ``analyst_search``/``similar``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.encoding import force_str
from haystack.constants import DJANGO_CT, ID
from haystack.models import SearchResult
from haystack.utils import get_identifier, get_model_ct
from whoosh import query as wq
from whoosh.searching import ResultsPage, Searcher

from search.highlight import highlight as highlight_snippets
from search.whoosh_similar import more_like_hits

#: haystack's backends mark highlights with ``<em>`` (its Whoosh formatter, Elasticsearch).
HIGHLIGHT_TAG = "em"
EMPTY: dict[str, Any] = {"results": [], "hits": 0}


class HaystackApiMixin:
    """Overrides of ``WhooshSearchBackend`` methods; mixed into ``ArchiveWhooshBackend``."""

    def search(self, query_string, *args, highlight=False, **kwargs):
        """haystack's search, then our highlighter on the page's results (haystack
        passes ``highlight`` by keyword; ``True`` or a dict of options, unused here)."""
        found = super().search(query_string, *args, highlight=False, **kwargs)
        if highlight and found.get("results"):
            self._highlight(found["results"], query_string)
        return found

    def _highlight(self, results: list[SearchResult], query_string: str) -> None:
        """``result.highlighted = {content field: [snippets, best first]}``, as
        haystack's backends shape it; ``[]`` when no term occurs in the text."""
        field = self.content_field_name
        parsed = self.parser.parse(force_str(query_string))
        with self._searcher() as searcher:
            terms = _query_words(searcher, parsed, field)
        for result in results:
            text = getattr(result, field, None) or ""
            result.highlighted = {field: highlight_snippets(text, terms, tag=HIGHLIGHT_TAG)}

    def more_like_this(
        self,
        model_instance,
        additional_query_string=None,
        start_offset=0,
        end_offset=None,
        models=None,
        limit_to_registered_models=None,
        result_class=None,
        **kwargs,
    ):
        """Reports (documents) most like ``model_instance``'s, itself left out,
        from its stored text (or, in an index built before text was stored, the
        text its search index prepares now)."""
        if not self.setup_complete:
            self.setup()
        narrow = self._narrowing(models, limit_to_registered_models, additional_query_string)
        page_num, page_length = self.calculate_page(start_offset, end_offset)
        field = self.content_field_name
        with self._searcher() as searcher:
            docnum = searcher.document_number(**{ID: get_identifier(model_instance)})
            if docnum is None:
                return dict(EMPTY)
            text = searcher.stored_fields(docnum).get(field) or self._prepared_text(model_instance)
            hits = more_like_hits(searcher, docnum, field, text, end_offset, filter=narrow)
            try:
                raw_page = ResultsPage(hits, page_num, page_length)
            except ValueError:
                return dict(EMPTY)
            if raw_page.pagenum < page_num:  # Whoosh returns the last page instead
                return dict(EMPTY)
            return self._process_results(raw_page, result_class=result_class)

    def _narrowing(self, models, limit_to_registered_models, extra_query) -> wq.Query | None:
        """haystack's narrowing of more-like-this, as one Whoosh filter query."""
        if limit_to_registered_models is None:
            limit_to_registered_models = getattr(
                settings, "HAYSTACK_LIMIT_TO_REGISTERED_MODELS", True
            )
        if models:
            choices = sorted(get_model_ct(model) for model in models)
        elif limit_to_registered_models:
            choices = self.build_models_list()
        else:
            choices = []
        parts: list[wq.Query] = []
        if choices:
            parts.append(wq.Or([wq.Term(DJANGO_CT, choice) for choice in choices]))
        if extra_query and extra_query != "*":
            parts.append(self.parser.parse(force_str(extra_query)))
        return wq.And(parts) if parts else None

    def _prepared_text(self, model_instance) -> str:
        from haystack import connections

        unified = connections[self.connection_alias].get_unified_index()
        prepared = unified.get_index(type(model_instance)).full_prepare(model_instance)
        return force_str(prepared.get(self.content_field_name) or "")


def _query_words(searcher: Searcher, parsed: wq.Query | None, field: str) -> list[str]:
    """The query's words in ``field`` that the index holds, wildcards expanded.

    Not ``Query.existing_terms``: Whoosh 2.7 reuses its ``fieldname`` argument as
    a loop variable, so after a leaf of another field (``city:(成都市) AND ...``)
    it skips every leaf of ours.
    """
    if parsed is None:
        return []
    reader = searcher.reader()
    schema_field = searcher.schema[field]
    words: set[str] = set()
    for leaf in parsed.leaves():
        for name, text in leaf.expanded_terms(reader):
            if name == field and (name, schema_field.to_bytes(text)) in reader:
                words.add(text if isinstance(text, str) else schema_field.from_bytes(text))
    return sorted(words)
