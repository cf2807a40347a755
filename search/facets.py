"""Facet groups and active filters of a result page, built in Python (issue 15).

The shape is datasette's ``facet_results`` (datasette/facets.py): one group per
facet with its label in the reader's language, its values each with a count, a
toggle URL and a selected flag, and a ``truncated`` flag when more values exist
than are shown. The template only renders these: no labels chosen by name, no
URLs or limits of its own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from archive.models import DocType
from archive.place_names import name_in_reader_language

from .params import FILTERS, SearchParams

#: values shown per group before the group says it is truncated.
FACET_SIZE = 12
#: every facet's label, in the order the page shows the groups.
FACET_LABELS = {
    "province": gettext_lazy("省份"),
    "city": gettext_lazy("城市"),
    "year": gettext_lazy("年份"),
    "doc_type": gettext_lazy("类型"),
    "issuer": gettext_lazy("发文机关"),
}
#: filters that are not facets still show as removable chips.
FILTER_LABELS = {**FACET_LABELS, "doc_number": gettext_lazy("文号")}


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    toggle_url: str


@dataclass(frozen=True)
class FacetGroup:
    name: str
    label: str
    values: list[FacetValue]
    truncated: bool
    hidden: int  # values not shown (``truncated`` when > 0)


@dataclass(frozen=True)
class ActiveFilter:
    label: str
    remove_url: str


def ordered(name: str, counts: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """Years newest first (a timeline reads by year); the others by count, then value."""
    if name == "year":
        return sorted(counts, key=lambda item: item[0], reverse=True)
    return sorted(counts, key=lambda item: (-item[1], item[0]))


def value_label(name: str, value: str) -> str:
    """What the reader sees for a value: doc types by their display name."""
    if name == "doc_type":
        return str(dict(DocType.choices).get(value, value))
    if name in ("province", "city"):
        return name_in_reader_language(value)
    return value


def _toggle_url(params: SearchParams, name: str, value: str) -> str:
    toggled = tuple(sorted(set(getattr(params, name)) ^ {value}))
    return params.url(**{name: toggled, "page": 1})


def facet_group(
    params: SearchParams, name: str, counts: list[tuple[str, int]], *, size: int = FACET_SIZE
) -> FacetGroup:
    """One group: the first ``size`` values, plus any selected value beyond them."""
    chosen = set(getattr(params, name))
    rows = ordered(name, counts)
    shown = [row for i, row in enumerate(rows) if i < size or row[0] in chosen]
    values = [
        FacetValue(v, value_label(name, v), n, v in chosen, _toggle_url(params, name, v))
        for v, n in shown
    ]
    hidden = len(rows) - len(shown)
    return FacetGroup(name, str(FACET_LABELS[name]), values, hidden > 0, hidden)


def facet_groups(
    params: SearchParams, facets: dict[str, list[tuple[str, int]]]
) -> list[FacetGroup]:
    """The page's groups in FACET_LABELS order, empty groups left out."""
    groups = [facet_group(params, name, facets.get(name, [])) for name in FACET_LABELS]
    return [group for group in groups if group.values]


def active_filters(params: SearchParams) -> list[ActiveFilter]:
    """Every narrowing of the search, each with the URL that removes it."""
    found: list[ActiveFilter] = []
    for name in (*FILTERS, "year"):
        for value in getattr(params, name):
            label = f"{FILTER_LABELS[name]}：{value_label(name, value)}"
            found.append(ActiveFilter(label, _toggle_url(params, name, value)))
    if params.year_from is not None:
        label = _("不早于 %(year)s 年") % {"year": params.year_from}
        found.append(ActiveFilter(label, params.url(year_from=None, page=1)))
    if params.year_to is not None:
        label = _("不晚于 %(year)s 年") % {"year": params.year_to}
        found.append(ActiveFilter(label, params.url(year_to=None, page=1)))
    if params.title_only:
        found.append(ActiveFilter(_("仅标题"), params.url(scope="all", page=1)))
    return found


def clear_url(params: SearchParams) -> str:
    """The same words with every filter removed (sort and page size kept)."""
    return SearchParams(q=params.q, sort=params.sort, page_size=params.page_size).url()
