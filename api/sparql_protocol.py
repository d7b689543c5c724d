"""The read-only SPARQL 1.1 Protocol pieces the HTTP app needs, independent of FastAPI.

- ``query_form(text)``: SELECT / ASK / CONSTRUCT / DESCRIBE, or ``ReadOnlyQuery`` for an update.
- ``negotiate(form, accept, format_param)``: the response media type, from the Accept header or
  the ``format``/``output``/``results`` parameters that SPARQLWrapper and friends send.
- ``run_limited(run, time_limit, row_limit)``: run a query in a worker thread, stop streaming
  rows at the row limit or the time limit, and report why the answer was cut.
- ``serialize(result, media_type)``: SPARQL JSON / XML / CSV / TSV, or Turtle / N-Triples /
  JSON-LD / RDF-XML for graphs (rdflib's serializers; TSV is written here because rdflib has
  no TSV result serializer).

A query that has not produced its first row when the time limit passes is answered with
``QueryTimeout`` (503); the embedded store cannot abort a running query, so its worker thread
is left to finish in the background and its answer is discarded.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.query import Result

from api.errors import QueryError, QueryTimeout, ReadOnlyQuery

QUERY_FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
UPDATE_WORDS = ("INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH")

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

_IRI_OR_STRING = re.compile(r"<[^<>\"{}|^`\\\s]*>|\"(?:[^\"\\\n]|\\.)*\"|'(?:[^'\\\n]|\\.)*'")
_COMMENT = re.compile(r"#[^\n]*")
_PROLOGUE = re.compile(r"^\s*(?:(?:PREFIX\s+[\w\-.]*:\s*<>|BASE\s*<>)\s*)*", re.IGNORECASE)


def query_form(text: str) -> str:
    """The query form of ``text``; raises ReadOnlyQuery for updates, QueryError for nonsense."""
    blanked = _IRI_OR_STRING.sub(lambda m: m.group(0)[0] + m.group(0)[-1], text)
    stripped = _PROLOGUE.sub("", _COMMENT.sub("", blanked))
    match = re.match(r"\s*([A-Za-z]+)", stripped)
    word = match.group(1).upper() if match else ""
    if word in QUERY_FORMS:
        return word
    if word in UPDATE_WORDS:
        raise ReadOnlyQuery(
            f"SPARQL {word} is an update: this endpoint is read-only and accepts only "
            "SELECT, ASK, CONSTRUCT and DESCRIBE"
        )
    raise QueryError("not a SPARQL query: expected SELECT, ASK, CONSTRUCT or DESCRIBE")


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


@dataclass
class LimitedResult:
    form: str
    vars: list[str] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)  # var name -> rdflib term
    ask: bool | None = None
    graph: Graph | None = None
    truncated: str | None = None  # why the answer was cut, or None
    elapsed: float = 0.0


def run_limited(
    run: Callable[[], Result], form: str, time_limit: float, row_limit: int
) -> LimitedResult:
    """Run ``run()`` (returns an rdflib Result) under a time and a row limit."""
    out = LimitedResult(form=form)
    stop = threading.Event()
    done = threading.Event()
    box: dict[str, Any] = {}
    start = time.perf_counter()

    def work() -> None:
        result = None
        try:
            result = run()
            if result.type == "ASK":
                out.ask = bool(result.askAnswer)
            elif result.type in ("CONSTRUCT", "DESCRIBE"):
                graph = Graph()
                for n, triple in enumerate(result.graph or ()):
                    if n >= row_limit:
                        out.truncated = f"row limit: only the first {row_limit} triples are returned"
                        break
                    if stop.is_set():
                        break
                    graph.add(triple)
                out.graph = graph
            else:
                out.vars = [str(v) for v in (result.vars or [])]
                for row in result:
                    if stop.is_set():
                        break
                    if len(out.rows) >= row_limit:
                        out.truncated = f"row limit: only the first {row_limit} rows are returned"
                        break
                    out.rows.append({str(k): v for k, v in row.asdict().items()})
        except BaseException as exc:  # noqa: BLE001 - handed to the caller
            box["error"] = exc
        finally:
            _release(result)
            result = None  # the traceback handed to the caller must not keep it alive
            done.set()

    worker = threading.Thread(target=work, name="sparql-query", daemon=True)
    worker.start()
    finished = done.wait(time_limit)
    out.elapsed = time.perf_counter() - start
    if "error" in box:
        exc = box["error"]
        raise QueryError(f"query failed: {exc}") from exc
    if not finished:
        stop.set()
        if form == "SELECT" and out.vars:
            rows = list(out.rows)
            out.rows = rows
            out.truncated = (
                f"time limit: the query ran longer than {time_limit:g} s; "
                f"only the {len(rows)} rows found by then are returned"
            )
            return out
        raise QueryTimeout(f"query cut: it ran longer than the time limit of {time_limit:g} s")
    return out


def _release(result: Result | None) -> None:
    """Drop the store's result cursor in this (the query's) thread.

    oxrdflib hands SELECT rows over as a generator over a pyoxigraph ``QuerySolutions``, which
    may only be dropped on the thread that made it; the generator's closure refers back to
    its Result, so a partly read result (row or time limit, error) sits in a reference cycle
    until the garbage collector frees it, on whatever thread runs then (pytest reported
    "PyQuerySolutions is unsendable, but is being dropped on another thread"). Closing the
    generator here frees the cursor at once, on this thread."""
    if result is None:
        return
    pending = getattr(result, "_genbindings", None)  # rdflib's lazy bindings, if unread
    if pending is not None and hasattr(pending, "close"):
        pending.close()
    result._genbindings = None


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


def serialize(result: LimitedResult, media_type: str) -> bytes:
    if result.form in ("CONSTRUCT", "DESCRIBE"):
        fmt = GRAPH_TYPES.get(media_type, "turtle")
        graph = result.graph if result.graph is not None else Graph()
        data = graph.serialize(format=fmt)
        return data.encode("utf-8") if isinstance(data, str) else data
    fmt = TABLE_TYPES.get(media_type, "json")
    if fmt == "tsv":
        lines = ["\t".join(f"?{v}" for v in result.vars)] if result.form == "SELECT" else []
        if result.form == "ASK":
            return ("true" if result.ask else "false").encode()
        for row in result.rows:
            lines.append("\t".join(_term_nt(row.get(v)) for v in result.vars))
        return ("\n".join(lines) + "\n").encode("utf-8")
    if fmt == "csv" and result.form == "SELECT":
        import csv
        import io

        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(result.vars)
        for row in result.rows:
            writer.writerow([_term_csv(row.get(v)) for v in result.vars])
        return buf.getvalue().encode("utf-8")
    res = Result(result.form)
    if result.form == "ASK":
        res.askAnswer = bool(result.ask)
        if fmt == "csv":
            return ("true" if result.ask else "false").encode()
    else:
        res.vars = [Variable(v) for v in result.vars]
        res.bindings = [
            {Variable(k): v for k, v in row.items() if v is not None} for row in result.rows
        ]
    data = res.serialize(format=fmt)
    data = data if isinstance(data, bytes) else data.encode("utf-8")
    if fmt == "json" and result.truncated:
        import json

        doc = json.loads(data)
        doc["policykg"] = {"truncated": True, "reason": result.truncated}
        data = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    return data
