"""Serving for real: production settings, the generated secret key, gunicorn + whitenoise."""

from __future__ import annotations

import gzip
import os
import re
import socket
import stat
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from config.security.secret_key import load_or_create_secret_key

from .test_faults_support import fresh_data_dir, run
from .test_security_headers import CSP, policy

BASE_DIR = Path(__file__).resolve().parent.parent
# Set per test; DATABASE_URL dropped so `make test-postgres` still serves SQLite here.
OWN_ENV = ("SECRET_KEY", "DJANGO_DEBUG", "DATABASE_URL")
HTTPS_ENV = {
    "DJANGO_DEBUG": "0",
    "ARCHIVE_HTTPS": "1",
    "ALLOWED_HOSTS": "archive.example.org",
    "SECRET_KEY": "k" * 20 + "-production-key-from-the-environment-0123456789",
}


def test_the_generated_key_is_private_long_and_stable(tmp_path):
    key = load_or_create_secret_key(tmp_path / "secret_key")
    assert len(key) >= 50
    assert load_or_create_secret_key(tmp_path / "secret_key") == key
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_processes_racing_to_create_the_key_end_up_with_the_same_one(tmp_path):
    keys: list[str] = []
    threads = [
        threading.Thread(target=lambda: keys.append(load_or_create_secret_key(tmp_path / "k")))
        for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(keys) == 8
    assert len(set(keys)) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["k"]


def django_check(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return manage(tmp_path, env, "check", *args)


def manage(tmp_path: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in OWN_ENV}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={
            **clean,
            "ARCHIVE_DATA_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_check_deploy(tmp_path):
    result = django_check(tmp_path, HTTPS_ENV, "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_https_without_a_secret_key_refuses_to_start(tmp_path):
    env = {k: v for k, v in HTTPS_ENV.items() if k != "SECRET_KEY"}
    result = django_check(tmp_path, env)
    assert result.returncode == 1
    assert "SECRET_KEY must be set when ARCHIVE_HTTPS is on" in result.stderr


def test_local_serving_without_a_key_generates_one_in_the_data_dir(tmp_path):
    result = django_check(tmp_path, {"DJANGO_DEBUG": "0"})
    assert result.returncode == 0, result.stderr
    assert len((tmp_path / "secret_key").read_text().strip()) >= 50


def test_under_debug_the_same_policy_is_reported_not_enforced(tmp_path):
    """Django's debug pages are inline-styled: DEBUG reports violations instead."""
    code = (
        "from django.test import Client; "
        "r = Client(HTTP_HOST='localhost').get('/api/openapi.json'); "
        "print(r.status_code, 'Content-Security-Policy' in r); "
        "print(r['Content-Security-Policy-Report-Only'])"
    )
    result = manage(tmp_path, {"DJANGO_DEBUG": "1"}, "shell", "-v0", "-c", code)
    assert result.returncode == 0, result.stderr
    status, header = result.stdout.strip().split("\n")
    assert status == "200 False"
    assert policy(header) == CSP


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, **headers: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


@contextmanager
def serving(data_dir: Path, **extra_env: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """gunicorn (config/gunicorn.conf.py, 2 workers) on ``data_dir``: its address and
    process, once it answers."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in OWN_ENV}
    env.update(
        ARCHIVE_DATA_DIR=str(data_dir),
        DJANGO_SETTINGS_MODULE="config.settings",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        WEB_CONCURRENCY="2",
        **extra_env,
    )
    server = subprocess.Popen(
        [str(Path(sys.executable).with_name("gunicorn")), "-c", "config/gunicorn.conf.py"],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            fetch(base + "/")
            break
        except OSError:
            assert server.poll() is None, server.stderr.read()
            time.sleep(0.3)
    try:
        yield base, server
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture
def gunicorn(tmp_path):
    data_dir = fresh_data_dir(tmp_path / "data")
    code, _out, err = run(data_dir, "collectstatic", "--noinput")
    assert code == 0, err
    with serving(data_dir) as (base, _server):
        yield base


def test_gunicorn_serves_pages_without_debug_and_static_files_hashed_and_compressed(gunicorn):
    status, headers, body = fetch(gunicorn + "/")
    assert status == 200
    assert policy(headers["Content-Security-Policy"]) == CSP
    css = re.search(r'href="(/static/css/archive\.[0-9a-f]{12}\.css)"', body.decode())
    assert css, "the stylesheet is not served under its hashed name"
    status, headers, body = fetch(gunicorn + css.group(1), **{"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip"
    assert "immutable" in headers["Cache-Control"]
    assert b"{" in gzip.decompress(body)
    status, _headers, body = fetch(gunicorn + "/no-such-page/")
    assert status == 404
    assert b"technical_404" not in body and b"URLconf" not in body  # no DEBUG page
