"""An Atom feed for any search URL: a saved search (DESIGN.md, "per saved query").

``/search/feed/?q=人才公寓&province=四川省`` takes the parameters of ``/search/``
and lists the newest matching reports first (undated ones last). An undated
report's entry has no ``<published>``: the import time is not when it was
published; ``<updated>`` (required by Atom) is when its record last changed.
"""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from archive.feeds import LatestReportsFeed
from archive.models import Report

from .engine import SearchUnavailable
from .params import SearchParams, parse_params
from .selectors import report_feed

FEED_SIZE = 30


class SearchFeed(LatestReportsFeed):
    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return super().__call__(request, *args, **kwargs)
        except SearchUnavailable:
            return HttpResponse(
                _("检索索引正在重建，请稍后再试。"), status=503, content_type="text/plain"
            )

    def get_object(self, request: HttpRequest) -> SearchParams:
        return parse_params(request.GET, strict=False)

    def title(self, obj: SearchParams) -> str:
        words = obj.q.strip() or _("全部报告")
        return _("人才政策档案库检索：%(words)s") % {"words": words}

    def subtitle(self, obj: SearchParams) -> str:
        return _("符合此检索条件的报告，最新的在前")

    def link(self, obj: SearchParams) -> str:
        return reverse("search:search") + obj.url(page=1)

    def items(self, obj: SearchParams) -> list[Report]:
        return report_feed(obj, limit=FEED_SIZE)

    def item_pubdate(self, item: Report) -> datetime | None:
        """The publication date when known; never the import time."""
        if item.published_on is None:
            return None
        return super().item_pubdate(item)
