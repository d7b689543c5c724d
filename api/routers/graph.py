"""The graph: a node's neighbourhood for drawing, exports."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from api import schemas
from api.routers import LIMITS, get_service

router = APIRouter()

EXPORT_TYPES = {
    "ttl": ("text/turtle; charset=utf-8", "ttl"),
    "jsonld": ("application/ld+json", "jsonld"),
    "graphml": ("application/graphml+xml", "graphml"),
    "gexf": ("application/gexf+xml", "gexf"),
}


@router.get("/graph/neighbourhood", summary="nodes and edges around a node, for drawing",
            response_model=schemas.Neighbourhood)
def neighbourhood(
    node: str = Query(..., min_length=1, max_length=500, description="IRI or a short id"),
    depth: int = Query(1, ge=0, le=LIMITS.graph_depth),
    svc: Any = Depends(get_service),
) -> Any:
    return svc.neighbourhood(node, depth=depth)


@router.get("/export", summary="the graph or a neighbourhood as Turtle, JSON-LD, GraphML or GEXF",
            response_class=Response)
def export(
    format: str = Query("ttl", pattern="^(ttl|jsonld|graphml|gexf)$"),
    node: str | None = Query(None, max_length=500),
    depth: int = Query(1, ge=0, le=LIMITS.graph_depth),
    svc: Any = Depends(get_service),
) -> Response:
    data = svc.export(format, node=node, depth=depth)
    media, ext = EXPORT_TYPES[format]
    return Response(content=data, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="policykg.{ext}"'})
