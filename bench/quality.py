"""``make quality``: ingest and search measured on labelled real reports.

Imports the labelled documents (``fixtures/labelled/dev/raw/``, 16 real captures)
and the five seeds into a fresh data dir through ``import_reports --json`` (the
command operators use), reads each stored report back through ``/api/reports/<id>``
and runs the judged queries through ``/api/search``, then scores exactly as
``fixtures/labelled/README.md`` says:

- metadata accuracy = right answers / scored fields over city, province,
  published_on, doc_type, title, source;
- cleaning = (noise strings removed / noise strings) x (must-keep sentences kept /
  must-keep sentences), compared after removing all whitespace, Traditional
  converted to Simplified;
- search nDCG@10 and recall@10 with graded judgments (a duplicate counts as its
  original).

Every failure is printed; the figures go between the ``quality:start`` /
``quality:end`` markers of ``docs/quality.md`` (``--doc``).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # settings must read the data dir from the env before Django loads
    from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
LABELLED = ROOT / "fixtures" / "labelled"
SEEDS = ROOT / "fixtures" / "seeds"
FIELDS = ("city", "province", "published_on", "doc_type", "title", "source")


def squash(text: str | None) -> str:
    """The README's comparison form: no whitespace, Traditional as Simplified."""
    from textkit import t2s  # the one OpenCC module; Django-free

    return t2s(re.sub(r"\s+", "", text or ""))


@dataclass
class DocScore:
    """One document's outcome: field verdicts, cleaning counts and what failed."""

    file: str
    fields: dict[str, bool] = field(default_factory=dict)
    noise: tuple[int, int] = (0, 0)  # removed, total
    kept: tuple[int, int] = (0, 0)  # kept, total
    failures: list[str] = field(default_factory=list)


def score_fields(truth: dict, got: dict) -> dict[str, tuple[bool, str]]:
    """Verdict and detected value per scored field (a field whose truth is null or
    an empty list is not scored)."""
    verdicts: dict[str, tuple[bool, str]] = {}
    for name in ("city", "province", "doc_type"):
        if truth.get(name) is not None:
            verdicts[name] = (got.get(name) or "") == (truth[name] or ""), got.get(name) or ""
    if truth.get("published_on") is not None:
        value = got.get("published_on")
        verdicts["published_on"] = value in truth["published_on"], str(value)
    title = squash(got.get("title"))
    if truth.get("title_contains"):
        ok = all(squash(part) in title for part in truth["title_contains"])
        verdicts["title"] = ok, got.get("title") or ""
    if truth.get("source_any"):
        source = squash(got.get("source"))
        ok = any(squash(part) in source for part in truth["source_any"])
        verdicts["source"] = ok, got.get("source") or ""
    return verdicts


def score_document(truth: dict, got: dict, clean_text: str) -> DocScore:
    """Fields and cleaning of one stored report against its truth."""
    result = DocScore(file=truth["file"])
    for name, (ok, value) in score_fields(truth, got).items():
        result.fields[name] = ok
        if not ok:
            expected = {
                "title": truth.get("title_contains"),
                "source": truth.get("source_any"),
            }.get(name, truth.get(name))
            result.failures.append(f"{name}: got {value!r}, want {expected!r}")
    text = squash(clean_text)
    noise = [item for item in truth.get("noise", []) if squash(item)]
    left = [item for item in noise if squash(item) in text]
    keep = truth.get("must_keep", [])
    lost = [item for item in keep if squash(item) not in text]
    result.noise = (len(noise) - len(left), len(noise))
    result.kept = (len(keep) - len(lost), len(keep))
    result.failures += [f"noise left: {item!r}" for item in left]
    result.failures += [f"sentence lost: {item!r}" for item in lost]
    return result


def ndcg_at_10(ranked: list[str], grades: dict[str, int]) -> float:
    """Graded nDCG@10 with gain 2^grade - 1 (the usual TREC form)."""
    gains = [2 ** grades.get(name, 0) - 1 for name in ranked[:10]]
    dcg = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(gains))
    ideal = sorted((2**grade - 1 for grade in grades.values()), reverse=True)[:10]
    idcg = sum(gain / math.log2(rank + 2) for rank, gain in enumerate(ideal))
    return dcg / idcg if idcg else 1.0


