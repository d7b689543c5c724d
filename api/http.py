"""The HTTP API (FastAPI; OpenAPI at ``/docs``): JSON endpoints over the service facade.

``create_app(service_factory)`` takes a callable returning a ``PolicyKG`` (or the service
itself); the service is created on the first request and kept, so one server process holds
the workspace's store (one writer per Oxigraph folder). Endpoints are plain ``def`` functions:
FastAPI runs them in its thread pool, so a slow query does not block the event loop.

Errors are JSON ``{"error": {"type", "message", …}}``; parameters are validated (k ≤ 100,
query length limits; an unknown topic or region is a 422 naming the valid choices).
"""

from __future__ import annotations

import importlib.util
import os
import re
import tempfile
import threading
from collections.abc import Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Body, FastAPI, File, Query, Request, UploadFile
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from api.docs import mount_docs
from api.errors import (
    Forbidden,
    InvalidParameter,
    PayloadTooLarge,
    PolicyKGError,
    QueryError,
    Unauthorized,
)

MAX_QUERY_CHARS = 1000  # search / ask text
MAX_DRAFT_CHARS = 5000  # a pasted draft clause
MAX_SPARQL_CHARS = 20000
DEFAULT_UPLOAD_LIMIT = 20 * 1024 * 1024
TOKEN_ENV = "POLICYKG_TOKEN"
TRUNCATED_HEADER = "X-PolicyKG-Truncated"


class PrecedentsRequest(BaseModel):
    text: str = Field(..., min_length=1, max_length=MAX_DRAFT_CHARS, description="a draft clause")
    k: int = Field(10, ge=1, le=100)
    exclude_region: str | None = Field(None, max_length=100)


EXPORT_TYPES = {
    "ttl": ("text/turtle; charset=utf-8", "ttl"),
    "jsonld": ("application/ld+json", "jsonld"),
    "graphml": ("application/graphml+xml", "graphml"),
    "gexf": ("application/gexf+xml", "gexf"),
}


def _error(status: int, payload: dict[str, Any]) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": payload})


