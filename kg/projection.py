"""A networkx projection of the graph for exploration: neighbourhoods, paths, centrality.

Built from the store each time (never kept beside it as a second truth). Nodes are the IRIs
of documents, clauses, attachments, citations, measures, targets, regions, bodies and topics,
with ``label`` and ``kind`` attributes; literals become node attributes (short predicate
names, several values joined with "; "; a non-Chinese language tag adds a suffix:
``prefLabel_en``); a body's kind is the attribute ``body_kind``. A target's auxiliary nodes (value, deadline,
evidence and its selector) are folded into the target's attributes (``value``, ``unit``,
``deadline``, ``quote``, ``start``, ``end``) so that the exploration graph shows facts, not
modelling scaffolding. Edges carry ``predicate`` (short name) and ``iri``; ``rdf:type`` is
the ``kind``/``types`` attributes, not an edge, and ``eli:has_part`` is left out as the
inverse of ``eli:is_part_of``. The ontology graph is left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import networkx as nx
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import ORG, RDF, SKOS

from kg.namespaces import BASE, ELI, ONTOLOGY_GRAPH, PKG, PREFIXES, TOPIC

_KINDS: list[tuple[URIRef, str]] = [
    (PKG.Attachment, "attachment"),
    (ELI.LegalResource, "document"),
    (ELI.LegalResourceSubdivision, "clause"),
    (PKG.Measure, "measure"),
    (PKG.Target, "target"),
    (PKG.Region, "region"),
    (ORG.Organization, "body"),
    (PKG.Citation, "citation"),
    (PKG.Table, "table"),
    (SKOS.ConceptScheme, "scheme"),
    (SKOS.Concept, "topic"),
]
_AUX = re.compile(r"^(?P<owner>.+/target/\d+)/(value|deadline|evidence(/selector)?)$")
# Attribute names for literals of folded auxiliary nodes.
_AUX_NAMES = {
    "schema:value": "value",
    "schema:unitText": "unit",
    "schema:minValue": "value_min",
    "schema:maxValue": "value_max",
    "time:inXSDgYear": "deadline",
    "oa:exact": "quote",
    "oa:start": "start",
    "oa:end": "end",
}
_BODY_KIND = BASE + "body-kind/"
_LABEL_ORDER = ["skos:prefLabel", "eli:title", "pkg:heading", "pkg:countedObject", "pkg:citedTitle"]


def short(iri: str) -> str:
    text = str(iri)
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns) and prefix != "topic":
            return f"{prefix}:{text[len(ns):]}"
    return text


def _plain(value: Literal) -> Any:
    py = value.toPython()
    if isinstance(py, bool):
        return py
    if isinstance(py, Decimal):
        return int(py) if py == py.to_integral_value() else float(py)
    if isinstance(py, (int, float)):
        return py
    return str(value)


def _add_attr(attrs: dict[str, Any], name: str, value: Any) -> None:
    if name in attrs and attrs[name] != value:
        old = attrs[name]
        values = old.split("; ") if isinstance(old, str) else [str(old)]
        if str(value) not in values:
            attrs[name] = "; ".join(values + [str(value)])
    else:
        attrs[name] = value


def _kind(types: set[str]) -> str:
    for cls, kind in _KINDS:
        if str(cls) in types:
            return kind
    return "other"


def _label(iri: str, attrs: dict[str, Any]) -> str:
    for key in _LABEL_ORDER:
        name = key.split(":", 1)[1]
        if attrs.get(name):
            return str(attrs[name]).split("; ")[0]
    if attrs.get("path"):
        return f"{attrs['path']} {str(attrs.get('text', ''))[:24]}".strip()
    if attrs.get("kind") == "target" and attrs.get("quote"):
        return str(attrs["quote"])[:30]
    return iri.rstrip("/").rsplit("/", 1)[-1]


def from_rdf(graph: Graph | Iterable[tuple[Any, Any, Any]]) -> nx.MultiDiGraph:
    """Project RDF triples onto a MultiDiGraph (see the module docstring)."""
    G = nx.MultiDiGraph()
    attrs: dict[str, dict[str, Any]] = {}
    types: dict[str, set[str]] = {}
    edges: list[tuple[str, str, str, str]] = []

    def owner(node: str) -> str:
        match = _AUX.match(node)
        return match.group("owner") if match else node

    for s, p, o in graph:
        if isinstance(s, BNode) or isinstance(o, BNode):
            continue
        subject = str(s)
        real = owner(subject)
        pred = short(p)
        if p == ELI.has_part:  # the inverse of eli:is_part_of: one edge per link is enough
            continue
        if p == RDF.type:
            if real == subject:
                types.setdefault(subject, set()).add(str(o))
            continue
        node_attrs = attrs.setdefault(real, {})
        if isinstance(o, Literal):
            name = _AUX_NAMES.get(pred) if real != subject else None
            name = name or pred.split(":", 1)[-1]
            if o.language and o.language != "zh":  # zh is the main label; others get a suffix
                name = f"{name}_{o.language}"
            _add_attr(node_attrs, name, _plain(o))
            continue
        obj = str(o)
        if obj.startswith(_BODY_KIND):  # a vocabulary term, not a node worth walking through
            _add_attr(node_attrs, "body_kind", obj[len(_BODY_KIND):])
            continue
        if owner(obj) == real:  # target → its own value/deadline/evidence node
            continue
        if real != subject:  # evidence → oa:hasSource document: redundant with inDocument
            continue
        edges.append((real, owner(obj), pred, str(p)))
    for node, node_attrs in attrs.items():
        G.add_node(node)
    for s, o, pred, iri in edges:
        G.add_edge(s, o, key=pred, predicate=pred, iri=iri)
    scheme = None
    for node in G.nodes:
        node_attrs = attrs.get(node, {})
        node_types = types.get(node, set())
        if str(node).startswith(str(TOPIC)):
            if not node_types:
                node_types = {str(SKOS.Concept)}
            if "prefLabel" not in node_attrs:  # the store lacks graph/topics: the packaged scheme
                scheme = scheme if scheme is not None else _topic_labels()
                node_attrs.update(scheme.get(str(node)[len(str(TOPIC)):], {}))
        node_attrs["kind"] = _kind(node_types)
        node_attrs["types"] = "; ".join(sorted(short(t) for t in node_types))
        node_attrs["iri"] = node
        node_attrs["label"] = _label(node, node_attrs)
        G.nodes[node].update(node_attrs)
    return G


def _topic_labels() -> dict[str, dict[str, str]]:
    """Topic id → prefLabel (zh), prefLabel_en, altLabel, altLabel_en from kg/topics.ttl."""
    from kg.topics import load_topic_scheme

    out: dict[str, dict[str, str]] = {}
    for c in load_topic_scheme():
        labels = {"prefLabel": c.label_zh, "prefLabel_en": c.label_en}
        if c.alt_zh:
            labels["altLabel"] = "; ".join(c.alt_zh)
        if c.alt_en:
            labels["altLabel_en"] = "; ".join(c.alt_en)
        out[c.id] = labels
    return out


def build(store: Any) -> nx.MultiDiGraph:
    """The projection of every graph in the store except the ontology."""
    graph = store.construct(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{ONTOLOGY_GRAPH}>) }}"
    )
    return from_rdf(graph)


def _require(G: nx.MultiDiGraph, node: str) -> None:
    if node not in G:
        raise KeyError(f"node not in the graph: {node}")


def neighbourhood(G: nx.MultiDiGraph, node: str, depth: int = 1, limit: int | None = None) -> nx.MultiDiGraph:
    """The subgraph within ``depth`` hops of ``node``, following edges in either direction.
    With ``limit``, at most that many nodes (nearest first, in breadth-first order); the
    subgraph's ``graph["truncated"]`` says whether nodes were left out."""
    _require(G, node)
    if depth < 0:
        raise ValueError(f"depth must be >= 0, got {depth}")
    if limit is None:
        sub = nx.ego_graph(G, node, radius=depth, undirected=True).copy()
        sub.graph["truncated"] = False
        return sub
    undirected = G.to_undirected(as_view=True)
    keep = [node]
    truncated = False
    for _, reached in nx.bfs_edges(undirected, node, depth_limit=depth):
        if len(keep) >= limit:
            truncated = True
            break
        keep.append(reached)
    sub = G.subgraph(keep).copy()
    sub.graph["truncated"] = truncated
    return sub


