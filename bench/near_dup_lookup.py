"""The near-duplicate lookup on an archive's own sketches, before and after (issue 18).

Reads the stored sketches of ``--data``'s archive (read only; ``--limit`` the
first N reports), fills ``archive.near_duplicates.SketchIndex`` with them and asks
``--asks`` of them again: the lists counted one id at a time (stop 21's
``Counter``, written out here) against the index's arrays (stop 22), the same
reports asserted for each. Also the memory of the lists both ways (a fresh set of
ids per hash against ``array('q')``), measured as the process's resident growth.

    .venv/bin/python bench/near_dup_lookup.py --data /tmp/archive/data --limit 40000
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import sqlite3
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def resident_mb() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * os.sysconf("SC_PAGESIZE") / 2**20


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=10**9)
    parser.add_argument("--asks", type=int, default=200)
    args = parser.parse_args(argv)
    from bench.run import django_env

    os.environ.update(django_env(args.data))
    import django

    django.setup()
    from archive.ingest import neardup
    from archive.near_duplicates import SketchIndex

    path = args.data / "archive.sqlite3"
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
        rows = db.execute(
            "SELECT id, json_extract(evidence, '$.minhash') FROM archive_report ORDER BY id "
            "LIMIT ?",
            (args.limit,),
        ).fetchall()
    sketches = [(pk, neardup.from_hex(value)) for pk, value in rows]
    gc.collect()
    before = resident_mb()
    sets: dict[int, set[int]] = defaultdict(set)
    for pk, sketch in sketches:
        for h in sketch:
            sets[h].add(pk)
    gc.collect()
    sets_mb = resident_mb() - before
    index = SketchIndex()
    for pk, sketch in sketches:
        index._put(pk, sketch)
    gc.collect()
    arrays_mb = resident_mb() - before - sets_mb
    rng = random.Random(1)
    asked = [sketch for _, sketch in rng.sample(sketches, min(args.asks, len(sketches)))]
    counted, arrays = [], []
    for candidate in asked:
        needed = neardup.THRESHOLD * len(candidate)
        started = time.thread_time()
        shared = Counter(pk for h in candidate for pk in sets.get(h, ()))
        old = {pk for pk, n in shared.items() if n >= needed}
        counted.append(time.thread_time() - started)
        started = time.thread_time()
        new = set(index._sharing(candidate, needed))
        arrays.append(time.thread_time() - started)
        assert new == old
    print(
        f"{len(sketches)} sketches, {len(asked)} lookups (the same reports found each time): "
        f"counted one id at a time {1000 * statistics.mean(counted):.2f} ms, "
        f"arrays {1000 * statistics.mean(arrays):.2f} ms a lookup; "
        f"lists {sets_mb:.0f} MB as sets, {arrays_mb:.0f} MB as arrays; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
