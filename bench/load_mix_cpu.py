"""CPU of the load mix's searches, each asked after an upload, in process (issue 18).

Under ``make load`` every upload moves the index version, so almost no search of
the mix finds its answer cached. This asks ``--asks`` searches drawn as
bench/load/locustfile.py draws them (60 % of the load's requests: ``/search/`` twice
as often as ``/api/search``), bumping the index version before each, on a copy of
an archive (``--data``; the searches only read it, the shared cache is written),
and prints each endpoint's CPU per request (this thread's ``time.thread_time``, the
fairer figure on a shared machine). ``--profile`` prints where it goes; ``--form``
times the search form alone over the asks' parameters.

    .venv/bin/python bench/load_mix_cpu.py --data /tmp/archive-copy/data --asks 150
"""

from __future__ import annotations

import argparse
import ast
import cProfile
import os
import pstats
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _locust_constants() -> dict[str, tuple]:
    """TERMS, DOC_TYPES and SORTS of bench/load/locustfile.py, read without importing
    it (locust is installed in the load test's own environment only)."""
    tree = ast.parse((ROOT / "bench" / "load" / "locustfile.py").read_text(encoding="utf-8"))
    wanted = {"TERMS", "DOC_TYPES", "SORTS"}
    return {
        node.targets[0].id: ast.literal_eval(node.value)
        for node in tree.body
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", None) in wanted
    }


MIX = _locust_constants()


def search_params(rng: random.Random, provinces: list[str]) -> dict:
    """A search's parameters as ``Reader._search_params`` draws them."""
    params: dict = {"q": " ".join(rng.sample(MIX["TERMS"], rng.choice((1, 1, 2))))}
    if rng.random() < 0.5:
        params["province"] = rng.choice(provinces)
    if rng.random() < 0.3:
        params["doc_type"] = rng.choice(MIX["DOC_TYPES"])
    if rng.random() < 0.3:
        params["year_from"] = rng.choice((2018, 2020, 2022))
    params["sort"] = rng.choice(MIX["SORTS"])
    if rng.random() < 0.2:
        params["page"] = 2
    return params


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--asks", type=int, default=150)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument(
        "--form", action="store_true", help="time only the search form of each ask's params"
    )
    args = parser.parse_args(argv)
    from bench.run import django_env

    os.environ.update(django_env(args.data), ALLOWED_HOSTS="testserver")
    import django

    django.setup()
    from django.test import Client

    from archive import cache_versions
    from archive.models import Province
    from config.warm_up import warm_django
    from search.indexing import backend
    from textkit import warm_up

    warm_up()
    warm_django()
    backend().warm()
    provinces = sorted(Province.objects.values_list("name", flat=True))
    rng = random.Random(5)
    paths = ("/search/", "/search/", "/api/search")
    asks = [(rng.choice(paths), search_params(rng, provinces)) for _ in range(args.asks)]
    if args.form:
        return _time_form([params for _path, params in asks])
    client = Client()
    for path, params in asks[:20]:  # the process warm, as a worker after a while
        client.get(path, params)
    profile = cProfile.Profile() if args.profile else None
    cpu: dict[str, list[float]] = {path: [] for path in set(paths)}
    for path, params in asks:
        cache_versions.bump(index=True)  # an upload was indexed
        started = time.thread_time()
        if profile:
            profile.enable()
        client.get(path, params)
        if profile:
            profile.disable()
        cpu[path].append((time.thread_time() - started) * 1000)
    for path, times in sorted(cpu.items()):
        ranked = sorted(times)
        print(
            f"{path}: {len(times)} asks, CPU ms p50 {statistics.median(times):.1f}, "
            f"mean {statistics.mean(times):.1f}, p95 {ranked[int(0.95 * len(ranked))]:.1f}"
        )
    print(f"load average {os.getloadavg()[0]:.1f}")
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
    return 0


def _time_form(asks: list[dict]) -> int:
    """``form_html`` of every ask's params, in one process (the form's own caches
    warm as a worker's do over a load run)."""
    from urllib.parse import urlencode

    from django.http import QueryDict

    from search.page_context import form_html
    from search.params import parse_params

    params = [parse_params(QueryDict(urlencode(ask)), strict=False) for ask in asks]
    started = time.thread_time()
    for one in params:
        form_html(one)
    each = (time.thread_time() - started) * 1000 / len(params)
    print(f"search form: {each:.2f} ms CPU an ask over {len(params)} asks")
    return 0


if __name__ == "__main__":
    sys.exit(main())
