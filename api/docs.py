"""The interactive API docs page, with Swagger UI served from this server.

django-ninja renders its docs from a CDN unless "ninja" is an installed app;
deployments in China often cannot reach foreign CDNs (DESIGN.md), so this page
loads the Swagger UI files that ship inside the ninja package, through a small
allow-listed view: no collectstatic step, no foreign origin, and the page obeys
the site's Content-Security-Policy (no inline script: settings travel as JSON).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from ninja.openapi.docs import DocsBase

if TYPE_CHECKING:
    from ninja import NinjaAPI

ASSETS_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"
#: the only files the asset view serves, with their content types.
ASSETS = {
    "swagger-ui.css": "text/css; charset=utf-8",
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui-init.js": "text/javascript; charset=utf-8",
    "favicon.svg": "image/svg+xml",
    "favicon.png": "image/png",
}


def asset_url(name: str) -> str:
    """The asset's URL, versioned by ninja's release so caches renew on upgrade."""
    return f"{reverse('api_docs_asset', args=[name])}?v={ninja.__version__}"


class LocalSwagger(DocsBase):
    """Swagger UI with local assets (ninja's own ``Swagger`` minus the CDN)."""

    settings = {"layout": "BaseLayout", "deepLinking": True}

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        context = {
            "api": api,
            "swagger_settings": {**self.settings, "url": self.get_openapi_url(api, kwargs)},
            "assets": {
                name.replace("-", "_").replace(".", "_"): asset_url(name) for name in ASSETS
            },
        }
        return render(request, "api/docs.html", context)


def asset(request: HttpRequest, name: str) -> FileResponse:
    """One Swagger UI file from the installed ninja package (allow-listed names only)."""
    if name not in ASSETS:
        raise Http404("no such asset")
    response = FileResponse((ASSETS_DIR / name).open("rb"), content_type=ASSETS[name])
    response["Cache-Control"] = "public, max-age=604800"
    return response
