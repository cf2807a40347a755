"""The benchmark corpus (bench/corpus.py) is reproducible and reads like real captures.

Benchmark figures only mean something if the next run imports the same bytes and
if the pipeline treats a generated report as it treats a real one: these tests
run the real ingest pipeline over the first reports of the corpus.
"""

from collections import Counter

import pytest

from archive.gazetteer import Gazetteer
from archive.ingest.pipeline import process_document
from bench.corpus import generate, generate_one, write_corpus
from bench.measure import percentile

SAMPLE = 30


@pytest.fixture(scope="module")
def processed():
    gazetteer = Gazetteer.load_default()
    items = [generate_one(i) for i in range(SAMPLE)]
    return [
        (item, process_document(item.data, filename=item.path, gazetteer=gazetteer))
        for item in items
    ]


def test_a_report_is_the_same_bytes_for_the_same_seed_and_index():
    assert generate_one(17).data == generate_one(17).data
    assert generate_one(17, seed=1).data != generate_one(17).data


def test_a_smaller_corpus_is_a_prefix_of_a_larger_one():
    small = [item.data for item in generate(5)]
    large = [item.data for item in generate(8)]
    assert large[:5] == small


def test_write_corpus_writes_n_files_in_folders_of_a_thousand(tmp_path):
    files, size = write_corpus(tmp_path, 3)
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.*"))
    assert files == 3 and written[0].startswith("000/000000.")
    assert size == sum(p.stat().st_size for p in tmp_path.rglob("*.*"))


def test_reports_have_the_size_of_real_ones():
    sizes = [len(generate_one(i).data) for i in range(SAMPLE)]
    assert 5_000 < percentile(sizes, 50) < 30_000  # seeds: 7.6 to 30.8 KB of clean text
    assert len(set(sizes)) == SAMPLE


def test_the_pipeline_finds_the_drawn_city_in_generated_reports(processed):
    found = [p.place.city.name if p.place.city else None for _, p in processed]
    drawn = [item.city for item, _ in processed]
    assert sum(f == d for f, d in zip(found, drawn, strict=True)) >= 0.9 * SAMPLE
    assert len(set(drawn)) > SAMPLE / 2  # many cities, not one


def test_traditional_reports_are_detected_as_traditional(processed):
    traditional = [p.script.value for item, p in processed if item.traditional]
    assert traditional and set(traditional) == {"traditional"}


def test_reports_come_in_several_types_shapes_and_encodings(processed):
    types = Counter(p.doc_type.value for _, p in processed)
    assert {"news", "proposal_reply"} <= set(types)
    encodings = {p.encoding.lower() for _, p in processed}
    assert len(encodings) > 1  # UTF-8 and GB18030
    assert any(item.path.endswith(".html") for item, _ in processed)


def test_reports_carry_policy_figures_and_dates(processed):
    assert sum(bool(p.figures) for _, p in processed) >= 0.8 * SAMPLE
    assert sum(p.date.value is not None for _, p in processed) >= 0.8 * SAMPLE


def test_site_chrome_is_there_for_the_cleaner_to_remove(processed):
    removed = Counter(rule.rule for _, p in processed for rule in p.removed)
    assert removed  # share bars, footers and copyright lines were generated
