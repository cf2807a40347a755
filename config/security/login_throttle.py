"""Lock out password guessing: too many failed logins and the next ones are refused.

Two counters, both in Django's cache (counters.py), opened by the first failure
and closed ``LOGIN_LOCKOUT_MINUTES`` later:
- one per (address, username): ``LOGIN_MAX_FAILURES`` failures lock that pair.
  Keyed on the pair, not the username alone, so a stranger cannot lock the real
  staff member out of their account by failing on purpose from elsewhere;
- one per address: ``4 x LOGIN_MAX_FAILURES`` failures lock the address for every
  username (one host trying many accounts).

A lockout is enforced in the authentication backend, so every login path (the
admin today, anything later) refuses even a correct password while it lasts; the
middleware only turns a locked admin login into a clear 429 page instead of the
form's usual "wrong password". Why not django-axes: it stores every attempt in a
database table (a write per failed login on our SQLite) and brings its own
middleware, backend and settings surface, for what these 100 lines do.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from .client import client_address
from .counters import bump, forget, peek

ADDRESS_FACTOR = 4


def _window() -> int:
    return settings.LOGIN_LOCKOUT_MINUTES * 60


def _keys(request: HttpRequest, username: str) -> list[tuple[str, int]]:
    """(counter key, failures allowed) for the pair and for the address alone."""
    address = client_address(request)
    name = hashlib.sha256(username.strip().casefold().encode()).hexdigest()[:32]
    limit = settings.LOGIN_MAX_FAILURES
    return [
        (f"login:pair:{address}:{name}", limit),
        (f"login:addr:{address}", limit * ADDRESS_FACTOR),
    ]


def lockout_remaining(request: HttpRequest, username: str) -> int:
    """Seconds this login is still locked for; 0 when it may be tried."""
    remaining = 0.0
    for key, limit in _keys(request, username):
        count = peek(key)
        if count.hits >= limit:
            remaining = max(remaining, count.reset_in)
    return math.ceil(remaining)


def record_failure(request: HttpRequest, username: str) -> None:
    for key, _limit in _keys(request, username):
        bump(key, window=_window())


def record_success(request: HttpRequest, username: str) -> None:
    """A correct login clears its own pair's failures (not the address's)."""
    forget(_keys(request, username)[0][0])


def _username_from(credentials: dict) -> str:
    field = get_user_model().USERNAME_FIELD
    return str(credentials.get(field) or credentials.get("username") or "")


def _on_login_failed(sender, credentials: dict, request: HttpRequest | None = None, **kwargs):
    if request is not None:
        record_failure(request, _username_from(credentials))


def _on_logged_in(sender, request: HttpRequest | None, user, **kwargs):
    if request is not None:
        record_success(request, user.get_username())


def connect_signals() -> None:
    user_login_failed.connect(_on_login_failed, dispatch_uid="security.login_failed")
    user_logged_in.connect(_on_logged_in, dispatch_uid="security.logged_in")


class LockoutModelBackend(ModelBackend):
    """Django's ModelBackend that refuses, even a correct password, while locked out.

    PermissionDenied stops ``authenticate()`` from trying further backends and
    still sends ``user_login_failed``.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        name = username or kwargs.get(get_user_model().USERNAME_FIELD) or ""
        if request is not None and lockout_remaining(request, str(name)):
            raise PermissionDenied("too many failed logins")
        return super().authenticate(request, username=username, password=password, **kwargs)


class LoginLockoutMiddleware:
    """Answers a locked-out admin login POST with 429 and when to try again."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if request.method != "POST" or not match or match.view_name != "admin:login":
            return None
        remaining = lockout_remaining(request, request.POST.get("username", ""))
        if not remaining:
            return None
        minutes = math.ceil(remaining / 60)
        response = HttpResponse(
            f"登录失败次数过多，请 {minutes} 分钟后再试。\n"
            f"Too many failed logins: try again in {minutes} min.\n",
            status=429,
            content_type="text/plain; charset=utf-8",
        )
        response["Retry-After"] = str(remaining)
        return response
