from django import template

from compare.dimensions import format_value

register = template.Library()


@register.filter
def figure_value(figure) -> str:
    """25万元, 1.5786亿元, 15472套 — the normalized value, readably."""
    return format_value(figure.value, figure.unit)


@register.filter
def get_item(mapping, key):
    """``cells|get_item:city.pk``: dict lookup with a variable key."""
    return mapping.get(key) if hasattr(mapping, "get") else None
