"""Response schemas of the JSON API, for the OpenAPI document only.

The JSON itself is built by the existing serializers (``search.serializers.page_json``,
``archive.serializers.report_json`` and ``figure_json``) so the bytes stay
exactly those of ../shared/API.md; these models describe that output, and the
schemathesis test (tests/test_schemathesis_api.py) checks that every response
really matches them. Extra keys are allowed: API.md lets us add fields freely.
"""

from __future__ import annotations

from typing import Any, Literal

from ninja import Schema
from pydantic import ConfigDict, Field

DocType = Literal[
    "press_conference", "news", "proposal_reply", "policy_document", "work_report", "other"
]
Unit = Literal["yuan", "person", "person_time", "unit", "m2", "item", "age", "month"]
Kind = Literal["per_person", "total", "count", "area", "condition", "rate", ""]


class _Open(Schema):
    model_config = ConfigDict(extra="allow")


class ErrorOut(_Open):
    error: str = Field(description="why the request was refused, in plain words")


class FigureOut(_Open):
    value: float
    unit: Unit
    text: str = Field(description="the figure as written in the report, e.g. 4.48万平方米")
    qualifier: str = Field(description="最高, 累计, 每年, … or empty")
    year: int | None
    dimension: str = Field(description="policy dimension key, empty when unclassified")
    kind: Kind = Field(
        default="",
        description="per_person (amount or cap one recipient gets), total, count, area, "
        "condition (eligibility threshold), rate",
    )
    beneficiary: str = Field(
        default="", description="硕士, A类人才, 高校毕业生, 企业, … or empty when not named"
    )
    report_id: int
    report_title: str = Field(description="the title of the report that states it")
    report_date: str | None = Field(description='its date: "2024-06-18", "2024-06", "2024"')
    sentence: str = Field(description="the sentence the figure came from")
    url: str = Field(description="the report page at the figure, /reports/3/#fig-7")


class SearchHitOut(_Open):
    id: int
    title: str
    city: str | None
    province: str | None
    published_on: str | None = Field(description='"2024-06-18", "2024-06" or "2024"')
    doc_type: DocType
    doc_type_label: str = Field(description="the doc_type in the reader's language")
    doc_number: str = Field(description='文号; "" if none')
    issuer: str = Field(description='发文机关; "" if none')
    url: str
    highlights: list[str] = Field(description="HTML-escaped snippets, matches in <mark>")
    score: float


class FacetValueOut(_Open):
    value: str
    count: int


class FacetsOut(_Open):
    province: list[FacetValueOut] = Field(description="by count, then name")
    city: list[FacetValueOut] = Field(description="by count, then name")
    year: list[FacetValueOut] = Field(description="newest year first")
    doc_type: list[FacetValueOut] = Field(description="by count, then key")
    issuer: list[FacetValueOut] = Field(description="发文机关, by count, then name")


class SearchPageOut(_Open):
    count: int
    page: int
    page_size: int
    num_pages: int = Field(description="pages of page_size results (at least 1)")
    results: list[SearchHitOut]
    expanded: list[str] = []  # synonyms also searched (issue 16); empty with exact=1
    facets: FacetsOut
    took_ms: float


class ReportOut(_Open):
    id: int
    title: str
    city: str | None
    province: str | None
    published_on: str | None
    date_precision: Literal["day", "month", "year"] | None
    doc_type: DocType
    doc_type_label: str = Field(description="the doc_type in the reader's language")
    source: str
    source_url: str
    doc_number: str = Field(description='文号, e.g. 京人社调发〔2018〕38号; "" if none')
    issuer: str = Field(description='发文机关 (issuing body); "" if none')
    script: Literal["simplified", "traditional"]
    clean_text: str
    original_url: str
    sha256: str
    duplicate_of: int | None
    figures: list[FigureOut]
    evidence: dict[str, Any]


class CityOut(_Open):
    name: str
    province: str
    slug: str
    adcode: str
    level: Literal["prefecture", "county"]
    report_count: int


class DimensionOut(_Open):
    key: str
    label: str
    cells: dict[str, list[FigureOut]] = Field(description="city name -> its figures")


class CityReportsOut(_Open):
    count: int
    first: str | None
    last: str | None


class TermRatesOut(_Open):
    by_city: dict[str, dict[str, float]] = Field(description="term -> city -> per 10,000 chars")
    by_year: dict[str, dict[str, dict[str, float]]] = Field(
        description="term -> city -> year -> per 10,000 chars"
    )


class CompareOut(_Open):
    cities: list[str]
    dimensions: list[DimensionOut]
    reports: dict[str, CityReportsOut]
    terms: TermRatesOut | None = None


class ProfileOut(_Open):
    education: str
    tier: str
    age: int | None
    graduate: bool


class ConditionOut(FigureOut):
    met: bool | None = Field(description="whether the profile meets it; null when unknown")


class ApplicantCityOut(_Open):
    city: str
    amounts: list[FigureOut]
    conditions: list[ConditionOut]
    not_stated: list[str] = Field(description="applicant dimensions the reports do not state")


class ApplicantOut(_Open):
    profile: ProfileOut
    cities: list[ApplicantCityOut]
