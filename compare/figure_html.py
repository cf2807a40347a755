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

from datetime import date
from functools import lru_cache

from django.template.defaultfilters import date as date_filter
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language, gettext

from archive.beneficiaries import beneficiary_label
from archive.models import Figure, Report
from archive.qualifiers import qualifier_label

from .dimensions import format_value

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
def _date(day: date, precision: str, language: str | None) -> str:
    """The date filter's text, once per date, precision and language: the figures
    of a cell often share a report, and localized formatting was a third of a
    figure's drawing (profile)."""
    return date_filter(day, _DATE_FORMATS.get(precision, "DATE_FORMAT"))


def figure_body(f: Figure) -> SafeString:
    """``compare/_figure_body.html``: value (linked), beneficiary, qualifier, date, excerpt."""
    parts = [
        format_html(
            '<a href="{}" title="{}">{}</a>', f.get_absolute_url(), f.sentence, figure_value(f)
        )
    ]
    if f.beneficiary:
        parts.append(
            format_html(
                ' <span class="beneficiary" title="{}">{}</span>',
                f.beneficiary_cue,
                beneficiary_label(f.beneficiary),
            )
        )
    if f.qualifier:
        parts.append(
            format_html(' <span class="qualifier">{}</span>', qualifier_label(f.qualifier))
        )
    parts.append(
        format_html(
            ' <span class="report-date">{}</span><div class="sentence" lang="zh">{}</div>',
            report_date(f.report),
            f.excerpt(),
        )
    )
    # the template file's own final newline is part of what it drew; the parts are
    # safe strings already, so format_html joins them without escaping them again
    return format_html("{}" * len(parts) + "\n", *parts)


def figure_item(f: Figure) -> SafeString:
    """``compare/_figure.html``: the body in an ``<li>``, a condition's kind after it."""
    kind = ""
    if f.kind == "condition" and f.kind_cue:
        kind = format_html(
            ' <span class="kind" title="{}">{}</span>', f.kind_cue, f.get_kind_display()
        )
    return format_html('<li class="figure">{}{}</li>\n', figure_body(f), kind)
