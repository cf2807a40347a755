from django import template
from django.utils.translation import get_language

from compare.dimensions import LABELS, format_value

register = template.Library()


@register.filter
def figure_value(figure) -> str:
    """The figure as the report wrote it (12535人 stays 12535人, issue 17); in
    English the normalized value, since 万 and 亿 mean nothing to that reader."""
    if (get_language() or "zh").startswith("zh"):
        return figure.text
    return format_value(figure.value, figure.unit)


@register.filter
def get_item(mapping, key):
    """``cells|get_item:city.pk``: dict lookup with a variable key."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def dimension_label(key: str) -> str:
    """``housing`` -> 人才住房, in the reader's language."""
    return str(LABELS.get(key, key))
