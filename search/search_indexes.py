"""The haystack index of reports.

``text`` is the whole document (title then body) for the analyst's words;
``title`` carries the title alone so a query can rank title matches first;
``grams`` serves one-character queries and exact phrases (``title_grams`` the
same for the title alone, for title-only searches). The filter and facet
fields hold exact values (untokenized ID fields in search.backend), never
analyzed text: faceting analyzed text would count word pieces (杭州市 → 州市).
"""

from functools import cache
from hashlib import sha256

from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from haystack import indexes

from archive.models import Report

from .exact_values import fold

#: The stamp of the archive a document belongs to (an exact, unstored field).
ARCHIVE_FIELD = "archive"


@cache
def archive_id() -> str:
    """This database's identity: a hash of its first migration's row.

    Why there: the row is written once, when ``migrate`` creates the database,
    and is never flushed or rewritten (test flushes and ``reprocess`` leave it),
    so every process of one archive agrees on it without a table of its own, and
    an index built from another database (a copied data dir, a shared
    Elasticsearch index name) carries another stamp (search/health.py).
    """
    first = MigrationRecorder(connection).migration_qs.order_by("id").first()
    seed = f"{first.app}.{first.name}.{first.applied.isoformat()}" if first else "unmigrated"
    return sha256(seed.encode()).hexdigest()[:16]


def index_version(report: Report) -> str:
    """What check_index compares: the index is stale when this differs."""
    return report.updated_at.isoformat()


def document_id(pk: int) -> str:
    """A report's document id in the index (haystack's ``app.model.pk``)."""
    return f"archive.report.{pk}"


def document_text(report: Report) -> str:
    """Title and body with a blank line after each line: to textkit a blank line is a
    paragraph break that no phrase spans. The cleaner drops blank lines and keeps
    one paragraph (or heading) per line, so a line end is where a paragraph ends;
    indexed as it stands, "拎包" ending one paragraph and "入住" opening the next
    matched the phrase "拎包入住" (issue 16)."""
    return "\n\n".join([report.title, *report.clean_text.splitlines()])


class ReportIndex(indexes.SearchIndex, indexes.Indexable):
    text = indexes.CharField(document=True)
    title = indexes.CharField(model_attr="title")
    grams = indexes.CharField()
    title_grams = indexes.CharField(model_attr="title")
    province = indexes.CharField(null=True)
    city = indexes.CharField(null=True)
    year = indexes.CharField(null=True)
    doc_type = indexes.CharField(model_attr="doc_type")
    source = indexes.CharField(model_attr="source_name", null=True)
    issuer = indexes.CharField(null=True)
    doc_number = indexes.CharField(null=True)
    published = indexes.DateField(model_attr="published_on", null=True)
    version = indexes.CharField(indexed=False)
    archive = indexes.CharField()

    def get_model(self):
        return Report

    def index_queryset(self, using=None):
        """Public reports only (archive/visibility.py): held reports and confirmed
        duplicates stay out of search, its counts and its facets."""
        return self.get_model().objects.public().select_related("city", "province")

    def get_updated_field(self):
        return "updated_at"

    def prepare_archive(self, report: Report) -> str:
        return archive_id()

    def prepare_version(self, report: Report) -> str:
        return index_version(report)

    def prepare_text(self, report: Report) -> str:
        return document_text(report)

    def prepare_grams(self, report: Report) -> str:
        return document_text(report)

    def prepare_province(self, report: Report) -> str | None:
        return report.province.name if report.province_id else None

    def prepare_city(self, report: Report) -> str | None:
        return report.city.name if report.city_id else None

    def prepare_year(self, report: Report) -> str | None:
        return f"{report.published_on.year:04d}" if report.published_on else None

    def prepare_issuer(self, report: Report) -> str | None:
        return fold("issuer", report.issuer) or None

    def prepare_doc_number(self, report: Report) -> str | None:
        return fold("doc_number", report.doc_number) or None
