"""One figure of a compare cell as HTML, in Python (the page draws hundreds).

A compare page of three large cities shows up to 40 figures per dimension and
city (6 in the cell, the rest behind "另有 N 项"): ~600 figures, each drawn by
three nested template includes, were half of a compare request at 2,000 reports
(profile: ~75 ms per page). These functions give the same markup as
``compare/_figure.html`` and ``compare/_figure_body.html`` (which the applicant
page still includes), with the same filters; ``tests/test_compare_figure_html.py``
holds them equal on every figure of the seeds and the labelled captures, in both
languages.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from html import escape

from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from archive.beneficiaries import beneficiary_label
from archive.models import Figure, Report
from archive.paths import pk_path
from archive.qualifiers import qualifier_label

from .dimensions import format_value

_PK = 987654321  # a placeholder id, replaced by each report's own

#: ``archive/_date.html``'s format per date precision (else the full date).
_DATE_FORMATS = {"year": "Y", "month": "YEAR_MONTH_FORMAT"}


def figure_value(figure: Figure) -> str:
    """The figure as the report wrote it (12535人 stays 12535人, issue 17); in
    English the normalized value, since 万 and 亿 mean nothing to that reader."""
    if (get_language() or "zh").startswith("zh"):
        return figure.text
    return format_value(figure.value, figure.unit)


def report_date(report: Report) -> SafeString:
    """``archive/_date.html``: the date to its precision, or 日期不详 (and the file's
    final newline)."""
    if not report.published_on:
        return format_html("{}\n", gettext("日期不详"))
    shown = _date(report.published_on, report.date_precision, get_language())
    return format_html('<time datetime="{}">{}</time>\n', report.published_on_display, shown)


@lru_cache(maxsize=4096)
def _report_date(day: date | None, precision: str, language: str | None) -> str:
    """``report_date`` once per date, precision and language: a compare page draws
    ~1,200 figures from a few hundred reports (issue 18 stop 18)."""
    return str(report_date(Report(published_on=day, date_precision=precision)))


@lru_cache(maxsize=4096)
def _date(day: date, precision: str, language: str | None) -> str:
    """The date filter's text, once per date, precision and language: the figures
    of a cell often share a report, and localized formatting was a third of a
    figure's drawing (profile)."""
    return date_filter(day, _DATE_FORMATS.get(precision, "DATE_FORMAT"))


def figure_body(f: Figure) -> SafeString:
    """``compare/_figure_body.html``: value (linked), beneficiary, qualifier, date, excerpt."""
    return mark_safe(_Drawing().body(f))


def figure_item(f: Figure) -> SafeString:
    """``compare/_figure.html``: the body in an ``<li>``, a condition's kind after it."""
    return mark_safe(_Drawing().item(f))


def figure_items(figures: Iterable[Figure]) -> SafeString:
    """``figure_item`` of each figure, joined: the language, report links and dates
    looked up once per call rather than once per figure (a compare page of three
    large cities draws ~1,200 figures; ``format_html`` per part was ~60 µs a figure,
    issue 18 stop 18)."""
    drawing = _Drawing()
    return mark_safe("".join(drawing.item(f) for f in figures))


class _Drawing:
    """The markup of figures in one language; report dates drawn once per date.

    Every value is escaped with ``html.escape`` as ``format_html`` escapes a plain
    string (django.utils.html.escape is ``html.escape(str(text))``); the date is
    markup already. ``tests/test_compare_figure_html.py`` holds it equal to the
    templates.
    """

    def __init__(self) -> None:
        self.language = get_language()
        self.chinese = (self.language or "zh").startswith("zh")
        # every report's path is this one's with its own id (archive/paths.py)
        self.path = pk_path("archive:report_detail", _PK).partition(str(_PK))[::2]

    def body(self, f: Figure) -> str:
        report = f.report
        head, tail = self.path
        when = _report_date(report.published_on, report.date_precision, self.language)
        path = f"{head}{report.pk}{tail}"
        value = f.text if self.chinese else format_value(f.value, f.unit)
        out = [
            f'<a href="{escape(f"{path}#fig-{f.ordinal}")}" title="{escape(f.sentence)}">'
            f"{escape(value)}</a>"
        ]
        if f.beneficiary:
            out.append(
                f' <span class="beneficiary" title="{escape(f.beneficiary_cue)}">'
                f"{escape(beneficiary_label(f.beneficiary))}</span>"
            )
        if f.qualifier:
            label = qualifier_label(f.qualifier, self.language)
            out.append(f' <span class="qualifier">{escape(label)}</span>')
        out.append(
            f' <span class="report-date">{when}</span>'
            f'<div class="sentence" lang="zh">{escape(f.excerpt())}</div>\n'
        )
        return "".join(out)

    def item(self, f: Figure) -> str:
        kind = ""
        if f.kind == "condition" and f.kind_cue:
            kind = (
                f' <span class="kind" title="{escape(f.kind_cue)}">'
                f"{escape(str(f.get_kind_display()))}</span>"
            )
        return f'<li class="figure">{self.body(f)}{kind}</li>\n'
