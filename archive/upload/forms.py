"""Forms of the staff upload page: the files, and the review of one report."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from archive.ingest.metadata_date import parse_date_hint
from archive.ingest.types import PartialDate
from archive.models import City, Report
from archive.selectors import city_by_name

ACCEPT = ".txt,.md,.html,.htm,.docx,.pdf,.zip,.warc,.warc.gz,.gz"


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django docs, "Uploading multiple files").

    Files are not validated here: an empty or odd file is a failed row of the
    result table, not an error that throws away the whole upload.
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [f for f in data if f]
        return [data] if data else []


class UploadForm(forms.Form):
    files = MultipleFileField(label=_("文件"), required=False)


class ReviewForm(forms.Form):
    """City and date for a report detection could not place. A missing city must be
    picked (every report belongs to a place); a date may stay unknown, since some
    reply letters carry none (seed 003) and a guessed date would be worse."""

    city = forms.CharField(
        label=_("城市"),
        required=False,
        max_length=80,
        widget=forms.TextInput(attrs={"list": "gazetteer-cities", "autocomplete": "off"}),
    )
    published = forms.CharField(
        label=_("日期"),
        required=False,
        max_length=30,
        widget=forms.TextInput(attrs={"placeholder": "2024-06-18 / 2024-06 / 2024"}),
    )

    def __init__(self, *args, report: Report, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.report = report

    def clean_city(self) -> City | None:
        """A datalist value ("朝阳区 · 北京市 · 110105") or a typed name ("兰州")."""
        text = self.cleaned_data["city"].strip()
        if not text:
            if self.report.city_id is None:
                raise forms.ValidationError(_("请从地名录中选择城市 / pick a city"))
            return None
        adcode = re.search(r"\b(\d{6})\s*$", text)
        if adcode:
            city = City.objects.filter(adcode=adcode.group(1)).first()
        else:
            city = city_by_name(text.split("·")[0].strip())
        if city is None:
            raise forms.ValidationError(_("地名录中没有这个城市 / not a city in the gazetteer"))
        return city

    def clean_published(self) -> PartialDate | None:
        text = self.cleaned_data["published"].strip()
        if not text:
            return None
        year = re.fullmatch(r"(\d{4})年?", text)
        parsed = (
            PartialDate(date(int(year.group(1)), 1, 1), "year")
            if year and 1949 <= int(year.group(1)) <= date.today().year
            else parse_date_hint(text)
        )
        if parsed is None:
            raise forms.ValidationError(
                _("无法识别的日期，请写成 2024-06-18、2024-06 或 2024 / unreadable date")
            )
        return parsed
