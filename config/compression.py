"""Compressed HTML for readers, without opening a BREACH.

BREACH recovers a secret from a compressed response when the page reflects input
the attacker controls next to a secret that stays the same across requests.
Django's GZipMiddleware pads each response with random bytes ("Heal The Breach",
Django 4.2+), which slows the attack without ruling it out, so this subclass
compresses only what carries no lasting secret:

* GET and HEAD requests from a client without a session cookie: an anonymous
  reader, whose page shows only public reports. Staff (logged in, so with a
  session) get their pages uncompressed, admin and upload pages included.
* The one token a reader's page does carry, the CSRF token of the language form,
  is masked afresh for every response (Django's own BREACH defence), so it is
  never the same bytes twice (so a first visit, which also gets the CSRF cookie in
  a header, is compressed too: headers are not).

A reverse proxy could compress instead (then set ``HTML_COMPRESSION=0``), but it
would have to apply the same rule (no compression when the request carries the
session cookie), so doing it here is the safer default.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.gzip import GZipMiddleware

SAFE_METHODS = ("GET", "HEAD")
#: pages and feeds; the JSON API stays plain for scripts (and for test transports
#: that ask for gzip but do not inflate, as schemathesis's WSGI client does)
COMPRESSED_TYPES = ("text/html", "application/atom+xml")
API_PREFIX = "/api/"  # its error pages too (a 405 or 400 is text/html)


def may_compress(request: HttpRequest, response: HttpResponse) -> bool:
    """True when compressing ``response`` cannot help a BREACH attacker (see above)."""
    return (
        request.method in SAFE_METHODS
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and response.get("Content-Type", "").startswith(COMPRESSED_TYPES)
        and not request.path.startswith(API_PREFIX)
    )


class ReaderGZipMiddleware(GZipMiddleware):
    """GZipMiddleware for anonymous readers' GET pages and feeds only."""

    def process_response(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        if not getattr(settings, "HTML_COMPRESSION", True) or not may_compress(request, response):
            return response
        return super().process_response(request, response)
