"""Paged evidence: every region of an answer, at most ``per_region`` documents of each.

At 100 copies of the corpus one answer quotes thousands of documents, and building,
validating and serialising their evidence is most of a request's work. An analyst needs the
complete list of regions with their counts, and a few documents of each with their evidence;
the rest on request (``per_region`` 0 or None: everything).

``listed(keys, cap)`` is the rule: the first ``cap`` items of each region, in the order given,
and every region's count. The verified path (``answer.verified_answer``) applies it to its best
documents before it builds any evidence. ``page(result, per_region)`` applies it to an answer
already built (the graph's structured answers), its groups in their final order; the shape of
``answer`` says what is paged:

- regions (groups with ``region``, ``documents``, ``evidence``): each group keeps its first
  ``per_region`` documents and only their evidence, and gains ``documents_total``;
- documents (groups with ``id``, ``region``, ``evidence``): at most ``per_region`` documents
  of each region, in the order given;
- bodies (groups with ``level``; also ``document_level_bodies``): each body's first
  ``per_region`` pieces of evidence, with ``evidence_total``.

The answer gains ``documents_total`` (the documents in the complete answer) and
``per_region`` (the cap applied, None when none). Paging only leaves out, never reorders:
groups were ordered by their complete size before, so a paged answer lists the same regions
in the same order as the complete one, and its ``summary`` (written before) keeps the complete
counts. Pure: the result and its groups are copied, never changed in place.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

from .structured import _region_key


def cap_of(per_region: int | None) -> int | None:
    """The cap a ``per_region`` asks for: None for None or 0 (everything)."""
    if per_region is not None and per_region < 0:
        raise ValueError(f"per_region must be 0 (everything) or more, not {per_region}")
    return per_region or None


def listed(keys: Iterable[Hashable], cap: int | None) -> tuple[list[int], dict[Hashable, int]]:
    """The rule of paging, for items in their answer's order, each with its region's key: the
    indexes of those listed (the first ``cap`` of each region; every one when ``cap`` is None)
    and every region's number of items. The verified path pages with it before building any
    evidence; ``page`` with it once an answer is built."""
    counts: dict[Hashable, int] = {}
    shown = []
    for i, key in enumerate(keys):
        n = counts.get(key, 0)
        counts[key] = n + 1
        if cap is None or n < cap:
            shown.append(i)
    return shown, counts


def _doc_ids(groups: list[dict[str, Any]], kind: str) -> set[Any]:
    """The distinct documents of the groups (a document is counted once however often it is quoted)."""
    if kind == "regions":
        return {d.get("id") for g in groups for d in g.get("documents") or [] if d.get("id")}
    if kind == "documents":
        return {g.get("id") for g in groups if g.get("id")}
    return {ev.get("doc") for g in groups for ev in g.get("evidence") or [] if ev.get("doc")}


def _kind(groups: list[dict[str, Any]]) -> str:
    first = groups[0] if groups else {}
    if "documents" in first:
        return "regions"
    if "level" in first:
        return "bodies"
    return "documents"


def page_regions(groups: list[dict[str, Any]], cap: int | None) -> list[dict[str, Any]]:
    """Each region group with its first ``cap`` documents and their evidence (evidence tied to
    no document cannot be paged by document and is kept), and ``documents_total``."""
    out = []
    for g in groups:
        docs = list(g.get("documents") or [])
        shown = docs if cap is None else docs[:cap]  # ``listed`` for the one region of the group
        ids = {d.get("id") for d in shown}
        evidence = list(g.get("evidence") or [])
        if cap is not None and len(shown) < len(docs):
            evidence = [ev for ev in evidence if not ev.get("doc") or ev.get("doc") in ids]
        out.append({**g, "documents": shown, "evidence": evidence, "documents_total": len(docs)})
    return out


def page_documents(groups: list[dict[str, Any]], cap: int | None) -> list[dict[str, Any]]:
    """The first ``cap`` document groups of each region, in the order given."""
    shown, _ = listed((_region_key(g.get("region")) for g in groups), cap)
    return [groups[i] for i in shown]


def page_bodies(groups: list[dict[str, Any]], cap: int | None) -> list[dict[str, Any]]:
    """Each body with its first ``cap`` pieces of evidence, and ``evidence_total``."""
    out = []
    for g in groups:
        evidence = list(g.get("evidence") or [])
        out.append({**g, "evidence": evidence if cap is None else evidence[:cap], "evidence_total": len(evidence)})
    return out


PAGERS = {"regions": page_regions, "documents": page_documents, "bodies": page_bodies}


def page(result: dict[str, Any], per_region: int | None) -> dict[str, Any]:
    """``result`` with at most ``per_region`` documents per region (see the module docstring);
    a fallback's search results are not an answer and are left as they are."""
    cap = cap_of(per_region)
    out = dict(result, per_region=cap)
    groups = list(result.get("answer") or [])
    kind = _kind(groups)
    out["documents_total"] = len(_doc_ids(groups, kind))
    if groups:
        out["answer"] = PAGERS[kind](groups, cap)
    if result.get("document_level_bodies"):
        out["document_level_bodies"] = page_bodies(list(result["document_level_bodies"]), cap)
    return out


def not_listed(result: dict[str, Any]) -> tuple[int, str]:
    """How many documents (bodies: pieces of evidence) of the complete answer a paged ``result``
    leaves out, and what they are ("documents" or "pieces of evidence")."""
    groups = list(result.get("answer") or [])
    kind = _kind(groups)
    if kind == "regions":
        return sum(g.get("documents_total", len(g["documents"])) - len(g["documents"]) for g in groups), "documents"
    if kind == "bodies":
        return sum(g.get("evidence_total", len(g["evidence"])) - len(g["evidence"]) for g in groups), "pieces of evidence"
    return max(0, (result.get("documents_total") or 0) - len(groups)), "documents"
