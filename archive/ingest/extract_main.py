"""The article block of a saved web page, found by structure, never by a site's words.

Two candidates are read from the same page (issue 14):

- the archive's own block text (every block of the page minus navigation, forms
  and page-level header/footer), which loses nothing of the article but keeps the
  site's menus, "related articles" lists and footer;
- trafilatura's main-content extraction, which scores text blocks by link density,
  length and position and removed 66 of the 73 labelled chrome strings on real
  pages, but can drop a short headline, a signature or a table.

The result is the archive's own lines between the first and the last line that
trafilatura also found (its span: chrome outside goes), with the headline just
above and the signature just below kept by the shape of Chinese official
documents (a 关于…的通知 headline, a 文号, an issuer and date signing off) and the
credit lines every site prints (编辑：, 来源：). Inside the span every line stays
(bylines and captions trafilatura leaves out go through the cleaner's rules), so
no body sentence is lost. When trafilatura finds too little (fragments, a page
that is all article) the own text is used whole.

Before either candidate is read, lists of links (other articles' headlines with
dates, a site's menus) are removed from the tree by link density.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from archive.ingest.metadata_date import standalone_date
from archive.ingest.metadata_official import DOC_NUMBER
from archive.ingest.metadata_text import is_org_name

_HAN = r"\u3400-\u4dbf\u4e00-\u9fff"
#: a line shorter than this (Han characters and letters) never anchors the span.
_ANCHOR_CHARS = 12
#: trafilatura must find at least this share of the own text's sentences to be used.
_MIN_SHARE = 0.25

_HEADLINE = re.compile(
    rf"^(?:关于|關於)?[{_HAN}A-Za-z0-9“”《》〈〉（）()、·\-—\s]{{2,80}}"
    r"(?:通知|通告|公告|办法|辦法|意见|意見|细则|細則|规定|規定|方案|决定|決定|措施|条例|條例|批复|批復"
    r"|函|指引|指南|要求|公示|报告|報告)$"
)
_ADDRESSEE = re.compile(r"^[^。；]{2,80}[:：]$")
#: an article's own credit line under the text: every site writes these the same way.
_CREDIT = re.compile(
    r"^[（(]?(?:责任编辑|責任編輯|编辑|編輯|责编|作者|来源|來源|记者|記者|审核|校对)\s*[:：]\S.{0,24}$"
)
_SENTENCE = re.compile(rf"[{_HAN}].*[{_HAN}].*[。；;！？!?]|[{_HAN}]{{16,}}")


def squash(text: str) -> str:
    """Text compared without any whitespace (the two extractions space it apart)."""
    return re.sub(r"\s+", "", text)


def drop_link_lists(soup: BeautifulSoup) -> None:
    """Remove lists whose items are each mostly one link (menus, "推荐阅读" lists of
    other notices with dates), with a short heading over them when the block holding
    both is otherwise empty. A list of three or more items is needed: one link in
    a paragraph is the article's own."""
    for items in _link_lists(soup):
        block = items
        while block.parent is not None and block.parent.name not in ("body", "html", "[document]"):
            extra = len(squash(block.parent.get_text())) - len(squash(block.get_text()))
            if extra > 12:
                break
            block = block.parent
        block.decompose()


#: lists and their rows, found by plain walks (bs4's ``find_all`` filters cost more
#: than the walk itself)
_LISTS = frozenset({"ul", "ol", "dl", "table", "tbody"})
_ROWS = frozenset({"li", "dd", "dt", "tr"})


def _link_lists(soup: BeautifulSoup) -> list[Tag]:
    found: list[Tag] = []
    chosen: set[int] = set()  # by identity: bs4 compares tags by their whole markup
    lists = [node for node in soup.descendants if isinstance(node, Tag) and node.name in _LISTS]
    for tag in lists:
        if id(tag) in chosen or any(id(parent) in chosen for parent in tag.parents):
            continue
        under = tag.descendants if tag.name in ("ul", "ol", "dl") else tag.children
        rows = [n for n in under if isinstance(n, Tag) and n.name in _ROWS]
        rows = [row for row in rows if squash(row.get_text())]
        if len(rows) < 3 or not all(_mostly_link(row) for row in rows):
            continue
        found.append(tag)
        chosen.add(id(tag))
    return found


def _mostly_link(row: Tag) -> bool:
    text = squash(row.get_text())
    linked = sum(
        len(squash(a.get_text())) for a in row.descendants if isinstance(a, Tag) and a.name == "a"
    )
    return bool(text) and linked >= 0.6 * len(text)


def main_lines(own: list[str], extracted: str | None) -> tuple[list[str], str]:
    """The own lines cut to the article span; and how (for the evidence)."""
    if not extracted:
        return own, "own"
    found = squash(extracted)
    anchors = [
        index
        for index, line in enumerate(own)
        if _letters(line) >= _ANCHOR_CHARS and squash(line) in found
    ]
    sentences = [line for line in own if _SENTENCE.search(line)]
    matched = sum(1 for line in sentences if squash(line) in found)
    if not anchors or (sentences and matched < _MIN_SHARE * len(sentences)):
        return own, "own"
    start, end = _extend_up(own, anchors[0]), _extend_down(own, anchors[-1])
    return own[start : end + 1], "trafilatura"


def _letters(line: str) -> int:
    return len(re.findall(rf"[{_HAN}A-Za-z]", line))


def _extend_up(own: list[str], start: int) -> int:
    """Take the headline, 文号 and addressee lines just above the first anchor."""
    while start > 0 and start - 1 >= 0:
        line = own[start - 1].strip()
        if _HEADLINE.match(line) or DOC_NUMBER.search(line) or _ADDRESSEE.match(line):
            start -= 1
        else:
            break
    return start


def _extend_down(own: list[str], end: int) -> int:
    """Take the signature (issuer, date) and attachment lines just below the last one."""
    limit = min(len(own), end + 5)
    index = end
    while index + 1 < limit:
        line = own[index + 1].strip()
        if (
            is_org_name(line)
            or standalone_date(line) is not None
            or DOC_NUMBER.search(line)
            or _CREDIT.match(line)
        ):
            index += 1
        else:
            break
    return index
