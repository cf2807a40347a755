"""Helpers shared by the CSV and JSON Lines exports."""

import csv
import json
from collections.abc import Iterable, Iterator, Sequence


def csv_safe(value: str) -> str:
    """Defuse spreadsheet formulas (OWASP "CSV injection"): cells hold uploaded text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


# --- Streaming CSV and JSON Lines (issue 9) -------------------------------------------
# Every export is streamed row by row, so a large result never sits in memory, and
# every CSV has a JSON Lines twin with the same fields (JSON keeps types: ids are
# numbers, a missing date is null rather than an empty cell).

#: the columns of a report listing: search results and a city's reports.
REPORT_COLUMNS = (
    "id", "title", "city", "province", "published_on", "doc_type", "source", "doc_number",
    "issuer", "url",
)  # fmt: skip


def report_record(report, *, url: str) -> dict:
    """A report as one listing row; ``url`` is its absolute address."""
    return {
        "id": report.pk,
        "title": report.title,
        "city": report.city.name if report.city else None,
        "province": report.province.name if report.province else None,
        "published_on": report.published_on_display,
        "doc_type": report.doc_type,
        "source": report.source_name,
        "doc_number": report.doc_number,
        "issuer": report.issuer,
        "url": url,
    }


class _Echo:
    """A file-like object whose write returns the line, for csv.writer in a generator."""

    def write(self, value: str) -> str:
        return value


def csv_lines(columns: Sequence[str], records: Iterable[dict]) -> Iterator[str]:
    """CSV text of ``records`` (dicts), BOM first: Excel reads UTF-8 Chinese only with it."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    yield writer.writerow(columns)
    for record in records:
        yield writer.writerow([_cell(record.get(name)) for name in columns])


def _cell(value: object) -> object:
    if value is None:
        return ""
    return csv_safe(value) if isinstance(value, str) else value


def jsonl_lines(records: Iterable[dict]) -> Iterator[str]:
    """One JSON object per line, UTF-8 as written (no \\u escapes)."""
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"
