"""The comparison table as flat rows: /compare/export.csv and its JSON Lines twin.

The columns are declared once (``COMPARE_COLUMNS``) and each figure's fields come
from archive/serializers.py, so the CSV, the JSON Lines and the API's figures
agree. Every row names the report the figure came from (title and date), so an
analyst can read a row without looking the report up (issue 19).
"""

from __future__ import annotations

from collections.abc import Iterator

from archive.models import City
from archive.serializers import FIGURE_GETTERS, Link, figure_dict

from .dimensions import format_value
from .selectors import Comparison

#: one row per figure, in this order (API.md's figure plus where it sits in the table).
COMPARE_COLUMNS = (
    "dimension", "label", "city", "value", "unit", "display", "text", "qualifier", "kind",
    "beneficiary", "year", "report_id", "report_title", "report_date", "sentence", "url",
)  # fmt: skip
_FIGURE_COLUMNS = tuple(name for name in COMPARE_COLUMNS if name in FIGURE_GETTERS)


def compare_records(
    cities: list[City], comparison: Comparison, *, link: Link = str
) -> Iterator[dict]:
    """One record per figure, dimension by dimension, city by city, in ``COMPARE_COLUMNS``
    order; ``link`` makes the figure's url absolute for a download."""
    for row in comparison.rows:
        for city in cities:
            for figure in row.cells[city.pk]:
                record = {
                    "dimension": row.key,
                    "label": row.label,
                    "city": city.name,
                    "display": format_value(figure.value, figure.unit),
                    **figure_dict(figure, _FIGURE_COLUMNS, link=link),
                }
                yield {name: record[name] for name in COMPARE_COLUMNS}
