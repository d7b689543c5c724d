"""Lineage triples: what a local document took from the documents it implements.

Input is plain data (``DocumentLineage``: the resolved source documents and the clause
alignment with each, computed in api/lineage from clause texts and vectors); output is an
rdflib graph in the named graph ``graph/lineage/{local doc id}`` of its own, so that
recomputing a document's lineage replaces it (``write_lineage``) and never touches the
document's own graph. Terms: kg/ontology.ttl, section "lineage".

- ``<local doc> eli:cites <source doc>``; ``eli:based_on`` too when the local document says it
  implements the source (为贯彻落实…, 根据…精神).
- every aligned pair: ``<local clause> prov:wasDerivedFrom <source clause>`` (and
  ``pkg:adapts`` when adapted), qualified by ``prov:qualifiedDerivation`` → a
  ``pkg:ClauseAlignment`` node ``doc/{local}/lineage/{n}`` with ``prov:entity`` (the source
  clause), ``pkg:alignmentLabel``, ``pkg:alignmentScore``, ``pkg:wordingSimilarity``,
  ``pkg:meaningSimilarity``, ``pkg:changeSummary``, ``pkg:targetChange``;
- an added local clause or a dropped source clause gets a ``pkg:ClauseAlignment`` node with
  only its own side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD

from kg.namespaces import BASE, ELI, PKG, doc_iri, segment

LINEAGE_GRAPH_PREFIX = BASE + "graph/lineage/"
LABELS = ("adopted", "adapted", "added", "dropped")
RELATIONS = ("cites", "based_on")


@dataclass
class ClauseLink:
    """One alignment row: clause IRIs (None on the missing side), label and scores."""

    label: str
    local_clause: str | None = None
    source_clause: str | None = None
    score: float | None = None
    wording: float | None = None
    meaning: float | None = None
    change: str | None = None  # change summary of an adapted pair
    target_change: str | None = None  # stronger, weaker, same, new, dropped, mixed


@dataclass
class SourceLineage:
    source_doc: str  # document id
    relation: str = "cites"  # cites or based_on
    links: list[ClauseLink] = field(default_factory=list)


@dataclass
class DocumentLineage:
    local_doc: str  # document id
    sources: list[SourceLineage] = field(default_factory=list)


def lineage_graph_iri(doc_id: str) -> URIRef:
    return URIRef(LINEAGE_GRAPH_PREFIX + segment(doc_id))


def alignment_iri(doc_id: str, n: int) -> URIRef:
    return URIRef(f"{doc_iri(doc_id)}/lineage/{int(n)}")


def _decimal(value: float) -> Literal:
    return Literal(Decimal(str(round(min(1.0, max(0.0, float(value))), 4))), datatype=XSD.decimal)


def lineage_graph(lineage: DocumentLineage) -> Graph:
    """The triples of one local document's lineage (see the module docstring)."""
    g = Graph()
    local = doc_iri(lineage.local_doc)
    n = 0
    for src in lineage.sources:
        if src.relation not in RELATIONS:
            raise ValueError(f"lineage of {lineage.local_doc}: relation {src.relation!r} is not one of {RELATIONS}")
        source = doc_iri(src.source_doc)
        g.add((local, ELI.cites, source))
        if src.relation == "based_on":
            g.add((local, ELI.based_on, source))
        for link in src.links:
            if link.label not in LABELS:
                raise ValueError(f"lineage of {lineage.local_doc}: label {link.label!r} is not one of {LABELS}")
            if link.local_clause is None and link.source_clause is None:
                raise ValueError(f"lineage of {lineage.local_doc}: a link with neither clause")
            n += 1
            node = alignment_iri(lineage.local_doc, n)
            g.add((node, RDF.type, PKG.ClauseAlignment))
            g.add((node, PKG.alignmentLabel, Literal(link.label)))
            g.add((node, PKG.localDocument, local))
            g.add((node, PKG.sourceDocument, source))
            g.add((node, PKG.order, Literal(n)))
            if link.score is not None:
                g.add((node, PKG.alignmentScore, _decimal(link.score)))
            if link.wording is not None:
                g.add((node, PKG.wordingSimilarity, _decimal(link.wording)))
            if link.meaning is not None:
                g.add((node, PKG.meaningSimilarity, _decimal(link.meaning)))
            if link.change:
                g.add((node, PKG.changeSummary, Literal(link.change)))
            if link.target_change:
                g.add((node, PKG.targetChange, Literal(link.target_change)))
            lc = URIRef(link.local_clause) if link.local_clause else None
            sc = URIRef(link.source_clause) if link.source_clause else None
            if lc is not None:
                g.add((node, PKG.localClause, lc))
            if sc is not None:
                g.add((node, PKG.sourceClause, sc))
                g.add((node, PROV.entity, sc))
            if lc is not None and sc is not None:
                g.add((lc, PROV.wasDerivedFrom, sc))
                g.add((lc, PROV.qualifiedDerivation, node))
                if link.label == "adapted":
                    g.add((lc, PKG.adapts, sc))
    return g


def validate_lineage(graph: Graph) -> list[str]:
    """SHACL violations of a lineage graph (kg/shapes.ttl), empty when it conforms."""
    from kg.validate import validate

    return validate(graph, None)


def write_lineage(store, doc_id: str, graph: Graph) -> int:
    """Replace the lineage graph of ``doc_id`` in one update (the old one is dropped);
    returns the number of triples written."""
    return store.replace_graph(lineage_graph_iri(doc_id), graph)


def remove_lineage(store, doc_id: str) -> bool:
    """Drop the lineage graph of ``doc_id``; True if it had one."""
    return store.drop_graph(lineage_graph_iri(doc_id))


def lineage_documents(store) -> list[str]:
    """Ids of the documents that have a lineage graph."""
    import urllib.parse

    return sorted(urllib.parse.unquote(name[len(LINEAGE_GRAPH_PREFIX):])
                  for name in store.graph_names(LINEAGE_GRAPH_PREFIX))


def lineages_citing(store, doc_ids: Sequence[str]) -> list[str]:
    """Ids of the documents whose lineage graph aligns them with one of ``doc_ids`` (as a
    source): their lineage goes stale when one of those is removed or replaced."""
    if not doc_ids:
        return []
    values = " ".join(f"<{doc_iri(d)}>" for d in doc_ids)
    rows = store.select(
        f"""SELECT DISTINCT ?g WHERE {{ VALUES ?src {{ {values} }}
              GRAPH ?g {{ ?node pkg:sourceDocument ?src }}
              FILTER(STRSTARTS(STR(?g), "{LINEAGE_GRAPH_PREFIX}")) }}""")
    import urllib.parse

    return sorted({urllib.parse.unquote(str(r["g"])[len(LINEAGE_GRAPH_PREFIX):]) for r in rows} - set(doc_ids))


def sources_of(lineages: Sequence[DocumentLineage]) -> dict[str, list[str]]:
    """Local doc id → its source doc ids (for summaries)."""
    return {x.local_doc: [s.source_doc for s in x.sources] for x in lineages}
