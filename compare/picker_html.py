"""The compare page's city picker as HTML, in Python (issue 18 stop 18).

The picker lists every city with public reports twice (a datalist for typing, a
checkbox grid): ~340 cities at 10,000 reports, ~13 ms a page through template
loops and filters, for markup that is the same string per city each time. These
functions give the markup the loops in ``compare/compare.html`` gave;
``tests/test_cold_pages.py`` holds them equal in both languages.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from archive.models import City
from archive.place_names import place_name


def picker_options(cities: Iterable[City]) -> SafeString:
    """``<option>`` per city for the picker's datalist: name, and where it is."""
    language = get_language()
    return mark_safe(
        "".join(
            f'<option value="{escape(c.name)}">{escape(place_name(c, language))} · '
            f"{escape(place_name(c.province, language))}</option>"
            for c in cities
        )
    )


def picker_checkboxes(cities: Iterable[City], chosen: Collection[int]) -> SafeString:
    """A labelled checkbox per city, ticked for the cities compared now."""
    language = get_language()
    return mark_safe(
        "".join(
            f'<label><input type="checkbox" name="city" value="{escape(c.name)}" '
            f"{'checked' if c.pk in chosen else ''}> {escape(place_name(c, language))} "
            f"<small>{escape(place_name(c.province, language))}</small></label>"
            for c in cities
        )
    )
