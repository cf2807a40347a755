"""Timing the archive through a real HTTP server, as an analyst's browser meets it.

gunicorn with the project's config/gunicorn.conf.py when installed (the
production path), else ``runserver --noreload``. Requests are sequential: the
figures are latencies of one analyst, not throughput under load (bench/load/).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import quote

from bench.measure import get, get_json, percentile
from bench.queries import query_urls

PAGE_SAMPLES = 30


class Server:
    """A server process on 127.0.0.1:port for the duration of a ``with`` block."""

    def __init__(self, root: Path, env: dict[str, str], port: int) -> None:
        self.root, self.env, self.port = root, dict(env), port
        self.base = f"http://127.0.0.1:{port}"
        gunicorn = Path(sys.executable).with_name("gunicorn")
        config = root / "config" / "gunicorn.conf.py"
        if gunicorn.exists() and config.exists():
            self.kind = "gunicorn"
            self.env.update(GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_ACCESSLOG="/dev/null")
            self.args = [str(gunicorn), "-c", str(config)]
        else:
            self.kind = "runserver"
            self.args = [
                sys.executable,
                "manage.py",
                "runserver",
                "--noreload",
                f"127.0.0.1:{port}",
            ]
        self.log = open(os.devnull, "wb")  # noqa: SIM115 - closed in __exit__

    def __enter__(self) -> Server:
        self.proc = subprocess.Popen(
            self.args, cwd=self.root, env=self.env, stdout=self.log, stderr=self.log,
            start_new_session=True,
        )  # fmt: skip
        return self

    def __exit__(self, *exc) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)  # the server and its own workers
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def summary(times: list[float]) -> dict[str, float]:
    return {
        "n": len(times),
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "p99": percentile(times, 99),
        "max": max(times) if times else float("nan"),
    }


def time_searches(base: str, *, rounds: int) -> dict:
    """The query mix against /api/search and /search/: a first round, then timed.

    The first round is the first time each query is asked since the index last
    changed: no worker has it in its result cache (search/backend.py), so its
    times are the engine's own; the timed rounds are what an analyst paging and
    refining meets. Both are reported.
    """
    out: dict = {}
    for path in ("/api/search", "/search/"):
        urls = query_urls(base, path)
        first = [get(url)[0] for _, url in urls]
        first_by_class: dict[str, list[float]] = {}
        for (kind, _), ms in zip(urls, first, strict=True):
            first_by_class.setdefault(kind, []).append(ms)
        times: list[float] = []
        by_class: dict[str, list[float]] = {}
        errors = 0
        for _ in range(rounds):
            for kind, url in urls:
                ms, status, _ = get(url)
                errors += status != 200
                times.append(ms)
                by_class.setdefault(kind, []).append(ms)
        out[path] = {
            **summary(times),
            "errors": errors,
            "classes": {kind: summary(values) for kind, values in by_class.items()},
            "first": summary(first),
            "first_classes": {kind: summary(values) for kind, values in first_by_class.items()},
        }
    return out


def _timed(urls: list[str], rounds: int = 2) -> dict:
    for url in urls[:3]:
        get(url)
    times, statuses = [], Counter()
    for _ in range(rounds):
        for url in urls:
            ms, status, _ = get(url)
            statuses[status] += 1
            times.append(ms)
    errors = sum(n for status, n in statuses.items() if status != 200)
    return {**summary(times), "errors": errors, "statuses": dict(statuses)}


def time_pages(base: str, report_ids: list[int]) -> dict:
    """Home, report, city and compare pages (3 cities) p50/p95 over a fixed sample."""
    rng = random.Random(7)
    cities = get_json(f"{base}/api/cities")
    cities = sorted(cities, key=lambda c: -c.get("report_count", 0))[:60]
    out: dict = {"home": _timed([f"{base}/"] * (PAGE_SAMPLES // 3))}
    ids = rng.sample(report_ids, min(PAGE_SAMPLES, len(report_ids)))
    out["report"] = _timed([f"{base}/reports/{pk}/" for pk in ids])
    slugs = [c["slug"] for c in rng.sample(cities, min(PAGE_SAMPLES // 2, len(cities)))]
    if slugs and get(f"{base}/cities/{slugs[0]}/")[1] != 404:
        out["city"] = _timed([f"{base}/cities/{slug}/" for slug in slugs])
    else:
        out["city"] = None  # /cities/<slug>/ not built yet
    names = [c["name"] for c in cities]
    triples = [rng.sample(names, 3) for _ in range(PAGE_SAMPLES // 2)] if len(names) >= 3 else []
    out["compare"] = _timed([f"{base}/compare/?cities={quote(','.join(t))}" for t in triples])
    return out
