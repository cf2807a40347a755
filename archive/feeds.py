"""Atom feeds: the newest reports of the archive, and of one city.

"New" means newly added to the archive (``created_at``), which is what a subscriber
wants to hear about. An entry's <published> is the report's own date and is left
out when the report has none; <updated> (required by Atom) is when the entry last
changed here, never passed off as a publication date.
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

from .browse.reading import date_label
from .models import City, Report
from .place_names import place_name
from .selectors import city_reports, public_reports

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
        """Place, title, then what tells look-alike titles apart: a city often issues
        several notices with the same title in different years, so the date and the
        文号 follow (the source is the entry's author)."""
        date = date_label(item.published_on, item.date_precision)
        parts = [place_name(item.city), item.title, date, item.doc_number]
        return " · ".join(part for part in parts if part)

    def item_description(self, item: Report) -> str:
        text = " ".join(item.paragraphs()[:3])
        return escape(Truncator(text).chars(SUMMARY_CHARS))

    def item_link(self, item: Report) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Report) -> datetime | None:
        """Atom's optional <published>: the report's own date, and none when it has
        none (a reply letter without a date, seed 003). Its import time would be a
        false date; when the archive changed the entry is <updated>'s job."""
        if item.published_on is None:
            return None
        return timezone.make_aware(datetime.combine(item.published_on, time(0)))

    def item_updateddate(self, item: Report) -> datetime:
        """Atom's required <updated>: when this entry last changed in the archive."""
        return item.updated_at

    def item_author_name(self, item: Report) -> str:
        return item.source_name

    def item_categories(self, item: Report) -> list[str]:
        names = [place_name(item.city), place_name(item.province)]
        return [n for n in names if n] + [str(item.get_doc_type_display())]


class CityReportsFeed(LatestReportsFeed):
    def get_object(self, request: HttpRequest, slug: str) -> City:
        return get_object_or_404(City.objects.select_related("province"), slug=slug)

    def title(self, obj: City) -> str:
        return _("人才政策档案库：%(city)s") % {"city": place_name(obj)}

    def subtitle(self, obj: City) -> str:
        return _("%(city)s新收录的人才政策报告") % {"city": place_name(obj)}

    def link(self, obj: City) -> str:
        return reverse("archive:city_detail", args=[obj.slug])

    def items(self, obj: City) -> list[Report]:
        return list(city_reports(city=obj).defer(None).order_by("-created_at", "-id")[:FEED_SIZE])
