"""The analyst's page: corpus overview, compare (topic × region, documents side by side) and
finding graph nodes by name. Pure functions of ``api/overview.py`` over the service's reads."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Query

from api import overview as ov
from api import schemas
from api.errors import InvalidParameter, NotFound
from api.routers import get_service

router = APIRouter()


def _measures(svc: Any) -> list[dict[str, Any]]:
    return list(svc.catalog().measures.values())


@router.get("/overview", summary="what is loaded: counts, documents by region and year, the newest, "
            "example questions", response_model=schemas.Overview)
def overview(svc: Any = Depends(get_service)) -> Any:
    return ov.overview(svc.documents(), svc.targets(), svc.topics())


@router.get("/compare", summary="topic × region: targets per cell, or the values side by side for one object",
            response_model=schemas.CompareMatrix)
def compare(
    object: str | None = Query(None, max_length=100, description="a phrase of the targets' object, e.g. 美育教师"),
    topic: str | None = Query(None, max_length=100, description="keep one topic"),
    svc: Any = Depends(get_service),
) -> Any:
    topics = svc.topics()
    if topic and topic not in {t["id"] for t in topics}:
        raise InvalidParameter("topic", f"{topic!r} is not a topic of the scheme (see /topics)")
    return ov.compare_matrix(svc.targets(), topics, obj=(object or "").strip() or None, topic=topic)


@router.get("/compare/documents", summary="two or more documents side by side by topic",
            response_model=schemas.CompareDocuments)
def compare_documents(
    ids: str = Query(..., min_length=1, max_length=1000, description="document ids, comma-separated (two or more)"),
    svc: Any = Depends(get_service),
) -> Any:
    doc_ids = list(dict.fromkeys(i.strip() for i in ids.split(",") if i.strip()))
    if len(doc_ids) < 2:
        raise InvalidParameter("ids", "give two or more document ids, comma-separated")
    try:
        return ov.compare_documents(doc_ids, svc.documents(), svc.targets(), _measures(svc), svc.topics())
    except KeyError as exc:
        raise NotFound(f"ids: no such document: {exc.args[0]}") from exc


@router.get("/graph/find", summary="graph nodes (regions, bodies, topics, documents) by name, best first",
            response_model=list[schemas.NodeMatch])
def find_nodes(
    q: str = Query(..., min_length=1, max_length=200, description="a name: 枣庄市, 教师培训, a title, a 文号 …"),
    kind: str | None = Query(None, pattern="^(region|topic|body|document)$"),
    limit: int = Query(20, ge=1, le=100),
    svc: Any = Depends(get_service),
) -> Any:
    return svc.find_nodes(q, kind=kind, limit=limit)
