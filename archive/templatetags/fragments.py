"""``{% fragment "name" scopes part ... %}…{% endfragment %}``: a kept part of a page.

The enclosed markup is drawn once per value of ``part ...`` (and the reader's
language) and kept until one of ``scopes`` (a list of cache-version scopes) is
bumped: archive/fragments.py says what may go inside. Like Django's ``{% cache %}``,
but keyed by the archive's versions rather than by a time.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token
from django.template.context import Context

from ..fragments import fragment as kept_fragment

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist: NodeList, name: str, scopes: FilterExpression, parts: list):
        self.nodelist, self.name, self.scopes, self.parts = nodelist, name, scopes, parts

    def render(self, context: Context) -> str:
        scopes = self.scopes.resolve(context)
        parts = [part.resolve(context) for part in self.parts]
        return kept_fragment(self.name, parts, scopes, lambda: self.nodelist.render(context))


@register.tag
def fragment(parser: Parser, token: Token) -> FragmentNode:
    bits = token.split_contents()
    if len(bits) < 3 or bits[1][0] not in "\"'" or bits[1][-1] != bits[1][0]:
        raise template.TemplateSyntaxError(
            f"{bits[0]} takes a quoted name, a list of scopes and the values it depends on"
        )
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    parts = [parser.compile_filter(bit) for bit in bits[3:]]
    return FragmentNode(nodelist, bits[1][1:-1], parser.compile_filter(bits[2]), parts)
