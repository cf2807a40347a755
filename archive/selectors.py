"""Reads: queries the views, API and commands share."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from .models import City, Report


def city_by_name(name: str) -> City | None:
    """A city by full, short or Traditional name or slug; prefectures win ties."""
    name = name.strip()
    if not name:
        return None
    match = Q(name=name) | Q(short_name=name) | Q(slug=name.lower())
    found = City.objects.filter(match).order_by("level", "adcode").first()
    if found:
        return found
    # trad_names is a JSON list stored ASCII-escaped, so match in Python; this
    # runs once per command invocation, not per request.
    for city in City.objects.exclude(trad_names=[]).order_by("level", "adcode"):
        if name in city.trad_names:
            return city
    return None


def report_list() -> QuerySet[Report]:
    return Report.objects.select_related("city", "province").order_by("-published_on", "-id")


def cities_with_reports() -> QuerySet[City]:
    return (
        City.objects.select_related("province")
        .annotate(report_count=Count("reports"))
        .filter(report_count__gt=0)
        .order_by("adcode")
    )
