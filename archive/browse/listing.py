"""Sorting a list of reports from the query string, with the links computed here.

All list state lives in the URL (``?sort=oldest&page=2``), so every view of a list
is a shareable link; an unknown ``sort`` falls back to newest rather than failing.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import F, QuerySet
from django.db.models.expressions import OrderBy
from django.utils.translation import gettext_lazy as _

from ..models import Report

SORTS: dict[str, tuple[object, list[OrderBy | str]]] = {
    # Undated reports (seed 003 has no date) go last either way.
    "newest": (_("最新"), [F("published_on").desc(nulls_last=True), "-id"]),
    "oldest": (_("最早"), [F("published_on").asc(nulls_last=True), "id"]),
    "title": (_("标题"), ["title", "id"]),
    "type": (_("类型"), ["doc_type", F("published_on").desc(nulls_last=True), "-id"]),
}
DEFAULT_SORT = "newest"


@dataclass(frozen=True)
class SortLink:
    key: str
    label: str
    url: str
    current: bool


def parse_sort(raw: str | None) -> str:
    return raw if raw in SORTS else DEFAULT_SORT


def sorted_reports(reports: QuerySet[Report], sort: str) -> QuerySet[Report]:
    return reports.order_by(*SORTS[parse_sort(sort)][1])


def sort_links(current: str) -> list[SortLink]:
    """One link per sort order, back to page 1; the default order has a bare URL."""
    links = []
    for key, (label, _order) in SORTS.items():
        query = "" if key == DEFAULT_SORT else "?" + urlencode({"sort": key})
        links.append(SortLink(key, str(label), query or "?", key == current))
    return links


def page_url(sort: str, page: int) -> str:
    """The query string of one page of a sorted list."""
    items = [] if sort == DEFAULT_SORT else [("sort", sort)]
    if page != 1:
        items.append(("page", str(page)))
    return "?" + urlencode(items)
