"""What every web worker would otherwise do on its first request, done once before
gunicorn forks (``config/wsgi.py``, ``preload_app``).

Measured in-process on a 2,000-report archive: the first home page after start
took 734 ms against 55 ms for the next one; importing the URLconf (every view
module), loading the message catalogs and compiling the templates were most of
the difference (profile). A worker forked after this shares the loaded modules
and compiled templates, so readers landing right after a deploy or a restart are
not the ones who pay.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.template import engines
from django.urls import get_resolver, reverse
from django.utils import translation

from archive.gazetteer import Gazetteer
from archive.place_names import english_names


def warm_django() -> list[str]:
    """Import every view, load each language's catalog, compile the project's templates,
    build each language's reverse table, the gazetteer (a compare page looks its
    cities up in it: ~360 ms, paid by each worker's first compare request before,
    issue 18 stop 18) and the English place names.

    Returns the names of the templates compiled (the cached loader keeps them).
    """
    get_resolver().url_patterns  # noqa: B018 - the property imports every URLconf module
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("报告")
            # the resolver's reverse table is built per language on the first
            # reverse() (~30 ms of each worker's first page, issue 18 stop 18)
            reverse("compare:compare")
    Gazetteer.load_default()
    english_names()
    return [_compile(name) for name in project_templates()]


def project_templates() -> list[str]:
    """Template names under the project's own template folders (not the packages')."""
    names = []
    for folder in engines["django"].engine.dirs:
        root = Path(folder)
        names += sorted(str(p.relative_to(root)) for p in root.rglob("*.html"))
    return names


def _compile(name: str) -> str:
    engines["django"].get_template(name)
    return name
