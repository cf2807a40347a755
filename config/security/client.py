"""Which client address a request counts against, for rate limits and lockouts.

Behind a reverse proxy REMOTE_ADDR is the proxy; the client is then the address
the proxy appended to X-Forwarded-For. Only the last ``TRUSTED_PROXY_COUNT``
entries were written by proxies we run: anything left of them is whatever the
client chose to send, so trusting it would let an attacker pick a fresh address
per request. IPv6 clients are counted per /64, the block one host usually owns.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address to count this request against ("203.0.113.7", "2001:db8:1:2::/64")."""
    raw = request.META.get("REMOTE_ADDR", "")
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        forwarded = [a for a in forwarded if a]
        if len(forwarded) >= hops:
            raw = forwarded[-hops]
    return bucket(raw)


def bucket(raw: str) -> str:
    """An IPv4 address as is, an IPv6 one as its /64; anything unparsable as "unknown"."""
    try:
        address = ipaddress.ip_address(raw.strip())
    except ValueError:
        return "unknown"
    if address.version == 6:
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)
