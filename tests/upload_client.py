"""Drive the real admin upload page with Django's test client, CSRF checks on."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

UPLOAD_URL = "/admin/archive/report/upload/"
_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@dataclass
class Row:
    file: str
    status: str
    cells: list[str]


class _RowParser(HTMLParser):
    """Rows of the result table as (status, cell texts)."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Row] = []
        self._in_table = self._in_cell = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and attrs.get("id") == "result-table":
            self._in_table = True
        elif self._in_table and tag == "tr" and "data-status" in attrs:
            self.rows.append(Row("", attrs["data-status"], []))
        elif self._in_table and tag == "td" and self.rows:
            self.rows[-1].cells.append("")
            self._in_cell = True

    def handle_endtag(self, tag):
        if tag == "table":
            self._in_table = False
        if tag == "td":
            self._in_cell = False

    def handle_data(self, data):
        if self._in_cell and self.rows:
            self.rows[-1].cells[-1] += data


def csrf_token(client: Client, url: str = UPLOAD_URL) -> str:
    page = client.get(url)
    assert page.status_code == 200, page.status_code
    return _TOKEN.search(page.content.decode()).group(1)


def upload(client: Client, files: dict[str, bytes]) -> tuple[list[Row], str]:
    """POST the files as a browser would (token from the page), follow the redirect;
    return the result rows and the result page's HTML."""
    token = csrf_token(client)
    payload = [SimpleUploadedFile(name, data) for name, data in files.items()]
    response = client.post(UPLOAD_URL, {"files": payload, "csrfmiddlewaretoken": token})
    assert response.status_code == 302, response.status_code
    page = client.get(response["Location"])
    html = page.content.decode()
    parser = _RowParser()
    parser.feed(html)
    for row in parser.rows:
        row.cells = [" ".join(c.split()) for c in row.cells]
        row.file = row.cells[0]
    return parser.rows, html


class FormParser(HTMLParser):
    """Every submittable field of a page's forms, as a browser would post them."""

    def __init__(self) -> None:
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            if kind not in ("submit", "button", "file"):
                self.fields[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
            self.fields.setdefault(name, "")
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea" and self._textarea:
            # browsers drop the newline Django writes right after <textarea>
            value = self.fields[self._textarea]
            self.fields[self._textarea] = value[1:] if value.startswith("\n") else value
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def form_fields(html: str) -> dict[str, str]:
    parser = FormParser()
    parser.feed(html)
    return parser.fields
