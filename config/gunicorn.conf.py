"""gunicorn settings for serving the archive (`make run`, and production behind a proxy).

Run: ``.venv/bin/gunicorn -c config/gunicorn.conf.py`` after ``migrate`` and
``collectstatic --noinput``. Every value can be overridden by the environment
(``GUNICORN_BIND``, ``WEB_CONCURRENCY``, ``GUNICORN_TIMEOUT``, ``GUNICORN_ACCESSLOG``)
or by gunicorn's own command-line flags.
"""

import multiprocessing
import os

# Serving is the production path: DEBUG is off unless DJANGO_DEBUG=1 says otherwise.
os.environ.setdefault("DJANGO_DEBUG", "0")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

wsgi_app = "config.wsgi:application"
# Loopback only: a public deployment puts a TLS-terminating proxy in front.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Searching is CPU-bound pure Python (Whoosh, jieba): about two workers per core;
# measured on 2 cores in docs/reliability.md.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2))
# Load Django, jieba and OpenCC once in the master (config/wsgi.py calls
# textkit.warm_up()); forked workers share those pages.
preload_app = True
# The longest request is a 5,000-row CSV export; anything slower is stuck.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Recycle workers now and then, so a slow leak can never take the site down.
max_requests = 2000
max_requests_jitter = 200
accesslog = os.environ.get("GUNICORN_ACCESSLOG", "-")
errorlog = "-"
# Client address for logs and limits comes from REMOTE_ADDR (or X-Forwarded-For as
# TRUSTED_PROXY_COUNT says); X-Forwarded-Proto is trusted from loopback proxies only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# gunicorn 27's control socket is one path per user (~/.gunicorn/gunicorn.ctl): the
# tests, the load bench and `make run` would fight over it, and nothing here uses it.
control_socket_disable = True


def pre_fork(server, worker):
    """Close database connections the master opened while loading the app.

    A SQLite (or PostgreSQL) connection must never be shared by forked processes;
    each worker opens its own on its first request.
    """
    from django.db import connections

    connections.close_all()


def post_worker_init(worker):
    """Open this worker's searcher before it accepts a request, and keep it current.

    The first search of a worker opened the index and read its columns (issue 18,
    docs/benchmarks.md "Search first asks and costly classes, stop 17"); the
    worker now does it here, and a thread re-opens it after each index change.
    """
    from search.warming import warm_worker

    warm_worker()
