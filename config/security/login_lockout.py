"""Lock out password guessing with django-axes: its backend, middleware and cache handler.

Two counters per failed login, in ``CACHES["throttle"]`` (settings.AXES_LOCKOUT_PARAMETERS):
- one per (address, username): ``LOGIN_MAX_FAILURES`` failures lock that pair. Keyed
  on the pair, not the username alone, so a stranger cannot lock the real staff
  member out of their account by failing on purpose from elsewhere;
- one per address: ``ADDRESS_FACTOR x LOGIN_MAX_FAILURES`` failures lock the address
  for every username (one host trying many accounts).

Axes has one limit for all its counters, so the handler below puts them on one scale:
a pair's failure weighs ``ADDRESS_FACTOR``, and the limit is the address's. The
cache handler writes no table row per failed login (axes' default database handler
would, on our SQLite). A lockout is enforced by axes' authentication backend, so a
correct password is refused too while it lasts; axes' middleware then answers with
``lockout_response``.
"""

from __future__ import annotations

import math
from datetime import timedelta

from axes.handlers.cache import AxesCacheHandler
from axes.helpers import get_client_cache_keys
from django.conf import settings
from django.http import HttpRequest, HttpResponse

ADDRESS_FACTOR = 4


def failure_limit(request: HttpRequest, credentials: dict | None) -> int:
    """AXES_FAILURE_LIMIT: the address's limit, the scale ``get_failures`` counts on."""
    return settings.LOGIN_MAX_FAILURES * ADDRESS_FACTOR


def cool_off(request: HttpRequest | None) -> timedelta:
    """AXES_COOLOFF_TIME: counters expire this long after their latest failure."""
    return timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


class PairAndAddressCacheHandler(AxesCacheHandler):
    """Axes' cache handler with one limit per counter (see the module docstring)."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        pair_key, address_key = get_client_cache_keys(request, credentials)
        pair = self.cache.get(pair_key, default=0)
        return max(pair * ADDRESS_FACTOR, self.cache.get(address_key, default=0))

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs) -> None:
        """Counts the failure; the lockout page answers only a login refused for an
        earlier lockout. (Axes itself flags the failure that reaches the limit, and
        compares raw counts: it would miss a pair's lockout.)"""
        refused = request is not None and self.is_locked(request, credentials)
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is not None:
            request.axes_locked_out = refused


def lockout_response(
    request: HttpRequest, response: HttpResponse | None, credentials
) -> HttpResponse:
    """AXES_LOCKOUT_CALLABLE: 429 and when to try again, in both languages.

    The refused attempt itself renewed the lockout (axes'
    AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so it lasts the whole cool-off.
    """
    seconds = int(cool_off(request).total_seconds())
    minutes = math.ceil(seconds / 60)
    locked = HttpResponse(
        f"登录失败次数过多，请 {minutes} 分钟后再试。\n"
        f"Too many failed logins: try again in {minutes} min.\n",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    locked["Retry-After"] = str(seconds)
    return locked
