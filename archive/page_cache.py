"""Whole pages for anonymous readers, cached per archive version (issue 18).

Every public page shows something archive-wide (the city directory, keywords whose
IDF moves with any report, similar reports from the index), so a page is keyed by
the ``ARCHIVE`` version (archive/cache_versions.py) with its host, path, query
string, language and day (the report page's "accessed on" date). What must never
reach another reader:

- a logged-in user's page: staff see held reports and other chrome, never cached;
- the CSRF token of the language switch (base.html): stored as a placeholder and
  filled with the reader's own token on every hit, which also sets their cookie;
- messages: a request with messages waiting, or a view that added any, or set a
  cookie, or said ``Cache-Control: private/no-store`` (a page rendered without the
  index) is answered fresh and not stored.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from functools import partial, wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import get_language

from . import cache_versions
from .cache_versions import ARCHIVE

#: what a stored page carries instead of a reader's token (never valid as a token).
PLACEHOLDER = b"@@csrf-token@@"
_TOKEN_INPUT = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]+(")')
_PRIVATE = ("private", "no-store", "no-cache")


def cached_page(
    view: Callable[..., HttpResponse] | None = None,
    *,
    also: Callable[[], Hashable] | None = None,
    versions: Callable[[], list[str]] | None = None,
):
    """Serve ``view``'s page from the cache to anonymous readers (module docstring).

    ``also`` names what else the page depends on that no write of a report bumps,
    read on every request and made part of the key: a search answer's synonym
    groups, which staff edit in the admin, and the index's status and state.
    ``versions``: the scopes the page follows, when not the whole archive's (a
    search answer follows the index and ``LISTED``:
    ``@cached_page(also=answer_inputs, versions=answer_versions)``, search/selectors.py).
    """
    if view is None:
        return partial(cached_page, also=also, versions=versions)

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not _cacheable_request(request):
            return view(request, *args, **kwargs)
        parts = _key_parts(request) if also is None else (*_key_parts(request), also())
        key = cache_versions.key_for(parts, [ARCHIVE] if versions is None else versions())
        stored = cache_versions.values().get(key)
        if stored is not None:
            return _replay(request, stored)
        response = view(request, *args, **kwargs)
        if _cacheable_response(request, response):
            content = _TOKEN_INPUT.sub(rb"\1" + PLACEHOLDER + rb"\2", response.content)
            cache_versions.values().set(
                key, (response["Content-Type"], content), timeout=cache_versions.TIMEOUT
            )
        response["X-Page-Cache"] = "miss"
        return response

    return wrapper


def _key_parts(request: HttpRequest) -> tuple:
    query = sorted(request.GET.lists())
    day = timezone.localdate().isoformat()
    return ("page", request.get_host(), request.path, query, get_language(), day)


def _cacheable_request(request: HttpRequest) -> bool:
    return (
        settings.PAGE_CACHE
        and request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and len(get_messages(request)) == 0
    )


def _cacheable_response(request: HttpRequest, response: HttpResponse) -> bool:
    control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not any(word in control for word in _PRIVATE)
        and len(get_messages(request)) == 0
    )


def _replay(request: HttpRequest, stored: tuple[str, bytes]) -> HttpResponse:
    content_type, content = stored
    if PLACEHOLDER in content:
        # get_token also marks the cookie for sending, as rendering the tag would.
        content = content.replace(PLACEHOLDER, get_token(request).encode())
    response = HttpResponse(content, content_type=content_type)
    response["X-Page-Cache"] = "hit"
    return response
