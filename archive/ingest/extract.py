"""Decoded file -> main text (one block per line) plus the page's own metadata hints.

HTML pages carry metadata a plain-text copy loses (meta tags, <time>, canonical
link), so the hints are read before any element is dropped. The text keeps site
chrome that is *in* the article column (breadcrumbs, copyright lines): the cleaner
removes those with evidence, and detect_source reads site names from them.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import PurePath

import frontmatter
import lxml.etree
import lxml.html
import trafilatura
import yaml
from bs4 import BeautifulSoup, NavigableString, Tag

from archive.ingest.containers import Unwrapped, is_html, unwrap
from archive.ingest.extract_main import drop_link_lists, main_lines
from archive.ingest.metadata_source import labelled_source, labelled_url, site_name_in_copyright
from archive.ingest.types import IngestError


@dataclass(frozen=True)
class Extracted:
    """Main text and the hints found next to it (all optional)."""

    text: str
    title_hint: str | None = None
    date_hints: tuple[str, ...] = ()
    source_hint: str | None = None  # explicit source, else the site name
    source_url_hint: str | None = None
    site_hint: str | None = None  # the hosting site's name (og:site_name, footer)
    #: the whole page's text when ``text`` is only its article block: bylines,
    #: breadcrumbs and footers outside the article still tell date, source and place.
    page_text: str | None = None


_HTML = {".html", ".htm", ".shtml", ".xhtml"}
_MARKDOWN = {".md", ".markdown"}
_PLAIN = {".txt"}

_BLOCK = "\u2029"  # paragraph separator: marks block boundaries until lines are built
_BLOCK_TAGS = (
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
    "details", "div", "dl", "dt", "fieldset", "figcaption", "figure", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre", "section", "summary",
    "table", "tbody", "tfoot", "thead", "tr", "ul",
)  # fmt: skip
_DROP_TAGS = (
    "script", "style", "noscript", "template", "nav", "form", "iframe", "frame",
    "frameset", "svg", "canvas", "button", "select", "textarea", "object", "embed",
    "audio", "video", "map", "dialog",
)  # fmt: skip
_DROP_ROLES = {"navigation", "banner", "contentinfo", "search", "menu", "menubar"}
# class/id tokens of menus and share bars; breadcrumbs and copyright blocks stay
# (they name the site, see detect_source). Matched on "-"/"_"-separated parts.
_CHROME_TOKENS = {"nav", "navbar", "menu", "menubar", "share", "sidebar", "topbar", "toolbar"}

# Meta names, strongest first. PubDate/ContentSource/SiteName/ArticleTitle are the
# names China's government CMS pages (www.gov.cn and provincial sites) use.
_TITLE_METAS = ("og:title", "articletitle", "twitter:title")
_DATE_METAS = (
    "article:published_time", "pubdate", "publishdate", "publish_date", "publication_date",
    "datepublished", "firstpublishedtime", "dc.date.issued", "dcterms.issued", "dc.date",
    "dcterms.created", "date",
)  # fmt: skip
_SOURCE_METAS = ("contentsource", "source")
_SITE_METAS = ("og:site_name", "sitename", "application-name", "author")


def extract(text: str, *, filename: str) -> Extracted:
    """Main text and hints of a decoded file, by its extension (.txt .md .html .htm).

    A file whose article sits in an SQL dump or a JSON record is unwrapped first
    (archive/ingest/containers.py); Markdown front matter becomes hints, never
    text; a Markdown or container body written in HTML is read as a web page.
    """
    suffix = PurePath(filename).suffix.lower()
    if suffix not in _HTML | _MARKDOWN | _PLAIN:
        raise IngestError(
            f"不支持的文件类型（{suffix or '无扩展名'}），请上传 .txt .md .html .htm / "
            f"unsupported file type ({suffix or 'no extension'})"
        )
    if suffix in _HTML or (suffix in _PLAIN and _looks_like_html(text)):
        return _extract_html(text)
    front: dict = {}
    if suffix in _MARKDOWN:
        front, text = _front_matter(text)
    box = unwrap(text)
    if box:
        front = _merge_hints(front, box)
        text = box.text
    if box and box.is_html or suffix in _MARKDOWN and is_html(text):
        return _with_hints(_extract_html(text), front)
    if suffix in _MARKDOWN:
        return _with_text_hints(_markdown_text(text, front), front)
    return _with_text_hints(_tidy_plain(text), front)


def _merge_hints(front: dict, box: Unwrapped) -> dict:
    """A container's record fields as hints (front matter, if any, wins)."""
    merged = dict(front)
    if box.title_hint:
        merged.setdefault("title_hint", box.title_hint)
    if box.date_hints:
        merged.setdefault("date_hints", box.date_hints)
    if box.source_hint:
        merged.setdefault("source_hint", box.source_hint)
    merged["container"] = box.kind
    return merged


