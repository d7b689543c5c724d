"""The web page: ``mount_web(app)`` serves ``api/static/index.html`` at ``/``.

The page is hand-written HTML/JS/CSS (no build step) that calls the JSON endpoints of
``api/http.py``. The graph-drawing library is vendored as one file with its version in the
name, as Datasette vendors its editor: ``api/static/vendor/vis-network-9.1.2.min.js`` (and its
stylesheet), vis-network's own standalone build (dual Apache-2.0 / MIT, its licence header
kept in the file). Nothing here reaches the internet, so the page works offline.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_URL = "/static"
VIS_VERSION = "9.1.2"
VIS_JS = STATIC_DIR / "vendor" / f"vis-network-{VIS_VERSION}.min.js"
VIS_CSS = STATIC_DIR / "vendor" / f"vis-network-{VIS_VERSION}.css"


class WebAssetsMissing(RuntimeError):
    """A file the page needs is not installed (names the file)."""


def mount_web(app: FastAPI) -> FastAPI:
    """Serve the page at ``/`` and its files (vis-network under ``/static/vendor``) under
    ``/static``. Returns ``app``."""
    index = STATIC_DIR / "index.html"
    for needed in (index, VIS_JS, VIS_CSS):
        if not needed.is_file():
            raise WebAssetsMissing(f"{needed}: a file of the web page is missing from the installation")

    async def page() -> FileResponse:
        # no-cache: the page is tiny and must follow the code after an upgrade
        return FileResponse(index, media_type="text/html", headers={"Cache-Control": "no-cache"})

    async def favicon() -> FileResponse:
        return FileResponse(STATIC_DIR / "favicon.svg", media_type="image/svg+xml")

    app.add_api_route("/", page, methods=["GET"], include_in_schema=False, name="web_page")
    app.add_api_route("/favicon.ico", favicon, methods=["GET"], include_in_schema=False, name="favicon")
    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="web_static")
    return app
