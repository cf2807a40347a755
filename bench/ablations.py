"""Each optimization of issue 7 against its "before", measured in the same run.

In-process and single-core, on the first reports of the generated corpus after
the real ingest pipeline has cleaned them: the baseline (raw ``jieba.cut``),
OpenCC vs ``FastConversion``, jieba vs the rjieba accelerator, the per-field
analyzer vs tokenize-once, Whoosh writer settings; then ``import_reports``
with one worker vs several, end to end on fresh data dirs.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.fields import ID, Schema

import textkit
from archive.gazetteer import Gazetteer
from archive.ingest.pipeline import process_document
from archive.ingest.types import IngestError
from bench.corpus import generate_one
from bench.measure import run_quiet, throughput
from search.whoosh_schema import search_fields
from search.whoosh_writing import WRITER_SETTINGS
from textkit import libraries, tokens


def _sample(count: int) -> tuple[list[tuple[str, str]], float]:
    """(title, clean text) of the first ``count`` reports, and the pipeline's MB/s."""
    gazetteer = Gazetteer.load_default()
    process_document(generate_one(0).data, filename="warm.txt", gazetteer=gazetteer)
    docs, size, elapsed = [], 0, 0.0
    for index in range(count):
        item = generate_one(index)
        started = time.perf_counter()
        try:
            done = process_document(item.data, filename=item.path, gazetteer=gazetteer)
        except IngestError:
            continue
        elapsed += time.perf_counter() - started
        size += len(item.data)
        docs.append((done.title.value or "", done.clean_text))
    return docs, size / elapsed / 1e6


def _ratio(before: float, after: float) -> dict[str, float]:
    return {"before": before, "after": after, "ratio": after / before}


def _han_runs(texts: list[str]) -> list[str]:
    runs = []
    for text in texts:
        norm = textkit.normalize(text)
        runs += [norm[r.start : r.end] for r in tokens._runs(norm) if r.kind == "han"]
    return runs


def _old_analyzer(docs: list[tuple[str, str]]) -> None:
    """Per field, with offsets: what the index did before issue 7."""
    for title, body in docs:
        full = f"{title}\n{body}"
        textkit.tokenize(full)
        textkit.grams(full)
        textkit.tokenize(title)


def _new_analyzer(docs: list[tuple[str, str]]) -> None:
    for title, body in docs:
        full = f"{title}\n{body}"
        textkit.word_terms(full)
        textkit.gram_terms(full)
        textkit.word_terms(title)


def _with_accelerator(enabled: bool, run: Callable[[], object]) -> Callable[[], object]:
    def wrapped() -> object:
        textkit.use_accelerator(enabled)
        try:
            return run()
        finally:
            textkit.use_accelerator(True)

    return wrapped


def _index_rate(docs: list[tuple[str, str]], size: int, **writer_kwargs) -> float:
    """MB/s writing ``docs`` into a fresh index with the project's fields."""
    schema = Schema(id=ID(stored=True, unique=True), **search_fields())
    with tempfile.TemporaryDirectory() as folder:
        ix = whoosh_index.create_in(folder, schema)
        started = time.perf_counter()
        writer = ix.writer(**writer_kwargs)
        for number, (title, body) in enumerate(docs):
            full = f"{title}\n{body}"
            writer.update_document(id=str(number), title=title, text=full, grams=full)
        writer.commit()
        return size / (time.perf_counter() - started) / 1e6


def run_all(*, sample_reports: int) -> dict:
    textkit.warm_up()
    docs, pipeline_mb_s = _sample(sample_reports)
    texts = [body for _, body in docs]
    joined = "\n".join(texts)
    size = len(joined.encode("utf-8"))
    mb = 1e6
    out: dict = {"sample_reports": len(docs), "sample_mb": size / mb}
    out["baseline_mb_s"] = throughput(lambda: textkit.reference_cut(joined), size) / mb
    out["pipeline_mb_s"] = pipeline_mb_s
    opencc = libraries.reference_opencc("t2s").convert
    out["t2s"] = _ratio(
        throughput(lambda: opencc(joined), size) / mb,
        throughput(lambda: libraries._get_converter("t2s")(joined), size) / mb,
    )
    runs = _han_runs(texts)

    def cut_all() -> list:
        return [textkit.cut_han(r) for r in runs]

    out["segmentation"] = _ratio(
        throughput(_with_accelerator(False, cut_all), size) / mb,
        throughput(_with_accelerator(True, cut_all), size) / mb,
    )
    out["analyzer"] = _ratio(
        throughput(_with_accelerator(False, lambda: _old_analyzer(docs)), size) / mb,
        throughput(lambda: _new_analyzer(docs), size) / mb,
    )
    out["whoosh_default"] = _index_rate(docs, size)
    out["whoosh_ours"] = _index_rate(docs, size, **WRITER_SETTINGS)
    out["load"] = os.getloadavg()[0]
    return out


def import_workers(work: Path, *, env_for, run_import, workers: int, count: int = 300) -> dict:
    """``import_reports`` of the same reports with 1 and with ``workers`` workers."""
    from bench.run import PYTHON, ROOT, write_part

    folder = work / "workers-sample"
    size = write_part(folder, 0, count)
    out: dict = {"reports": count, "bytes": size}
    for n in sorted({1, workers}):
        env = env_for(work / f"data-workers-{n}")
        run_quiet([PYTHON, "manage.py", "migrate", "--noinput"], env, ROOT)
        done = run_import(folder, env, n)
        out[str(n)] = {"seconds": done["seconds"], "peak_rss": done["peak_rss"]}
    return out
