"""Formatting bench/run.py's figures: console lines and the docs/benchmarks.md block.

Only the block between the markers is rewritten, so the hand-written analysis
(profiles, what would close a missed target) survives a new run.
"""

from __future__ import annotations

from pathlib import Path

from bench import targets

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"


def _mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def import_line(done: dict, baseline: float) -> str:
    mb_s = done["bytes"] / done["seconds"] / 1e6
    return (
        f"import {done['reports']} reports ({_mb(done['bytes'])}): {done['seconds']:.0f} s, "
        f"{mb_s:.2f} MB/s = {mb_s / baseline:.2f}x raw jieba, "
        f"{done['reports'] / done['seconds']:.1f} reports/s, "
        f"peak memory (PSS) {_mb(done['peak_rss'])}"
    )


def site_lines(total: int, site: dict) -> str:
    lines = []
    for path, s in site["search"].items():
        lines.append(
            f"{total} reports {path}: p50 {s['p50']:.0f} ms, p95 {s['p95']:.0f} ms, "
            f"p99 {s['p99']:.0f} ms ({s['n']} requests, {s['errors']} errors)"
        )
    for name, s in site["pages"].items():
        if s is None:
            lines.append(f"{total} reports {name} page: not built yet")
        else:
            lines.append(
                f"{total} reports {name} page: p50 {s['p50']:.0f} ms, p95 {s['p95']:.0f} ms"
            )
    return "\n".join(lines)


def _loads(results: dict) -> str:
    loads = [f"{results['ablations'].get('load', 0):.1f} (ablations)"]
    for stage in results["stages"]:
        loads.append(f"{stage['import']['load']:.1f} (import to {stage['total']:,})")
        loads.append(f"{stage['load']:.1f} (requests at {stage['total']:,})")
    return ", ".join(loads)