@dataclass
class Summary:
    """Aggregates over a set of documents (dev, seeds, all)."""

    docs: list[DocScore]

    def field_counts(self) -> dict[str, tuple[int, int]]:
        counts = {}
        for name in FIELDS:
            scored = [doc.fields[name] for doc in self.docs if name in doc.fields]
            counts[name] = (sum(scored), len(scored))
        return counts

    @property
    def metadata(self) -> float:
        right = sum(right for right, _ in self.field_counts().values())
        total = sum(total for _, total in self.field_counts().values())
        return right / total if total else 1.0

    @property
    def noise(self) -> tuple[int, int]:
        return sum(d.noise[0] for d in self.docs), sum(d.noise[1] for d in self.docs)

    @property
    def kept(self) -> tuple[int, int]:
        return sum(d.kept[0] for d in self.docs), sum(d.kept[1] for d in self.docs)

    @property
    def cleaning(self) -> float:
        (removed, noise), (kept, keep) = self.noise, self.kept
        return (removed / noise if noise else 1.0) * (kept / keep if keep else 1.0)

    def line(self, name: str) -> str:
        fields = ", ".join(f"{key} {r}/{t}" for key, (r, t) in self.field_counts().items())
        (removed, noise), (kept, keep) = self.noise, self.kept
        return (
            f"{name}: metadata {self.metadata:.3f} ({fields}); cleaning {self.cleaning:.3f} "
            f"(noise removed {removed}/{noise}, sentences kept {kept}/{keep})"
        )


