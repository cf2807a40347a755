"""The index queue: reports whose index entry must be brought up to date.

A row is written in the same transaction as the report change, so the need to
reindex survives a crash between commit and indexing; one process at a time
drains the queue into the index after commit (see search/indexing.py).
"""

from django.db import models


class IndexQueue(models.Model):
    report_id = models.BigIntegerField(db_index=True)
    queued_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "待索引报告"
        verbose_name_plural = "待索引报告"

    def __str__(self) -> str:
        return f"report {self.report_id}"
