"""A report or a figure as a dict, built in ONE place for every reader (issue 15).

The API (../shared/API.md), the CSV and JSON Lines exports, the search page's JSON
and the feeds all ask ``report_dict`` / ``figure_dict`` for a field set, so a
field is computed once and reads the same wherever an analyst fetches it. Each
variant is a tuple of field names: the CSV's columns are that tuple, in order.
Adding a field means adding one getter here and naming it in the variants that
need it; API.md lets us add fields freely but never rename or remove one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache

from django.utils.translation import get_language

from .models import Figure, Report
from .paths import pk_path as _report_path

#: evidence keys kept out of the API: internal signatures, not evidence a reader checks.
PRIVATE_EVIDENCE = frozenset({"minhash"})

Link = Callable[[str], str]


def _path(path: str) -> str:
    """The default ``link``: a site path as it is (``/reports/12/``)."""
    return path


def _name(place) -> str | None:
    return place.name if place else None


@cache
def _doc_type_labels(language: str | None) -> dict[str, str]:
    """Each doc type's label in ``language``: a listing of 20 hits asked gettext 20
    times (~7 ms of an /api/search answer)."""
    return {code: str(label) for code, label in Report._meta.get_field("doc_type").choices}


REPORT_GETTERS: dict[str, Callable[[Report], object]] = {
    "id": lambda r: r.pk,
    "title": lambda r: r.title,
    "city": lambda r: _name(r.city),
    "province": lambda r: _name(r.province),
    "published_on": lambda r: r.published_on_display,
    "date_precision": lambda r: r.date_precision or None,
    "doc_type": lambda r: r.doc_type,
    # the code's label in the reader's language (新闻报道 / News): analysts filter on it
    "doc_type_label": lambda r: _doc_type_labels(get_language()).get(r.doc_type, r.doc_type),
    "source": lambda r: r.source_name,
    "source_url": lambda r: r.source_url,
    "doc_number": lambda r: r.doc_number,
    "issuer": lambda r: r.issuer,
    "script": lambda r: r.script,
    "clean_text": lambda r: r.clean_text,
    "original_url": lambda r: _report_path("archive:report_original", r.pk),
    "sha256": lambda r: r.original_sha256,
    "duplicate_of": lambda r: r.duplicate_of_id,
    "near_duplicate_of": lambda r: r.near_duplicate_of_id,
    "url": lambda r: _report_path("archive:report_detail", r.pk),
    "evidence": lambda r: {k: v for k, v in r.evidence.items() if k not in PRIVATE_EVIDENCE},
}

#: a report in a listing: the columns of every report CSV (search results, a city's
#: reports) and the keys of their JSON Lines twins.
REPORT_LISTING = (
    "id", "title", "city", "province", "published_on", "doc_type", "doc_type_label",
    "source", "doc_number", "issuer", "url",
)  # fmt: skip
#: a search hit in /api/search (highlights and score are added by search.serializers).
REPORT_HIT = (
    "id", "title", "city", "province", "published_on", "doc_type", "doc_type_label",
    "doc_number", "issuer", "url",
)  # fmt: skip
#: /api/reports/<id> (figures are added by ``report_json``).
REPORT_DETAIL = (
    "id", "title", "city", "province", "published_on", "date_precision", "doc_type",
    "doc_type_label", "source", "source_url", "doc_number", "issuer", "script",
    "clean_text", "original_url", "sha256", "duplicate_of", "near_duplicate_of", "evidence",
)  # fmt: skip
#: an Atom entry's categories (archive/feeds.py).
REPORT_CATEGORIES = ("city", "province", "doc_type_label")


def report_dict(report: Report, fields: Sequence[str], *, link: Link = _path) -> dict:
    """``report`` as the named fields, in that order; ``link`` turns the site path
    of ``url`` into what the reader needs (an export gives absolute addresses)."""
    row = {name: REPORT_GETTERS[name](report) for name in fields}
    if "url" in row:
        row["url"] = link(row["url"])
    return row


def number(value: float) -> int | float:
    """250000.0 -> 250000: a whole number is written as an integer everywhere (JSON and
    CSV), so pandas and Excel read an integer, not 250000.0."""
    return int(value) if float(value).is_integer() else value


FIGURE_GETTERS: dict[str, Callable[[Figure], object]] = {
    "value": lambda f: number(f.value),
    "unit": lambda f: f.unit,
    "text": lambda f: f.text,
    "qualifier": lambda f: f.qualifier,
    "year": lambda f: f.year,
    "dimension": lambda f: f.dimension,
    # per_person / total / count / area / condition / rate, and who it is for (issue 17)
    "kind": lambda f: f.kind,
    "beneficiary": lambda f: f.beneficiary,
    # the cue that decided kind and beneficiary, so a reader can check the call
    "evidence": lambda f: {"kind": f.kind_cue, "beneficiary": f.beneficiary_cue},
    "report_id": lambda f: f.report_id,
    # which report said it, without a second request: the figure's evidence in a row
    "report_title": lambda f: f.report.title,
    "report_date": lambda f: f.report.published_on_display,
    "sentence": lambda f: f.sentence,
    "url": lambda f: f.get_absolute_url(),
}

#: API.md's figure (plus dimension, kind, beneficiary, evidence, report_title, report_date).
FIGURE_FIELDS = (
    "value", "unit", "text", "qualifier", "year", "dimension", "kind", "beneficiary",
    "evidence", "report_id", "report_title", "report_date", "sentence", "url",
)  # fmt: skip


def figure_dict(
    figure: Figure, fields: Sequence[str] = FIGURE_FIELDS, *, link: Link = _path
) -> dict:
    """``figure`` as the named fields; reads ``figure.report`` (select it with the figure)."""
    row = {name: FIGURE_GETTERS[name](figure) for name in fields}
    if "url" in row:
        row["url"] = link(row["url"])
    return row


def figure_json(figure: Figure) -> dict:
    """API.md's figure shape."""
    return figure_dict(figure)


def report_json(report: Report) -> dict:
    """API.md's ``/api/reports/<id>`` shape: the detail fields and every figure."""
    return {
        **report_dict(report, REPORT_DETAIL),
        "figures": [figure_json(f) for f in report.figures.select_related("report")],
    }
