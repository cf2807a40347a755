"""Paths of per-report pages without resolving the URLconf for every link.

``reverse`` walks the resolver on each call: 600 figure links on a compare page
cost ~90 ms of it at 2,000 reports (profile). The path of a report page is the
same for every report but its id, so it is reversed once per URL name, language,
script prefix and URLconf, with a placeholder id, and the id is put in.
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

_PK = 987654321  # a placeholder id: reversed once, replaced by each report's own


@cache
def _pattern(name: str, language: str | None, prefix: str, urlconf: str | None) -> tuple[str, str]:
    path = reverse(name, args=[_PK], urlconf=urlconf)
    head, _, tail = path.partition(str(_PK))
    return head, tail


def pk_path(name: str, pk: int) -> str:
    """``reverse(name, args=[pk])`` for a URL whose only argument is an id."""
    urlconf = get_urlconf() or settings.ROOT_URLCONF
    head, tail = _pattern(name, get_language(), get_script_prefix(), urlconf)
    return f"{head}{pk}{tail}"
