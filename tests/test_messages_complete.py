"""Every message the interface uses has its English (issue 19): the catalogue has
no empty or fuzzy entry, and every id a template or a module asks for is in it.

The ids are read from the source as makemessages would: ``{% translate "…" %}``
(with its context), simple ``{% blocktranslate %}`` bodies, and ``_("…")`` /
``gettext("…")`` / ``gettext_lazy("…")`` calls with a literal string.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
SOURCE_DIRS = ("archive", "search", "compare", "api", "config")

_ENTRY_RE = re.compile(
    r'(?:^msgctxt "(?P<ctxt>.*)"\n)?^msgid (?P<id>(?:".*"\n)+)'
    r"(?:^msgid_plural (?:\".*\"\n)+)?(?P<strs>(?:^msgstr(?:\[\d\])? (?:\".*\"\n)+)+)",
    re.M,
)
_TRANSLATE_RE = re.compile(
    r"""\{%\s*(?:translate|trans)\s+(["'])(?P<id>.*?)\1(?:\s+context\s+(["'])(?P<ctxt>.*?)\3)?"""
)
_BLOCK_RE = re.compile(
    r"\{%\s*blocktrans(?:late)?(?P<args>[^%]*)%\}(?P<body>.*?)\{%\s*(?:plural|endblocktrans(?:late)?)\s*%\}",
    re.S,
)
_CALL_RE = re.compile(r"""\b(?:_|gettext|gettext_lazy)\(\s*"((?:[^"\\]|\\.)+)"\s*[,)]""")


def _unquote(lines: str) -> str:
    return "".join(re.findall(r'"(.*)"', lines)).replace('\\"', '"').replace("\\n", "\n")


def catalogue() -> dict[tuple[str, str], list[str]]:
    """(context, msgid) -> its msgstr(s), fuzzy entries left out."""
    entries = {}
    for block in PO.read_text(encoding="utf-8").split("\n\n")[1:]:
        if "#, fuzzy" in block or block.lstrip().startswith("#~"):
            continue
        match = _ENTRY_RE.search(block + "\n")
        if match:
            strs = re.findall(r"^msgstr(?:\[\d\])? ((?:\".*\"\n?)+)", match["strs"], re.M)
            entries[(match["ctxt"] or "", _unquote(match["id"]))] = [_unquote(s) for s in strs]
    return entries


def template_ids(text: str) -> set[tuple[str, str]]:
    ids = {(m["ctxt"] or "", m["id"]) for m in _TRANSLATE_RE.finditer(text)}
    for m in _BLOCK_RE.finditer(text):
        if "context" in m["args"] or "{%" in m["body"]:
            continue
        body = re.sub(r"\{\{\s*(\w+)\s*\}\}", r"%(\1)s", m["body"])
        ids.add(("", body))
    return ids


def used_ids() -> dict[tuple[str, str], str]:
    """Every id the templates and modules ask for -> where."""
    found: dict[tuple[str, str], str] = {}
    for path in sorted((ROOT / "templates").rglob("*.html")):
        for key in template_ids(path.read_text(encoding="utf-8")):
            found.setdefault(key, str(path.relative_to(ROOT)))
    for folder in SOURCE_DIRS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            for m in _CALL_RE.finditer(path.read_text(encoding="utf-8")):
                if re.search(r"[\u4e00-\u9fff]", m.group(1)):
                    found.setdefault(("", m.group(1).replace('\\"', '"')), str(path))
    return found


def test_the_catalogue_reader_finds_the_entries_it_must():
    entries = catalogue()
    assert entries[("", "首页")] == ["Home"]
    assert ("one report", "城市") in entries
    assert len(entries) > 200


def test_every_message_in_the_catalogue_has_an_english_translation():
    empty = [key for key, strs in catalogue().items() if key[1] and not all(strs)]
    assert not empty, f"untranslated (or fuzzy) entries in django.po: {empty}"


def test_every_message_a_template_or_module_uses_is_in_the_catalogue():
    entries = catalogue()
    missing = {key: where for key, where in used_ids().items() if key not in entries}
    assert not missing, f"run makemessages and translate: {missing}"


@pytest.mark.parametrize(
    "template, expected",
    [
        ('{% translate "城市" context "one report" %}', {("one report", "城市")}),
        (
            "{% blocktranslate with n=x %}第 {{ n }} 段{% endblocktranslate %}",
            {("", "第 %(n)s 段")},
        ),
        ("{% translate '主导航' %}", {("", "主导航")}),
    ],
)
def test_template_message_ids_are_read_as_makemessages_writes_them(template, expected):
    assert template_ids(template) == expected
