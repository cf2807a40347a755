"""The Content-Security-Policy header, on every response Django renders.

Django 5.2 has no CSP support of its own (it arrives in 6.0) and the policy we
need is one fixed header: no inline scripts or styles, nothing from other
origins (ECharts is served from our own static files, see DESIGN.md). Pages hand
data to scripts through ``json_script`` and load scripts from static files, so
no nonce or hash machinery is needed; a package for that would be all surface.

Under DEBUG the same policy is sent as ``-Report-Only``: Django's own debug pages
are inline-styled, and the browser console still lists every violation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse

ENFORCING = "Content-Security-Policy"
REPORT_ONLY = "Content-Security-Policy-Report-Only"


def policy_header(directives: Mapping[str, str]) -> str:
    """``{"default-src": "'self'"}`` -> ``"default-src 'self'"``, directives in order."""
    return "; ".join(f"{name} {value}".strip() for name, value in directives.items())


class ContentSecurityPolicyMiddleware:
    """Adds ``settings.CONTENT_SECURITY_POLICY`` unless the view set its own policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.value = policy_header(settings.CONTENT_SECURITY_POLICY)
        self.header = REPORT_ONLY if settings.DEBUG else ENFORCING

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if ENFORCING not in response and REPORT_ONLY not in response:
            response[self.header] = self.value
        return response
