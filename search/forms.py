"""The search form: words, where to look, date range, type, 发文机关, 文号, page size.

Rendered from the page's parameters (never bound: ``search.params`` reads and
checks the query string), so the form always shows the state of the URL. The
controls are those analysts know from 国务院政策文件库 and 北大法宝: 标题/全文,
a year range, document type, issuing body and document number.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from archive.models import DocType

from .params import DEFAULT_PAGE_SIZE, MAX_FILTER_VALUES, PAGE_SIZES, YEAR_RANGE, SearchParams

#: params the form has no control for, carried through as hidden inputs.
CARRIED = ("province", "city", "year", "sort")


class SearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        max_length=256,
        label=_("关键词"),
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("搜索报告，如：人才公寓 “拎包入住” -德州")}
        ),
    )
    year_from = forms.IntegerField(
        required=False, min_value=YEAR_RANGE[0], max_value=YEAR_RANGE[1], label=_("起始年份")
    )
    year_to = forms.IntegerField(
        required=False, min_value=YEAR_RANGE[0], max_value=YEAR_RANGE[1], label=_("截止年份")
    )
    doc_type = forms.MultipleChoiceField(
        required=False,
        choices=DocType.choices,
        label=_("类型"),
        widget=forms.CheckboxSelectMultiple,
    )
    issuer = forms.CharField(required=False, max_length=100, label=_("发文机关"))
    doc_number = forms.CharField(
        required=False,
        max_length=100,
        label=_("文号"),
        widget=forms.TextInput(attrs={"placeholder": _("如：京人社调发〔2018〕38号")}),
    )
    page_size = forms.TypedChoiceField(
        choices=[(n, n) for n in PAGE_SIZES], coerce=int, label=_("每页条数")
    )

    def __init__(self, params: SearchParams) -> None:
        super().__init__(initial=_initial(params), auto_id="search-%s")
        # ``in`` is a Python keyword: declared here, not as a class attribute.
        self.fields["in"] = forms.ChoiceField(
            choices=[("all", _("全文")), ("title", _("仅标题"))],
            label=_("检索范围"),
            widget=forms.RadioSelect,
        )
        self.initial["in"] = params.scope
        self.order_fields(["q", "in"])
        if params.page_size not in PAGE_SIZES:  # ?page_size=37 keeps its value
            field = self.fields["page_size"]
            field.choices = [*field.choices, (params.page_size, params.page_size)]


def _initial(params: SearchParams) -> dict:
    return {
        "q": params.q,
        "year_from": params.year_from,
        "year_to": params.year_to,
        "doc_type": list(params.doc_type),
        "issuer": params.issuer[0] if params.issuer else "",
        "doc_number": params.doc_number[0] if params.doc_number else "",
        "page_size": params.page_size or DEFAULT_PAGE_SIZE,
    }


def carried_inputs(params: SearchParams) -> list[tuple[str, str]]:
    """Hidden (name, value) pairs: facet choices, the sort, and any second issuer or
    文号 (the text boxes show the first), so submitting the form keeps them."""
    pairs = [(name, v) for name in CARRIED[:3] for v in getattr(params, name)]
    if params.sort:
        pairs.append(("sort", params.sort))
    for name in ("issuer", "doc_number"):
        pairs.extend((name, v) for v in getattr(params, name)[1:MAX_FILTER_VALUES])
    return pairs


def advanced_open(params: SearchParams) -> bool:
    """Open the advanced controls when one of them is in use."""
    return bool(
        params.title_only
        or params.year_from is not None
        or params.year_to is not None
        or params.doc_type
        or params.issuer
        or params.doc_number
        or params.page_size != DEFAULT_PAGE_SIZE
    )
