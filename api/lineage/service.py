"""Policy lineage, orchestrated over the service facade (``api.service.PolicyKG``).

For a local document: its citations resolved to documents in the store (api/lineage/
citations.py), its clauses aligned with each source's (embeddings/align.py: clause texts from
the graph, vectors from the index's cache, so nothing already ingested is encoded again), the
adapted pairs' changes (api/lineage/changes.py: character diff, targets compared), and the
result written as the document's lineage graph (kg/lineage.py), replacing the previous one.

For a provision (any clause): the documents that carry it, from the lineage graph (adopted,
adapted, dropped; and the clauses derived from those in turn) and from their peers (the
closest clauses of other documents, by meaning and wording, whether or not they cite the
clause's document), in date order, with the earliest text.

Every function takes the facade first; the HTTP app and the CLI call these.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from api.errors import InvalidParameter, NotFound
from embeddings.align import AlignClause, Alignment, AlignParams, align, label_pairs, score_matrix
from kg.namespaces import doc_id_of

from .changes import (
    change_summary,
    char_diff,
    compare_milestones,
    compare_targets,
    milestones,
    pair_verdict,
)
from .citations import DocumentTable, resolve_all

log = logging.getLogger("policykg")

DEFAULT_PARAMS = AlignParams()
PEER_K = 100  # candidate clauses taken from the index for a provision's peers
PEER_SCORE = 0.55  # the aligner's pair score above which a peer clause carries the provision


@dataclass
class DocClauses:
    doc: dict[str, Any]  # catalog row (id, title, date, doc_number, region …)
    clauses: list[dict[str, Any]]  # clause_id, path, text (document order, non-empty text)
    items: list[AlignClause]


class Loader:
    """Clause texts and vectors of documents, read once per call (a corpus run reuses them)."""

    def __init__(self, kg: Any, vectors: bool = True) -> None:
        self.kg = kg
        self.vectors = vectors
        self._docs: dict[str, DocClauses] = {}
        self._table: DocumentTable | None = None

    def documents(self) -> DocumentTable:
        """The store's documents, prepared for citation resolution (once per loader)."""
        if self._table is None:
            self._table = DocumentTable(list(self.kg.catalog().documents.values()))
        return self._table

    def doc_row(self, doc_id: str) -> dict[str, Any]:
        doc_id = doc_id_of(doc_id) or doc_id
        row = self.kg.catalog().doc_by_id(doc_id)
        if row is None:
            choices = sorted(d["id"] for d in self.kg.catalog().documents.values())
            raise NotFound(f"no document {doc_id!r}", choices=choices[:100])
        return row

    def get(self, doc_id: str) -> DocClauses:
        from kg.read import clause_texts

        row = self.doc_row(doc_id)
        if row["id"] in self._docs:
            return self._docs[row["id"]]
        clauses = [c for c in clause_texts(self.kg.store, row["id"]) if (c.get("text") or "").strip()]
        vectors: Sequence[Any] = [None] * len(clauses)
        if self.vectors and clauses:

            index = self.kg.index
            vectors = index.passage_vectors([c["text"] for c in clauses])
        items = [AlignClause(c["clause_id"], c["text"], v) for c, v in zip(clauses, vectors)]
        out = DocClauses(row, clauses, items)
        self._docs[row["id"]] = out
        return out


# ---------------------------------------------------------------- sources


def resolve_sources(kg: Any, doc_id: str, loader: Loader | None = None) -> list[dict[str, Any]]:
    """The citations of ``doc_id`` resolved to documents in the store: rows with title,
    doc_number, doc (None when not ingested), by (number / title / title~), relation
    (based_on / cites)."""
    from kg.queries import run_named

    loader = loader or Loader(kg, vectors=False)
    row = loader.doc_row(doc_id)
    citations = run_named(kg.store, "citations", doc=row["id"])
    if not citations:
        return []
    text = "\n".join(c["text"] for c in loader.get(row["id"]).clauses)
    return resolve_all(citations, loader.documents(), text, own_id=row["id"])


# ---------------------------------------------------------------- one document


