"""The one writer of every CSV and JSON Lines download (issues 9, 15 and 19).

Every export is streamed row by row, so a large result never sits in memory, and
every CSV has a JSON Lines twin with the same fields (JSON keeps types: ids are
numbers, a missing date is null rather than an empty cell). The rows come from
archive/serializers.py; this module only writes them, so that an analyst opening
any of them in Excel or pandas meets the same rules: UTF-8 with a BOM, blanks as
empty cells, whole numbers without ``.0``, formulas defused.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Literal

from django.http import StreamingHttpResponse

from .serializers import REPORT_LISTING

Format = Literal["csv", "jsonl"]
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}

#: the columns of a report listing: search results and a city's reports.
REPORT_COLUMNS = REPORT_LISTING


def csv_safe(value: str) -> str:
    """Defuse spreadsheet formulas (OWASP "CSV injection"): cells hold uploaded text."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


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
        yield writer.writerow([csv_cell(record.get(name)) for name in columns])


def csv_cell(value: object) -> object:
    """A blank is an empty cell, a whole float an integer (pandas then reads a year or
    an id column as integers, never 2023.0), text defused."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return csv_safe(value) if isinstance(value, str) else value


def jsonl_lines(records: Iterable[dict]) -> Iterator[str]:
    """One JSON object per line, UTF-8 as written (no \\u escapes)."""
    for record in records:
        yield json.dumps(record, ensure_ascii=False) + "\n"


def download(
    records: Iterable[dict], *, columns: Sequence[str], fmt: Format, filename: str
) -> StreamingHttpResponse:
    """A streamed attachment ``filename.fmt`` of ``records`` (CSV in ``columns`` order)."""
    lines = jsonl_lines(records) if fmt == "jsonl" else csv_lines(tuple(columns), records)
    response = StreamingHttpResponse(lines, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response
