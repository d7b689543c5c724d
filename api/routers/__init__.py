"""The HTTP API's routers, one per area (as txtai's ``api/routers/``): ``reading`` (documents,
clauses, search, precedents, questions, targets, regions, bodies, topics, health), ``graph``
(neighbourhood, export), ``sparql`` (the read-only SPARQL 1.1 Protocol endpoint) and
``ingest`` (uploads). Each endpoint gets the service by ``Depends(get_service)``, so a test
can swap it: ``app.dependency_overrides[get_service] = lambda: fake``."""

from __future__ import annotations

from typing import Any

from fastapi import Request

from api.settings import Limits, Settings

LIMITS = Limits()  # the defaults behind the parameter checks that OpenAPI documents


def get_service(request: Request) -> Any:
    """The app's service (created on the first request and kept; see api/http.py)."""
    return request.app.state.get_service()


def get_settings(request: Request) -> Settings:
    return request.app.state.settings
