"""Search parameters from a query string, checked like hostile input.

The page is lenient (page=-1 shows page 1); the JSON API is strict (400 with a
reason) because a script that sends nonsense should hear about it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.http import QueryDict

from .engine import SORTS
from .exact_values import fold

MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_PAGE = 10_000
MAX_FILTER_VALUES = 20
YEAR_RANGE = (1949, 2100)
#: exact-valued filters (search.engine.EXACT_FIELDS); ``year`` is read with them.
FILTERS = ("province", "city", "doc_type", "issuer", "doc_number")
#: ``in=``: where the words are looked for (``title``: the title alone).
SCOPES = ("all", "title")
#: page sizes the form offers; any size up to MAX_PAGE_SIZE is accepted.
PAGE_SIZES = (10, 20, 50, 100)


class ParamError(ValueError):
    pass


@dataclass(frozen=True)
class SearchParams:
    q: str = ""
    province: tuple[str, ...] = ()
    city: tuple[str, ...] = ()
    doc_type: tuple[str, ...] = ()
    issuer: tuple[str, ...] = ()
    doc_number: tuple[str, ...] = ()
    year: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    sort: str = ""
    scope: str = "all"
    page: int = 1
    page_size: int = DEFAULT_PAGE_SIZE
    exact: bool = False  # only what was typed: no synonym expansion (issue 16)
    notes: tuple[str, ...] = field(default=(), compare=False)

    @property
    def effective_sort(self) -> str:
        """Relevance means nothing without words: browse newest first."""
        if self.sort:
            return self.sort
        return "relevance" if self.q.strip() else "newest"

    @property
    def title_only(self) -> bool:
        return self.scope == "title"

    def filters(self) -> dict[str, list[str]]:
        chosen = {name: list(getattr(self, name)) for name in (*FILTERS, "year")}
        return {name: values for name, values in chosen.items() if values}

    def query_items(self, **changes) -> list[tuple[str, str]]:
        """The URL query of these params (with ``changes``), defaults left out."""
        params = replace(self, **changes)
        items: list[tuple[str, str]] = []
        if params.q:
            items.append(("q", params.q))
        if params.scope != "all":
            items.append(("in", params.scope))
        for name in (*FILTERS, "year"):
            items.extend((name, v) for v in getattr(params, name))
        for name in ("year_from", "year_to"):
            if getattr(params, name) is not None:
                items.append((name, str(getattr(params, name))))
        if params.sort:
            items.append(("sort", params.sort))
        if params.page != 1:
            items.append(("page", str(params.page)))
        if params.page_size != DEFAULT_PAGE_SIZE:
            items.append(("page_size", str(params.page_size)))
        if params.exact:
            items.append(("exact", "1"))
        return items

    def url(self, **changes) -> str:
        return "?" + urlencode(self.query_items(**changes))


def _int(raw: str, name: str, low: int, high: int) -> int:
    try:
        value = int(raw.strip())
    except ValueError:
        raise ParamError(f"{name} must be a whole number, got {raw[:40]!r}") from None
    if not low <= value <= high:
        raise ParamError(f"{name} must be between {low} and {high}, got {value}")
    return value


def _values(data: QueryDict, name: str) -> tuple[str, ...]:
    values = [v.strip()[:100] for v in data.getlist(name) if v.strip()]
    for value in values:
        if "\x00" in value:
            raise ParamError(f"{name} contains a NUL byte")
    return tuple(dict.fromkeys(values))[:MAX_FILTER_VALUES]


def parse_params(data: QueryDict, *, strict: bool) -> SearchParams:
    """Read search params; ``strict`` raises ParamError, lenient falls back to defaults."""
    fields: dict = {"q": data.get("q", "")}
    notes: list[str] = []
    for name in (*FILTERS, "year"):
        fields[name] = tuple(dict.fromkeys(fold(name, v) for v in _values(data, name)))
    checks = {
        "year_from": YEAR_RANGE,
        "year_to": YEAR_RANGE,
        "page": (1, MAX_PAGE),
        "page_size": (1, MAX_PAGE_SIZE),
    }
    for name, (low, high) in checks.items():
        raw = data.get(name, "")
        if not raw.strip():
            continue
        try:
            fields[name] = _int(raw, name, low, high)
        except ParamError as exc:
            if strict:
                raise
            notes.append(str(exc))
    scope = data.get("in", "") or "all"
    if scope not in SCOPES:
        if strict:
            raise ParamError(f"in must be one of {', '.join(SCOPES)}, got {scope[:40]!r}")
        notes.append(f"unknown in {scope[:40]!r}")
        scope = "all"
    exact = data.get("exact", "").strip().lower()
    if exact not in ("", "0", "1", "true", "false"):
        if strict:
            raise ParamError(f"exact must be 1 or 0, got {exact[:40]!r}")
        notes.append(f"unknown exact {exact[:40]!r}")
    fields["exact"] = exact in ("1", "true")
    sort = data.get("sort", "")
    if sort and sort not in SORTS:
        if strict:
            raise ParamError(f"sort must be one of {', '.join(SORTS)}, got {sort[:40]!r}")
        notes.append(f"unknown sort {sort[:40]!r}")
        sort = ""
    return SearchParams(sort=sort, scope=scope, notes=tuple(notes), **fields)
