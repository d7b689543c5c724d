"""SHACL validation of one document's triples (kg/shapes.ttl, run by pyshacl).

The data graph is the document graph plus the shared nodes it brings plus the topic scheme
(so that topic links can be checked against real concepts). No RDFS/OWL inference is run:
the mapping materialises what the shapes need, which keeps validation fast (well under a
second for a plan of a few hundred clauses).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pyshacl import validate as shacl_validate
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SH

from kg.namespaces import BASE, PREFIXES

KG_DIR = Path(__file__).resolve().parent
SHAPES_TTL = KG_DIR / "shapes.ttl"
ONTOLOGY_TTL = KG_DIR / "ontology.ttl"
TOPICS_TTL = KG_DIR / "topics.ttl"


class ShapeViolation(ValueError):
    """A document's graph does not conform to kg/shapes.ttl; ``violations`` lists why."""

    def __init__(self, doc_id: str, violations: list[str]):
        self.doc_id = doc_id
        self.violations = violations
        shown = "\n  ".join(violations[:20])
        more = f"\n  … and {len(violations) - 20} more" if len(violations) > 20 else ""
        super().__init__(f"document {doc_id}: {len(violations)} shape violation(s):\n  {shown}{more}")


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    graph = Graph()
    graph.parse(SHAPES_TTL, format="turtle")
    return graph


@lru_cache(maxsize=1)
def topics_graph() -> Graph:
    graph = Graph()
    if TOPICS_TTL.exists():
        graph.parse(TOPICS_TTL, format="turtle")
    return graph


def _short(term: object) -> str:
    text = str(term)
    for prefix, ns in PREFIXES.items():
        if text.startswith(ns) and prefix != "topic":
            return f"{prefix}:{text[len(ns):]}"
    if text.startswith(BASE):
        return text[len(BASE):]
    return text


def _describe(results: Graph, result: URIRef) -> str:
    focus = results.value(result, SH.focusNode)
    path = results.value(result, SH.resultPath)
    value = results.value(result, SH.value)
    messages = [str(m) for m in results.objects(result, SH.resultMessage)]
    text = f"{_short(focus)}"
    if path is not None and not isinstance(path, Literal):
        text += f" {_short(path)}"
    text += ": " + ("; ".join(sorted(messages)) or "does not conform")
    if value is not None:
        text += f" (value {_short(value)!s})"
    return text


def validate(doc_graph: Graph, shared_graph: Graph | None = None) -> list[str]:
    """Human-readable violations of kg/shapes.ttl (empty when the document conforms).
    Only results of severity sh:Violation count; see ``validation_warnings`` for the rest."""
    return _results(doc_graph, shared_graph, SH.Violation)


def validation_warnings(doc_graph: Graph, shared_graph: Graph | None = None) -> list[str]:
    """Results of severity sh:Warning: worth a look, never a reason to reject a document."""
    return _results(doc_graph, shared_graph, SH.Warning)


def _results(doc_graph: Graph, shared_graph: Graph | None, severity: URIRef) -> list[str]:
    data = Graph()
    data += doc_graph
    if shared_graph is not None:
        data += shared_graph
    data += topics_graph()
    _conforms, results, _text = shacl_validate(
        data,
        shacl_graph=shapes_graph(),
        inference="none",
        abort_on_first=False,
        allow_warnings=True,
        advanced=False,
    )
    out = {
        _describe(results, r)
        for r in results.subjects(RDF.type, SH.ValidationResult)
        if results.value(r, SH.resultSeverity) == severity
    }
    return sorted(out)