def shortest_path(G: nx.MultiDiGraph, a: str, b: str) -> list[str]:
    """Nodes on a shortest path between ``a`` and ``b`` ignoring edge direction ([] if none)."""
    _require(G, a)
    _require(G, b)
    try:
        return list(nx.shortest_path(G.to_undirected(as_view=True), a, b))
    except nx.NetworkXNoPath:
        return []


def central(G: nx.MultiDiGraph, kind: str = "body", k: int = 10, measure: str = "degree") -> list[dict[str, Any]]:
    """The ``k`` most central nodes of a kind (``body``, ``topic``, ``region`` …) by
    ``degree`` (links in either direction) or ``betweenness`` (on the undirected simple graph;
    sampled over 500 pivots beyond 2,000 nodes to stay fast)."""
    if measure == "degree":
        scores = {n: float(d) for n, d in G.degree() if G.nodes[n].get("kind") == kind}
    elif measure == "betweenness":
        simple = nx.Graph(G.to_undirected(as_view=True))
        sample = 500 if simple.number_of_nodes() > 2000 else None
        all_scores = nx.betweenness_centrality(simple, k=sample, seed=0 if sample else None)
        scores = {n: s for n, s in all_scores.items() if G.nodes[n].get("kind") == kind}
    else:
        raise ValueError(f"measure must be degree or betweenness, got {measure!r}")
    ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:k]
    return [
        {"node": n, "label": G.nodes[n].get("label"), "kind": kind, "score": score}
        for n, score in ranked
    ]
