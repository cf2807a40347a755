"""Settings for the Talent Policy Archive.

Every production knob is an environment variable read by a small typed helper
(see ../shared/API.md, "Settings"); the defaults give a working archive right
after clone: SQLite in WAL mode and a Whoosh index under ``ARCHIVE_DATA_DIR``.
"""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from config.security.secret_key import load_or_create_secret_key

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean, got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


#: gzip anonymous readers' GET pages (config/compression.py); 0 when a proxy does it.
HTML_COMPRESSION = env_bool("HTML_COMPRESSION", default=True)

DATA_DIR = Path(env_str("ARCHIVE_DATA_DIR", str(BASE_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)  # "an empty folder gives a working archive"
ORIGINALS_DIR = DATA_DIR / "originals"
MAX_UPLOAD_MB = env_int("MAX_UPLOAD_MB", 50)
# `import_reports` runs at this CPU niceness (0-19): readers served meanwhile first.
# 19, not 10: under `make load` with 200 reports imported, p95 400 ms at 10 and 320
# at 19 (docs/benchmarks.md, "Issue 18, stop 25"); an idle machine imports as fast.
IMPORT_NICENESS = env_int("IMPORT_NICENESS", 19)

# --- Serving mode and the secret key ---------------------------------------------------
# DEBUG stays on by default for manage.py (runserver, commands); the serving path,
# config/gunicorn.conf.py, defaults DJANGO_DEBUG to 0, so `make run` is production.
# ARCHIVE_HTTPS=1 declares a public HTTPS deployment (secure cookies, HSTS, redirect).
DEBUG = env_bool("DJANGO_DEBUG", default=True)
HTTPS = env_bool("ARCHIVE_HTTPS", default=False)
SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if DEBUG:
        SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
    elif HTTPS:
        raise ImproperlyConfigured("SECRET_KEY must be set when ARCHIVE_HTTPS is on")
    else:
        # Local serving (`make run`): a key generated once into the data dir, so a
        # newcomer sets nothing and the key is never one published in the repository.
        try:
            SECRET_KEY = load_or_create_secret_key(DATA_DIR / "secret_key")
        except (OSError, ValueError) as exc:
            raise ImproperlyConfigured(f"cannot read or create the secret key: {exc}") from exc

ALLOWED_HOSTS = [
    h.strip() for h in env_str("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "haystack",
    "archive",
    "search",
    "compare",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files are answered here, before sessions or any view (whitenoise docs).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # gzip for anonymous readers' GET pages only (BREACH: see config/compression.py).
    "config.compression.ReaderGZipMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.security.ratelimit.RateLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as its docs ask: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

_database_url = env_str("DATABASE_URL")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "archive.sqlite3",
            # WAL lets readers proceed while one writer imports; the init
            # command runs on every new connection (Django 5.1+).
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
# Hashed, compressed names from `collectstatic` (needed before serving with DEBUG off:
# the manifest maps css/archive.css to css/archive.<hash>.css). Under DEBUG the
# unhashed names are used and runserver serves from the app folders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Whoosh under the data dir by default; Elasticsearch 7 for a national collection
# (docs/scaling.md). Both get the same jieba/OpenCC token stream (search/elastic.py).
SEARCH_ENGINE = env_str("SEARCH_ENGINE", "whoosh")
#: search results remembered while the Whoosh index is unchanged, for every worker
#: (search/result_memo.py, in the ``default`` cache): 1 on, 0 off.
SEARCH_RESULT_CACHE = env_int("SEARCH_RESULT_CACHE", 1)
#: seconds between a gunicorn worker's checks for a changed index, whose searcher
#: it then opens before a reader asks (search/warming.py); 0: never.
SEARCH_REWARM_SECONDS = env_int("SEARCH_REWARM_SECONDS", 2)
SEARCH_URL = env_str("SEARCH_URL")
if SEARCH_ENGINE == "whoosh":
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "search.backend.ArchiveWhooshEngine",
            "PATH": str(DATA_DIR / "index"),
        }
    }
elif SEARCH_ENGINE == "elasticsearch":
    if not SEARCH_URL:
        raise ImproperlyConfigured(
            "SEARCH_ENGINE=elasticsearch needs SEARCH_URL (http://host:9200)"
        )
    HAYSTACK_CONNECTIONS = {
        "default": {
            "ENGINE": "search.elastic.ArchiveElasticsearchEngine",
            "URL": SEARCH_URL,
            "INDEX_NAME": env_str("SEARCH_INDEX", "talent_archive"),
            "TIMEOUT": env_int("SEARCH_TIMEOUT", 10),
            # A failed write must raise so the index queue keeps its rows (search/indexing.py).
            "SILENTLY_FAIL": False,
            # Read when the index is created (rebuild_index); see docs/scaling.md.
            "INDEX_SETTINGS": {
                "number_of_shards": env_int("SEARCH_SHARDS", 1),
                "number_of_replicas": env_int("SEARCH_REPLICAS", 1),
            },
        }
    }
else:
    raise ImproperlyConfigured(
        f"SEARCH_ENGINE must be whoosh or elasticsearch, not {SEARCH_ENGINE!r}"
    )
#: A lost, partial or foreign index (search/health.py): search answers 503 "being
#: rebuilt" and rebuilds it from the database in a background thread ("background"),
#: in the request that noticed ("inline": tests), or waits for an operator ("off").
SEARCH_REBUILD = env_str("SEARCH_REBUILD", "background")
if SEARCH_REBUILD not in ("background", "inline", "off"):
    raise ImproperlyConfigured(
        f"SEARCH_REBUILD must be background, inline or off, not {SEARCH_REBUILD!r}"
    )
# Index after commit, through a queue drained by one writer (search/signals.py).
HAYSTACK_SIGNAL_PROCESSOR = "search.signals.QueuedSignalProcessor"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Security headers and cookies (manage.py check --deploy) ----------------------------
# Always: nosniff, same-origin referrers, no framing, a strict CSP.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# Over HTTPS (behind a TLS proxy: gunicorn trusts X-Forwarded-Proto from loopback,
# its forwarded_allow_ips default, so request.is_secure() is right without more).
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("ARCHIVE_HSTS_SECONDS", 31_536_000) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("ARCHIVE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env_bool("ARCHIVE_HSTS_PRELOAD", default=False)
if not SECURE_HSTS_PRELOAD:
    # Joining the browsers' preload list is a commitment for the whole domain that
    # its owner makes, not a default: check --deploy would nag about it (W021).
    SILENCED_SYSTEM_CHECKS = ["security.W021"]

# The Content-Security-Policy, sent by django-csp on every response Django renders: no
# inline scripts or styles, nothing from other origins (ECharts and Swagger UI are served
# from this server, DESIGN.md); pages hand data to scripts through json_script, so no
# nonces. Under DEBUG the same policy is only reported: Django's debug pages are
# inline-styled, and the browser console still lists every violation (django-csp also
# leaves DEBUG 404 and 500 pages alone).
STRICT_CSP = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
CONTENT_SECURITY_POLICY = None if DEBUG else STRICT_CSP
CONTENT_SECURITY_POLICY_REPORT_ONLY = STRICT_CSP if DEBUG else None

# --- Abuse limits ------------------------------------------------------------------------
# django-ratelimit (rate limits) and django-axes (login lockout) count in a cache every
# gunicorn worker shares: files under the data dir by default. The file cache's
# read-modify-write is not atomic, so two workers counting at the same instant can lose
# a count: limits are slightly lenient under races, never stricter (they stop floods,
# they do not bill). Both packages' own checks want memcached or Redis for that reason;
# a Redis cache configured here as "throttle" counts exactly (README, production).
CACHES = {
    # Cached values, whole pages and search results (archive/cache_versions.py), shared
    # by every worker: diskcache's SQLite shards under the data dir (a get is ~30 us, a
    # set ~0.4 ms). Per process, a reader paging or refining met a worker that had not
    # seen the query yet on 3 requests of 4 (docs/benchmarks.md, "Shared caches, stop
    # 18"). Bounded in bytes; a lock held past DATABASE_TIMEOUT is a miss, never a wait.
    "default": {
        "BACKEND": "config.shared_cache.SharedDiskCache",
        "LOCATION": str(DATA_DIR / "cache" / "values"),
        "TIMEOUT": 3600,
        "SHARDS": 4,
        "DATABASE_TIMEOUT": 0.05,
        "OPTIONS": {"size_limit": env_int("CACHE_SIZE_MB", 512) * 2**20},
    },
    "throttle": {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(DATA_DIR / "cache" / "throttle"),
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
    # Cache-version tokens (archive/cache_versions.py): files, so a bump in one worker
    # is seen by every other at once. Values and whole pages stay in "default".
    "versions": {
        # a token per scope, never culled (config/version_cache.py)
        "BACKEND": "config.version_cache.VersionTokenCache",
        "LOCATION": str(DATA_DIR / "cache" / "versions"),
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}
#: the cache alias holding version tokens (archive/cache_versions.py).
CACHE_VERSIONS = "versions"
#: whole pages for anonymous readers, per archive version (archive/page_cache.py).
PAGE_CACHE = env_bool("PAGE_CACHE", default=True)
#: parts of the report, city and compare pages kept under their own narrower
#: versions, so a page missed after an unrelated save is cheap (archive/fragments.py).
PAGE_FRAGMENTS = env_bool("PAGE_FRAGMENTS", default=True)
# Behind N reverse proxies we run, the client is the Nth address from the right of
# X-Forwarded-For; 0 (default) means REMOTE_ADDR is the client.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
# "N/period" (s, m, h, d; "10/5m") per client address, or "off".
RATE_LIMITS = {
    "search": env_str("RATE_LIMIT_SEARCH", "60/m"),
    "export": env_str("RATE_LIMIT_EXPORT", "10/m"),
}
#: URL name -> scope, read by config/security/ratelimit.py (a middleware over
#: django-ratelimit's get_usage, so a path change in urls.py cannot drop a limit).
RATE_LIMITED_VIEWS = {
    "api:search": "search",  # /api/search, served by the api app (issue 9)
    "search:export": "export",
    "compare:export": "export",
    "exports:search_jsonl": "export",
    "exports:compare_jsonl": "export",
    "exports:city_csv": "export",
    "exports:city_jsonl": "export",
}
RATELIMIT_USE_CACHE = "throttle"
# A count the cache cannot give (an entry culled between django-ratelimit's add and
# incr) lets the request through rather than refusing a client who did nothing.
RATELIMIT_FAIL_OPEN = True
# Admin logins (django-axes, config/security/login_lockout.py): LOGIN_MAX_FAILURES
# failures from one address lock that username there, 4 x as many lock the address;
# a lock lasts LOGIN_LOCKOUT_MINUTES from the latest failure; success clears it.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses while locked out
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "config.security.login_lockout.PairAndAddressCacheHandler"
AXES_CACHE = "throttle"
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"], "ip_address"]
AXES_FAILURE_LIMIT = "config.security.login_lockout.failure_limit"
AXES_COOLOFF_TIME = "config.security.login_lockout.cool_off"
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "config.security.client.client_address"
AXES_LOCKOUT_CALLABLE = "config.security.login_lockout.lockout_response"
# The cache handler writes no rows, so axes' attempt and log pages would stay empty.
AXES_ENABLE_ADMIN = False

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
