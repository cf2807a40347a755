"""Issue 18's targets against a ``bench/run.py`` run: the figure, the bound, met or not.

docs/benchmarks.md must say, run by run, which target is met; computing the
verdict from the run's own results keeps the table honest (no figure copied by
hand, no target forgotten when a figure moves).
"""

from __future__ import annotations

from dataclasses import dataclass

#: peak memory (PSS of the import process tree) an import must stay under.
MEMORY_BOUND = 1.5e9


@dataclass(frozen=True)
class Target:
    what: str
    bound: str
    figure: str
    met: bool | None  # None: not measured in this run


def _latency(what: str, summary: dict | None, bound_ms: float) -> Target:
    if not summary:
        return Target(what, f"p95 ≤ {bound_ms:.0f} ms", "not measured", None)
    p95 = summary["p95"]
    return Target(what, f"p95 ≤ {bound_ms:.0f} ms", f"{p95:.0f} ms", p95 <= bound_ms)


def targets(results: dict) -> list[Target]:
    """The sequential and import targets, read from the run's last (largest) stage."""
    last = results["stages"][-1]
    api, page = last["search"]["/api/search"], last["search"].get("/search/")
    rows = [
        _latency("`/api/search`, repeated", api, 50),
        _latency("`/api/search`, first ask", api.get("first"), 150),
        _latency("`/search/`, repeated", page, 80),
    ]
    for name in ("home", "city", "compare", "report"):
        rows.append(_latency(f"{name} page", last["pages"].get(name), 100))
    done = last["import"]
    ratio = done["bytes"] / done["seconds"] / 1e6 / results["ablations"]["baseline_mb_s"]
    rows.append(Target("import, × raw jieba", "≥ 0.5×", f"{ratio:.2f}×", ratio >= 0.5))
    peak = done["peak_rss"]
    rows.append(
        Target("import peak memory", "< 1.5 GB", f"{peak / 1e9:.2f} GB", peak < MEMORY_BOUND)
    )
    return rows


def table(results: dict) -> list[str]:
    """Markdown rows: target, bound, figure at the run's size, verdict."""
    size = results["stages"][-1]["total"]
    rows = [
        f"| target ({size:,} reports) | bound | measured | verdict |",
        "|---|---|---:|---|",
    ]
    verdicts = {True: "met", False: "**not met**", None: "not measured"}
    for t in targets(results):
        rows.append(f"| {t.what} | {t.bound} | {t.figure} | {verdicts[t.met]} |")
    return rows
