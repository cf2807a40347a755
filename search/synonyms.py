"""Talent-policy synonyms: a query's words also search their curated equivalents.

The groups are data (``search.SynonymGroup``, loaded from
``search/fixtures/synonym_groups.json`` by a migration, edited by staff in the
admin); this module turns them into a ``SynonymTable`` and finds, in a query
chunk, the spans a group covers. Issue 16: 购房补贴 must also find reports that
write 购房补助 (seed 004, 10.md), 安家补贴 those that write 安家补助 (06.html).

Matching is on normalized text (textkit: Traditional -> Simplified, width
folding), so one group serves both scripts; the expansion is reported with the
spellings the group was written in.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import textkit

#: variants of one query chunk searched at most (a chunk naming several groups
#: multiplies them): the query tree stays small.
MAX_VARIANTS = 12
#: what separates the members of a group when staff type them in the admin.
SEPARATORS = re.compile(r"[\s,，、;；/|]+")


def split_terms(raw: str) -> list[str]:
    """A group's members as typed: one per line or separated by 、 , ; / (deduplicated)."""
    return list(dict.fromkeys(t for t in SEPARATORS.split(raw or "") if t))


@dataclass(frozen=True)
class Variant:
    """The chunk with group members replaced (quoted), and the spellings brought in."""

    text: str
    added: tuple[str, ...]


@dataclass(frozen=True)
class SynonymTable:
    """normalized member -> (normalized member, display spelling) of its group."""

    groups: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    def spans(self, text: str) -> list[tuple[int, int, str]]:
        """Group members in normalized ``text``, longest first at each place, no overlap."""
        found: list[tuple[int, int, str]] = []
        longest = max((len(k) for k in self.groups), default=0)
        i = 0
        while i < len(text):
            for size in range(min(longest, len(text) - i), 1, -1):
                if text[i : i + size] in self.groups:
                    found.append((i, i + size, text[i : i + size]))
                    i += size
                    break
            else:
                i += 1
        return found

    def variants(self, text: str) -> list[Variant]:
        """``text`` (normalized) with each member found swapped for its equivalents."""
        spans = self.spans(text)
        if not spans:
            return []
        choices = [
            [(norm, shown) for norm, shown in self.groups[member] if norm != member]
            for _, _, member in spans
        ]
        combos = [c for c in itertools.product(*[[None, *opts] for opts in choices]) if any(c)]
        out: list[Variant] = []
        for combo in combos[:MAX_VARIANTS]:
            pieces, last = [], 0
            for (start, end, member), pick in zip(spans, combo, strict=True):
                # a spelling brought in is searched as an exact phrase: 购房补助, not
                # 购房 and 补助 anywhere in the report
                pieces += [text[last:start], f' "{pick[0]}" ' if pick else member]
                last = end
            added = tuple(pick[1] for pick in combo if pick)
            out.append(Variant("".join(pieces) + text[last:], added))
        return out


def build_table(groups: Iterable[Iterable[str]]) -> SynonymTable:
    """A table from groups of spellings; members that normalize alike count once."""
    return _build(tuple(tuple(g) for g in groups))


@lru_cache(maxsize=8)
def _build(groups: tuple[tuple[str, ...], ...]) -> SynonymTable:
    table: dict[str, tuple[tuple[str, str], ...]] = {}
    for group in groups:
        members = {textkit.normalize(t).strip(): t for t in reversed(group) if t.strip()}
        entries = tuple((norm, shown) for norm, shown in reversed(members.items()) if len(norm) > 1)
        if len(entries) < 2:
            continue
        for norm, _ in entries:
            table[norm] = tuple(dict.fromkeys(table.get(norm, ()) + entries))
    return SynonymTable(table)


EMPTY = SynonymTable()
