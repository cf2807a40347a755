"""Metadata detection for one report: title, publication date, source, document type.

Every detector is a pure function of the extracted (raw) text, the clean text and
the page's hints, returning ``Detected(value, evidence, extra)``; the evidence (in
Chinese, then English) names the rule and the line it used, for staff to check.
The rules live in metadata_title / _date / _source / _doctype; this module is the
stable import point used by the pipeline.
"""

from archive.ingest.metadata_date import detect_date, find_dates, parse_date_hint
from archive.ingest.metadata_doctype import DOC_TYPES, detect_doc_type
from archive.ingest.metadata_source import detect_source
from archive.ingest.metadata_title import detect_title, strip_site_suffix

__all__ = [
    "DOC_TYPES",
    "detect_date",
    "detect_doc_type",
    "detect_source",
    "detect_title",
    "find_dates",
    "parse_date_hint",
    "strip_site_suffix",
]
