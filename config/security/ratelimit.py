"""Per-client-address limits on the endpoints that cost the most per request.

The JSON search API and the exports each run a full search or comparison (an
export up to search.selectors.EXPORT_LIMIT rows), so a script in a loop can hold
every gunicorn worker. Limits are "N/period" strings from the environment
(``RATE_LIMIT_SEARCH``, ``RATE_LIMIT_EXPORT``; "off" disables one) and apply per
URL name, so a path change in urls.py cannot silently drop a limit. Over the
limit a client gets 429 with Retry-After: JSON under /api/, plain text elsewhere.

django-ratelimit counts (``get_usage`` in ``CACHES["throttle"]``, fixed windows
per scope and client address); this module only says which views are limited,
at what rate, and what a refused client reads. A middleware rather than its
decorator: the limits stay one table in settings, whatever app serves the view.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django_ratelimit.core import get_usage

from .client import client_address

#: (requests, seconds), the form django-ratelimit also takes a rate in.
Rate = tuple[int, int]

_PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400}
_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+)\s*$")


def parse_rate(text: str) -> Rate | None:
    """``"60/m"`` -> (60, 60); ``"10/5m"`` -> (10, 300); ``"off"`` -> None."""
    if text.strip().lower() in {"off", "none", "0", ""}:
        return None
    match = _RATE_RE.match(text.lower())
    if not match or match.group(3) not in _PERIODS or int(match.group(1)) < 1:
        raise ImproperlyConfigured(f"rate limit must look like '60/m' or 'off', got {text!r}")
    multiple = int(match.group(2) or 1)
    return int(match.group(1)), multiple * _PERIODS[match.group(3)]


def _client_key(group: str, request: HttpRequest) -> str:
    return client_address(request)


class RateLimitMiddleware:
    """Counts requests to ``settings.RATE_LIMITED_VIEWS`` per scope and client address."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.rates = {scope: parse_rate(text) for scope, text in settings.RATE_LIMITS.items()}
        unknown = set(settings.RATE_LIMITED_VIEWS.values()) - set(self.rates)
        if unknown:
            raise ImproperlyConfigured(f"RATE_LIMITED_VIEWS names unknown scopes {unknown}")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        scope = settings.RATE_LIMITED_VIEWS.get(match.view_name) if match else None
        rate = self.rates.get(scope) if scope else None
        if rate is None:
            return None
        usage = get_usage(request, group=scope, key=_client_key, rate=rate, increment=True)
        if usage is None or not usage["should_limit"]:
            return None
        # time_left is 0 in the window's last second, which still counts: + 1.
        return too_many_requests(request, rate, retry_after=usage["time_left"] + 1)


def too_many_requests(request: HttpRequest, rate: Rate, *, retry_after: int) -> HttpResponse:
    limit, window = rate
    message = (
        f"too many requests: at most {limit} requests per {window} s from one address; "
        f"retry in {retry_after} s"
    )
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": message}, status=429)
    else:
        response = HttpResponse(
            f"请求过于频繁，请 {retry_after} 秒后再试。\n{message}\n",
            status=429,
            content_type="text/plain; charset=utf-8",
        )
    response["Retry-After"] = str(retry_after)
    return response
