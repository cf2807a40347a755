"""A report's figures written as rows: one ``executemany``, no model instances.

``Figure.objects.bulk_create`` built a model instance per figure and, per row,
the SQL placeholders and every field's prepared value through the compiler: 29
of the import writer's 94 ms per report under cProfile (300 generated reports,
~60 figures each; docs/benchmarks.md, "Import writer, stop 17"). The rows are
the same (tests/test_import_writer_equivalence.py): each value is converted as
its field's ``get_db_prep_save`` would (``_converters``), and figures have no
signals (``bulk_create`` sent none either).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from django.db import connection, models

from .ingest.pipeline import Processed
from .models import Figure, Report


def _columns() -> list:
    return [f for f in Figure._meta.concrete_fields if not f.primary_key]


def _int_or_none(value: object) -> int | None:
    return None if value is None else int(value)  # type: ignore[call-overload]


def _float_or_none(value: object) -> float | None:
    return None if value is None else float(value)  # type: ignore[arg-type]


@cache
def _converters() -> tuple[Callable[[object], object], ...]:
    """Per column, what its field's ``get_db_prep_save`` does to these values:
    ``float``/``int``/``str`` for the plain fields (a thousand calls per report through
    Django's field methods cost more than the insert); any other field keeps its own."""
    plain: list[Callable[[object], object]] = []
    for field in _columns():
        if isinstance(field, models.FloatField):
            plain.append(_float_or_none)
        elif isinstance(field, (models.IntegerField, models.ForeignKey)):
            plain.append(_int_or_none)
        elif isinstance(field, (models.CharField, models.TextField)) and not field.null:
            plain.append(str)
        else:
            plain.append(lambda value, field=field: field.get_db_prep_save(value, connection))
    return tuple(plain)


def figure_values(report: Report, processed: Processed) -> list[dict[str, object]]:
    """Each figure's field values, as ``_save_figures`` stored them (truncated
    to the column widths)."""
    return [
        {
            "report": report.pk,
            "ordinal": ordinal,
            "value": f.value,
            "unit": f.unit,
            "text": f.text[:100],
            "qualifier": f.qualifier[:40],
            "year": f.year,
            "dimension": f.dimension or "",
            "cue": f.cue[:30],
            "kind": f.kind,
            "kind_cue": f.kind_cue[:30],
            "beneficiary": f.beneficiary[:20],
            "beneficiary_cue": f.beneficiary_cue[:20],
            "sentence": f.sentence,
            "start": f.start,
            "end": f.end,
            "sentence_start": f.sentence_start,
            "sentence_end": f.sentence_end,
        }
        for ordinal, f in enumerate(processed.figures, start=1)
    ]


def insert_figures(report: Report, processed: Processed) -> None:
    """Insert the figures of this processing run (the report has none yet)."""
    values = figure_values(report, processed)
    if not values:
        return
    fields = _columns()
    quote = connection.ops.quote_name
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(Figure._meta.db_table),
        ", ".join(quote(f.column) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    convert = tuple(zip(_converters(), [f.name for f in fields], strict=True))
    rows = [tuple(to_db(row[name]) for to_db, name in convert) for row in values]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)
