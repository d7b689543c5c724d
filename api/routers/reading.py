"""Reading endpoints: documents, clauses, search, precedents, questions, targets, regions,
bodies, topics, health."""

from __future__ import annotations

import os
from typing import Any

from fastapi import APIRouter, Body, Depends, Query
from fastapi.responses import Response
from pydantic import BaseModel, Field

from api import schemas, tabular
from api.routers import LIMITS, get_service

router = APIRouter()

TABLE_FORMAT = Query(None, pattern="^(csv|xlsx)$", description="csv or xlsx: the table as a download instead of JSON")


def _topic_labels(svc: Any) -> dict[str, str]:
    return {t["id"]: t["label_zh"] for t in svc.topics()}


def _download(rows: list[dict[str, Any]], columns: list[tabular.Column], fmt: str, stem: str, sheet: str) -> Response:
    data, _ = tabular.export(rows, columns, fmt, sheet=sheet)
    headers = tabular.attachment_headers(stem, fmt)
    return Response(content=data, media_type=headers.pop("Content-Type"), headers=headers)


def ask_rows(answer: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per piece of evidence of an ask answer (a fallback: its clauses)."""
    if answer.get("fallback") or not answer.get("answer"):
        return [{**r, "quote": r.get("text")} for r in answer.get("results") or []]
    groups = answer["answer"]
    if groups and "region" not in groups[0]:  # documents answer: the document is the group
        return tabular.flatten(groups, keep=("title",))
    return tabular.flatten(groups, keep=("region",))


def _ask_with_sentences(svc: Any, answer: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``answer`` whose evidence (and closest clauses) carry their ``sentence``."""
    answer = dict(answer)
    groups = [dict(g, evidence=[dict(ev) for ev in g.get("evidence") or []]) if isinstance(g, dict) else g
              for g in answer.get("answer") or []]
    if "answer" in answer:
        answer["answer"] = groups
    if answer.get("closest"):
        answer["closest"] = [dict(ev) for ev in answer["closest"]]
    every = [ev for g in groups if isinstance(g, dict) for ev in g.get("evidence") or []]
    tabular.with_sentences([ev for ev in every if ev.get("kind") == "target"] + list(answer.get("closest") or []),
                           svc.clause_texts)
    return answer


class PrecedentsRequest(BaseModel):
    text: str = Field(..., min_length=1, max_length=LIMITS.draft_chars, description="a draft clause")
    k: int = Field(10, ge=1, le=LIMITS.max_k)
    exclude_region: str | None = Field(None, max_length=100)


@router.get("/health", summary="store, index, model and counts", response_model=schemas.Health)
def health(svc: Any = Depends(get_service)) -> Any:
    # the serving process: with `policykg serve --workers N`, which of the N answered
    return {**svc.health(), "pid": os.getpid()}


@router.get("/search", summary="hybrid clause search with graph filters", response_model=schemas.SearchResponse)
def search(
    q: str = Query(..., min_length=1, max_length=LIMITS.query_chars, description="query text"),
    k: int = Query(10, ge=1, le=LIMITS.max_k),
    region: str | None = Query(None, max_length=100, description="adcode or name (sub-regions included)"),
    province: str | None = Query(None, max_length=100),
    topic: str | None = Query(None, max_length=100, description="topic id"),
    year: int | None = Query(None, ge=1949, le=2100, description="a deadline year of a target in the clause"),
    doc: str | None = Query(None, max_length=200, description="document id"),
    has_target: bool | None = Query(None),
    svc: Any = Depends(get_service),
) -> Any:
    return svc.search(q, k=k, region=region, province=province, topic=topic, year=year, doc=doc,
                      has_target=has_target)


@router.post("/precedents", summary="similar clauses from other regions, grouped by region and document",
             response_model=schemas.PrecedentsResponse)
def precedents(req: PrecedentsRequest = Body(...), svc: Any = Depends(get_service)) -> Any:
    return svc.precedents(req.text, k=req.k, exclude_region=req.exclude_region)


@router.get("/ask", summary="a question in Chinese or English, answered from the graph with evidence",
            response_model=schemas.AskAnswer)
def ask(
    q: str = Query(..., min_length=1, max_length=LIMITS.query_chars),
    per_region: int = Query(
        LIMITS.ask_per_region, ge=0, le=LIMITS.max_per_region,
        description="at most this many documents of each region listed, best first, with their evidence "
        "(bodies: pieces of evidence per body); 0 lists every one. Every region is listed either way, "
        "with documents_total. Ignored with format=csv|xlsx: a download holds the whole answer."),
    format: str | None = TABLE_FORMAT,
    svc: Any = Depends(get_service),
) -> Any:
    if format:  # a download is the whole answer
        answer = _ask_with_sentences(svc, svc.ask(q))
        return _download(ask_rows(answer), tabular.evidence_columns(_topic_labels(svc)), format,
                         f"policykg-answer-{q[:30]}", "答案 answer")
    return _ask_with_sentences(svc, svc.ask(q, per_region=per_region))


@router.get("/targets", summary="quantitative targets with their evidence", response_model=list[schemas.Target])
def targets(
    topic: str | None = Query(None, max_length=100),
    region: str | None = Query(None, max_length=100),
    year: int | None = Query(None, ge=1949, le=2100),
    province: str | None = Query(None, max_length=100, description="the province's name, e.g. 山东省"),
    object: str | None = Query(None, max_length=100, description="a phrase of the target's object (or its evidence)"),
    exact: bool = Query(False, description="with region: that region's own documents only, not its sub-regions'"),
    format: str | None = TABLE_FORMAT,
    svc: Any = Depends(get_service),
) -> Any:
    rows = svc.targets(topic=topic, region=region, year=year)
    if region and exact:
        rows = [t for t in rows if region in ((t.get("region") or {}).get("code"), (t.get("region") or {}).get("name"))]
    if province:
        rows = [t for t in rows if province in ((t.get("region") or {}).get("province"), (t.get("region") or {}).get("name"))]
    if object:
        rows = [t for t in rows if object in (t.get("object") or "") or object in ((t.get("evidence") or {}).get("quote") or "")]
    rows = [dict(t) for t in rows]
    tabular.with_sentences(rows, svc.clause_texts)
    if format:
        return _download(rows, tabular.target_columns(_topic_labels(svc)), format, "policykg-targets", "指标 targets")
    return rows


@router.get("/documents", summary="one row per document", response_model=list[schemas.DocumentRow])
def documents(format: str | None = TABLE_FORMAT, svc: Any = Depends(get_service)) -> Any:
    rows = svc.documents()
    if format:
        return _download(rows, tabular.document_columns(), format, "policykg-documents", "文件 documents")
    return rows


@router.get("/documents/{doc_id}", summary="a document's metadata and clause tree",
            response_model=schemas.DocumentDetail)
def document(doc_id: str, svc: Any = Depends(get_service)) -> Any:
    return svc.document(doc_id)


@router.get("/clauses/{clause_id:path}", summary="a clause by IRI or {doc}/{path}", response_model=schemas.ClauseHit)
def clause(clause_id: str, svc: Any = Depends(get_service)) -> Any:
    return svc.clause(clause_id)


@router.get("/regions", summary="regions with document and target counts (and lon/lat)",
            response_model=list[schemas.Region])
def regions(parent: str | None = Query(None, max_length=100), svc: Any = Depends(get_service)) -> Any:
    return svc.regions(parent=parent)


@router.get("/bodies", summary="responsible bodies", response_model=list[schemas.BodyRow])
def bodies(svc: Any = Depends(get_service)) -> Any:
    return svc.bodies()


@router.get("/topics", summary="the topic scheme (zh/en labels) with counts", response_model=list[schemas.Topic])
def topics(svc: Any = Depends(get_service)) -> Any:
    return svc.topics()
