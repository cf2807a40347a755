"""WSGI entry point.

jieba builds its dictionary per process (about a second); loading it here, at
import time, means a pre-forking server (gunicorn --preload) pays it once before
the workers fork, not on the first search request of each worker. The URLconf,
the message catalogs and the templates likewise (``config/warm_up.py``), and the
search index's per-segment columns (``search/warming.py``).
"""

import os

from django.core.wsgi import get_wsgi_application

from archive.cache_versions import start_epoch
from config.warm_up import warm_django
from search.warming import warm_before_fork
from textkit import warm_up

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()
start_epoch()  # this server's generation of cached values (archive/cache_versions.py)
warm_up()
warm_django()
warm_before_fork()
