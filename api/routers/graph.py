"""The graph: a node's neighbourhood for drawing, exports."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from api import overview, schemas
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
    return svc.neighbourhood(resolve_node(svc, node), depth=depth)


def resolve_node(svc: Any, node: str) -> str:
    """``node`` itself when the service knows it (an IRI, id, adcode, topic id or body name),
    else the best node of that name (枣庄市, 教师培训, a title: see ``/graph/find``)."""
    if node.startswith(("http://", "https://")):
        return node
    matches = overview.find_nodes(node, svc.documents(), svc.regions(), svc.bodies(), svc.topics(), limit=1)
    if matches and (matches[0]["label"] == node or len(node) >= 2):
        return matches[0]["id"]
    return node


@router.get("/export", summary="the graph or a neighbourhood as Turtle, JSON-LD, GraphML or GEXF",
            response_class=Response)
def export(
    format: str = Query("ttl", pattern="^(ttl|jsonld|graphml|gexf)$"),
    node: str | None = Query(None, max_length=500),
    depth: int = Query(1, ge=0, le=LIMITS.graph_depth),
    svc: Any = Depends(get_service),
) -> Response:
    data = svc.export(format, node=resolve_node(svc, node) if node else None, depth=depth)
    media, ext = EXPORT_TYPES[format]
    return Response(content=data, media_type=media,
                    headers={"Content-Disposition": f'attachment; filename="policykg.{ext}"'})
