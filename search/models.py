"""The index queue: reports whose index entry must be brought up to date.

A row is written in the same transaction as the report change, so the need to
reindex survives a crash between commit and indexing; one process at a time
drains the queue into the index after commit (see search/indexing.py).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from search.synonyms import split_terms
from textkit import normalize


class IndexQueue(models.Model):
    report_id = models.BigIntegerField(db_index=True)
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "待索引报告"
        verbose_name_plural = "待索引报告"

    def __str__(self) -> str:
        return f"report {self.report_id}"


class SynonymGroup(models.Model):
    """Spellings analysts mean alike (购房补贴、购房补助): a query for one also
    searches the others (search/synonyms.py). Seeded from
    search/fixtures/synonym_groups.json by migration 0002; staff edit them here."""

    terms = models.TextField(
        _("同义词"),
        help_text=_("两个或以上，用顿号、逗号或换行分隔；简体繁体均可"),
    )
    note = models.CharField(_("说明"), max_length=200, blank=True)
    enabled = models.BooleanField(_("启用"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("同义词组")
        verbose_name_plural = _("同义词组")
        ordering = ["pk"]

    def __str__(self) -> str:
        return "、".join(split_terms(self.terms))

    def clean(self) -> None:
        members = {normalize(t) for t in split_terms(self.terms)}
        if len([m for m in members if len(m) > 1]) < 2:
            raise ValidationError({"terms": _("至少需要两个不同的词（每个两字以上）")})
