"""Chart data for static/js/charts.js, built in Python and sent with ``json_script``.

One small format for every chart on the site, so the script stays generic
(:meth:`Chart.data`). Labels arrive translated; the page also renders the same
numbers as a table (:meth:`Chart.rows`), so nothing depends on the script.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

#: more categories than this are drawn as horizontal bars (static/js/charts.js)
HORIZONTAL_AFTER = 6


@dataclass(frozen=True)
class Row:
    label: str
    url: str | None
    values: list[int]


@dataclass(frozen=True)
class Chart:
    categories: list[str]
    series: list[tuple[str, list[int]]]
    stack: bool = False
    links: list[str | None] | None = None
    unit: str = ""

    def data(self) -> dict[str, Any]:
        """What the page sends to charts.js (through ``json_script``)."""
        return {
            "categories": self.categories,
            "series": [{"name": name, "data": data} for name, data in self.series],
            "stack": self.stack,
            "links": self.links,
            "unit": self.unit,
        }

    def rows(self) -> list[Row]:
        """The same numbers as table rows, for reading without JavaScript."""
        links = self.links or [None] * len(self.categories)
        return [
            Row(label, links[i], [data[i] for _, data in self.series])
            for i, label in enumerate(self.categories)
        ]

    @property
    def series_names(self) -> list[str]:
        return [name for name, _ in self.series]

    @property
    def size(self) -> str:
        """The box the chart is drawn in (archive.css ``.chart.size-*``), reserved
        before static/js/charts.js runs so nothing below it moves. Many places make
        horizontal bars, about 30 px each (charts.js uses the same threshold)."""
        n = len(self.categories)
        if n <= HORIZONTAL_AFTER or self.stack:
            return "s"
        return "m" if n <= 12 else "l" if n <= 20 else "xl"


def bar_chart(
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    stack: bool = False,
    links: Sequence[str | None] | None = None,
    unit: str = "",
) -> Chart:
    return Chart(
        list(categories),
        [(name, list(data)) for name, data in series],
        stack,
        list(links) if links is not None else None,
        unit,
    )


def year_axis(years: Sequence[int]) -> list[int]:
    """Every year from the first to the last, so gaps show as empty years."""
    return list(range(min(years), max(years) + 1)) if years else []


def reports_by_year(rows: Sequence[tuple[int, int]], *, name: str, unit: str = "") -> Chart:
    """One bar per year (missing years as 0) from ``(year, count)`` rows."""
    counts = dict(rows)
    axis = year_axis(list(counts))
    return bar_chart([str(y) for y in axis], [(name, [counts.get(y, 0) for y in axis])], unit=unit)


def reports_by_place(
    rows: Sequence[tuple[str, int, str | None]], *, name: str, unit: str = ""
) -> Chart:
    """One bar per place from ``(label, count, url)`` rows, in the given order."""
    return bar_chart(
        [label for label, _, _ in rows],
        [(name, [n for _, n, _ in rows])],
        links=[url for _, _, url in rows],
        unit=unit,
    )


def timeline(
    rows: Sequence[tuple[int, str, int]],
    *,
    label: Callable[[str], str],
    unit: str = "",
) -> Chart:
    """Reports per year, stacked by document type, from ``(year, type, count)`` rows."""
    axis = year_axis([year for year, _, _ in rows])
    types = list(dict.fromkeys(doc_type for _, doc_type, _ in rows))
    counts = {(year, doc_type): n for year, doc_type, n in rows}
    series = [(label(t), [counts.get((y, t), 0) for y in axis]) for t in types]
    return bar_chart([str(y) for y in axis], series, stack=True, unit=unit)
