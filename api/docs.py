"""``/docs`` without the internet: Swagger UI's script and stylesheet served from the venv.

FastAPI's default ``/docs`` page loads Swagger UI from a CDN, which fails offline. The assets
come from the ``swagger-ui-py`` package (Swagger UI 5, which reads the OpenAPI 3.1 documents
FastAPI writes; ``swagger-ui-bundle`` ships Swagger UI 4, which cannot), mounted under
``/docs-assets``; the page itself is FastAPI's own ``get_swagger_ui_html``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/docs-assets"


@lru_cache(maxsize=1)
def swagger_ui_dir() -> Path:
    """The folder holding swagger-ui-bundle.js and swagger-ui.css (package swagger-ui-py)."""
    try:
        import swagger_ui
    except ImportError as exc:  # a clear error rather than a page that silently needs a CDN
        raise RuntimeError("the swagger-ui-py package is missing: pip install swagger-ui-py") from exc
    folder = Path(swagger_ui.__file__).resolve().parent / "static"
    for name in ("swagger-ui-bundle.js", "swagger-ui.css"):
        if not (folder / name).is_file():
            raise RuntimeError(f"{folder / name} is missing from the swagger-ui-py package")
    return folder


def mount_docs(app: FastAPI, url: str = "/docs") -> None:
    """Serve Swagger UI at ``url`` with local assets (create the app with ``docs_url=None``)."""
    app.mount(ASSETS_URL, StaticFiles(directory=swagger_ui_dir()), name="docs_assets")

    @app.get(url, include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json",
            title=f"{app.title} — API",
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon-32x32.png",
        )
