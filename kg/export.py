"""Export the graph or a neighbourhood as Turtle, JSON-LD (rdflib), GraphML or GEXF (networkx).

``export(obj, fmt)`` takes an rdflib Graph or a networkx projection; ``export_store(store,
fmt, node=None, depth=1)`` exports the whole store (without the ontology) or the neighbourhood
of one node. GraphML and GEXF are the graph for people (kg.projection: the plumbing —
target values and evidence, clauses, citations, tables, alignments — folded into its
parents, the same graph the page draws); Turtle and JSON-LD keep every triple (of the nodes
shown and the nodes folded into them). GraphML and GEXF attributes are str, int or float only (booleans become
"true"/"false", an attribute with mixed types across nodes becomes str), and edge ids are
unique, so Gephi opens the files as they are.
"""

from __future__ import annotations

import io
from typing import Any

import networkx as nx
from rdflib import Graph, Literal, URIRef

from kg.namespaces import ONTOLOGY_GRAPH, PREFIXES
from kg.projection import _AUX, from_rdf, neighbourhood, resolve

FORMATS = ("ttl", "jsonld", "graphml", "gexf")
MEDIA_TYPES = {
    "ttl": "text/turtle; charset=utf-8",
    "jsonld": "application/ld+json",
    "graphml": "application/graphml+xml",
    "gexf": "application/gexf+xml",
}


def _check_format(fmt: str) -> str:
    fmt = fmt.lower().lstrip(".")
    fmt = {"turtle": "ttl", "json-ld": "jsonld"}.get(fmt, fmt)
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    return fmt


def _rdf_bytes(graph: Graph, fmt: str) -> bytes:
    out = Graph()
    for prefix, ns in PREFIXES.items():  # ours win over rdflib's defaults (its geo: is GeoSPARQL)
        out.bind(prefix, ns, override=True, replace=True)
    out += graph
    if fmt == "ttl":
        return out.serialize(format="turtle").encode("utf-8")
    return out.serialize(format="json-ld", context=dict(PREFIXES), auto_compact=True).encode("utf-8")


def gephi_ready(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy whose attributes are str/int/float with one type per key and unique edge ids."""

    def clean(items: list[dict[str, Any]]) -> None:
        kinds: dict[str, set[type]] = {}
        for attrs in items:
            for key, value in list(attrs.items()):
                if value is None:
                    del attrs[key]
                    continue
                if isinstance(value, bool):
                    value = "true" if value else "false"
                elif not isinstance(value, (str, int, float)):
                    value = str(value)
                attrs[key] = value
                kinds.setdefault(key, set()).add(type(value))
        mixed = {k for k, types in kinds.items() if len(types) > 1}
        numeric_mixed = {k for k in mixed if kinds[k] <= {int, float}}
        for attrs in items:
            for key in mixed & attrs.keys():
                attrs[key] = float(attrs[key]) if key in numeric_mixed else str(attrs[key])

    H = nx.MultiDiGraph()
    node_attrs = [dict(a) for _, a in G.nodes(data=True)]
    clean(node_attrs)
    for (node, _), attrs in zip(G.nodes(data=True), node_attrs):
        H.add_node(node, **attrs)
    edge_items = [(u, v, dict(a)) for u, v, a in G.edges(data=True)]
    clean([a for _, _, a in edge_items])
    for i, (u, v, attrs) in enumerate(edge_items):
        attrs.setdefault("label", attrs.get("predicate", ""))
        H.add_edge(u, v, key=f"e{i}", **attrs)
    return H


def export(obj: Graph | nx.MultiDiGraph, fmt: str) -> bytes:
    """Serialise an rdflib Graph (any format) or a networkx projection (graphml, gexf)."""
    fmt = _check_format(fmt)
    if isinstance(obj, Graph):
        if fmt in ("ttl", "jsonld"):
            return _rdf_bytes(obj, fmt)
        obj = from_rdf(obj)
    if fmt in ("ttl", "jsonld"):
        raise ValueError(
            "a networkx projection cannot be written as RDF; export the rdflib graph "
            "(export_store(store, fmt, node, depth) does this)"
        )
    buffer = io.BytesIO()
    H = gephi_ready(obj)
    if fmt == "graphml":
        nx.write_graphml(H, buffer, encoding="utf-8")
    else:
        nx.write_gexf(H, buffer, encoding="utf-8")
    return buffer.getvalue()


def _store_rdf(store: Any) -> Graph:
    return store.construct(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER(?g != <{ONTOLOGY_GRAPH}>) }}"
    )


def neighbourhood_rdf(rdf: Graph, nodes: set[str]) -> Graph:
    """The triples about ``nodes`` (and their folded value/deadline/evidence nodes) whose
    object is a literal or another node of the set."""
    out = Graph()
    keep = set(nodes)
    for s, p, o in rdf:
        subject = str(s)
        match = _AUX.match(subject)
        owner = match.group("owner") if match else subject
        if owner not in keep:
            continue
        if isinstance(o, Literal) or (isinstance(o, URIRef) and (str(o) in keep or _is_aux_of(str(o), keep) or p.endswith("#type"))):
            out.add((s, p, o))
    return out


def _is_aux_of(iri: str, keep: set[str]) -> bool:
    match = _AUX.match(iri)
    return bool(match) and match.group("owner") in keep


def export_store(store: Any, fmt: str, node: str | None = None, depth: int = 1) -> bytes:
    """The whole store (minus the ontology) or the neighbourhood of ``node`` to ``depth``."""
    fmt = _check_format(fmt)
    rdf = _store_rdf(store)
    if node is None:
        return export(rdf, fmt)
    G = from_rdf(rdf)
    sub = neighbourhood(G, resolve(G, node), depth)
    if fmt in ("graphml", "gexf"):
        return export(sub, fmt)
    # RDF keeps every triple: the folded nodes (clauses, citations …) of the nodes shown too
    keep = set(sub.nodes) | {n for n, parent in G.graph.get("folded_into", {}).items() if parent in sub}
    return export(neighbourhood_rdf(rdf, keep), fmt)
