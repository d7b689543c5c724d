"""Read models for the API: plain dicts and lists built from the named queries.

Every function takes a KGStore first. Identifiers accepted: document ids or IRIs, clause IRIs,
topic ids or IRIs, region adcodes, names (山东省, 枣庄市) or IRIs. Values are plain Python
(str, int, float, bool, None), ready for JSON.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kg.namespaces import BASE, doc_id_of, local_id
from kg.queries import run_named


def _topic_ids(text: str | None) -> list[str]:
    if not text:
        return []
    return sorted({local_id(t, "topic/") or t for t in str(text).split()})


def _region_arg(store: Any, region: str | None) -> str | list[str] | None:
    """An adcode/IRI as is; a name (山东省, 福建省厦门市翔安区) resolved through the graph."""
    if region is None or str(region).strip() == "":
        return None
    text = str(region).strip()
    if text.isdigit() or text.startswith(("http://", "https://", "anon-")):
        return text
    codes = [r["code"] for r in run_named(store, "read_resolve_region", text=text)]
    if not codes:
        return text  # a region the graph does not know: its IRI matches nothing → no rows
    return codes if len(codes) > 1 else codes[0]


def resolve_region(store: Any, text: str) -> list[dict[str, Any]]:
    """Regions whose adcode, name or full name equals ``text``."""
    return run_named(store, "read_resolve_region", text=text)


# ---------------------------------------------------------------- documents


def documents(store: Any) -> list[dict[str, Any]]:
    """Every document: id, title, date, doc_number, issuer_name, forwarder_name, period, kind,
    public, source (file name), sha256, region code/name/province/anonymised, clause and
    target counts."""
    rows = run_named(store, "read_documents")
    for row in rows:
        row["clauses"] = row.get("clauses") or 0
        row["targets"] = row.get("targets") or 0
    return rows


def _tree(rows: list[dict[str, Any]], doc_iri: str) -> list[dict[str, Any]]:
    nodes: dict[str, dict[str, Any]] = {}
    roots: list[dict[str, Any]] = []
    for row in rows:  # document order: parents come before their children
        node = {
            "id": row["clause"],
            "path": row["path"],
            "label": row.get("label"),
            "heading": row.get("heading"),
            "text": row.get("text"),
            "start": row.get("start"),
            "end": row.get("end"),
            "kind": row.get("clause_kind"),
            "children": [],
        }
        nodes[row["clause"]] = node
    for row in rows:
        parent = nodes.get(row.get("parent") or "")
        (parent["children"] if parent is not None else roots).append(nodes[row["clause"]])
    return roots


def document(store: Any, doc: str) -> dict[str, Any] | None:
    """One document: its metadata, clause tree (nested ``children``), targets, measures with
    bodies, citations and the bodies linked to it; None if unknown."""
    doc_id = doc_id_of(doc) or doc
    meta = run_named(store, "read_documents", doc=doc_id)
    if not meta:
        return None
    out = dict(meta[0])
    tree_rows = run_named(store, "read_document_tree", doc=doc_id)
    out["clauses"] = _tree(tree_rows, out["doc"])
    out["clause_count"] = len(tree_rows)
    out["targets"] = targets(store, doc=doc_id)
    out["measures"] = _measures(run_named(store, "read_measures", doc=doc_id))
    out["citations"] = run_named(store, "citations", doc=doc_id)
    out["bodies"] = run_named(store, "read_document_bodies", doc=doc_id)
    return out


def _measures(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    measures: dict[str, dict[str, Any]] = {}
    for row in rows:
        m = measures.setdefault(
            row["measure"],
            {
                "id": row["measure"],
                "clause": row["clause"],
                "path": row["path"],
                "heading": row.get("heading"),
                "topics": _topic_ids(row.get("topics")),
                "bodies": [],
            },
        )
        if row.get("body"):
            m["bodies"].append(
                {"id": row["body"], "name": row.get("body_name"), "kind": row.get("kind"), "role": row.get("role")}
            )
    return list(measures.values())


def clause(store: Any, clause_iri: str) -> dict[str, Any] | None:
    """One clause by IRI: text, path, offsets, document, region, topics, its measure(s) with
    responsible bodies and roles, and the targets derived from it; None if unknown."""
    if not str(clause_iri).startswith(BASE):
        raise ValueError(f"not a policykg clause IRI: {clause_iri!r}")
    rows = run_named(store, "read_clause", clause=clause_iri)
    if not rows:
        return None
    out = dict(rows[0])
    out["topics"] = _topic_ids(out.get("topics"))
    out["measures"] = _measures(run_named(store, "read_measures", clause=clause_iri))
    out["targets"] = targets(store, clause=clause_iri)
    return out


# ---------------------------------------------------------------- targets, regions, bodies, topics


def targets(
    store: Any,
    topic: str | None = None,
    region: str | None = None,
    year: int | None = None,
    doc: str | None = None,
    clause: str | None = None,
) -> list[dict[str, Any]]:
    """Targets, optionally filtered: topic (incl. narrower), region (adcode, name or IRI;
    incl. sub-regions), deadline year, document, clause. Each row: target IRI, n, document
    id/title, region code/name/province/anonymised, value, value_max, placeholder, unit, object,
    comparator, deadline, frequency, period, topics (ids), clause IRI, path, quote, start, end."""
    rows = run_named(
        store,
        "read_targets",
        topic=topic,
        region=_region_arg(store, region),
        year=year,
        doc=(doc_id_of(doc) or doc) if doc else None,
        clause=clause,
    )
    for row in rows:
        row["topics"] = _topic_ids(row.get("topics"))
    return rows


def regions(store: Any) -> list[dict[str, Any]]:
    """Every region: code, name, level, province, full name, anonymised, parent (IRI and
    code), lat/lon, documents (applying directly), documents_incl_sub, targets."""
    return run_named(store, "read_regions")


def bodies(store: Any) -> list[dict[str, Any]]:
    """Every body: IRI, slug, name, kind, jurisdiction, counts of measures, lead measures,
    issued and forwarded documents, documents it is responsible in."""
    rows = run_named(store, "read_bodies")
    for row in rows:
        row["slug"] = local_id(row["body"], "body/")
    return rows


def topics(store: Any) -> list[dict[str, Any]]:
    """Every topic of the scheme: id, IRI, zh/en labels, broader, counts of clauses, measures
    and targets tagged with it."""
    rows = run_named(store, "read_topics")
    for row in rows:
        row["id"] = local_id(row["topic"], "topic/")
    return rows


# ---------------------------------------------------------------- search support


def clause_metadata(store: Any, clause_iris: Iterable[str], batch: int = 200) -> dict[str, dict[str, Any]]:
    """For search hits: clause IRI → doc id, title, source file, region code/name/province,
    anonymised, path, label, heading, text, start, end. Unknown IRIs are absent."""
    iris = list(dict.fromkeys(str(i) for i in clause_iris))
    out: dict[str, dict[str, Any]] = {}
    for i in range(0, len(iris), batch):
        for row in run_named(store, "read_clause_metadata", clause=iris[i : i + batch]):
            out[row["clause"]] = row
    return out


def clause_texts(store: Any, doc: str) -> list[dict[str, Any]]:
    """The clauses of one document in order, for index rebuilds: clause_id (IRI), path, text."""
    doc_id = doc_id_of(doc) or doc
    return [
        {"clause_id": r["clause"], "doc_id": doc_id, "path": r["path"], "text": r.get("text") or ""}
        for r in run_named(store, "read_clause_texts", doc=doc_id)
    ]


def allowed_clauses(
    store: Any,
    region: str | None = None,
    province: str | None = None,
    topic: str | None = None,
    year: int | None = None,
    doc: str | None = None,
    has_target: bool | None = None,
    deadline: int | None = None,
) -> set[str] | None:
    """Clause IRIs allowed by search filters, or None when no filter is given (everything is
    allowed). region: adcode/name/IRI incl. sub-regions; province: its name (山东省) — a code
    or IRI is treated as a region; topic incl. narrower, on the clause, its measure or its
    targets; year: the document's issue year or a year within its plan period; deadline: a
    target of the clause is due that year; has_target: only clauses with a target."""
    if all(v is None for v in (region, province, topic, year, doc, has_target, deadline)):
        return None
    province_name = None
    if province is not None:
        text = str(province).strip()
        if text.isdigit() or text.startswith(("http://", "https://")):
            region = region or text
        else:
            province_name = text
    rows = run_named(
        store,
        "read_allowed_clauses",
        region=_region_arg(store, region),
        province=province_name,
        topic=topic,
        year=year,
        deadline=deadline,
        doc=(doc_id_of(doc) or doc) if doc else None,
        has_target=has_target,
    )
    return {r["clause"] for r in rows}


# ---------------------------------------------------------------- more reads for the API


def document_tree(store: Any, doc: str) -> list[dict[str, Any]]:
    """The clause tree of one document (nested ``children``, document order), as in
    ``document(...)["clauses"]``."""
    doc_id = doc_id_of(doc) or doc
    return _tree(run_named(store, "read_document_tree", doc=doc_id), str(doc))


def clause_topics(store: Any, clause_iris: Iterable[str], batch: int = 200) -> dict[str, list[str]]:
    """Clause IRI → the topic ids tagged on it (directly); clauses without topics are absent."""
    iris = list(dict.fromkeys(str(i) for i in clause_iris))
    out: dict[str, list[str]] = {}
    for i in range(0, len(iris), batch):
        for row in run_named(store, "read_clause_topics", clause=iris[i : i + batch]):
            out.setdefault(row["clause"], []).append(local_id(row["topic"], "topic/") or row["topic"])
    return {k: sorted(set(v)) for k, v in out.items()}


def clauses_containing(store: Any, phrase: str) -> list[dict[str, Any]]:
    """Clauses whose text contains ``phrase`` (at most 200): clause IRI, doc IRI, path, text."""
    return run_named(store, "read_clauses_containing", phrase=phrase)


def measure_bodies_on_topic(store: Any, topic: str) -> list[dict[str, Any]]:
    """One row per (body, measure) for measures on ``topic`` (incl. narrower): body IRI, name,
    kind, jurisdiction, role (lead/participant/responsible), measure, clause, path, heading,
    text, doc IRI and id."""
    return run_named(store, "measure_bodies_on_topic", topic=topic)


def document_bodies_on_topic(store: Any, topic: str) -> list[dict[str, Any]]:
    """Bodies tied at document level (issuer, forwarder, addressee) to the documents with
    clauses on ``topic`` (incl. narrower): one row per (body, document, role) with the count
    of on-topic clauses and an example clause. Not measure-level responsibility."""
    return run_named(store, "document_bodies_on_topic", topic=topic)


def node_links(store: Any, nodes: Iterable[str]) -> list[dict[str, Any]]:
    """IRI-valued links (not rdf:type) of the given nodes: s (the given node), p, o, out."""
    return run_named(store, "node_links", node=list(nodes))


def node_labels(store: Any, nodes: Iterable[str]) -> list[dict[str, Any]]:
    """Type, prefLabel, title, heading and path of the given nodes (rows per combination)."""
    return run_named(store, "node_labels", node=list(nodes))


def node_exists(store: Any, node: str) -> bool:
    return bool(run_named(store, "node_exists", node=node))


def iri_links(store: Any) -> list[dict[str, Any]]:
    """Every IRI-valued link of the graph except rdf:type: s, p, o."""
    return run_named(store, "iri_links")


# ---------------------------------------------------------------- lineage (kg/lineage.py)


def lineage_alignments(store: Any, doc: str, source: str | None = None) -> list[dict[str, Any]]:
    """The clause alignment of a local document with its sources, in order: alignment IRI, n,
    label, score, wording, meaning, change, target_change, source (IRI, id, title), local and
    source clause (IRI, path, text) where present."""
    return run_named(store, "lineage_alignments", doc=doc_id_of(doc) or doc,
                     source=(doc_id_of(source) or source) if source else None)


def lineage_provision(store: Any, clause_iri: str) -> list[dict[str, Any]]:
    """Every alignment carrying (or dropping) the clause ``clause_iri``, and those carrying
    the local clauses derived from it (hops = 2), in the local documents' date order."""
    return run_named(store, "lineage_provision", clause=clause_iri)


def lineage_sources(store: Any, doc: str | None = None) -> list[dict[str, Any]]:
    """The documents each document's lineage links it to: local id, source IRI/id/title,
    based_on (it says it implements them) or only cites."""
    return run_named(store, "lineage_sources", doc=(doc_id_of(doc) or doc) if doc else None)