def _import_table(results: dict) -> list[str]:
    base = results["ablations"]["baseline_mb_s"]
    rows = [
        "| reports | MB | wall s | ingest s | index s | pages s | MB/s | × raw jieba "
        "| reports/s | peak memory (PSS) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for stage in results["stages"]:
        d = stage["import"]
        mb_s = d["bytes"] / d["seconds"] / 1e6
        rows.append(
            f"| {d['reports']:,} (to {stage['total']:,}) | {d['bytes'] / 1e6:.1f} | "
            f"{d['seconds']:.0f} | {d['ingest_seconds']:.0f} | {d['index_seconds']:.0f} | "
            f"{d.get('warm_seconds', 0):.0f} | {mb_s:.2f} | {mb_s / base:.2f} | "
            f"{d['reports'] / d['seconds']:.1f} | "
            f"{_mb(d['peak_rss'])} |"
        )
    return rows


def _rss_growth(results: dict) -> str:
    """Peak RSS at quarters of the last import: flat means no per-report leak."""
    stage = results["stages"][-1]["import"]
    rows = sorted(stage["rss_by_rows"].items())
    if not rows:
        return "n/a"
    total = stage["reports"]
    marks = []
    for quarter in (1, 2, 3, 4):
        upto = [rss for done, rss in rows if done <= total * quarter / 4]
        marks.append(f"{quarter * 25}%: {_mb(max(upto)) if upto else 'n/a'}")
    return ", ".join(marks)


def _search_tables(results: dict) -> list[str]:
    rows = [
        "| reports | endpoint | server | p50 ms | p95 ms | p99 ms | max ms | requests | errors |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for stage in results["stages"]:
        for path, s in stage["search"].items():
            rows.append(
                f"| {stage['total']:,} | `{path}` | {stage['server']}, repeated | {s['p50']:.0f} | "
                f"{s['p95']:.0f} | {s['p99']:.0f} | {s['max']:.0f} | {s['n']} | {s['errors']} |"
            )
            if f := s.get("first"):  # the first ask of each query: no cached result
                rows.append(
                    f"| {stage['total']:,} | `{path}` | {stage['server']}, first ask | "
                    f"{f['p50']:.0f} | {f['p95']:.0f} | {f['p99']:.0f} | {f['max']:.0f} | "
                    f"{f['n']} | — |"
                )
    rows += ["", "`/api/search` by query class (p50 / p95 ms):", ""]
    kinds = list(results["stages"][-1]["search"]["/api/search"]["classes"])
    rows.append("| reports | " + " | ".join(kinds) + " |")
    rows.append("|---:|" + "---:|" * len(kinds))
    for stage in results["stages"]:
        classes = stage["search"]["/api/search"]["classes"]
        cells = [f"{classes[k]['p50']:.0f} / {classes[k]['p95']:.0f}" for k in kinds]
        rows.append(f"| {stage['total']:,} | " + " | ".join(cells) + " |")
    return rows


def _pages_table(results: dict) -> list[str]:
    rows = [
        "| reports | page | p50 ms | p95 ms | requests | errors |",
        "|---:|---|---:|---:|---:|---:|",
    ]
    for stage in results["stages"]:
        for name, s in stage["pages"].items():
            if s is None:
                rows.append(f"| {stage['total']:,} | {name} | not built yet | | | |")
            else:
                codes = ", ".join(f"{k}×{v}" for k, v in s.get("statuses", {}).items() if k != 200)
                rows.append(
                    f"| {stage['total']:,} | {name} | {s['p50']:.0f} | {s['p95']:.0f} | "
                    f"{s['n']} | {s['errors']}{f' ({codes})' if codes else ''} |"
                )
    return rows


def _ablation_table(results: dict) -> list[str]:
    a = results["ablations"]
    rows = [
        f"Sample: the first {a['sample_reports']} reports after the ingest pipeline "
        f"({a['sample_mb']:.1f} MB of clean text), one core, in-process.",
        "",
        "| what | before | after | ratio |",
        "|---|---:|---:|---:|",
    ]
    names = {
        "t2s": "Traditional→Simplified: OpenCC → `FastConversion` (MB/s)",
        "segmentation": "segmentation of Han runs: jieba → rjieba (MB/s)",
        "analyzer": "index analysis, 3 fields: per field + offsets + jieba → "
        "tokenize once, positions only, rjieba (MB/s)",
    }
    for key, label in names.items():
        r = a[key]
        rows.append(f"| {label} | {r['before']:.2f} | {r['after']:.2f} | {r['ratio']:.1f}× |")
    rows.append(
        f"| Whoosh writer, one segment: defaults → `WRITER_SETTINGS` (MB/s) | "
        f"{a['whoosh_default']:.2f} | {a['whoosh_ours']:.2f} | "
        f"{a['whoosh_ours'] / a['whoosh_default']:.2f}× |"
    )
    w = results.get("workers_ablation") or {}
    if w:
        one = w["1"]["seconds"]
        for key in sorted(k for k in w if k.isdigit() and k != "1"):
            rows.append(
                f"| `import_reports --workers {key}` vs 1, {w['reports']} reports (s) | "
                f"{one:.1f} | {w[key]['seconds']:.1f} | {one / w[key]['seconds']:.2f}× |"
            )
    rows += [
        "",
        f"Baseline, raw `jieba.cut` on the same text: **{a['baseline_mb_s']:.2f} MB/s**; "
        f"the whole pure ingest pipeline (decode → figures, no database, no index): "
        f"{a['pipeline_mb_s']:.2f} MB/s per core.",
    ]
    return rows


def render(results: dict) -> str:
    m = results["machine"]
    base = results["ablations"]["baseline_mb_s"]
    last = results["stages"][-1]
    lines = [
        START,
        f"Latest run: {results['date']} on {m['cpu']}, {m['cores']} cores, {m['memory']}, "
        f"Python {m['python']}.",
        "",
        f"Command: `{results['command']}` (`make bench`). Corpus: {results['n']:,} generated "
        f"reports, {results['corpus_bytes'] / 1e6:.1f} MB (bench/corpus.py, seed "
        f"{results['seed']}); `import_reports --workers {results['workers']}`.",
        "",
        f"Baseline: raw single-core `jieba.cut` **{base:.2f} MB/s**. Load average (1 min) "
        f"after each step: {_loads(results)}: above the core count, other processes "
        "were competing for the CPU and absolute figures are low; ratios within the run hold.",
        "",
        "### Targets (issue 18), from this run",
        "",
        *targets.table(results),
        "",
        "### Import (end to end: decode, clean, detect, figures, save, index)",
        "",
        *_import_table(results),
        "",
        "Peak memory (PSS of the import process tree) during the last import, by progress: "
        f"{_rss_growth(results)}.",
        "",
        f"### Search ({last['server']}, sequential requests, {len(last['search'])} endpoints)",
        "",
        *_search_tables(results),
        "",
        "### Pages",
        "",
        *_pages_table(results),
        "",
        "### Each optimization against its before (same run)",
        "",
        *_ablation_table(results),
        END,
    ]
    return "\n".join(lines)


def write(doc: Path, results: dict) -> None:
    """Replace the marked block of ``doc`` (or create the file with it)."""
    replace_block(doc, render(results), START, END)


def replace_block(doc: Path, block: str, start: str, end: str) -> None:
    """Put ``block`` (which begins with ``start`` and ends with ``end``) in place of
    the text between those markers in ``doc``, or append it; the rest stays."""
    text = doc.read_text(encoding="utf-8") if doc.exists() else "# Benchmarks\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        text = head + block + rest.split(end, 1)[1]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    doc.parent.mkdir(parents=True, exist_ok=True)
    doc.write_text(text, encoding="utf-8")
