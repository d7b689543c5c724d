"""The read-only SPARQL 1.1 Protocol endpoint (GET, POST form, POST application/sparql-query)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from api.errors import InvalidParameter, QueryError
from api.routers import get_service, get_settings
from api.settings import Settings

router = APIRouter()

TRUNCATED_HEADER = "X-PolicyKG-Truncated"


def _answer(svc: Any, settings: Settings, query: str | None, update: str | None, request: Request,
            params: dict) -> Response:
    limits = settings.limits
    if update:
        raise QueryError("update: SPARQL updates are refused: this endpoint is read-only", param="update")
    if not query:
        raise InvalidParameter("query", "missing: send it as ?query=, a form field or an "
                               "application/sparql-query body")
    if len(query) > limits.sparql_chars:
        raise InvalidParameter("query", f"longer than {limits.sparql_chars} characters")
    fmt = params.get("format") or params.get("output") or params.get("results")
    answer = svc.sparql(query, accept=request.headers.get("accept"), format=fmt,
                        time_limit=limits.sparql_timeout_s, row_limit=limits.sparql_rows)
    headers = {TRUNCATED_HEADER: answer.truncated} if answer.truncated else {}
    return Response(content=answer.body, media_type=answer.media_type, headers=headers)


@router.get("/sparql", summary="SPARQL 1.1 query (read-only)", response_class=Response)
def sparql_get(request: Request, query: str | None = Query(None), svc: Any = Depends(get_service),
               settings: Settings = Depends(get_settings)) -> Response:
    params = dict(request.query_params)
    return _answer(svc, settings, query, params.get("update"), request, params)


@router.post("/sparql", summary="SPARQL 1.1 query by form or application/sparql-query body",
             response_class=Response)
async def sparql_post(request: Request, svc: Any = Depends(get_service),
                      settings: Settings = Depends(get_settings)) -> Response:
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
    return await run_in_threadpool(_answer, svc, settings, query, update, request, params)
