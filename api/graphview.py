"""The graph view, the third stage: nodes named by IRI or short id, their neighbourhood in
kg.projection's graph and exports (kg.export), as kg/README.md documents them."""

from __future__ import annotations

from typing import Any

from api.errors import InvalidParameter, NotFound


class GraphView:
    """The graph methods of ``PolicyKG`` (a mixin over the facade's store and catalogue)."""

    def _node_iri(self, node: str) -> str:
        from kg.namespaces import BASE

        if node.startswith(("http://", "https://")):
            return node
        if node.startswith(("doc/", "region/", "body/", "topic/")):
            return BASE + node
        cat = self.catalog()
        if cat.doc_by_id(node):
            return cat.doc_by_id(node)["iri"]
        doc_id, _, path = node.partition("/")
        if path and cat.doc_by_id(doc_id):  # {doc}/{path}: a clause (folded into its measure)
            from kg.namespaces import clause_iri

            return str(clause_iri(doc_id, path))
        if node in cat.regions:
            return cat.regions[node]["iri"]
        if node in self._topic_ids():
            return BASE + "topic/" + node
        for b in cat.bodies.values():
            if b["name"] == node:
                return b["iri"]
        matches = self.find_nodes(node, limit=5)
        if matches and matches[0]["match"] == "exact":
            return matches[0]["id"]
        hint = f"; did you mean {', '.join(m['label'] for m in matches)}?" if matches else ""
        raise InvalidParameter(
            "node", f"unknown node {node!r}: give a name (region, body, topic, document title), "
                    f"an IRI, a document id, an adcode or a topic id{hint}")

    def find_nodes(self, q: str, kind: str | list[str] | None = None, limit: int = 20) -> list[dict[str, Any]]:
        """Regions, topics, bodies and documents whose names match ``q`` (枣庄市, 美育, a
        title, a 文号), best first: kg.lookup.find_nodes over the projection. Each match has
        ``id`` (the IRI, which ``neighbourhood`` and ``export`` take), ``label``, ``kind``,
        ``matched`` (the name that matched), ``match`` (exact / prefix / contains / within)
        and ``detail``. ``kind`` keeps one kind or a list of kinds."""
        from kg.lookup import KINDS, find_nodes

        if not q or not q.strip():
            raise InvalidParameter("q", "empty: give part of a name (a region, body, topic or document title)")
        kinds = [kind] if isinstance(kind, str) else kind
        for k in kinds or []:
            if k not in KINDS:
                raise InvalidParameter("kind", f"{k!r}", list(KINDS))
        if limit < 1:
            raise InvalidParameter("limit", f"{limit}: must be at least 1")
        return [m.to_dict() for m in find_nodes(self.projection(), q, kinds=kinds, limit=limit)]

    def projection(self) -> Any:
        """kg.projection.build over the store (cached until the next write)."""
        from kg.projection import build

        with self._lock:
            if self._projection is None:
                self._projection = build(self.store)
            return self._projection

    def neighbourhood(self, node: str, depth: int = 1, limit: int = 400) -> dict[str, Any]:
        """Nodes and edges within ``depth`` links of ``node`` in kg.projection's graph for
        people (what kg/README.md documents: the plumbing — target values, deadlines and
        evidence, clauses, citations, tables, alignments — folded into its parents, literals as
        node attributes, no ontology); a folded node (a clause IRI) is centred on the node
        holding it; edges point from subject to object as stored; at most ``limit`` nodes,
        nearest first."""
        from kg.projection import neighbourhood, resolve

        G = self.projection()
        iri = resolve(G, self._node_iri(node))  # a clause IRI → its measure or document
        if iri not in G:
            raise NotFound(f"node {node!r} is not in the graph")
        sub = neighbourhood(G, iri, depth, limit=limit)
        nodes = [{"id": n, "label": a.get("label"), "kind": a.get("kind"),
                  **{k: v for k, v in a.items() if k not in ("iri", "label", "kind")}}
                 for n, a in sub.nodes(data=True)]
        edges = [{"source": u, "target": v, "predicate": a.get("iri"), "label": _short_name(a.get("iri") or "")}
                 for u, v, a in sub.edges(data=True)]
        return {"center": iri, "depth": depth, "nodes": nodes, "edges": edges,
                "truncated": bool(sub.graph.get("truncated"))}

    def export(self, fmt: str, node: str | None = None, depth: int = 1) -> bytes:
        """The whole graph (without the ontology) or a neighbourhood as ttl, jsonld, graphml
        or gexf: kg.export.export_store."""
        from kg.export import FORMATS, export_store

        if fmt not in FORMATS:
            raise InvalidParameter("format", f"{fmt!r}", list(FORMATS))
        from kg.projection import resolve

        iri = None
        if node:
            iri = resolve(self.projection(), self._node_iri(node))
            if iri not in self.projection():
                raise NotFound(f"node {node!r} is not in the graph")
        return export_store(self.store, fmt, node=iri, depth=depth)



def _short_name(iri: str) -> str:
    """The local name of an IRI (after the last # or /)."""
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1]


