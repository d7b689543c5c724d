"""``GET /lineage/{doc}`` and ``GET /lineage/provision/{clause}``, added to the app by
api/http.py (``add_routes(app, service)``). Errors are the service's (404 unknown document or
clause, 422 a bad parameter), answered as JSON by the app's handlers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Query


def add_routes(app: FastAPI, service: Callable[[], Any]) -> None:
    from api.lineage import document_lineage, provision_lineage

    # registered before /lineage/{doc_id} so that "provision" is never read as a document id
    @app.get("/lineage/provision/{clause_id:path}",
             summary="who carries a provision: the documents that adopted, adapted or dropped it, in date order")
    def lineage_provision(clause_id: str, peers: bool = Query(True, description="include similar clauses of documents that do not cite it")) -> dict[str, Any]:
        return provision_lineage(service(), clause_id, peers=peers)

    @app.get("/lineage/{doc_id}",
             summary="what a document took from the documents it implements (adopted, adapted, added, dropped) and what it changed")
    def lineage(doc_id: str,
                source: list[str] | None = Query(None, max_length=100, description="source document id(s) instead of its resolved citations"),
                write: bool = Query(False, description="also store the result as the document's lineage graph")) -> dict[str, Any]:
        return document_lineage(service(), doc_id, source or None, write=write)
