"""Articles that arrive inside a data container: SQL rows, JSON records.

Real captures are often cut out of a site's database: an ``INSERT INTO … VALUES``
dump (commented out or not) whose rows each hold a clause or a whole article, or a
JSON record with the article in one field and title, date and source in others
(issue 14: corpus documents 05-09 and 16). Printing them as text puts SQL syntax,
row ids and row timestamps into the report. Here the container is recognized by
its syntax, the article field of each record is taken (the longest text value),
and the record's other fields become hints — a title, a date, a source — that the
metadata detectors weigh like a page's meta tags, with evidence naming the field.
Database row times (``2020-04-30 09:00:48`` beside the id) are not publication
dates, so only fields named like one (``pubdate``, ``createtime``…) give a date.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

_SQL_INSERT = re.compile(r"INSERT\s+INTO\s+[`\"\[]?([\w.]+)[`\"\]]?[^;]*?\bVALUES\b", re.I)
_COMMENT_PREFIX = re.compile(r"^[ \t]*(?:#|--)[ \t]?", re.M)
_HAN = re.compile(r"[\u3400-\u9fff]")
_TITLE_KEYS = ("title", "headline", "name", "subject", "biaoti")
_DATE_KEYS = (
    "pubdate", "publishdate", "publish_date", "publish_time", "publishtime", "pub_time",
    "releasedate", "release_date", "date", "createtime", "create_time", "created_at",
    "addtime", "add_time", "posttime", "post_date",
)  # fmt: skip
_SOURCE_KEYS = ("source", "comefrom", "come_from", "origin", "publisher", "author", "laiyuan")
_ARTICLE_KEYS = ("content", "body", "text", "article", "detail", "post_content", "html")


@dataclass(frozen=True)
class Unwrapped:
    """The article text of a container and the hints its records gave."""

    text: str
    is_html: bool
    kind: str  # "sql" | "json"
    title_hint: str | None = None
    date_hints: tuple[str, ...] = ()
    source_hint: str | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)


def unwrap(text: str) -> Unwrapped | None:
    """The article inside an SQL dump or a JSON record; None for anything else."""
    return _from_sql(text) or _from_json(text)


def _from_sql(text: str) -> Unwrapped | None:
    uncommented = _COMMENT_PREFIX.sub("", text)
    match = _SQL_INSERT.search(uncommented)
    if not match or match.start() > 2000:
        return None
    rows = [row for row in _sql_rows(uncommented[match.end() :]) if row]
    records = [[value for value in row if isinstance(value, str)] for row in rows]
    articles = [max(values, key=len) for values in records if values]
    if not articles or max(len(_HAN.findall(a)) for a in articles) < 20:
        return None
    parts = []
    for values, article in zip(records, articles, strict=False):
        label = next(
            (v for v in values if v is not article and _HAN.search(v) and len(v) <= 40), None
        )
        parts.append(f"{label}\n{article.strip()}" if label and len(records) > 1 else article)
    single_title = None
    if len(records) == 1:
        single_title = next(
            (v for v in records[0] if v is not articles[0] and _HAN.search(v) and len(v) <= 80),
            None,
        )
    joined = "\n".join(parts)
    return Unwrapped(
        text=joined,
        is_html=is_html(joined),
        kind="sql",
        title_hint=single_title,
        notes=(f"SQL 表 {match.group(1)} 的 {len(rows)} 行",),
    )


_SQL_TOKEN = re.compile(
    r"""'((?:[^'\\]|\\.|'')*)'|(NULL)\b|(-?\d+(?:\.\d+)?)|(\()|(\))|(;)""", re.I | re.S
)
_SQL_ESCAPES = {"n": "\n", "r": "\r", "t": "\t", "0": "", "'": "'", '"': '"', "\\": "\\"}


def _sql_rows(values: str) -> list[list[object]]:
    """The tuples of a VALUES list: strings unescaped, NULL as None, numbers as text."""
    rows: list[list[object]] = []
    row: list[object] | None = None
    for match in _SQL_TOKEN.finditer(values):
        string, null, number, opening, closing, end = match.groups()
        if opening and row is None:
            row = []
        elif closing and row is not None:
            rows.append(row)
            row = None
        elif end and row is None:
            break
        elif row is not None and string is not None:
            row.append(_unescape_sql(string))
        elif row is not None and (null or number):
            row.append(None if null else int(float(number)))
    return rows


def _unescape_sql(value: str) -> str:
    value = value.replace("''", "'")
    return re.sub(r"\\(.)", lambda m: _SQL_ESCAPES.get(m.group(1), m.group(1)), value)


def _from_json(text: str) -> Unwrapped | None:
    stripped = text.strip()
    if not stripped.startswith(("{", "[")):
        return None
    try:
        data = json.loads(stripped)
    except ValueError:
        return None
    records = [data] if isinstance(data, dict) else data if isinstance(data, list) else []
    records = [_flatten(r) for r in records if isinstance(r, dict)]
    records = [r for r in records if _article_of(r)]
    if not records:
        return None
    record = max(records, key=lambda r: len(_article_of(r) or ""))
    article = _article_of(record) or ""
    return Unwrapped(
        text=article,
        is_html=is_html(article),
        kind="json",
        title_hint=_first(record, _TITLE_KEYS),
        date_hints=tuple(v for k in _DATE_KEYS if (v := _first(record, (k,)))),
        source_hint=_first(record, _SOURCE_KEYS),
        notes=(f"JSON 记录的字段 {', '.join(sorted(record))[:80]}",),
    )


def _flatten(record: dict) -> dict[str, str]:
    """String values by lower-cased key, one level of nesting ({"data": {...}}) lifted."""
    flat: dict[str, str] = {}
    for key, value in record.items():
        if isinstance(value, dict):
            for inner, item in _flatten(value).items():
                flat.setdefault(inner, item)
        elif isinstance(value, str | int) and not isinstance(value, bool):
            flat.setdefault(str(key).lower(), str(value))
    return flat


def _article_of(record: dict[str, str]) -> str | None:
    named = [record[k] for k in _ARTICLE_KEYS if k in record]
    candidates = named or list(record.values())
    best = max(candidates, key=lambda v: len(_HAN.findall(v)), default="")
    return best if len(_HAN.findall(best)) >= 20 else None


def _first(record: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((record[k].strip() for k in keys if record.get(k, "").strip()), None)


def is_html(text: str) -> bool:
    """Two or more block tags: a body written in HTML, not Markdown or plain text."""
    return len(re.findall(r"</?(?:p|div|br|span|table|h\d|li)\b", text, re.I)) >= 2
