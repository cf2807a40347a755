"""Stored term counts (archive/term_stats.py) follow every save, duplicate mark and
delete, and always equal a rebuild from the clean text of the seed reports."""

import pytest

from archive import term_stats
from archive.models import Report, ReportTerms, TermFrequency
from archive.services import report_ingest
from archive.upload.services import report_delete, report_mark_duplicate

from .conftest import seed_path

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("memoized_pipeline")]


@pytest.fixture
def seeds() -> dict[str, Report]:
    reports = {}
    for prefix in ("000", "001", "002", "003", "004"):
        path = seed_path(prefix)
        reports[prefix] = report_ingest(data=path.read_bytes(), filename=path.name).report
    return reports


def stored() -> tuple[dict[int, dict], dict[str, int]]:
    rows = dict(ReportTerms.objects.values_list("report_id", "counts"))
    return rows, dict(TermFrequency.objects.values_list("term", "documents"))


def test_ingest_stores_the_counts_a_rebuild_computes(seeds):
    incremental = stored()
    assert term_stats.rebuild() == 5
    assert stored() == incremental
    rows, df = incremental
    assert rows[seeds["003"].pk]["黄金30条"] >= 1
    assert df["人才"] == 5  # every seed is about 人才
    assert df["泸州"] == 1  # seed 004 is Traditional: 瀘州 is counted as 泸州
    assert "瀘州" not in df


def test_a_duplicate_mark_and_a_delete_take_the_reports_terms_out(seeds, admin_user):
    before = TermFrequency.objects.get(term="人才").documents
    dezhou_only = TermFrequency.objects.get(term="黄金30条").documents
    assert dezhou_only == 1
    report_mark_duplicate(report=seeds["003"], of=seeds["001"], user=admin_user)
    assert TermFrequency.objects.get(term="人才").documents == before - 1
    assert not TermFrequency.objects.filter(term="黄金30条").exists()
    assert not ReportTerms.objects.filter(report=seeds["003"]).exists()
    report_delete(report=seeds["004"], user=admin_user)
    assert TermFrequency.objects.get(term="人才").documents == before - 2
    assert ReportTerms.objects.count() == 3
    incremental = stored()
    term_stats.rebuild()
    assert stored() == incremental


def test_a_save_that_keeps_the_text_does_not_recount(seeds, django_assert_num_queries):
    report = seeds["002"]
    report.title = "新标题"
    with django_assert_num_queries(1):  # one look at the stored row, no rewrite
        term_stats.sync(report)


def test_check_archive_finds_and_repairs_stale_term_statistics(seeds):
    import io

    from django.core.management import call_command

    TermFrequency.objects.filter(term="人才").update(documents=99)
    ReportTerms.objects.filter(report=seeds["001"]).update(text_hash="edited behind our back")
    assert term_stats.drift() == 2
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("check_archive", "--originals-only", stdout=out)
    assert "term statistics: 2 stale entries" in out.getvalue()
    call_command("check_archive", "--originals-only", "--repair", stdout=io.StringIO())
    assert term_stats.drift() == 0
    assert TermFrequency.objects.get(term="人才").documents == 5


def test_two_import_workers_store_the_counts_of_one(tmp_path):
    import io

    from django.core.management import call_command

    from .conftest import SEEDS_DIR

    call_command("import_reports", "--workers", "2", str(SEEDS_DIR), stdout=io.StringIO())
    incremental = stored()
    assert len(incremental[0]) == 5
    term_stats.rebuild()
    assert stored() == incremental


def test_a_citys_summed_counts_stay_cached_until_its_own_reports_change(seeds, monkeypatch):
    """The sums behind a city's keywords survive reports elsewhere, and follow its own."""
    from django.core.cache import cache

    from archive.selectors import city_term_counts

    cache.clear()
    luzhou = seeds["004"].city
    first = city_term_counts(luzhou)
    assert first == ReportTerms.objects.get(report=seeds["004"]).counts
    path = seed_path("001")
    extra = "\n另据统计，全市今年新增就业见习岗位300个。\n".encode()
    elsewhere = report_ingest(data=path.read_bytes() + extra, filename="other.txt").report
    assert elsewhere.city != luzhou
    with monkeypatch.context() as patch:
        patch.setattr(term_stats, "summed_counts", lambda ids: pytest.fail("not cached"))
        assert city_term_counts(luzhou) == first
    luzhou_again = path.read_bytes().replace("运城".encode(), "泸州".encode())
    added = report_ingest(data=luzhou_again, filename="luzhou.txt").report
    assert added.city == luzhou
    now = city_term_counts(luzhou)
    assert now["泸州"] == first["泸州"] + ReportTerms.objects.get(report=added).counts["泸州"]


def test_counts_offered_for_a_text_are_used_only_by_a_save_of_that_text_in_the_block():
    from archive.ingest.pipeline import process_document

    first, second = seed_path("000"), seed_path("001")
    processed = process_document(first.read_bytes(), filename=first.name)
    offered = {"由工作进程计好": 7}  # what import_reports' workers hand the writer
    with term_stats.counts_offered(processed.text_hash, processed.clean_text, offered):
        used = report_ingest(data=first.read_bytes(), filename=first.name).report
        other = report_ingest(data=second.read_bytes(), filename=second.name).report
    after = report_ingest(data=seed_path("002").read_bytes(), filename="002.txt").report
    assert ReportTerms.objects.get(report=used).counts == offered
    for report in (other, after):
        counts = ReportTerms.objects.get(report=report).counts
        assert counts == term_stats.counts_for_text(report.clean_text) != offered