def import_documents(data_dir: Path, paths: list[Path]) -> dict[str, dict]:
    """``import_reports --json`` into ``data_dir``; the JSON object per file name."""
    env = {**os.environ, "ARCHIVE_DATA_DIR": str(data_dir), "DJANGO_DEBUG": "1"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True, cwd=ROOT)
    done = subprocess.run(
        [*manage, "import_reports", "--json", *map(str, paths)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    rows = {}
    for line in done.stdout.splitlines():
        row = json.loads(line)
        rows[Path(row["file"]).name] = row
    missing = [path.name for path in paths if path.name not in rows]
    if missing:
        raise SystemExit(f"import_reports gave no row for {missing}: {done.stderr[-2000:]}")
    return rows


def api_client(data_dir: Path) -> Client:
    """A Django test client on ``data_dir`` (settings read the env at import)."""
    os.environ.update(
        ARCHIVE_DATA_DIR=str(data_dir),
        DJANGO_DEBUG="1",
        DJANGO_SETTINGS_MODULE="config.settings",
        ALLOWED_HOSTS="testserver,127.0.0.1,localhost",
        RATE_LIMIT_SEARCH="100000/m",
        RATE_LIMIT_EXPORT="100000/m",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.test import Client

    return Client()


def search_scores(client: Client, rows: dict[str, dict], queries: list[dict]) -> list[dict]:
    """nDCG@10 and recall@10 per judged query through ``/api/search``."""
    by_id = {}
    for name, row in rows.items():
        report_id = row.get("report_id") or row.get("duplicate_of")
        if report_id:
            by_id.setdefault(report_id, name)
    results = []
    for query in queries:
        answer = client.get("/api/search", {"q": query["query"], "page_size": 10}).json()
        ranked = [by_id.get(hit["id"], f"#{hit['id']}") for hit in answer.get("results", [])]
        grades = {item["file"]: item["grade"] for item in query["relevant"]}
        found = sum(1 for name in grades if name in ranked[:10])
        results.append(
            {
                "id": query["id"],
                "query": query["query"],
                "ndcg": ndcg_at_10(ranked, grades),
                "recall": found / len(grades) if grades else 1.0,
                # what 10 results can reach: a query with 15 relevant reports
                # scores at most 0.667 above (BEIR's capped recall, R_cap@10)
                "recall_cap": found / min(10, len(grades)) if grades else 1.0,
                "missed": [name for name in grades if name not in ranked[:10]],
            }
        )
    return results


def figure_scores(client: Client, rows: dict[str, dict], labels: list[dict]) -> dict:
    """Value precision, kind and beneficiary accuracy on fixtures/labelled/figures.json.

    A labelled figure is found by its text and the words around it in the report's
    API figures; one not found counts as wrong on all three measures.
    """
    figures: dict[int, list[dict]] = {}
    right = {"value": 0, "kind": 0, "beneficiary": 0}
    misses = []
    for label in labels:
        row = rows[label["file"]]
        report_id = row.get("report_id") or row.get("duplicate_of")
        if report_id not in figures:
            figures[report_id] = client.get(f"/api/reports/{report_id}").json().get("figures", [])
        context = squash(label["context"])
        found = next(
            (
                f
                for f in figures[report_id]
                if squash(f["text"]) == squash(label["text"]) and context in squash(f["sentence"])
            ),
            None,
        )
        for key in right:
            ok = found is not None and found.get(key) == label[key]
            right[key] += ok
            if not ok:
                got = found.get(key) if found else "not found"
                misses.append(f"{label['file']} {label['text']} {key}: {got!r} != {label[key]!r}")
    n = len(labels) or 1
    return {key: count / n for key, count in right.items()} | {"n": len(labels), "misses": misses}


def write_doc(path: Path, block: str) -> None:
    """Replace the text between the quality markers (or append a new block)."""
    start, end = "<!-- quality:start -->", "<!-- quality:end -->"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Quality\n\n"
    new = f"{start}\n{block}\n{end}"
    if start in text and end in text:
        text = text[: text.index(start)] + new + text[text.index(end) + len(end) :]
    else:
        text = text.rstrip("\n") + "\n\n" + new + "\n"
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--doc", type=Path, help="write the figures into this file")
    parser.add_argument("--quiet", action="store_true", help="no per-document failures")
    args = parser.parse_args(argv)

    dev_truth = json.loads((LABELLED / "dev" / "truth.json").read_text(encoding="utf-8"))
    seed_truth = json.loads((LABELLED / "seeds_truth.json").read_text(encoding="utf-8"))
    queries = json.loads((LABELLED / "dev" / "queries.json").read_text(encoding="utf-8"))
    paths = [LABELLED / "dev" / "raw" / t["file"] for t in dev_truth]
    paths += [SEEDS / t["file"] for t in seed_truth]

    with tempfile.TemporaryDirectory(prefix="archive-quality-") as folder:
        data_dir = Path(folder)
        rows = import_documents(data_dir, paths)
        client = api_client(data_dir)
        scored: dict[str, list[DocScore]] = {"dev": [], "seeds": []}
        for group, truths in (("dev", dev_truth), ("seeds", seed_truth)):
            for truth in truths:
                row = rows[truth["file"]]
                report_id = row.get("report_id") or row.get("duplicate_of")
                clean = client.get(f"/api/reports/{report_id}").json().get("clean_text", "")
                scored[group].append(score_document(truth, row, clean))
        searches = search_scores(client, rows, queries)
        labels = json.loads((LABELLED / "figures.json").read_text(encoding="utf-8"))
        figs = figure_scores(client, rows, labels)

    lines = []
    for group in ("dev", "seeds"):
        for doc in scored[group]:
            if doc.failures and not args.quiet:
                print(f"{group}/{doc.file}:")
                for failure in doc.failures:
                    print(f"    {failure}")
    for item in searches:
        if item["missed"] and not args.quiet:
            print(f"search {item['id']} {item['query']}: missed {', '.join(item['missed'])}")
    for miss in figs["misses"] if not args.quiet else []:
        print(f"figure {miss}")
    if not args.quiet:
        for item in searches:
            print(
                f"query {item['id']} {item['query']}: nDCG@10 {item['ndcg']:.3f}, "
                f"recall@10 {item['recall']:.3f}"
            )
    dev, seeds = Summary(scored["dev"]), Summary(scored["seeds"])
    both = Summary(scored["dev"] + scored["seeds"])
    ndcg = sum(item["ndcg"] for item in searches) / len(searches)
    recall = sum(item["recall"] for item in searches) / len(searches)
    capped = sum(item["recall_cap"] for item in searches) / len(searches)
    lines += [
        dev.line(f"dev ({len(dev.docs)})"),
        seeds.line(f"seeds ({len(seeds.docs)})"),
        both.line(f"all ({len(both.docs)})"),
        f"search ({len(searches)} queries): nDCG@10 {ndcg:.3f}, recall@10 {recall:.3f}"
        f" (capped at 10 relevant: {capped:.3f})",
        f"figures ({figs['n']} labelled): value precision {figs['value']:.3f}, "
        f"kind accuracy {figs['kind']:.3f}, beneficiary accuracy {figs['beneficiary']:.3f}",
    ]
    print("\n".join(lines))
    if args.doc:
        stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
        write_doc(
            args.doc, f"Measured {stamp} by `make quality`:\n\n```\n" + "\n".join(lines) + "\n```"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
