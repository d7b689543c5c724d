"""The SPARQL 1.1 Protocol pieces the HTTP app needs on top of ``kg.store.run_readonly`` (the
one read-only query runner: update refusal, row and time limits), independent of FastAPI.

- ``negotiate(form, accept, format_param)``: the response media type, from the Accept header or
  the ``format``/``output``/``results`` parameters that SPARQLWrapper and friends send.
- ``serialize(result, media_type)``: SPARQL JSON / XML / CSV / TSV, or Turtle / N-Triples /
  JSON-LD / RDF-XML for graphs with the project's prefixes (rdflib's serializers; TSV is written here because rdflib has
  no TSV result serializer). A cut answer's JSON carries ``policykg.truncated`` and the reason.
"""

from __future__ import annotations

from typing import Any

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result

from kg.namespaces import PREFIXES
from kg.store import ReadOnlyResult

TABLE_TYPES = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_TYPES = {
    "text/turtle": "turtle",
    "application/x-turtle": "turtle",
    "text/n3": "turtle",
    "application/n-triples": "nt",
    "text/plain": "nt",
    "application/ld+json": "json-ld",
    "application/json": "json-ld",
    "application/rdf+xml": "xml",
    "application/xml": "xml",
    "text/xml": "xml",
}
# the values SPARQLWrapper (format=, output=, results=) and others put in the query string
FORMAT_PARAMS_TABLE = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
FORMAT_PARAMS_GRAPH = {
    "turtle": "text/turtle",
    "ttl": "text/turtle",
    "n3": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "json-ld": "application/ld+json",
    "jsonld": "application/ld+json",
    "json": "application/ld+json",
    "xml": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
}
DEFAULT_TABLE = "application/sparql-results+json"
DEFAULT_GRAPH = "text/turtle"

def _accept_items(accept: str | None) -> list[str]:
    items: list[tuple[float, int, str]] = []
    for i, part in enumerate((accept or "").split(",")):
        bits = [b.strip() for b in part.split(";")]
        if not bits[0]:
            continue
        q = 1.0
        for b in bits[1:]:
            if b.startswith("q="):
                try:
                    q = float(b[2:])
                except ValueError:
                    q = 0.0
        items.append((-q, i, bits[0].lower()))
    return [m for _, _, m in sorted(items) if True]


def negotiate(form: str, accept: str | None, format_param: str | None = None) -> str:
    """The media type to answer a ``form`` query with."""
    graph = form in ("CONSTRUCT", "DESCRIBE")
    table, params = (GRAPH_TYPES, FORMAT_PARAMS_GRAPH) if graph else (TABLE_TYPES, FORMAT_PARAMS_TABLE)
    if format_param:
        value = format_param.strip().lower()
        if value in params:
            return params[value]
        if value in table:
            return value
    for media in _accept_items(accept):
        if media in table:
            return media
        if media in ("*/*", "application/*", "text/*"):
            break
    return DEFAULT_GRAPH if graph else DEFAULT_TABLE


def _term_nt(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, (URIRef, BNode, Literal)):
        return term.n3()
    return str(term)


def _term_csv(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    return str(term)


def serialize(result: ReadOnlyResult, media_type: str) -> bytes:
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        fmt = GRAPH_TYPES.get(media_type, "turtle")
        graph = Graph()  # the project's prefixes (eli:, pkg:, skos: …), not ns1:
        for prefix, ns in PREFIXES.items():
            graph.bind(prefix, ns, override=True, replace=True)
        if result.graph is not None:
            graph += result.graph
        data = graph.serialize(format=fmt)
        return data.encode("utf-8") if isinstance(data, str) else data
    fmt = TABLE_TYPES.get(media_type, "json")
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in result.vars)] if result.form == "SELECT" else []
        if result.form == "ASK":
            return ("true" if result.boolean else "false").encode()
        for row in result.bindings:
            lines.append("\t".join(_term_nt(row.get(v)) for v in result.vars))
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt == "csv" and result.form == "SELECT":
        import csv
        import io

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(result.vars)
        for row in result.bindings:
            writer.writerow([_term_csv(row.get(v)) for v in result.vars])
        return buf.getvalue().encode("utf-8")
    res = Result(result.form)
    if result.form == "ASK":
        res.askAnswer = bool(result.boolean)
        if fmt == "csv":
            return ("true" if result.boolean else "false").encode()
    else:
        res.vars = [Variable(v) for v in result.vars]
        res.bindings = [
            {Variable(k): v for k, v in row.items() if v is not None} for row in result.bindings
        ]
    data = res.serialize(format=fmt)
    data = data if isinstance(data, bytes) else data.encode("utf-8")
    if fmt == "json" and result.truncated:
        import json

        doc = json.loads(data)
        doc["policykg"] = {"truncated": True, "reason": result.reason}
        data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    return data
