# Everything a newcomer needs: `make run` serves the archive with the seed
# reports loaded; `make test` runs the whole suite. Both do all set-up.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

# Front-end and system set-up (issue 4): Debian packages for the browser tests,
# the CJK font and gettext; ECharts from the npm registry, pinned in
# package-lock.json and copied into static/vendor/ (gitignored, served locally:
# no CDN); the English messages compiled from locale/ (the .mo is not committed).
ECHARTS := static/vendor/echarts.min.js
NODE_STAMP := node_modules/.package-lock.json
MO := locale/en/LC_MESSAGES/django.mo
FRONTEND := $(ECHARTS) $(MO)

.PHONY: quality run dev bench load test test-postgres setup data lint format clean system-deps vendor messages

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)

# Installs only what is missing, so it is a no-op (no apt, no root) once done.
system-deps:
	@missing=""; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing="$$missing fonts-noto-cjk"; \
	dpkg -s fonts-droid-fallback >/dev/null 2>&1 || missing="$$missing fonts-droid-fallback"; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages:$$missing"; \
		sudo=""; [ "$$(id -u)" -eq 0 ] || sudo="sudo"; \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -q && \
		$$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; \
	fi

$(NODE_STAMP): package.json package-lock.json | system-deps
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	touch $(NODE_STAMP)

# Only the parts of ECharts the pages use (frontend/echarts.js), bundled by esbuild
# (pinned in package.json, a binary shipped in its npm package): about 0.58 MB
# instead of the full 1.12 MB dist/echarts.min.js.
$(ECHARTS): $(NODE_STAMP) frontend/echarts.js
	mkdir -p $(@D)
	node_modules/.bin/esbuild frontend/echarts.js --bundle --minify --format=iife \
		--global-name=echarts --target=es2017 --legal-comments=none --log-level=warning \
		--outfile=$@

vendor: $(ECHARTS)

$(MO): locale/en/LC_MESSAGES/django.po $(STAMP) | system-deps
	$(PY) manage.py compilemessages -l en --ignore=.venv --ignore=node_modules --ignore=var

messages: $(MO)

data: setup system-deps $(FRONTEND)
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_seed_reports

# Production-like serving: gunicorn (jieba loaded before the workers fork),
# whitenoise with hashed, compressed static files, DEBUG off.
run: data
	$(PY) manage.py collectstatic --noinput -v0
	@echo "Serving the archive on http://$(HOST):$(PORT)/ (admin account: $(PY) manage.py createsuperuser)"
	GUNICORN_BIND=$(HOST):$(PORT) $(VENV)/bin/gunicorn -c config/gunicorn.conf.py

# Django's autoreloading development server, DEBUG on.
dev: data
	DJANGO_DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

# Benchmarks (docs/benchmarks.md): BENCH_N generated reports on a fresh data dir.
BENCH_N ?= 10000
bench: data
	BENCH_N=$(BENCH_N) $(PY) bench/run.py

# Load test (docs/benchmarks.md, "Load"): LOAD_N generated reports in their own data
# dir (built once, reused by later runs), 50 readers for 60 s during a 200-report upload.
LOAD_N ?= 10000
LOAD_DIR ?= var/load-archive
load: setup system-deps $(FRONTEND)
	$(PY) bench/load/run.py $(LOAD_DIR) --build $(LOAD_N) --doc docs/benchmarks.md

# Ingest and search quality on the labelled real reports (fixtures/labelled/): the
# figures go to docs/quality.md.
quality: setup
	$(PY) bench/quality.py --doc docs/quality.md

test: setup system-deps $(FRONTEND)
	$(PY) -m pytest
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

# The whole suite again on a throwaway PostgreSQL cluster (installed from Debian's
# packages if missing, on a private socket in a temp folder, removed afterwards).
test-postgres: setup system-deps $(FRONTEND)
	bash scripts/test-postgres.sh

lint: setup
	$(VENV)/bin/ruff check .

format: setup
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

clean:
	rm -rf $(VENV) var test-output .pytest_cache node_modules static/vendor $(MO)
