from django import template

from compare import figure_html, picker_html
from compare.dimensions import LABELS

register = template.Library()


@register.filter
def figure_value(figure) -> str:
    """The figure as the report wrote it, or normalized in English (compare/figure_html.py)."""
    return figure_html.figure_value(figure)


@register.filter
def get_item(mapping, key):
    """``cells|get_item:city.pk``: dict lookup with a variable key."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def dimension_label(key: str) -> str:
    """``housing`` -> 人才住房, in the reader's language."""
    return str(LABELS.get(key, key))


@register.filter
def figure_item(figure) -> str:
    """``{{ f|figure_item }}``: compare/_figure.html drawn in Python (compare/figure_html.py)."""
    return figure_html.figure_item(figure)


@register.filter
def figure_items(figures) -> str:
    """``{{ cell.shown|figure_items }}``: every figure of a cell drawn at once, as
    ``{% for f in … %}{{ f|figure_item }}{% endfor %}`` would (compare/figure_html.py)."""
    return figure_html.figure_items(figures)


@register.filter
def picker_options(cities) -> str:
    """``{{ picker|picker_options }}``: the datalist's options (compare/picker_html.py)."""
    return picker_html.picker_options(cities)


@register.simple_tag
def picker_checkboxes(cities, chosen) -> str:
    """``{% picker_checkboxes picker chosen %}``: the checkbox grid (compare/picker_html.py)."""
    return picker_html.picker_checkboxes(cities, chosen or ())