def _with_hints(page: Extracted, hints: dict) -> Extracted:
    """A page read from a container or a Markdown file: the outer hints come first."""
    return replace(
        page,
        title_hint=hints.get("title_hint") or page.title_hint,
        date_hints=(*hints.get("date_hints", ()), *page.date_hints),
        source_hint=hints.get("source_hint") or page.source_hint,
        source_url_hint=hints.get("source_url_hint") or page.source_url_hint,
    )


def html_declared_charset(data: bytes) -> str | None:
    """Charset label from <meta charset>, http-equiv Content-Type or <?xml encoding>
    in the first 4 KB (where browsers look for it too), lower-cased; None if absent."""
    head = data[:4096].replace(b"\x00", b"")  # also finds it in UTF-16 pages
    match = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    return match.group(1).decode("ascii").lower() if match else None


_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([a-z0-9_.:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([a-z0-9_.:-]+)""", re.I)


def _looks_like_html(text: str) -> bool:
    """A web page saved with a .txt name still starts with a doctype or <html>."""
    return re.match(r"\s*(<!doctype html|<html[\s>])", text[:1000], re.I) is not None


def _tidy_plain(text: str) -> str:
    """Plain text stays as uploaded, minus trailing spaces and outer blank lines."""
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n")


def _with_text_hints(text: str, hints: dict | None = None) -> Extracted:
    """Add hints written in the text itself ("来源：…", "本文地址：…")."""
    hints, lines = hints or {}, text.split("\n")
    return Extracted(
        text=text,
        title_hint=hints.get("title_hint"),
        date_hints=hints.get("date_hints", ()),
        source_hint=hints.get("source_hint") or labelled_source(lines),
        source_url_hint=hints.get("source_url_hint") or labelled_url(lines),
    )


def _extract_html(markup: str) -> Extracted:
    """Hints from the intact page, then the text of what is left without chrome."""
    soup = BeautifulSoup(markup, "lxml")
    intact = _tags_by_name(soup)  # one walk for every hint, not one find_all each
    metas = _meta_values(intact)
    ld = _json_ld(intact)
    title_hint = _title_hint(intact, metas)
    date_hints = _date_hints(intact, metas, ld)
    site = _first(metas, _SITE_METAS) or ld.get("publisher") or _footer_site_name(intact)
    url = _canonical_url(intact, metas)
    _drop_chrome(soup)
    drop_link_lists(soup)
    page_lines = _block_text(soup).split("\n")
    lines, _how = main_lines(page_lines, _main_content(soup, markup))
    return Extracted(
        text="\n".join(lines),
        page_text="\n".join(page_lines),
        title_hint=title_hint,
        date_hints=date_hints,
        source_hint=_first(metas, _SOURCE_METAS) or labelled_source(lines) or site,
        source_url_hint=url or labelled_url(lines),
        site_hint=site,
    )


def _main_content(soup: BeautifulSoup, markup: str) -> str | None:
    """trafilatura's main text of the page as saved.

    It reads the original markup, parsed by lxml as a whole document (a fragment
    gets its <html><body>, which trafilatura needs), rather than our cleaned tree:
    it finds chrome by its own link-density scoring anyway, and serializing the
    BeautifulSoup tree for it cost as much as its own run.

    A page with (almost) no links left has no menus or link lists for it to find:
    an article fragment or a plain saved letter is read whole, without the cost of
    a second parse (~40% of the pipeline's time on a saved page).
    """
    if _count_links(soup, _FEW_LINKS) < _FEW_LINKS:
        return None
    try:
        tree = lxml.html.document_fromstring(markup)
    except (lxml.etree.ParserError, ValueError):
        return None
    return trafilatura.extract(
        tree,
        favor_recall=False,
        include_tables=True,
        include_comments=False,
        deduplicate=False,
        fast=True,
    )


_FEW_LINKS = 2
#: tags grouped by name, in document order (``_tags_by_name``)
TagIndex = defaultdict[str, list[Tag]]


def _count_links(soup: BeautifulSoup, limit: int) -> int:
    """How many <a> the page still has, counting up to ``limit`` (a plain walk:
    bs4's ``find_all`` filter machinery cost more than the walk itself)."""
    count = 0
    for node in soup.descendants:
        if isinstance(node, Tag) and node.name == "a":
            count += 1
            if count >= limit:
                break
    return count


def _meta_values(tags: TagIndex) -> dict[str, str]:
    """Meta content by lower-cased name/property/itemprop; the first one wins."""
    values: dict[str, str] = {}
    for meta in tags["meta"]:
        content = " ".join(str(meta.get("content") or "").split())
        for attr in ("name", "property", "itemprop"):
            key = str(meta.get(attr) or "").strip().lower()
            if key and content:
                values.setdefault(key, content)
    return values


def _first(values: dict[str, str], keys: tuple[str, ...]) -> str | None:
    return next((values[key] for key in keys if values.get(key)), None)


def _json_ld(tags: TagIndex) -> dict[str, str]:
    """headline / datePublished / publisher name from schema.org JSON-LD, if any."""
    found: dict[str, str] = {}
    for script in tags["script"]:
        if script.get("type") != "application/ld+json":
            continue
        try:
            data = json.loads(script.get_text())
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if not isinstance(item, dict):
                continue
            publisher = item.get("publisher")
            if isinstance(publisher, dict) and isinstance(publisher.get("name"), str):
                found.setdefault("publisher", publisher["name"])
            if isinstance(item.get("datePublished"), str):
                found.setdefault("datePublished", item["datePublished"])
    return found


def _title_hint(tags: TagIndex, metas: dict[str, str]) -> str | None:
    """og:title, else an <h1> the <title> confirms, else <title>, else the first <h1>.

    An <h1> alone may be the site logo, so it needs the <title> to contain it and
    to be a good part of it (a logo is the short "_site" tail of the title).
    """
    meta_title = _first(metas, _TITLE_METAS)
    if meta_title:
        return meta_title
    title = " ".join(tags["title"][0].get_text(" ").split()) if tags["title"] else ""
    h1s = [" ".join(h1.get_text(" ").split()) for h1 in tags["h1"]]
    for h1 in h1s:
        if h1 and h1 in title and len(h1) >= 0.4 * len(title):
            return h1
    return title or next((h1 for h1 in h1s if h1), None)


def _date_hints(tags: TagIndex, metas: dict[str, str], ld: dict[str, str]) -> tuple:
    """Publication-date strings in priority order: meta tags, JSON-LD, <time>."""
    hints = [metas[key] for key in _DATE_METAS if metas.get(key)]
    if ld.get("datePublished"):
        hints.append(ld["datePublished"])
    for time in tags["time"][:5]:
        value = str(time.get("datetime") or "").strip() or time.get_text(" ", strip=True)
        if value:
            hints.append(value)
    return tuple(dict.fromkeys(hints))


def _canonical_url(tags: TagIndex, metas: dict[str, str]) -> str | None:
    """<link rel=canonical> or og:url, only when absolute (a relative one says little)."""
    for link in tags["link"]:
        if link.get("href") is None:
            continue
        rel = link.get("rel") or []
        if "canonical" in [r.lower() for r in rel] and _is_absolute(link["href"]):
            return str(link["href"]).strip()
    url = metas.get("og:url", "")
    return url if _is_absolute(url) else None


def _is_absolute(url: object) -> bool:
    return isinstance(url, str) and re.match(r"\s*https?://", url, re.I) is not None


def _footer_site_name(tags: TagIndex) -> str | None:
    """The site named in a <footer>'s copyright line, read before footers are dropped."""
    for footer in tags["footer"]:
        name = site_name_in_copyright(footer.get_text("\n").split("\n"))
        if name:
            return name
    return None


def _drop_chrome(soup: BeautifulSoup) -> None:
    """Remove code, navigation, forms, and page-level header/footer/aside elements.

    A <header>/<footer> inside <article> or <main> is the article's own (headline,
    byline) and stays. Nothing holding over half of the page text is dropped, so a
    stray class="nav-open" on a wrapper cannot empty the page. The tags to drop are
    chosen on the intact tree, outermost first, and only then removed: asking a
    removed tag whether it was removed (bs4's ``decomposed``) searches its subtree
    and cost a fifth of the whole pipeline on real pages.
    """
    for tag in _outermost(
        node for node in soup.descendants if getattr(node, "name", None) in _DROP
    ):
        tag.decompose()
    half_page = len(soup.get_text()) / 2
    dropped: list[Tag] = []
    inside: set[int] = set()
    for tag in soup.descendants:
        if not isinstance(tag, Tag) or not _is_chrome_candidate(tag):
            continue
        if any(id(parent) in inside for parent in tag.parents):
            continue
        if len(tag.get_text()) <= half_page:
            dropped.append(tag)
            inside.add(id(tag))
    for tag in dropped:
        tag.decompose()


_DROP = frozenset(_DROP_TAGS)


def _outermost(tags: Iterable[Tag]) -> list[Tag]:
    """The tags not inside another one of them, in document order."""
    chosen: set[int] = set()
    outermost: list[Tag] = []
    for tag in tags:
        if not any(id(parent) in chosen for parent in tag.parents):
            chosen.add(id(tag))
            outermost.append(tag)
    return outermost


def _is_chrome_candidate(tag: Tag) -> bool:
    return tag.name not in ("html", "body", "main", "article") and _is_chrome(tag)


def _is_chrome(tag: Tag) -> bool:
    if tag.name in ("header", "footer"):
        return tag.find_parent(["article", "main"]) is None
    if tag.name == "aside" or str(tag.get("role") or "").lower() in _DROP_ROLES:
        return True
    names = [*(tag.get("class") or []), str(tag.get("id") or "")]
    parts = {part for name in names for part in re.split(r"[-_\s]+", name.lower())}
    return bool(parts & _CHROME_TOKENS)


def _block_text(soup: BeautifulSoup) -> str:
    """Text with one line per block element, <br> and table row; no markup survives.

    The tags are listed once and sorted by name in Python: one ``find_all`` per
    kind went through bs4's filter machinery five times over the page.
    """
    root = soup.body or soup
    tags = _tags_by_name(root)
    for pre in tags["pre"]:
        for string in pre.find_all(string=True):
            string.replace_with(string.replace("\n", _BLOCK))
    cells = tags["td"] + tags["th"]
    handled: set[int] = set()
    for cell in filter(_is_short_cell, cells):  # Word-HTML form labels: 专/家/评/审/意/见
        for br in _descendant_tags(cell, _BR):
            handled.add(id(br))
            br.replace_with(_IN_CELL)
        for block in _descendant_tags(cell, _BLOCK_SET):
            handled.add(id(block))
            block.insert_before(_IN_CELL)
            block.append(_IN_CELL)
            block.unwrap()
    for br in tags["br"]:
        if id(br) not in handled:
            br.replace_with(_BLOCK)
    for cell in cells:
        cell.insert_after("\t")  # between cells: a space once lines are built
    for name in _BLOCK_TAGS:
        for block in tags[name]:
            if id(block) not in handled:
                block.insert_before(_BLOCK)
                block.append(_BLOCK)
    return _lines_from_blocks(root.get_text())


_BR = frozenset({"br"})
_BLOCK_SET = frozenset(_BLOCK_TAGS)


def _descendant_tags(root: Tag, names: frozenset[str]) -> list[Tag]:
    """``root.find_all(names)`` by a plain walk (short cells are many: bs4's filter
    machinery per call cost more than the walk)."""
    return [node for node in root.descendants if isinstance(node, Tag) and node.name in names]


def _tags_by_name(root: Tag) -> TagIndex:
    """Every tag under ``root`` (and root itself), grouped by name in document order."""
    tags: TagIndex = defaultdict(list)
    tags[root.name].append(root)
    for node in root.descendants:
        if isinstance(node, Tag):
            tags[node.name].append(node)
    return tags


_IN_CELL = "\u2028"  # a break inside a short table cell: joined, not a new line
_SHORT_CELL = 60


def _is_short_cell(cell: Tag) -> bool:
    """A data cell of a form or table (a label, a value), not a layout cell holding
    the page: its lines belong on the row's one line. The walk stops at the first
    nested table or once the text is too long, so a layout cell costs little."""
    length = 0
    for node in cell.descendants:
        if isinstance(node, Tag):
            if node.name == "table":
                return False
        elif type(node) is NavigableString:  # text, not a comment or a doctype
            length += len(node.strip())
            if length > _SHORT_CELL:
                return False
    return True


_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef"
# (not \s: it matches the block separator U+2029 too)
_CELL_BREAK_IN_CJK = re.compile(rf"(?<=[{_CJK}])[ \r\n\u2028]*\u2028[ \r\n\u2028]*(?=[{_CJK}])")
_SOURCE_BREAK_IN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\r]*\n[ \t\r\n]*(?=[{_CJK}])")


def _lines_from_blocks(raw: str) -> str:
    """Collapse source whitespace; a line break between two Chinese characters in the
    HTML source is formatting (browsers join CJK text there), so it disappears."""
    raw = _SOURCE_BREAK_IN_CJK.sub("", raw)
    raw = _CELL_BREAK_IN_CJK.sub("", raw).replace(_IN_CELL, " ")
    lines = (" ".join(block.split()) for block in raw.split(_BLOCK))
    return "\n".join(line.strip("\u3000 ") for line in lines if line.strip("\u3000 "))


_FRONT_KEYS = {
    "title": "title_hint",
    "date": "date_hints", "published": "date_hints", "pubdate": "date_hints",
    "source": "source_hint", "publisher": "source_hint", "author": "source_hint",
    "url": "source_url_hint", "link": "source_url_hint", "source_url": "source_url_hint",
}  # fmt: skip
_FRONT_START = re.compile(r"\A\s*(?=---[ \t]*\n)")


def _front_matter(text: str) -> tuple[dict, str]:
    """YAML front matter (Jekyll, Hugo, Hexo exports) as hints, and the body.

    Parsed by python-frontmatter; every key is dropped from the text, the ones
    that name a title, date, source or address become hints. Front matter that is
    not valid YAML is still cut off at its closing ``---``, read key by key.
    """
    start = _FRONT_START.match(text)
    if not start:
        return {}, text
    text = text[start.end() :]
    try:
        metadata, body = frontmatter.parse(text)
    except (yaml.YAMLError, ValueError, TypeError):  # fall back to "key: value" lines
        metadata, body = _loose_front_matter(text)
    hints: dict = {}
    for key, value in metadata.items():
        field = _FRONT_KEYS.get(str(key).strip().lower())
        value = value.isoformat() if hasattr(value, "isoformat") else value
        if field and isinstance(value, str | int) and str(value).strip() and field not in hints:
            value = str(value).strip()
            hints[field] = (value,) if field == "date_hints" else value
    return hints, body


def _loose_front_matter(text: str) -> tuple[dict, str]:
    head, _, body = text[3:].partition("\n---")
    metadata = {}
    for line in head.split("\n"):
        key, sep, value = line.partition(":")
        if sep:
            metadata.setdefault(key.strip(), value.strip().strip("\"'"))
    return metadata, body.partition("\n")[2]


_MD_INLINE = (
    (re.compile(r"!\[([^\]]*)\]\([^)]*\)"), r"\1"),  # image -> its alt text
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url) -> text
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref] -> text
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),  # <autolink>
    (re.compile(r"(\*\*|__|~~)(.+?)\1"), r"\2"),  # strong, strikethrough
    # single * or _ emphasis; ASCII-only boundaries so 这是*强调*文字 works, snake_case stays
    (re.compile(r"(?<![A-Za-z0-9*])\*(?=\S)(.+?)(?<=\S)\*(?![A-Za-z0-9*])"), r"\1"),
    (re.compile(r"(?<![A-Za-z0-9_])_(?=\S)(.+?)(?<=\S)_(?![A-Za-z0-9_])"), r"\1"),
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"</?[A-Za-z][^>\n]*>"), ""),  # inline HTML tags
)
_MD_RULE = re.compile(r"\s*(?:(?:[-*_]\s*){3,}|=+\s*)")  # <hr> or setext underline
_MD_TABLE_RULE = re.compile(r"\s*\|?(?:\s*:?-+:?\s*\|)+\s*:?-*:?\s*\|?\s*")
_MD_REFERENCE = re.compile(r"\s{0,3}\[[^\]]+\]:\s*\S+")
_MD_HEADING = re.compile(r"\s{0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*")
_MD_PREFIX = re.compile(r"\s{0,3}(?:>\s?)*(?:[-*+]\s+)?")


def _markdown_text(body: str, hints: dict) -> str:
    """Markdown minus its syntax; the first "# " (or === underlined) heading becomes the
    title hint unless front matter gave one. Fenced code is kept as it is."""
    lines: list[str] = []
    fenced = False
    for line in body.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        elif fenced:
            lines.append(line.rstrip())
        elif _MD_RULE.fullmatch(line) or _MD_TABLE_RULE.fullmatch(line):
            if "=" in line and lines and lines[-1]:
                hints.setdefault("title_hint", lines[-1])
        elif not _MD_REFERENCE.match(line):
            lines.append(_markdown_line(line, hints))
    return _tidy_plain("\n".join(lines))


def _markdown_line(line: str, hints: dict) -> str:
    heading = _MD_HEADING.fullmatch(line)
    if heading:
        line = heading.group(2)
    else:
        line = _MD_PREFIX.sub("", line, count=1)
        if line.startswith("|"):
            line = " ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
    for pattern, replacement in _MD_INLINE:
        line = pattern.sub(replacement, line)
    if heading and heading.group(1) == "#":
        hints.setdefault("title_hint", line.strip())
    return line.rstrip()
