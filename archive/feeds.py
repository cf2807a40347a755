"""Atom feeds: the newest reports of the archive, and of one city.

"New" means newly added to the archive (``created_at``), which is what a subscriber
wants to hear about; the entry's date is when the report was published, when known.
Summaries are escaped before they go out: Atom readers render ``type="html"``
summaries as HTML, and the text comes from uploaded documents.
"""

from __future__ import annotations

from datetime import datetime, time

from django.contrib.syndication.views import Feed
from django.db.models import QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from .models import City, Report
from .selectors import city_reports, public_reports
from .serializers import REPORT_CATEGORIES, report_dict

FEED_SIZE = 30
SUMMARY_CHARS = 280


class LatestReportsFeed(Feed):
    feed_type = Atom1Feed

    def title(self) -> str:
        return _("人才政策档案库：最新报告")

    def subtitle(self) -> str:
        return _("新收录的城市人才政策报告")

    def link(self) -> str:
        return reverse("archive:home")

    def reports(self) -> QuerySet[Report]:
        return public_reports().defer(None)  # summaries read the clean text

    def items(self, obj=None) -> list[Report]:
        return list(self.reports().order_by("-created_at", "-id")[:FEED_SIZE])

    def item_title(self, item: Report) -> str:
        place = item.city.name if item.city else ""
        return f"{place} · {item.title}" if place else item.title

    def item_description(self, item: Report) -> str:
        text = " ".join(item.paragraphs()[:3])
        return escape(Truncator(text).chars(SUMMARY_CHARS))

    def item_link(self, item: Report) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Report) -> datetime:
        if item.published_on is None:
            return item.created_at
        return timezone.make_aware(datetime.combine(item.published_on, time(0)))

    def item_updateddate(self, item: Report) -> datetime:
        return item.updated_at

    def item_author_name(self, item: Report) -> str:
        return item.source_name

    def item_categories(self, item: Report) -> list[str]:
        """City, province and document type, as the exports and the API name them."""
        return [v for v in report_dict(item, REPORT_CATEGORIES).values() if v]


class CityReportsFeed(LatestReportsFeed):
    def get_object(self, request: HttpRequest, slug: str) -> City:
        return get_object_or_404(City.objects.select_related("province"), slug=slug)

    def title(self, obj: City) -> str:
        return _("人才政策档案库：%(city)s") % {"city": obj.name}

    def subtitle(self, obj: City) -> str:
        return _("%(city)s新收录的人才政策报告") % {"city": obj.name}

    def link(self, obj: City) -> str:
        return reverse("archive:city_detail", args=[obj.slug])

    def items(self, obj: City) -> list[Report]:
        return list(city_reports(city=obj).defer(None).order_by("-created_at", "-id")[:FEED_SIZE])