def _targets_by_clause(kg: Any, doc_ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    wanted = set(doc_ids)
    out: dict[str, list[dict[str, Any]]] = {}
    for t in kg.catalog().targets:
        if t["doc"] in wanted and t.get("clause_id"):
            out.setdefault(t["clause_id"], []).append(t)
    return out


def _clause_ref(dc: DocClauses, i: int | None) -> dict[str, Any] | None:
    if i is None:
        return None
    c = dc.clauses[i]
    return {"id": c["clause_id"], "path": c["path"], "text": c["text"]}


def _rows(local: DocClauses, source: DocClauses, alignment: Alignment,
          targets: dict[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    rows = []
    for link in alignment.links:
        lc, sc = _clause_ref(local, link.local), _clause_ref(source, link.source)
        row: dict[str, Any] = {"label": link.label, "score": link.score, "wording": link.char,
                               "meaning": link.dense, "in_order": link.in_order,
                               "local": lc, "source": sc, "change": None, "diff": None,
                               "targets": [], "target_change": None}
        if lc and sc and link.label == "adapted":
            ops = char_diff(sc["text"], lc["text"])
            row["change"] = change_summary(ops) or None
            row["diff"] = [{"op": o.op, "source": o.source, "local": o.local} for o in ops]
        if lc and sc:
            lt, st = targets.get(lc["id"], []), targets.get(sc["id"], [])
            changes = compare_targets(lt, st)
            milestone = compare_milestones(sc["text"], lc["text"])
            row["targets"] = [c.to_dict() for c in changes]
            row["milestone"] = asdict(milestone) if milestone else None
            row["target_change"] = pair_verdict(changes, milestone)
        elif lc and (targets.get(lc["id"]) or milestones(lc["text"])):
            row["target_change"] = "new"
        rows.append(row)
    return rows


def align_documents(kg: Any, local_id: str, source_id: str, params: AlignParams = DEFAULT_PARAMS,
                    loader: Loader | None = None) -> dict[str, Any]:
    """The alignment of two documents (no write): counts and one row per link."""
    loader = loader or Loader(kg)
    local, source = loader.get(local_id), loader.get(source_id)
    if local.doc["id"] == source.doc["id"]:
        raise InvalidParameter("source", f"{source_id!r} is the document itself")
    alignment = align(local.items, source.items, params)
    targets = _targets_by_clause(kg, [local.doc["id"], source.doc["id"]])
    return {"doc": _doc_ref(source.doc), "counts": alignment.counts(),
            "rows": _rows(local, source, alignment, targets)}


def _doc_ref(row: dict[str, Any]) -> dict[str, Any]:
    region = row.get("region") or {}
    return {"id": row["id"], "title": row.get("title"), "doc_number": row.get("doc_number"),
            "date": row.get("date"), "region": region.get("name") if isinstance(region, dict) else region,
            "file": (row.get("source") or {}).get("file")}


def document_lineage(kg: Any, doc_id: str, sources: Sequence[str] | None = None, *, write: bool = True,
                     params: AlignParams = DEFAULT_PARAMS, loader: Loader | None = None) -> dict[str, Any]:
    """What ``doc_id`` took from each document it implements (``sources``, else its citations
    resolved in the store), and what it changed; written as its lineage graph unless
    ``write`` is False. Returns {doc, sources: [{doc, relation, by, counts, rows}], unresolved}."""

    if write:  # refused before any of the work, not after the alignment
        kg.require_writable("write the lineage graph")
    loader = loader or Loader(kg)
    row = loader.doc_row(doc_id)
    unresolved: list[dict[str, Any]] = []
    if sources:
        wanted = [{"doc": loader.doc_row(s)["id"], "relation": "based_on", "by": "given"} for s in sources]
        if any(w["doc"] == row["id"] for w in wanted):
            raise InvalidParameter("source", f"{row['id']!r} is the document itself")
    else:
        resolved = resolve_sources(kg, row["id"], loader)
        wanted = [r for r in resolved if r["doc"]]
        unresolved = [r for r in resolved if not r["doc"]]
    result = _lineage_with(kg, row, wanted, write=write, params=params, loader=loader)
    result["unresolved"] = unresolved
    return result


def _lineage_with(kg: Any, row: dict[str, Any], wanted: list[dict[str, Any]], *, write: bool,
                  params: AlignParams, loader: Loader) -> dict[str, Any]:
    """Align ``row``'s document with each of ``wanted`` ({doc, relation, by}) and write."""
    from kg.lineage import ClauseLink, DocumentLineage, SourceLineage, lineage_graph, write_lineage

    out_sources = []
    lineage = DocumentLineage(row["id"])
    for src in wanted:
        if src["doc"] == row["id"]:
            continue
        result = align_documents(kg, row["id"], src["doc"], params, loader)
        result.update({"relation": src["relation"], "by": src.get("by")})
        out_sources.append(result)
        lineage.sources.append(SourceLineage(src["doc"], src["relation"], [
            ClauseLink(label=r["label"], local_clause=(r["local"] or {}).get("id"),
                       source_clause=(r["source"] or {}).get("id"), score=r["score"],
                       wording=r["wording"] if r["local"] and r["source"] else None,
                       meaning=r["meaning"] if r["local"] and r["source"] else None,
                       change=r["change"], target_change=r["target_change"])
            for r in result["rows"]]))
    if write:
        kg.require_writable("write the lineage graph")
        write_lineage(kg.store, row["id"], lineage_graph(lineage))
    return {"doc": _doc_ref(row), "sources": out_sources, "unresolved": [], "written": write}


def refresh_lineage(kg: Any, gone: Sequence[str], replaced_by: str | None = None) -> dict[str, list[str]]:
    """Keep the lineage graphs true after documents ``gone`` left the store (removed, or
    replaced by the document ``replaced_by``): their own lineage graphs are dropped; every
    lineage aligned with one of them is rebuilt with the same sources, ``replaced_by`` standing
    in for a replaced one (dropped when no source is left or the rebuild fails); and
    ``replaced_by`` gets a lineage when a document it replaced had one. Called by the facade
    after the store, index and catalog are updated. Returns {dropped, rebuilt}."""
    from kg.lineage import lineage_documents, lineages_citing, remove_lineage

    store = kg.store
    gone = [g for g in gone if g != replaced_by]
    had = set(lineage_documents(store))
    stale = lineages_citing(store, gone)
    previous = {d: recorded_sources(store, d) for d in stale}
    dropped = [g for g in gone if g in had and remove_lineage(store, g)]
    rebuilt: list[str] = []
    todo: dict[str, list[dict[str, Any]] | None] = {}
    for d in stale:
        if d in gone or d == replaced_by:
            continue
        srcs = []
        for s in previous[d]:
            sid = s["doc"]
            if sid in gone:
                if replaced_by is None:
                    continue
                sid = replaced_by
            if sid != d and sid not in {x["doc"] for x in srcs}:
                srcs.append({"doc": sid, "relation": s["relation"], "by": "kept"})
        todo[d] = srcs
    if replaced_by is not None and had.intersection(gone):
        todo[replaced_by] = None  # from its own citations
    loader = Loader(kg)
    for d, srcs in todo.items():
        try:
            if srcs is None:
                document_lineage(kg, d, loader=loader)
            elif srcs:
                _lineage_with(kg, loader.doc_row(d), srcs, write=True, params=DEFAULT_PARAMS, loader=loader)
            else:
                remove_lineage(store, d)
                dropped.append(d)
                continue
            rebuilt.append(d)
        except Exception:  # never fail the ingest or removal that triggered it
            log.exception("lineage of %s could not be rebuilt; dropped", d)
            remove_lineage(store, d)
            dropped.append(d)
    return {"dropped": sorted(dropped), "rebuilt": sorted(rebuilt)}


def recorded_sources(store: Any, doc_id: str) -> list[dict[str, Any]]:
    """The source documents recorded in ``doc_id``'s lineage graph: [{doc, relation}]."""
    from kg.lineage import lineage_graph_iri
    from kg.namespaces import doc_iri

    rows = store.select(
        f"""SELECT ?src (MAX(?b) AS ?based) WHERE {{ GRAPH <{lineage_graph_iri(doc_id)}> {{
              <{doc_iri(doc_id)}> eli:cites ?src
              BIND(EXISTS {{ <{doc_iri(doc_id)}> eli:based_on ?src }} AS ?b) }} }} GROUP BY ?src ORDER BY ?src""")
    return [{"doc": doc_id_of(str(r["src"])), "relation": "based_on" if r["based"] else "cites"} for r in rows]


def corpus_lineage(kg: Any, *, write: bool = True, params: AlignParams = DEFAULT_PARAMS) -> dict[str, Any]:
    """``document_lineage`` for every document whose citations resolve to documents in the
    store; returns per-document counts and the seconds spent reading, aligning and writing."""
    loader = Loader(kg)
    started = time.perf_counter()
    done = []
    for row in sorted(kg.catalog().documents.values(), key=lambda d: d["id"]):
        result = document_lineage(kg, row["id"], write=write, params=params, loader=loader)
        if result["sources"]:
            done.append({"doc": result["doc"], "sources": [
                {"doc": s["doc"]["id"], "relation": s["relation"], "counts": s["counts"]} for s in result["sources"]]})
    return {"documents": done, "seconds": round(time.perf_counter() - started, 3)}


# ---------------------------------------------------------------- a provision across regions


def provision_lineage(kg: Any, clause_id: str, params: AlignParams = DEFAULT_PARAMS,
                      peers: bool = True) -> dict[str, Any]:
    """Who carries the provision ``clause_id``: the lineage graph's alignments to it (adopted,
    adapted, dropped, and the clauses derived from those), and, with ``peers``, the clauses of
    other documents close to it in meaning and wording whether they cite it or not; in the
    documents' date order, with the earliest text."""
    from api.readmodel import resolve_clause_id
    from kg.read import clause_metadata, lineage_provision

    try:
        iri = resolve_clause_id(clause_id)
    except ValueError:
        raise InvalidParameter("clause", f"{clause_id!r}: expected a clause IRI or {{doc}}/{{path}}") from None
    meta = clause_metadata(kg.store, [iri]).get(iri)
    if meta is None:
        raise NotFound(f"no clause {clause_id!r}")
    own_doc = meta["id"]
    cat = kg.catalog()
    carriers: dict[str, dict[str, Any]] = {}
    dropped: list[dict[str, Any]] = []
    for r in lineage_provision(kg.store, iri):
        doc = cat.doc_by_id(r["local_id"]) or {"id": r["local_id"], "title": r.get("title")}
        if r["label"] == "dropped":
            dropped.append({"doc": _doc_ref(doc)})
            continue
        key = r.get("local_clause")
        if not key or key in carriers:
            continue
        carriers[key] = {"doc": _doc_ref(doc), "clause": {"id": key, "path": r.get("local_path"),
                                                          "text": r.get("local_text")},
                         "label": r["label"], "score": r.get("score"), "change": r.get("change"),
                         "target_change": r.get("target_change"),
                         "via": "lineage" if r["hops"] == 1 else "lineage (through " + str(doc_id_of(r.get("via") or "")) + ")"}
    if peers:
        for c in _peers(kg, iri, meta, params):
            if c["clause"]["id"] not in carriers and c["doc"]["id"] != own_doc:
                carriers[c["clause"]["id"]] = c
    origin = {"doc": _doc_ref(cat.doc_by_id(own_doc) or {"id": own_doc}),
              "clause": {"id": iri, "path": meta.get("path"), "text": meta.get("text")}, "label": "origin"}
    everyone = [origin, *carriers.values()]
    dated = sorted(everyone, key=lambda c: (c["doc"].get("date") or "9999", c["doc"]["id"]))
    earliest = dated[0] if dated else None
    return {"clause": origin["clause"], "doc": origin["doc"], "carriers": dated,
            "earliest": earliest, "dropped_by": dropped,
            "regions": [c["doc"].get("region") for c in dated if c["doc"].get("region")]}


def _peers(kg: Any, iri: str, meta: dict[str, Any], params: AlignParams) -> list[dict[str, Any]]:
    """Clauses of other documents that carry the provision: the index's closest clauses by
    meaning, kept when the aligner's pair score reaches PEER_SCORE."""

    text = meta.get("text") or ""
    if not text.strip():
        return []
    index = kg.index
    hits = index.search(text, k=PEER_K, mode="dense")
    hits = [h for h in hits if h.id != iri]
    if not hits:
        return []
    vectors = index.passage_vectors([text] + [h.text for h in hits])
    score, _char, _dense = score_matrix([AlignClause(iri, text, vectors[0])],
                                        [AlignClause(h.id, h.text, v) for h, v in zip(hits, vectors[1:])], params)
    cat = kg.catalog()
    out = []
    for h, s in zip(hits, score[0]):
        if s < PEER_SCORE:
            continue
        doc = cat.doc_by_id(h.doc_id) or {"id": h.doc_id}
        # adopted or adapted, read as if the peer implemented the provision's document
        label = label_pairs([h.text], [text], [(0, 0)], params)[(0, 0)]
        out.append({"doc": _doc_ref(doc), "clause": {"id": h.id, "path": None, "text": h.text},
                    "label": label, "score": round(float(s), 4), "change": None,
                    "target_change": None, "via": "peer"})
    best: dict[str, dict[str, Any]] = {}
    for c in out:  # one clause per document: its best
        d = c["doc"]["id"]
        if d not in best or c["score"] > best[d]["score"]:
            best[d] = c
    return list(best.values())
