"""A networkx projection of the graph for exploration: neighbourhoods, paths, centrality.

Built from the store each time (never kept beside it as a second truth). Nodes are the IRIs
of documents, measures, targets, attachments, regions, bodies and topics, with ``label`` and
``kind`` attributes; literals become node attributes (short predicate names, several values
joined with "; "; a non-Chinese language tag adds a suffix: ``prefLabel_en``); a body's kind
is the attribute ``body_kind``; topics carry their zh/en labels (from the packaged scheme when
the store lacks ``graph/topics``). Edges carry ``predicate`` (short name) and ``iri``;
``rdf:type`` is the ``kind``/``types`` attributes, not an edge, and ``eli:has_part`` is left
out as the inverse of ``eli:is_part_of``. The ontology graph is left out.

It is a graph for people, so the modelling plumbing is folded into its parents (one
behaviour for the neighbourhoods, the page and the GraphML/GEXF exports; kg/README.md):
a target's value, deadline, evidence and selector nodes become the target's attributes
(``value``, ``unit``, ``deadline``, ``quote``, ``start``, ``end``); then ``fold_plumbing``
folds each clause into its measure (``path``, ``text``, ``clause``) or, when it has none, into
its document; each citation into the citing document (``cites``); an attachment's table into
the attachment; a lineage alignment into its local clause's holder. ``from_rdf(g, fold=False)``
keeps clauses, citations and alignments as nodes.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
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
    (PKG.ClauseAlignment, "alignment"),
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


_COMPARATORS = {">=": "≥", "<=": "≤", ">": ">", "<": "<"}


def _target_label(attrs: dict[str, Any]) -> str | None:
    """A target as a person reads it: 骨干教师培训 ≥200人 (xx for a placeholder)."""
    what = attrs.get("countedObject")
    if not what:
        return None
    if attrs.get("value") is not None and str(attrs.get("placeholder")).lower() != "true":
        amount = str(attrs["value"])
        if attrs.get("value_max") is not None:
            amount += f"–{attrs['value_max']}"
    elif str(attrs.get("placeholder")).lower() == "true":
        amount = "xx"
    else:
        return str(what)
    sign = _COMPARATORS.get(str(attrs.get("comparator") or ""), "")
    return f"{what} {sign}{amount}{attrs.get('unit') or ''}"


def _label(iri: str, attrs: dict[str, Any]) -> str:
    if attrs.get("kind") == "target" and _target_label(attrs):
        return _target_label(attrs)  # type: ignore[return-value]
    for key in _LABEL_ORDER:
        name = key.split(":", 1)[1]
        if attrs.get(name):
            return str(attrs[name]).split("; ")[0]
    if attrs.get("path"):
        return f"{attrs['path']} {str(attrs.get('text', ''))[:24]}".strip()
    if attrs.get("kind") == "target" and attrs.get("quote"):
        return str(attrs["quote"])[:30]
    return iri.rstrip("/").rsplit("/", 1)[-1]


def from_rdf(graph: Graph | Iterable[tuple[Any, Any, Any]], fold: bool = True) -> nx.MultiDiGraph:
    """Project RDF triples onto a MultiDiGraph (see the module docstring); with ``fold``
    (the default) the plumbing nodes are folded into their parents (``fold_plumbing``)."""
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
    return fold_plumbing(G) if fold else G


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


# ---------------------------------------------------------------- folding the plumbing


@dataclass(frozen=True)
class Via:
    """How a folded node finds its parent: an edge ``direction`` "in" (parent → node) or
    "out" (node → parent) with ``predicate``, from/to a node of ``parent_kind`` (any if None);
    ``attrs`` maps the folded node's attributes onto the parent's."""

    direction: str
    predicate: str
    parent_kind: str | None = None
    attrs: tuple[tuple[str, str], ...] = ()


# The plumbing of the graph for people: node kind → the ways to its parent, tried in order.
FOLDS: dict[str, tuple[Via, ...]] = {
    # a clause is the text of its measure (one per numbered item); a clause with no measure
    # (a section heading, the preamble) is part of the document
    "clause": (
        Via("in", "prov:wasDerivedFrom", "measure",
            (("path", "path"), ("text", "text"), ("heading", "heading"), ("iri", "clause"))),
        Via("out", "pkg:inDocument", "document"),
    ),
    # a cited title is an attribute of the citing document (a citation resolved to an ingested
    # document is an eli:cites edge of its own)
    "citation": (Via("in", "pkg:citation", None, (("citedTitle", "cites"), ("citedNumber", "cites_number"))),),
    "table": (Via("in", "pkg:table", None, (("header", "table_header"), ("rows", "table_rows"))),),
    # a lineage alignment qualifies its local clause (hence its measure), else its document
    "alignment": (
        Via("out", "pkg:localClause", None,
            (("alignmentLabel", "alignment"), ("changeSummary", "change"), ("targetChange", "target_change"))),
        Via("out", "pkg:localDocument", "document"),
    ),
}
# Edges to the document a node is in are shortcuts once the node has a parent inside it.
_STRUCTURE_OUT = {"eli:is_part_of"}
_STRUCTURE_IN = {"pkg:hasTarget"}


def _parent(G: nx.MultiDiGraph, node: str, kind: str) -> tuple[str, Via] | None:
    for via in FOLDS.get(kind, ()):
        edges = G.in_edges(node, data=True) if via.direction == "in" else G.out_edges(node, data=True)
        for u, v, data in edges:
            other = u if via.direction == "in" else v
            if data.get("predicate") == via.predicate and other != node and (
                    via.parent_kind is None or G.nodes[other].get("kind") == via.parent_kind):
                return other, via
    return None


def fold_plumbing(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """The graph for people: each node of a kind in ``FOLDS`` (clauses, citations, tables,
    lineage alignments) is folded into its parent — its listed attributes copied onto the
    parent, its edges moved to the parent (dropping self-loops and an edge between two nodes
    already linked) — and a node's ``pkg:inDocument`` edge is dropped when it has a parent
    inside the document (``eli:is_part_of`` another node of it, or a measure's
    ``pkg:hasTarget``). ``graph["folded_into"]`` maps each folded IRI to the node now
    holding it, so a clause IRI still finds its place."""
    direct: dict[str, tuple[str, Via]] = {}
    for node, attrs in G.nodes(data=True):
        found = _parent(G, node, attrs.get("kind") or "")
        if found:
            direct[node] = found

    def final(node: str) -> str:
        seen = {node}
        while node in direct:
            node = direct[node][0]
            if node in seen:  # a cycle of folds: stop where it closes
                break
            seen.add(node)
        return node

    folded_into = {n: final(n) for n in direct}
    H = nx.MultiDiGraph()
    H.graph.update(G.graph)
    for node, attrs in G.nodes(data=True):
        if node not in folded_into:
            H.add_node(node, **attrs)
    relabel: set[str] = set()
    for node, (_, via) in direct.items():
        target = folded_into[node]
        if target not in H:
            continue
        for src, dst in via.attrs:
            value = G.nodes[node].get(src)
            if value is not None and value != "":
                _add_attr(H.nodes[target], dst, value)
                relabel.add(target)
    for node in relabel:  # e.g. a measure without a heading now has its clause's path and text
        attrs = H.nodes[node]
        if attrs.get("label") == node.rstrip("/").rsplit("/", 1)[-1]:
            attrs["label"] = _label(node, attrs)
    linked: set[frozenset[str]] = set()
    moved: list[tuple[str, str, str, dict[str, Any]]] = []
    for u, v, key, data in G.edges(keys=True, data=True):
        fu, fv = folded_into.get(u, u), folded_into.get(v, v)
        if fu == fv:
            continue
        if fu == u and fv == v:
            H.add_edge(u, v, key=key, **data)
            linked.add(frozenset((u, v)))
        else:
            moved.append((fu, fv, key, data))
    for u, v, key, data in moved:
        if frozenset((u, v)) in linked:
            continue
        linked.add(frozenset((u, v)))
        H.add_edge(u, v, key=key, **data)
    shortcuts = []
    for u, v, key, data in H.edges(keys=True, data=True):
        if data.get("predicate") != "pkg:inDocument":
            continue
        inside = [w for _, w, d in H.out_edges(u, data=True)
                  if d.get("predicate") in _STRUCTURE_OUT and w != v and str(w).startswith(str(v) + "/")]
        inside += [w for w, _, d in H.in_edges(u, data=True) if d.get("predicate") in _STRUCTURE_IN]
        if inside:
            shortcuts.append((u, v, key))
    H.remove_edges_from(shortcuts)
    H.graph["folded_into"] = folded_into
    return H


def build(store: Any, fold: bool = True) -> nx.MultiDiGraph:
    """The projection of every graph in the store except the ontology (folded for people
    unless ``fold=False``)."""
    graph = store.construct(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{ONTOLOGY_GRAPH}>) }}"
    )
    return from_rdf(graph, fold=fold)


def resolve(G: nx.MultiDiGraph, node: str) -> str:
    """``node``, or the node it was folded into (a clause IRI → its measure or document)."""
    return (G.graph.get("folded_into") or {}).get(node, node)


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
