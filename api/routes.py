"""The /api/ endpoints of ../shared/API.md, described by a generated OpenAPI 3 schema.

Each endpoint is thin: it validates the query string, calls the selector the
HTML pages use, and answers with the JSON the existing serializers build
(``page_json``, ``report_json``, ``figure_json``), returned as a ready
``JsonResponse`` so django-ninja never re-serializes it: the bytes stay those of
the API contract, and the ``response=`` schemas only document them (the
schemathesis test checks that they agree).

Declared parameters give the schema its types and bounds (the constants come
from search.params, not copies); ``parse_params(strict=True)`` still reads the
raw query string, so its rules (repeated filters, NUL bytes, lengths) apply once.
ninja's 422 validation shape is mapped to API.md's 400 ``{"error": str}``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Path, Query
from ninja.errors import ValidationError

from archive.models import City, Report
from archive.page_cache import cached_page
from archive.selectors import cities_with_reports, visible_links
from archive.serializers import report_json
from compare.applicant import applicant_view, parse_profile
from compare.selectors import CompareError, city_compare, parse_cities
from search.engine import SearchUnavailable
from search.params import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE,
    MAX_PAGE_SIZE,
    YEAR_RANGE,
    ParamError,
    parse_params,
)
from search.selectors import answer_inputs, answer_versions, report_search
from search.serializers import page_json

from . import schemas
from .compare import applicant_json, compare_json
from .docs import LocalSwagger

JSON = {"ensure_ascii": False}
#: the largest id a database integer column holds; larger ids cannot exist.
MAX_ID = 2**63 - 1
DESCRIPTION = """JSON for scripts and notebooks: search, reports, cities, comparisons.
Read-only, no login. Errors are `{"error": "..."}` with status 400 (malformed
parameters), 404 (unknown id), 429 (too many requests from one address; see the
Retry-After header) or 503 (search index being rebuilt).
Exports (CSV and JSON Lines) are listed in the README."""

api = NinjaAPI(
    title="人才政策档案库 Talent Policy Archive API",
    version="1.0",
    description=DESCRIPTION,
    urls_namespace="api",
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _json(data: object, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params=JSON)


def error(message: str, status: int) -> JsonResponse:
    return _json({"error": message}, status=status)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> JsonResponse:
    """API.md promises 400 {"error": str} for malformed parameters, not ninja's 422."""
    return error(describe_errors(exc.errors), 400)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> JsonResponse:
    """API.md's error shape, not ninja's {"detail"}, should an endpoint raise Http404."""
    return error(f"not found: {request.path}", 404)


def describe_errors(errors: list[dict]) -> str:
    """``page: Input should be greater than or equal to 1; …`` from pydantic's errors."""
    parts = []
    for item in errors:
        where = [str(x) for x in item.get("loc", ()) if x not in ("query", "path")]
        parts.append(f"{'.'.join(where) or 'request'}: {item.get('msg', 'invalid value')}")
    return "; ".join(parts) or "invalid parameters"


#: every endpoint may be rate-limited (settings.RATE_LIMITED_VIEWS, config/security).
ERRORS = {400: schemas.ErrorOut, 429: schemas.ErrorOut}


@api.get(
    "/search",
    response={200: schemas.SearchPageOut, 404: schemas.ErrorOut, 503: schemas.ErrorOut, **ERRORS},
    url_name="search",
    operation_id="search",
    summary="Search reports",
    tags=["search"],
)
def search(
    request: HttpRequest,
    q: Annotated[str, Query(description='words; "exact phrase", -exclude, A OR B')] = "",
    province: Annotated[list[str], Query(description="province; repeat for several")] = (),
    city: Annotated[list[str], Query(description="city name; repeat for several")] = (),
    doc_type: Annotated[list[schemas.DocType], Query(description="repeatable")] = (),
    issuer: Annotated[
        list[str], Query(description="发文机关, exact (facet value); repeatable")
    ] = (),
    doc_number: Annotated[
        list[str], Query(description="文号, exact, e.g. 京人社调发〔2018〕38号; repeatable")
    ] = (),
    year: Annotated[list[str], Query(description="year (facet value); repeatable")] = (),
    year_from: Annotated[int | None, Query(ge=YEAR_RANGE[0], le=YEAR_RANGE[1])] = None,
    year_to: Annotated[int | None, Query(ge=YEAR_RANGE[0], le=YEAR_RANGE[1])] = None,
    sort: Annotated[
        Literal["relevance", "newest", "oldest"] | None,
        Query(description="default: relevance with words, newest without"),
    ] = None,
    scope: Annotated[
        Literal["all", "title"],
        Query(alias="in", description="where the words are looked for: all, or the title"),
    ] = "all",
    page: Annotated[int, Query(ge=1, le=MAX_PAGE, description="404 past the last page")] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = DEFAULT_PAGE_SIZE,
    exact: Annotated[
        bool, Query(description="1: only the words typed, no synonyms (see expanded)")
    ] = False,
):
    """One page of results with highlights and facet counts over all hits (years
    newest first, the other facets by count); 404 for a page past the last."""
    return _search_answer(request)


