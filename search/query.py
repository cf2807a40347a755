"""The analyst query language, parsed into the project's query nodes (``search.query_nodes``).

Syntax: words are all required; ``"…"`` (or “…”, 「…」) is an exact phrase;
``-word`` / ``-"…"`` excludes; ``OR`` (uppercase only) between two items makes
them alternatives. Everything else — ``AND``, ``NOT``, ``*``, parentheses, an
unbalanced quote, markup — is plain text: its words are searched, its
punctuation dropped. Parsing never raises.

How each piece is matched (see ``search.query_nodes`` for the nodes and fields):
- a jieba word W -> ``text:W`` or the phrase of ``finer_cut(W)`` (the document may
  have cut it differently), plus a boosted ``title:W`` that only adds score;
- a single Han character, or a phrase -> ``grams`` (exact substring of Han text,
  independent of segmentation);
- fragments glued together without a space in the query (A类, 5万元, 黄金30条,
  or single characters such as 可拎包) -> a ``grams`` phrase, because a lone
  letter, number or character means little on its own: A类 must not match B类;
- an unspaced Chinese query (高层次人才引进) -> its jieba words, each required,
  with the exact string as an optional clause that ranks verbatim matches first;
- an exclusion -> an exact ``grams`` phrase: -德州 drops every report with 德州.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import textkit
from search.query_nodes import (
    GRAMS_FIELD,
    TEXT_FIELD,
    TITLE_FIELD,
    TITLE_GRAMS_FIELD,
    AnyOf,
    Everything,
    Node,
    Not,
    Nothing,
    Phrase,
    Preferring,
    Term,
    all_of,
    any_of,
    boosted,
    in_fields,
)
from search.synonyms import EMPTY, SynonymTable

MAX_QUERY_CHARS = 256  # longer input is cut: a query is not a document
MAX_GROUPS = 32  # bounds the size of the query tree
TITLE_BOOST = 2.0
#: a chunk as typed outranks its synonym variants (购房补贴 before 购房补助).
TYPED_BOOST = 2.0
# Connective particles dropped from unquoted multi-word input (高层次人才的住房):
# in every report, so requiring them only costs time. Kept in phrases, and a
# query of only 的 still searches for 的. The index keeps them for phrases.
FUNCTION_CHARS = frozenset("的了和与及之")

_QUOTES = {'"': '"', "“": "”", "「": "」", "『": "』"}
_CLOSERS = frozenset(_QUOTES.values())
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


@dataclass(frozen=True)
class ParsedQuery:
    """A parsed analyst query.

    ``highlight_terms``: normalized strings to mark in the text (words, phrases;
    never excluded terms); ``excluded``: the excluded ones. ``is_empty``: nothing
    searchable was left, the caller should show no results rather than run
    ``query`` (``Nothing``). ``text``: the query as parsed (sanitized, capped).
    """

    query: Node
    highlight_terms: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    is_empty: bool = True
    text: str = ""
    expanded: tuple[str, ...] = ()
    #: ``query`` with each synonym swapped in word by word (人才 + 住房 anywhere for
    #: 人才公寓 ~ 人才住房), None when no synonym changes a single word of a longer
    #: chunk: the tier between every word and some words (``search.partial_matches``).
    widened: Node | None = None


@dataclass
class _Item:
    text: str
    phrase: bool = False
    negated: bool = False
    is_or: bool = False


@dataclass
class _Clause:
    query: Node
    terms: list[str] = field(default_factory=list)
    booster: Node | None = None
    expanded: list[str] = field(default_factory=list)
    widened: Node | None = None


def _lex(q: str) -> list[_Item]:
    """Split into phrases, words and OR markers; a dangling quote is dropped."""
    items: list[_Item] = []
    i, n = 0, len(q)
    while i < n:
        if q[i].isspace():
            i += 1
            continue
        negated = q[i] == "-" and i + 1 < n and not q[i + 1].isspace()
        j = i + 1 if negated else i
        if q[j] in _QUOTES:
            end = q.find(_QUOTES[q[j]], j + 1)
            if q[j] == "“" and end < 0:
                end = q.find('"', j + 1)
            if end < 0:  # unbalanced: the quote is just punctuation
                i = j + 1
                continue
            items.append(_Item(q[j + 1 : end], phrase=True, negated=negated))
            i = end + 1
            continue
        k = j
        while k < n and not q[k].isspace() and q[k] not in _QUOTES and q[k] not in _CLOSERS:
            k += 1
        k = max(k, j + 1)
        word = q[j:k]
        items.append(_Item(word, negated=negated, is_or=word == "OR" and not negated))
        i = k
    return items


def _display(units: list[textkit.Token]) -> str:
    """A phrase as one normalized string: units joined, a space between two words."""
    out = ""
    for prev, unit in zip([None, *units], units, strict=False):
        if prev is not None and not textkit.is_han(prev.text) and not textkit.is_han(unit.text):
            out += " "
        out += unit.text
    return out


def _grams_phrase(units: list[textkit.Token]) -> Node:
    """Exact match of consecutive units: overlapping bigrams when all Han."""
    if len(units) == 1:
        return Term(GRAMS_FIELD, units[0].text)
    texts = [u.text for u in units]
    if all(textkit.is_han(t) for t in texts):
        texts = [a + b for a, b in zip(texts, texts[1:], strict=False)]
    return Term(GRAMS_FIELD, texts[0]) if len(texts) == 1 else Phrase(GRAMS_FIELD, tuple(texts))


def _phrase_query(text: str, *, scored_title: bool = True) -> tuple[Node, list[str]] | None:
    """Exact phrase over ``grams`` (split at punctuation), plus a title phrase.

    Returns the query and the highlight term of each punctuation-free segment.
    """
    units = textkit.gram_units(text)
    if not units:
        return None
    segments: list[list[textkit.Token]] = [[units[0]]]
    for prev, unit in zip(units, units[1:], strict=False):
        if unit.pos == prev.pos + 1:
            segments[-1].append(unit)
        else:
            segments.append([unit])
    parts = [_grams_phrase(seg) for seg in segments]
    exact = all_of(parts)
    displays = [_display(seg) for seg in segments]
    words = [t.text for t in textkit.tokenize(text, subwords=False)]
    if scored_title and len(segments) == 1 and len(words) > 1:
        exact = AnyOf((exact, Phrase(TITLE_FIELD, tuple(words), TITLE_BOOST)))
    return exact, displays


def _word_query(word: str) -> Node:
    """One jieba word: text term, the finer-cut phrase, and a boosted title term."""
    if textkit.is_han(word) and len(word) == 1:
        return Term(GRAMS_FIELD, word)
    alternatives: list[Node] = [Term(TEXT_FIELD, word)]
    if textkit.is_han(word):
        # The recall guarantee (issue 16): the word as an exact ``grams`` substring,
        # however jieba cut the document around it (小编, 京籍 inside longer words).
        alternatives.append(_grams_phrase(textkit.gram_units(word)))
    alternatives.append(Term(TITLE_FIELD, word, TITLE_BOOST))
    return AnyOf(tuple(alternatives))


def _is_fragment(tok: textkit.Token) -> bool:
    """A token too ambiguous to stand alone: a letter/number run or one character."""
    han = textkit.is_han(tok.text)
    return not han or (len(tok.text) == 1 and tok.text not in FUNCTION_CHARS)


def _glues(prev: textkit.Token, tok: textkit.Token) -> bool:
    """Adjacent, at least one a fragment, neither a function character."""
    return (
        tok.pos == prev.pos + 1
        and (_is_fragment(prev) or _is_fragment(tok))
        and prev.text not in FUNCTION_CHARS
        and tok.text not in FUNCTION_CHARS
    )


def _groups(tokens: list[textkit.Token]) -> list[list[textkit.Token]]:
    """Glue fragments to their neighbours when nothing separates them."""
    groups: list[list[textkit.Token]] = []
    for tok in tokens:
        if groups and _glues(groups[-1][-1], tok):
            groups[-1].append(tok)
        else:
            groups.append([tok])
    content = [g for g in groups if not (len(g) == 1 and g[0].text in FUNCTION_CHARS)]
    return content or groups


def _chunk_clause(item: _Item) -> _Clause | None:
    """A query clause for one quoted phrase or one unquoted chunk."""
    if item.phrase or item.negated:
        built = _phrase_query(item.text, scored_title=not item.negated)
        return _Clause(built[0], built[1]) if built else None
    parts: list[Node] = []
    terms: list[str] = []
    for group in _groups(textkit.tokenize(item.text, subwords=False))[:MAX_GROUPS]:
        if len(group) == 1:
            built = (_word_query(group[0].text), [group[0].text])
        else:  # glued fragments never span punctuation: one segment, one term
            built = _phrase_query(item.text[group[0].start : group[-1].end])
        if built and built[1][0] not in terms:  # 人才人才… needs 人才 once
            parts.append(built[0])
            terms.append(built[1][0])
    if not parts:
        return None
    clause = _Clause(all_of(parts), terms)
    whole = _phrase_query(item.text, scored_title=False) if len(parts) > 1 else None
    if whole and len(whole[1]) == 1:  # verbatim 高层次人才引进 ranks first
        clause.booster = whole[0]
        clause.terms.insert(0, whole[1][0])
    return clause


def _sanitize(q: str) -> str:
    """Controls and lone surrogates to spaces, NFKC (so ＂ and － are operators), cap."""
    q = _CONTROL_RE.sub(" ", q or "")
    return unicodedata.normalize("NFKC", q)[:MAX_QUERY_CHARS]


def query_to_run(parsed: ParsedQuery) -> Node | None:
    """The query to give the engine: everything when no words were given (browsing
    by facets), None when words were given but nothing in them is searchable (``*``)."""
    if parsed.is_empty:
        return None if parsed.text.strip() else Everything()
    return parsed.query


def _variant_clause(text: str) -> _Clause | None:
    """A synonym variant: its quoted spellings exact, the rest as typed words."""
    clauses = [c for item in _lex(text) if (c := _chunk_clause(item)) is not None]
    if not clauses:
        return None
    query = all_of([c.query for c in clauses])
    return _Clause(query, [t for c in clauses for t in c.terms])


def _expanded_clause(item: _Item, synonyms: SynonymTable) -> _Clause | None:
    """The chunk's clause, widened by its synonym variants when it names a group.

    The chunk as typed is boosted (``TYPED_BOOST``) so verbatim matches rank
    first; each variant is parsed like typed text (购房补助 -> 购房 + 补助, with its
    verbatim booster). Phrases and exclusions are never widened: they are exact.
    """
    clause = _chunk_clause(item)
    if clause is None or item.phrase or item.negated or not synonyms.groups:
        return clause
    variants = synonyms.variants(textkit.normalize(item.text))
    widened = [(v, c) for v in variants if (c := _variant_clause(v.text)) is not None]
    if not widened:
        return clause
    query = AnyOf((boosted(clause.query, TYPED_BOOST), *(c.query for _, c in widened)))
    boosters = [x for x in (clause.booster, *(c.booster for _, c in widened)) if x is not None]
    slots = word_slots(_plain_words(item.text), [_plain_words(v.text) for v, _ in widened])
    swapped = [w for slot in slots or [] for w in slot[1:]]  # marked where they stand in
    return _Clause(
        query,
        list(dict.fromkeys(clause.terms + [t for _, c in widened for t in c.terms] + swapped)),
        any_of(boosters) if boosters else None,
        list(dict.fromkeys(a for v, _ in widened for a in v.added)),
        all_of([any_of([_word_query(w) for w in slot]) for slot in slots]) if slots else None,
    )


def _plain_words(text: str) -> list[str]:
    """The jieba words of ``text``, quotes dropped (a variant quotes its new spelling)."""
    return [t.text for item in _lex(text) for t in textkit.tokenize(item.text, subwords=False)]


def word_slots(typed: list[str], variants: list[list[str]]) -> list[list[str]] | None:
    """Each typed word with the words a synonym variant puts in its place.

    A variant that keeps every typed word but one (人才公寓 -> 人才住房: 人才 kept,
    公寓 -> 住房) offers its new word as an alternative for that one; a variant that
    changes more, a one-word chunk, or a new word of one character (人才房 -> 房)
    offers nothing. None when no slot gained an alternative.
    """
    if len(typed) < 2:
        return None
    slots = [[word] for word in typed]
    for words in variants:
        head = 0
        while head < min(len(typed), len(words)) and typed[head] == words[head]:
            head += 1
        tail = 0
        while tail < min(len(typed), len(words)) - head and typed[-1 - tail] == words[-1 - tail]:
            tail += 1
        swapped = "".join(words[head : len(words) - tail])
        # one character alone (人才房 -> 房) means little: 房 is in 房地产 and 租房
        if len(typed) - head - tail == 1 and len(swapped) > 1 and swapped not in slots[head]:
            slots[head].append(swapped)
    return slots if any(len(slot) > 1 for slot in slots) else None


def parse_query(q: str, *, synonyms: SynonymTable = EMPTY) -> ParsedQuery:
    """Parse an analyst query; never raises, whatever ``q`` holds.

    ``synonyms``: groups whose members also search each other (none: exact).
    """
    text = _sanitize(q)
    slots: list[list[_Clause]] = []
    exclusions: list[_Clause] = []
    pending_or = False
    for item in _lex(text)[: MAX_GROUPS * 2]:
        if item.is_or:
            pending_or = bool(slots)
            continue
        clause = _expanded_clause(item, synonyms)
        if clause is None:
            continue
        if item.negated:
            exclusions.append(clause)
        elif pending_or:
            slots[-1].append(clause)
        else:
            slots.append([clause])
        pending_or = False
    return _assemble(slots, exclusions, text)


def _assemble(slots: list[list[_Clause]], exclusions: list[_Clause], text: str) -> ParsedQuery:
    required = [any_of([x.query for x in c]) for c in slots]
    boosters = [x.booster for c in slots for x in c if x.booster is not None]
    terms = list(dict.fromkeys(t for c in slots for x in c for t in x.terms))
    excluded = tuple(dict.fromkeys(t for x in exclusions for t in x.terms))
    expanded = tuple(dict.fromkeys(a for c in slots for x in c for a in x.expanded))
    if required:
        query: Node = all_of(required)
        if boosters:
            query = Preferring(query, any_of(boosters))
    elif exclusions:
        query = Everything()  # "-德州" alone: everything except 德州
    else:
        return ParsedQuery(Nothing(), text=text)
    widened = _widened(slots)
    if exclusions:
        # always a union, even of one exclusion: the Whoosh tree stays as it was
        excluded_node = AnyOf(tuple(x.query for x in exclusions))
        query = Not(query, excluded_node)
        widened = Not(widened, excluded_node) if widened is not None else None
    return ParsedQuery(
        query, tuple(terms), excluded, is_empty=False, text=text, expanded=expanded, widened=widened
    )


def _widened(slots: list[list[_Clause]]) -> Node | None:
    """Every slot required, a clause's word-by-word synonyms standing in for it."""
    if not any(x.widened is not None for c in slots for x in c):
        return None
    return all_of([any_of([x.widened or x.query for x in c]) for c in slots])


#: where each whole-document field's clause goes in a title-only search.
_TITLE_FIELDS = {TEXT_FIELD: TITLE_FIELD, GRAMS_FIELD: TITLE_GRAMS_FIELD}


def title_only(query: Node) -> Node:
    """The same query over the title alone (the 标题 search of 国务院政策文件库 and
    北大法宝): words, phrases and exclusions all look at the title's fields."""
    return in_fields(query, _TITLE_FIELDS)
