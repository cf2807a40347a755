"""The dependency direction (README, "How it is built"), checked on every import.

textkit (Django-free text foundation) <- archive (domain) <- search, compare, api.
The domain reaches search only through the declared contract, ``search.engine``;
only the engine modules import Whoosh or Elasticsearch. Imports are read from the
syntax tree of every project .py file, so a function-level import counts too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: Not application code: tests and benchmarks open the engines themselves on purpose.
SKIPPED_DIRS = {".venv", "node_modules", "var", ".git", "tests", "bench", "__pycache__"}


def is_whoosh_engine(path: str) -> bool:
    """The Whoosh engine, by module name alone: the haystack backend subclass
    (``search/backend.py``) and its ``search/whoosh_*.py`` helpers (schema,
    query compiler, matchers, writers, collectors, ordering, scoring)."""
    name = Path(path).name
    return path.startswith("search/") and (name == "backend.py" or name.startswith("whoosh_"))


def is_elastic_engine(path: str) -> bool:
    """The Elasticsearch engine, by module name alone: ``search/elastic*.py``."""
    return path.startswith("search/") and Path(path).name.startswith("elastic")


#: What the text foundation may never import: Django and everything built on it.
NOT_IN_TEXTKIT = {"django", "haystack", "whoosh", "elasticsearch"} | {
    "archive",
    "search",
    "compare",
    "api",
    "config",
}


def project_files() -> list[Path]:
    return sorted(
        path for path in REPO.rglob("*.py") if not SKIPPED_DIRS & set(path.relative_to(REPO).parts)
    )


def imported_modules(path: Path, root: Path = REPO) -> list[str]:
    """Absolute dotted names of every import in ``path`` (relative ones resolved)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = list(path.relative_to(root).with_suffix("").parts[:-1])
    names: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            names.append(module)
            # ``from search import engine`` imports the module search.engine
            names.extend(f"{module}.{alias.name}" for alias in node.names)
    return names


def top(name: str) -> str:
    return name.split(".", 1)[0]


def offenders(rule) -> list[str]:
    found = []
    for path in project_files():
        relative = path.relative_to(REPO).as_posix()
        for name in imported_modules(path):
            if rule(relative, name):
                found.append(f"{relative}: {name}")
    return found


def test_the_walk_sees_the_project_and_its_imports():
    files = {p.relative_to(REPO).as_posix() for p in project_files()}
    assert {"search/views.py", "archive/admin.py", "textkit/libraries.py"} <= files
    assert "jieba" in imported_modules(REPO / "textkit" / "libraries.py")
    assert "search.engine" in imported_modules(REPO / "archive" / "views.py")


def test_only_the_whoosh_engine_modules_import_whoosh():
    assert offenders(lambda f, name: top(name) == "whoosh" and not is_whoosh_engine(f)) == []


def test_only_the_elasticsearch_engine_imports_elasticsearch():
    assert (
        offenders(lambda f, name: top(name) == "elasticsearch" and not is_elastic_engine(f)) == []
    )


def test_the_query_parser_and_its_nodes_import_no_engine():
    """search.query builds search.query_nodes; each engine compiles them."""
    for module in ("search/query.py", "search/query_nodes.py", "search/engine.py"):
        engines = {top(n) for n in imported_modules(REPO / module)} & {"whoosh", "elasticsearch"}
        assert not engines, module
        assert not any(n.startswith("search.whoosh_") for n in imported_modules(REPO / module))


@pytest.mark.parametrize(
    "path, whoosh, elastic",
    [
        ("search/backend.py", True, False),
        ("search/whoosh_query.py", True, False),
        ("search/elastic_query.py", False, True),
        ("search/query.py", False, False),
        ("search/matchers.py", False, False),
        ("archive/whoosh_notes.py", False, False),
    ],
)
def test_engine_modules_are_known_by_name(path, whoosh, elastic):
    assert (is_whoosh_engine(path), is_elastic_engine(path)) == (whoosh, elastic)


def test_the_domain_reaches_search_only_through_the_engine_contract():
    def rule(f: str, name: str) -> bool:
        return (
            f.startswith("archive/")
            and top(name) == "search"
            and name not in ("search", "search.engine")
            and not name.startswith("search.engine.")
        )

    assert offenders(rule) == []


def test_the_text_foundation_imports_no_django_and_no_app():
    assert offenders(lambda f, name: f.startswith("textkit/") and top(name) in NOT_IN_TEXTKIT) == []


@pytest.mark.parametrize(
    "source, module",
    [
        ("import whoosh.index\n", "whoosh.index"),
        ("from whoosh.index import EmptyIndexError\n", "whoosh.index"),
        ("from . import query\n", "search.query"),
        ("def f():\n    from ..search import engine\n", "search.engine"),
    ],
)
def test_an_import_is_seen_wherever_it_is_written(tmp_path, source, module):
    path = tmp_path / "search" / "views.py"
    path.parent.mkdir()
    path.write_text(source, encoding="utf-8")
    assert module in imported_modules(path, root=tmp_path)