@cached_page(also=answer_inputs, versions=answer_versions)
def _search_answer(request: HttpRequest) -> HttpResponse:
    """The answer for anonymous callers is remembered per archive version, for every
    worker (archive/page_cache.py): a script paging through results asks each worker
    in turn. The parameters are read from the query string itself, as declared above."""
    try:
        params = parse_params(request.GET, strict=True)
    except ParamError as exc:
        return error(str(exc), 400)
    try:
        found = report_search(params)
    except SearchUnavailable:
        return error("search index unavailable; it is being rebuilt", 503)
    if found.past_end:
        return error(
            f"page {params.page} is past the last page ({found.num_pages}) of "
            f"{found.total} results",
            404,
        )
    return _json(page_json(found))


@api.get(
    "/reports/{report_id}",
    response={200: schemas.ReportOut, 404: schemas.ErrorOut, **ERRORS},
    url_name="report",
    operation_id="report",
    summary="One report",
    tags=["reports"],
)
def report(request: HttpRequest, report_id: Annotated[int, Path(ge=1, le=MAX_ID)]):
    """A report's metadata, clean text and policy figures (with their sentences)."""
    reports = Report.objects.visible_to(request.user).select_related("city", "province")
    found = reports.filter(pk=report_id).first()
    if found is None:  # or held for review, or a confirmed duplicate: not public
        return error(f"no report with id {report_id}", 404)
    links = visible_links(found, user=request.user)
    return _json({**report_json(found), **{k: r.pk if r else None for k, r in links.items()}})


@api.get(
    "/cities",
    response={200: list[schemas.CityOut], **ERRORS},
    url_name="cities",
    operation_id="cities",
    summary="Cities",
    tags=["cities"],
)
def cities(
    request: HttpRequest,
    all: Annotated[
        bool, Query(description="the whole gazetteer, not only cities with reports")
    ] = False,
):
    """Cities with at least one report (``all=1``: every city of the gazetteer)."""
    if all:
        rows = City.objects.select_related("province").order_by("adcode")
        counts = dict(cities_with_reports().values_list("pk", "report_count"))
    else:
        rows = cities_with_reports()
        counts = {c.pk: c.report_count for c in rows}
    return _json([city_json(c, counts.get(c.pk, 0)) for c in rows])


def city_json(city: City, report_count: int) -> dict:
    return {
        "name": city.name,
        "province": city.province.name,
        "slug": city.slug,
        "adcode": city.adcode,
        "level": city.level,
        "report_count": report_count,
    }


@api.get(
    "/compare",
    response={200: schemas.CompareOut, **ERRORS},
    url_name="compare",
    operation_id="compare",
    summary="Compare cities",
    tags=["compare"],
)
def compare(
    request: HttpRequest,
    cities: Annotated[str, Query(description="2 to 8 city names or slugs, comma-separated")],
    terms: Annotated[str, Query(description="up to 5 terms, counted per 10,000 chars")] = "",
):
    """Policy figures of 2–8 cities side by side, by dimension, with their sentences."""
    try:
        chosen = parse_cities(cities[:400])
    except CompareError as exc:
        return error(str(exc), 400)
    return _json(compare_json(chosen, city_compare(chosen), terms[:200]))


@api.get(
    "/compare/applicant",
    response={200: schemas.ApplicantOut, **ERRORS},
    url_name="compare_applicant",
    operation_id="compare_applicant",
    summary="What an applicant would get, per city",
    tags=["compare"],
)
def compare_applicant(
    request: HttpRequest,
    cities: Annotated[str, Query(description="2 to 8 city names or slugs, comma-separated")],
    education: Annotated[str, Query(description="博士后, 博士, 硕士, 本科 or 大专")] = "",
    tier: Annotated[str, Query(description="A类人才 … E类人才, 领军人才, 青年人才, …")] = "",
    age: Annotated[str, Query(description="age in years, 16–80")] = "",
    graduate: Annotated[str, Query(description="1 for a new graduate")] = "",
):
    """Per city, the amounts and conditions that apply to the profile, each with its
    sentence, and the applicant dimensions the city's reports do not speak of."""
    params = {"education": education, "tier": tier, "age": age, "graduate": graduate}
    try:
        chosen = parse_cities(cities[:400])
        profile = parse_profile(params)
    except CompareError as exc:
        return error(str(exc), 400)
    return _json(applicant_json(profile, applicant_view(chosen, profile)))