def create_app(
    service_factory: Callable[[], Any] | Any,
    *,
    token: str | None = None,
    upload_limit: int = DEFAULT_UPLOAD_LIMIT,
    sparql_time_limit: float = 10.0,
    sparql_row_limit: int = 10000,
    close_service: bool = True,
) -> FastAPI:
    """The FastAPI app. ``token`` (default: ``POLICYKG_TOKEN``) enables ``POST /ingest``;
    ``close_service`` closes the service (and its store) when the app shuts down."""
    token = token if token is not None else os.environ.get(TOKEN_ENV) or None
    lock = threading.Lock()
    holder: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(_: FastAPI):  # close the store when the server stops
        yield
        svc = holder.get("svc")
        if close_service and svc is not None and hasattr(svc, "close"):
            svc.close()

    app = FastAPI(
        lifespan=lifespan,
        title="policykg",
        description="Knowledge graph and semantic search over Chinese local education policy "
        "documents: search, precedents, questions, targets, the graph and a read-only SPARQL "
        "endpoint.",
        version="0.1.0",
        docs_url=None,  # served by mount_docs with local assets: the default page needs a CDN
        redoc_url=None,  # ReDoc, too, would load its script from a CDN
    )
    mount_docs(app)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=["*"],
        allow_methods=["GET", "POST", "OPTIONS"],
        allow_headers=["*"],
        expose_headers=[TRUNCATED_HEADER],
    )

    def service() -> Any:
        if "svc" not in holder:
            with lock:
                if "svc" not in holder:
                    holder["svc"] = service_factory() if callable(service_factory) else service_factory
        return holder["svc"]

    app.state.service = service

    @app.exception_handler(PolicyKGError)
    def _policykg_error(_: Request, exc: PolicyKGError) -> JSONResponse:
        return _error(exc.status, exc.to_dict())

    @app.exception_handler(RequestValidationError)
    def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body"))
            problems.append(f"{where or 'request'}: {err.get('msg')}")
        return _error(
            422,
            {
                "type": "InvalidParameter",
                "message": "invalid request: " + "; ".join(problems),
                "problems": [
                    {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
                    for e in exc.errors()
                ],
            },
        )

    @app.exception_handler(Exception)
    def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        return _error(500, {"type": type(exc).__name__, "message": f"internal error: {exc}"})

    # ------------------------------------------------------------------ reading

    @app.get("/health", summary="store, index, model and counts")
    def health() -> dict[str, Any]:
        return service().health()

    @app.get("/search", summary="hybrid clause search with graph filters")
    def search(
        q: str = Query(..., min_length=1, max_length=MAX_QUERY_CHARS, description="query text"),
        k: int = Query(10, ge=1, le=100),
        region: str | None = Query(None, max_length=100, description="adcode or name (sub-regions included)"),
        province: str | None = Query(None, max_length=100),
        topic: str | None = Query(None, max_length=100, description="topic id"),
        year: int | None = Query(None, ge=1949, le=2100, description="a deadline year of a target in the clause"),
        doc: str | None = Query(None, max_length=200, description="document id"),
        has_target: bool | None = Query(None),
    ) -> dict[str, Any]:
        return service().search(
            q, k=k, region=region, province=province, topic=topic, year=year, doc=doc,
            has_target=has_target,
        )

    @app.post("/precedents", summary="similar clauses from other regions, grouped by region and document")
    def precedents(req: PrecedentsRequest = Body(...)) -> dict[str, Any]:
        return service().precedents(req.text, k=req.k, exclude_region=req.exclude_region)

    @app.get("/ask", summary="a question in Chinese or English, answered from the graph with evidence")
    def ask(q: str = Query(..., min_length=1, max_length=MAX_QUERY_CHARS)) -> dict[str, Any]:
        return service().ask(q)

    @app.get("/targets", summary="quantitative targets with their evidence")
    def targets(
        topic: str | None = Query(None, max_length=100),
        region: str | None = Query(None, max_length=100),
        year: int | None = Query(None, ge=1949, le=2100),
    ) -> list[dict[str, Any]]:
        return service().targets(topic=topic, region=region, year=year)

    @app.get("/documents", summary="one row per document")
    def documents() -> list[dict[str, Any]]:
        return service().documents()

    @app.get("/documents/{doc_id}", summary="a document's metadata and clause tree")
    def document(doc_id: str) -> dict[str, Any]:
        return service().document(doc_id)

    @app.get("/clauses/{clause_id:path}", summary="a clause by IRI or {doc}/{path}")
    def clause(clause_id: str) -> dict[str, Any]:
        return service().clause(clause_id)

    @app.get("/regions", summary="regions with document and target counts (and lon/lat)")
    def regions(parent: str | None = Query(None, max_length=100)) -> list[dict[str, Any]]:
        return service().regions(parent=parent)

    @app.get("/bodies", summary="responsible bodies")
    def bodies() -> list[dict[str, Any]]:
        return service().bodies()

    @app.get("/topics", summary="the topic scheme (zh/en labels) with counts")
    def topics() -> list[dict[str, Any]]:
        return service().topics()

    @app.get("/graph/neighbourhood", summary="nodes and edges around a node, for drawing")
    def neighbourhood(
        node: str = Query(..., min_length=1, max_length=500, description="IRI or a short id"),
        depth: int = Query(1, ge=0, le=4),
    ) -> dict[str, Any]:
        return service().neighbourhood(node, depth=depth)

    @app.get("/export", summary="the graph or a neighbourhood as Turtle, JSON-LD, GraphML or GEXF")
    def export(
        format: str = Query("ttl", pattern="^(ttl|jsonld|graphml|gexf)$"),
        node: str | None = Query(None, max_length=500),
        depth: int = Query(1, ge=0, le=4),
    ) -> Response:
        data = service().export(format, node=node, depth=depth)
        media, ext = EXPORT_TYPES[format]
        return Response(
            content=data,
            media_type=media,
            headers={"Content-Disposition": f'attachment; filename="policykg.{ext}"'},
        )

    # ------------------------------------------------------------------ SPARQL 1.1 Protocol

    def _sparql_response(query: str | None, update: str | None, request: Request, params: dict) -> Response:
        if update:
            raise QueryError("SPARQL updates are refused: this endpoint is read-only")
        if not query:
            raise InvalidParameter("query", "missing: send it as ?query=, a form field or an "
                                   "application/sparql-query body")
        if len(query) > MAX_SPARQL_CHARS:
            raise InvalidParameter("query", f"longer than {MAX_SPARQL_CHARS} characters")
        fmt = params.get("format") or params.get("output") or params.get("results")
        answer = service().sparql(
            query,
            accept=request.headers.get("accept"),
            format=fmt,
            time_limit=sparql_time_limit,
            row_limit=sparql_row_limit,
        )
        headers = {TRUNCATED_HEADER: answer.truncated} if answer.truncated else {}
        return Response(content=answer.body, media_type=answer.media_type, headers=headers)

    @app.get("/sparql", summary="SPARQL 1.1 query (read-only)")
    def sparql_get(request: Request, query: str | None = Query(None)) -> Response:
        params = dict(request.query_params)
        return _sparql_response(query, params.get("update"), request, params)

    @app.post("/sparql", summary="SPARQL 1.1 query by form or application/sparql-query body")
    async def sparql_post(request: Request) -> Response:
        ctype = request.headers.get("content-type", "").split(";")[0].strip().lower()
        params = dict(request.query_params)
        query = params.get("query")
        update = params.get("update")
        if ctype == "application/sparql-query":
            query = (await request.body()).decode("utf-8", errors="replace")
        elif ctype == "application/sparql-update":
            update = "update"
        elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            form = await request.form()
            params.update({k: str(v) for k, v in form.items()})
            query = params.get("query", query)
            update = params.get("update", update)
        elif ctype:
            raise InvalidParameter(
                "Content-Type", f"{ctype} is not accepted",
                ["application/sparql-query", "application/x-www-form-urlencoded"],
            )
        from starlette.concurrency import run_in_threadpool

        return await run_in_threadpool(_sparql_response, query, update, request, params)

    # ------------------------------------------------------------------ writing

    @app.post("/ingest", summary="upload documents (needs POLICYKG_TOKEN and a bearer token)")
    def ingest(request: Request, files: list[UploadFile] = File(...)) -> dict[str, Any]:
        if not token:
            raise Forbidden("ingest over HTTP is disabled: start the server with POLICYKG_TOKEN set")
        auth = request.headers.get("authorization", "")
        if not auth.lower().startswith("bearer ") or auth[7:].strip() != token:
            raise Unauthorized("missing or wrong bearer token (Authorization: Bearer …)")
        with tempfile.TemporaryDirectory(prefix="policykg-upload-") as tmp:
            paths: list[Path] = []
            total = 0
            for upload in files:
                name = _safe_name(upload.filename or "upload.txt")
                data = upload.file.read(upload_limit + 1)
                total += len(data)
                if len(data) > upload_limit or total > upload_limit:
                    raise PayloadTooLarge(
                        f"{name}: upload larger than the limit of {upload_limit} bytes"
                    )
                target = Path(tmp) / name
                target.write_bytes(data)
                paths.append(target)
            return service().ingest(paths, uploads=True).to_dict()

    # --- lineage (issue 18): GET /lineage/{doc}, GET /lineage/provision/{clause}
    from api.lineage.http import add_routes as add_lineage_routes

    add_lineage_routes(app, service)
    # --- end lineage

    web = importlib.util.find_spec("api.web")
    if web is not None:
        from api.web import mount_web

        mount_web(app)
    return app


def _safe_name(name: str) -> str:
    """The base name of an uploaded file, without path parts or control characters."""
    base = re.split(r"[\\/]", name)[-1].strip().lstrip(".")
    base = re.sub(r"[\x00-\x1f]", "", base)
    return base or "upload.txt"
