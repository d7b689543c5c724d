"""The web page: ``mount_web(app)`` serves ``api/static/index.html`` at ``/``.

The page is hand-written HTML/JS/CSS (no build step) that calls the JSON endpoints of
``api/http.py``. The graph-drawing library (vis-network) is not copied into the repository:
it is served from the ``pyvis`` registry package installed in the environment, which ships it
under ``pyvis/lib/vis-*/``. Nothing here reaches the internet, so the page works offline.
"""

from __future__ import annotations

import importlib.util
import re
from functools import lru_cache
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parent / "static"
STATIC_URL = "/static"
VIS_URL = "/assets/vis"
PREFERRED_VIS = "vis-9.1.2"


class WebAssetsMissing(RuntimeError):
    """A file the page needs is not installed (names the file and how to get it)."""


def _version_key(name: str) -> tuple[int, ...]:
    return tuple(int(n) for n in re.findall(r"\d+", name))


@lru_cache(maxsize=1)
def vis_network_dir() -> Path:
    """The folder holding ``vis-network.min.js`` inside the installed pyvis package.

    Prefers the vis-network version this page was written against (9.1.2) and falls back to
    the newest one pyvis ships.
    """
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise WebAssetsMissing(
            "pyvis is not installed: the page serves vis-network from the pyvis package "
            "(pip install pyvis)"
        )
    lib = Path(next(iter(spec.submodule_search_locations))) / "lib"
    candidates = [d for d in lib.glob("vis-*") if (d / "vis-network.min.js").is_file()]
    if not candidates:
        raise WebAssetsMissing(f"{lib}: no vis-*/vis-network.min.js in the installed pyvis")
    preferred = [d for d in candidates if d.name == PREFERRED_VIS]
    return preferred[0] if preferred else max(candidates, key=lambda d: _version_key(d.name))


def mount_web(app: FastAPI) -> FastAPI:
    """Serve the page at ``/``, its own files under ``/static`` and vis-network under
    ``/assets/vis`` (``vis-network.min.js``, ``vis-network.css``). Returns ``app``."""
    index = STATIC_DIR / "index.html"
    if not index.is_file():
        raise WebAssetsMissing(f"{index}: the page is missing from the installation")

    async def page() -> FileResponse:
        # no-cache: the page is tiny and must follow the code after an upgrade
        return FileResponse(index, media_type="text/html", headers={"Cache-Control": "no-cache"})

    app.add_api_route("/", page, methods=["GET"], include_in_schema=False, name="web_page")
    app.mount(STATIC_URL, StaticFiles(directory=STATIC_DIR), name="web_static")
    app.mount(VIS_URL, StaticFiles(directory=vis_network_dir()), name="web_vis")
    return app
