"""Serving and abuse defences that are not any one app's business (issue 8).

- ``secret_key``: a generated, persistent SECRET_KEY for local serving;
- ``headers``: the Content-Security-Policy header on every response;
- ``client``: which client address a request counts against;
- ``ratelimit``: per-address limits on the expensive read endpoints;
- ``login_throttle``: lockout after repeated failed logins.
"""
