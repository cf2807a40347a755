"""Compare pages with and without what a process keeps, alternately, in process (issue 18).

``--what values``: pages of new city pairs whose cities are all cached, with the
values kept per process (``cache_versions.local_values``) and with a
``LocalValues(0)`` that keeps nothing (every value unpickled from the shared
cache). ``--what frequencies``: pages of new city triples with nothing cached (the
value cache a ``DummyCache``), with the term frequencies kept per archive version
and without. Each page is asked with both settings in turn (which goes first
alternates), on ``--data`` (a copy: the shared cache under it is written).

    .venv/bin/python bench/compare_kept_ab.py --data /tmp/copy/data --what values
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--what", choices=("values", "frequencies"), required=True)
    parser.add_argument("--pages", type=int, default=60)
    args = parser.parse_args(argv)
    from bench.run import django_env

    os.environ.update(django_env(args.data), ALLOWED_HOSTS="testserver")
    import django
    from django.conf import settings

    if args.what == "frequencies":
        settings.CACHES["default"] = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    django.setup()
    from django.db.models import Count
    from django.test import Client

    from archive import cache_versions, city_sums
    from archive.models import City, Report

    largest = Report.objects.public().values("city").annotate(n=Count("pk")).order_by("-n")
    names = [City.objects.get(pk=row["city"]).name for row in largest[:60]]
    rng = random.Random(7)
    client = Client()
    if args.what == "values":
        groups = list(itertools.combinations(names[:16], 2))
        rng.shuffle(groups)
        for name in names[:16]:  # every city cached
            client.get("/compare/?cities=" + quote(f"{name},{names[0]}"))
        arms = {"kept": cache_versions.local_values, "unpickled": cache_versions.LocalValues(0)}

        def use(arm: object) -> None:
            cache_versions.local_values = arm

    else:
        groups = [rng.sample(names, 3) for _ in range(args.pages)]

        class Forgetting(city_sums._KnownFrequencies):
            def now(self) -> city_sums._Frequencies:
                return city_sums._Frequencies("never kept")

        arms = {"kept": city_sums._known, "read every time": Forgetting()}

        def use(arm: object) -> None:
            city_sums._known = arm

    times: dict[str, list[float]] = {name: [] for name in arms}
    for n, group in enumerate(groups[: args.pages]):
        order = list(arms) if n % 2 else list(reversed(arms))
        for name in order:
            use(arms[name])
            # a distinct address per arm: the whole-page cache is not what is measured
            url = "/compare/?cities=" + quote(",".join(group)) + f"&arm={quote(name)}"
            started = time.perf_counter()
            client.get(url)
            times[name].append((time.perf_counter() - started) * 1000)
    for name, values in times.items():
        ranked = sorted(values)
        print(
            f"{name}: p50 {statistics.median(values):.1f} ms, mean {statistics.mean(values):.1f}, "
            f"p95 {ranked[int(0.95 * len(ranked))]:.1f} ({len(values)} pages)"
        )
    print(f"load average {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
