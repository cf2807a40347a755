"""The cleaning stage: extracted text in, report text plus what was dropped out.

The pipeline is the ``STEPS`` list below, run in order; each step is a small pure
function over lines (see clean_lines, clean_layout, clean_inline, clean_garbled)
whose docstring says what it removes and in which seed it was seen. Every removed
string is kept as a ``Removal`` so staff can check that nothing of the report
went, and tests can assert on it. The original script is kept (no Traditional to
Simplified conversion) and no character is ever added, only removed, or re-decoded
when a wrong decoding can be undone byte for byte. Cleaning is idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass

from .clean_base import Step
from .clean_garbled import repair_mojibake, strip_garbled_spans
from .clean_inline import (
    collapse_doubled_punctuation,
    normalize_spaces,
    strip_blank_lines,
    strip_gambling_spam,
    strip_invisible_chars,
    strip_pinyin_glosses,
)
from .clean_layout import (
    drop_footer_block,
    drop_header_dates,
    drop_header_site_names,
    drop_repeated_lines,
    drop_stray_counters,
    drop_trailing_labels,
)
from .clean_lines import (
    drop_app_promotions,
    drop_attachment_file_names,
    drop_breadcrumbs,
    drop_bylines_and_timestamps,
    drop_comment_and_login_boxes,
    drop_copyright_lines,
    drop_editor_asides,
    drop_editor_credits,
    drop_nav_bars,
    drop_prev_next_links,
    drop_report_contacts,
    drop_share_and_print_bars,
    drop_source_links,
    strip_download_labels,
)


@dataclass(frozen=True)
class Removal:
    """One string a cleaning rule dropped, named by the rule (its step function)."""

    rule: str
    text: str


@dataclass(frozen=True)
class CleanResult:
    """The report text, one paragraph per line, and everything removed to get it."""

    text: str
    removed: tuple[Removal, ...]


# Order matters. Mojibake is repaired before invisible characters go (UTF-8 read as
# cp1252 turns the 0xAD byte of 中 into a soft hyphen). The spam brand is read from
# the header before any line goes. Line rules run before the layout rules that look
# for the body; the footer is cut before single copyright lines go, so it still sees
# the "网站标识码" line that opens it. Inline repairs run last, then the repeated-line
# check, so a headline printed twice compares equal once its glosses are gone.
STEPS: tuple[Step, ...] = (
    repair_mojibake,
    strip_invisible_chars,
    normalize_spaces,
    strip_blank_lines,
    strip_gambling_spam,
    drop_share_and_print_bars,
    drop_breadcrumbs,
    drop_prev_next_links,
    drop_editor_credits,
    drop_bylines_and_timestamps,
    drop_comment_and_login_boxes,
    drop_app_promotions,
    drop_editor_asides,
    drop_report_contacts,
    drop_source_links,
    drop_attachment_file_names,
    strip_download_labels,
    drop_nav_bars,
    drop_footer_block,
    drop_copyright_lines,
    drop_header_site_names,
    drop_header_dates,
    drop_stray_counters,
    drop_trailing_labels,
    strip_pinyin_glosses,
    strip_garbled_spans,
    collapse_doubled_punctuation,
    strip_blank_lines,
    drop_repeated_lines,
)


def clean_text(text: str) -> CleanResult:
    """Run every step of ``STEPS`` over ``text`` and collect what each one removed."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    removed: list[Removal] = []
    for step in STEPS:
        lines, dropped = step(lines)
        removed.extend(Removal(step.__name__, item) for item in dropped)
    return CleanResult(text="\n".join(lines), removed=tuple(removed))
