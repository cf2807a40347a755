"""First asks on two copies of one archive whose indexes differ in format, alternately.

``--old`` and ``--new`` are data dirs holding the same reports, their indexes
written by different code (issue 18 stop 23: positions pickled, as before
``ArrayPositions``, and as arrays, after ``rebuild_index``). Each round runs
``bench/first_ask_classes.py`` once on each, in turn (which goes first alternates),
after emptying that copy's shared value cache so every ask is a first ask. CPU is
the asking thread's; the copies' caches are written, so never pass a live archive.

    .venv/bin/python bench/first_ask_formats_ab.py --old /tmp/a10k --new /tmp/a10kn
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def first_asks(data: Path) -> dict:
    shutil.rmtree(data / "cache" / "values", ignore_errors=True)
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run(
            [sys.executable, "bench/first_ask_classes.py", "--data", str(data), "--json", out.name],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        return json.loads(Path(out.name).read_text())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--old", type=Path, required=True)
    parser.add_argument("--new", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    runs: dict[str, list[dict]] = {"old": [], "new": []}
    for n in range(args.rounds):
        for arm in ("old", "new") if n % 2 == 0 else ("new", "old"):
            runs[arm].append(first_asks(getattr(args, arm)))
    for arm, results in runs.items():
        p50 = statistics.median(r["cpu_ms"]["ALL"]["p50"] for r in results)
        p95 = statistics.median(r["cpu_ms"]["ALL"]["p95"] for r in results)
        total = statistics.median(r["sum_ms"] for r in results)
        loads = [round(x, 1) for r in results for x in r["load"]]
        print(f"{arm}: p50 {p50:.0f} ms, p95 {p95:.0f} ms, sum {total:.0f} ms (load {loads})")
        kinds = results[0]["cpu_ms"]
        line = ", ".join(
            f"{k} {statistics.median(r['cpu_ms'][k]['p50'] for r in results):.0f}"
            for k in kinds
            if k != "ALL"
        )
        print(f"  p50 by class: {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
