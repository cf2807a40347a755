"""Where the index phase of an import goes: cProfile of ``drain_queue`` on an archive.

Usage (on an archive you may re-index, e.g. a bench data dir)::

    ARCHIVE_DATA_DIR=/tmp/some-archive .venv/bin/python bench/profile_index.py --procs 1

Empties the index, queues every report and drains the queue as the end of
``import_reports`` does, under cProfile. With ``--procs 1`` (the default) every call
runs in this process, so the profile holds the whole phase; with more, Whoosh's
sub-writers run in forked processes the profile does not see. Prints the main
process's CPU and wall seconds and the top functions by cumulative and own time
(docs/benchmarks.md, "Bulk import sums, stop 18").
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--procs", type=int, default=1)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from archive.models import Report
    from search.engine import writer_processes
    from search.indexing import backend, drain_queue, enqueue

    backend().clear()
    enqueue(Report.objects.values_list("pk", flat=True))
    profile = cProfile.Profile()
    cpu, wall = time.process_time(), time.perf_counter()
    with writer_processes(args.procs):
        profile.enable()
        handled = drain_queue()
        profile.disable()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"{handled} reports, procs={args.procs}: CPU {cpu:.1f} s, wall {wall:.1f} s")
    out = io.StringIO()
    stats = pstats.Stats(profile, stream=out)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
