"""Serving and abuse defences that are not any one app's business (issue 8).

The work is done by maintained packages configured in settings: django-csp (the
Content-Security-Policy header), django-ratelimit (request counting) and
django-axes (login lockout). What is ours:

- ``secret_key``: a generated, persistent SECRET_KEY for local serving;
- ``client``: which client address a request counts against (both packages use it);
- ``ratelimit``: which views are limited, at what rate, and the 429 pages;
- ``login_lockout``: axes' cache handler with a limit per counter, and its 429 page.
"""
