"""First asks of the bench mix through ``/api/search``, in process, CPU by class (issue 18).

A fresh process opens the archive (``--data``, read only), warms the analyzer, Django
and the searcher as gunicorn's master and worker do (config/wsgi.py, ``warm``;
before stop 24 the analyzer was not, and the first ask paid ~1 s of it), then asks
every query of the mix once: each is
a first ask (nothing remembered for it; what earlier queries of the mix left in
the searcher stays, as in a worker). CPU is this thread's (``time.thread_time``),
the fairer figure on a shared machine; the 1-minute load average is printed.
Run it from two trees alternately to compare them:

    .venv/bin/python bench/first_ask_classes.py --data /tmp/archive/data --json after.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path.cwd()
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--worst", type=int, default=0, help="also print the N slowest asks")
    args = parser.parse_args(argv)
    from bench.run import django_env

    os.environ.update(django_env(args.data), ALLOWED_HOSTS="testserver")
    import django

    django.setup()
    from django.test import Client

    import textkit
    from bench.queries import QUERY_MIX
    from config.warm_up import warm_django
    from search.indexing import backend

    textkit.warm_up()  # as config/wsgi.py does before gunicorn forks its workers
    warm_django()
    backend().warm()
    client, load = Client(), os.getloadavg()[0]
    cpu: dict[str, list[float]] = {}
    asks: list[tuple[float, str, dict]] = []
    for kind, params in QUERY_MIX:
        started = time.thread_time()
        assert client.get("/api/search", params).status_code == 200
        cpu.setdefault(kind, []).append((time.thread_time() - started) * 1000)
        asks.append((cpu[kind][-1], kind, params))
    every = sorted(t for times in cpu.values() for t in times)
    rows = {k: {"p50": statistics.median(v), "max": max(v)} for k, v in cpu.items()}
    rows["ALL"] = {"p50": statistics.median(every), "p95": every[int(len(every) * 0.95)]}
    result = {"load": [load, os.getloadavg()[0]], "cpu_ms": rows, "sum_ms": sum(every)}
    print(json.dumps(result))
    for ms, kind, params in sorted(asks, key=lambda ask: -ask[0])[: args.worst]:
        print(f"{ms:7.1f} ms  {kind:11} {params}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
