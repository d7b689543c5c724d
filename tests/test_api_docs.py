"""/docs works offline: the Swagger UI page references only assets this server serves."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from api.http import create_app


def test_docs_page_needs_no_remote_url():
    client = TestClient(create_app(lambda: None))
    page = client.get("/docs")
    assert page.status_code == 200 and "SwaggerUIBundle" in page.text
    assert not re.search(r"https?://", page.text), re.findall(r"https?://[^\"' ]+", page.text)
    refs = re.findall(r"(?:src|href)=['\"]([^'\"]+)['\"]", page.text) + re.findall(r"url: *['\"]([^'\"]+)['\"]", page.text)
    assert "/openapi.json" in refs
    for ref in refs:
        r = client.get(ref)
        assert r.status_code == 200, ref
    js = client.get("/docs-assets/swagger-ui-bundle.js")
    assert "javascript" in js.headers["content-type"] and len(js.content) > 100_000
    assert "css" in client.get("/docs-assets/swagger-ui.css").headers["content-type"]
    assert client.get("/openapi.json").json()["paths"]["/ask"]
    assert client.get("/redoc").status_code == 404  # ReDoc would need a CDN: not offered
