"""Issue 18: search speed must not depend on the server's threading model.

One archive of ``BENCH_N`` generated reports (default 1,000), served at once by
three servers on the same data dir:

- ``runserver`` (``make dev``): a new thread per request;
- gunicorn, sync workers (``make run``, production): 2 processes, one request each;
- gunicorn, threaded workers (``--threads 4``): 2 processes, 4 threads each.

Every /api/search address of the query mix (bench/queries.py) and a third of
the /search/ ones go to the three servers in a seeded random order, so a burst
of load from other processes lands on all alike. Cold: the first ask of each
address (no result cached); warm: ``BENCH_ROUNDS`` (default 3) more rounds.
The target: every server within 1.5x of the fastest, cold and warm.

    BENCH_N=1000 .venv/bin/python bench/threading_models.py

Writes between ``threading:start``/``threading:end`` in docs/benchmarks.md
(``BENCH_DOC`` to change).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.before_after import prepare  # noqa: E402 (after the sys.path line above)
from bench.measure import get, machine, percentile, wait_for, write_marked  # noqa: E402
from bench.queries import query_urls  # noqa: E402
from bench.run import PYTHON, env_int, free_port, write_part  # noqa: E402

GUNICORN = [str(Path(PYTHON).with_name("gunicorn")), "-c", "config/gunicorn.conf.py"]
#: server name -> (command, extra environment); ``{port}`` is filled in.
MODELS = {
    "runserver (thread per request)": (
        [PYTHON, "manage.py", "runserver", "--noreload", "127.0.0.1:{port}"],
        {},
    ),
    "gunicorn sync, 2 workers": (GUNICORN, {"WEB_CONCURRENCY": "2"}),
    "gunicorn gthread, 2 workers x 4 threads": (
        GUNICORN,
        {"WEB_CONCURRENCY": "2", "GUNICORN_CMD_ARGS": "--threads 4"},
    ),
}
#: the target: every model within this factor of the fastest.
WITHIN = 1.5


class Served:
    """One server process group for the length of a ``with`` block."""

    def __init__(self, command: list[str], env: dict[str, str]) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.command = [part.format(port=self.port) for part in command]
        bind = {"GUNICORN_BIND": f"127.0.0.1:{self.port}", "GUNICORN_ACCESSLOG": "/dev/null"}
        self.env = {**env, **bind}

    def __enter__(self) -> Served:
        self.proc = subprocess.Popen(
            self.command, cwd=ROOT, env=self.env, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        wait_for(self.base + "/api/cities")
        return self

    def __exit__(self, *exc) -> None:
        os.killpg(self.proc.pid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)


def paths(base: str) -> list[str]:
    """The path and query of every address timed (the same on each server)."""
    api = [url for _, url in query_urls(base, "/api/search")]
    page = [url for _, url in query_urls(base, "/search/")][::3]
    return [url.removeprefix(base) for url in api + page]


def one_round(servers: dict[str, Served], addresses: list[str], rng, times: dict) -> None:
    for address in addresses:
        order = list(servers.items())
        rng.shuffle(order)
        for name, server in order:
            ms, status, _ = get(server.base + address)
            if status != 200 and not (status == 404 and "page=" in address):  # past the end
                raise RuntimeError(f"{name} {address}: HTTP {status}")
            times.setdefault(name, []).append(ms)


def measure(env: dict[str, str], rounds: int) -> dict:
    runs = {name: Served(cmd, {**env, **extra}) for name, (cmd, extra) in MODELS.items()}
    for served in runs.values():
        served.__enter__()
    try:
        addresses = paths(next(iter(runs.values())).base)
        rng, cold, warm, loads = random.Random(18), {}, {}, []
        one_round(runs, addresses, rng, cold)
        loads.append(os.getloadavg()[0])
        for _ in range(rounds):
            one_round(runs, addresses, rng, warm)
            loads.append(os.getloadavg()[0])
        return {"cold": cold, "warm": warm, "loads": loads, "requests": len(addresses)}
    finally:
        for served in runs.values():
            served.__exit__()


def render(n: int, result: dict) -> str:
    info, loads = machine(), result["loads"]
    when = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    cells = {
        (phase, q): {name: percentile(times, q) for name, times in result[phase].items()}
        for phase in ("cold", "warm")
        for q in (50, 95)
    }
    lines = [
        f"Latest run: {when} on {info.get('cpu')}, {info.get('cores')} cores; 1-minute load "
        f"average {min(loads):.1f}–{max(loads):.1f} during the rounds. Command: `BENCH_N={n} "
        f".venv/bin/python bench/threading_models.py`; {n:,} generated reports, one archive "
        f"served by the three servers at once; {result['requests']} addresses (/api/search "
        "query mix and a third of the /search/ ones), each sent to every server in a random "
        "order; sequential requests; ms; × = against the fastest server in that column.",
        "",
        "| server | cold p50 | cold p95 | warm p50 | warm p95 |",
        "|---|---:|---:|---:|---:|",
    ]
    worst = 1.0
    for name in MODELS:
        row = []
        for column in cells.values():
            ratio = column[name] / min(column.values())
            worst = max(worst, ratio)
            row.append(f"{column[name]:.0f} ({ratio:.2f}×)")
        lines.append(f"| {name} | " + " | ".join(row) + " |")
    verdict = "met" if worst <= WITHIN else "**not met**"
    lines += ["", f"Target (every server within {WITHIN}× of the fastest): {verdict} "
              f"(largest ratio {worst:.2f}×)."]  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    n = env_int("BENCH_N", 1000)
    work = Path(tempfile.mkdtemp(prefix="archive-threading-"))
    try:
        write_part(work / "in", 0, n)
        env, _ = prepare(ROOT, work / "in", work / "data")
        text = render(n, measure(env, env_int("BENCH_ROUNDS", 3)))
        print(text, flush=True)
        doc = Path(os.environ.get("BENCH_DOC", ROOT / "docs" / "benchmarks.md"))
        write_marked(doc, "threading", text, "Threading models (issue 18)")
    finally:
        if os.environ.get("BENCH_KEEP") != "1":
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
