"""Numbered page links (1 … 4 5 [6] 7 8 … 17), computed in Python for the template.

Analysts jump to a page of a long result list the way 国务院政策文件库 lets them;
only previous/next made page 12 eleven clicks away (issue 16).
"""

from __future__ import annotations

from dataclasses import dataclass

from .params import SearchParams

#: pages shown on each side of the current one.
AROUND = 2


@dataclass(frozen=True)
class PageLink:
    """A page number with its URL, or a gap (``number`` None) where pages are skipped."""

    number: int | None
    url: str = ""
    current: bool = False


def page_numbers(current: int, last: int, *, around: int = AROUND) -> list[int | None]:
    """First, last and ``around`` pages either side of ``current``; None for a gap.

    A gap of a single page shows that page instead (1 2 3 rather than 1 … 3).
    """
    wanted = {1, last, *range(current - around, current + around + 1)}
    numbers = sorted(n for n in wanted if 1 <= n <= last)
    out: list[int | None] = []
    for prev, n in zip([0, *numbers], numbers, strict=False):
        if n - prev == 2:
            out.append(n - 1)
        elif n - prev > 2:
            out.append(None)
        out.append(n)
    return out


def page_links(params: SearchParams, num_pages: int) -> list[PageLink]:
    """The links of the pagination bar; empty when everything fits on one page."""
    if num_pages <= 1:
        return []
    current = min(params.page, num_pages)
    return [
        PageLink(n, params.url(page=n), n == params.page) if n else PageLink(None)
        for n in page_numbers(current, num_pages)
    ]
