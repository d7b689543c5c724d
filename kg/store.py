"""The triple store: one API over an embedded Oxigraph store, a remote SPARQL 1.1 endpoint,
or rdflib's in-memory store (tests and the benchmark's baseline).

Layout: each document in its own named graph ``graph/doc/{id}``; regions and bodies in
``graph/shared``; the topic scheme in ``graph/topics`` and the ontology in
``graph/ontology``. Queries see the **union of all graphs as the default graph**: pyoxigraph's
``use_default_graph_as_union`` for the embedded store, rdflib's ``default_union`` in memory,
and for a remote endpoint the server's own union setting (``oxigraph serve
--union-default-graph``; Fuseki ``tdb2:unionDefaultGraph``; Virtuoso does it by default).
``open_store(url=…)`` checks the setting on first use and says what to do if it is off.

Writes are SPARQL UPDATE strings we build ourselves (no blank nodes, so INSERT DATA is
exact). ``replace_document`` is one update request — ``DROP SILENT GRAPH <g> ; INSERT DATA {
GRAPH <g> {…} } ; INSERT DATA { GRAPH <shared> {…} }`` — which Oxigraph (embedded and server)
runs as one transaction: a failure leaves the store as it was. For a remote document larger
than ``batch_bytes`` the triples are first loaded in batches into a staging graph and then
moved over the document's graph with one ``MOVE`` request: the replacement itself stays
atomic, at the cost of the staging triples being visible in the union while they load (a
failed load leaves only the staging graph, which the next attempt drops).

Graphs derived from documents (the lineage graphs ``graph/lineage/{id}``) are written whole
with ``replace_graph(name, graph)`` and ``drop_graph(name)`` (one update each), which refuse a
document's, the shared or a built-in graph; ``graph_names(prefix)`` lists them.

Shared nodes are only ever added: ``remove_document`` drops the document's graph, and regions
and bodies it alone referenced stay in the shared graph (harmless for every query here, which
start from documents, measures or targets; ``prune_shared()`` removes them on demand).
"""

from __future__ import annotations

import io
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.query import Result

from kg.namespaces import (
    DOC_GRAPH_PREFIX,
    ONTOLOGY_GRAPH,
    SHARED_GRAPH,
    TOPICS_GRAPH,
    doc_graph_iri,
)
from kg.sparql import (
    ReadOnlyQueryError,
    SparqlSyntaxError,
    inject_values,
    query_form,
    rows_of,
    store_syntax_error,
    with_prefixes,
)

__all__ = [
    "KGStore",
    "MemoryKGStore",
    "OxigraphKGStore",
    "QueryTimeout",
    "ReadOnlyQueryError",
    "ReadOnlyResult",
    "RemoteKGStore",
    "SparqlSyntaxError",
    "StoreError",
    "open_store",
    "open_store_read_only",
    "run_readonly",
]

KG_DIR = Path(__file__).resolve().parent
TOPICS_TTL = KG_DIR / "topics.ttl"
ONTOLOGY_TTL = KG_DIR / "ontology.ttl"


class StoreError(RuntimeError):
    """The store cannot be opened or a write failed (the message says which and why)."""


class QueryTimeout(TimeoutError):
    """A read-only query ran longer than its time limit."""


def _refuse_bnodes(graph: Graph) -> None:
    for s, _p, o in graph:
        if isinstance(s, BNode) or isinstance(o, BNode):
            raise StoreError("blank nodes are not allowed in policykg graphs (use IRIs)")


def _nt(graph: Graph) -> str:
    """N-Triples text of a graph (valid inside SPARQL INSERT DATA); refuses blank nodes."""
    _refuse_bnodes(graph)
    return graph.serialize(format="nt")


def _insert_data(graph_iri: URIRef, nt: str) -> str:
    return f"INSERT DATA {{ GRAPH <{graph_iri}> {{\n{nt}\n}} }}"


def _doc_id_from_graph(name: str) -> str | None:
    if name.startswith(DOC_GRAPH_PREFIX):
        return urllib.parse.unquote(name[len(DOC_GRAPH_PREFIX):])
    return None


class KGStore:
    """The common API. Subclasses implement ``_update``, ``_raw_query`` and graph listing."""

    kind = "abstract"

    # ------------------------------------------------------------ to implement

    def _update(self, sparql: str) -> None:  # one update request = one transaction
        raise NotImplementedError

    def _raw_query(self, sparql: str) -> Result:
        raise NotImplementedError

    def _graph_names(self) -> list[str]:
        raise NotImplementedError

    def close(self) -> None:
        pass

    # ------------------------------------------------------------ writes

    def replace_document(
        self, doc_id: str, doc_graph: Graph, shared_graph: Graph | None = None, *, validate: bool = True
    ) -> int:
        """Replace the document's named graph and add its shared nodes, atomically.

        With ``validate`` (the default) the triples are checked against kg/shapes.ttl first;
        a violation raises :class:`kg.validate.ShapeViolation` (with ``.violations``) and the
        store is not touched. Returns the number of triples written to the document graph."""
        if validate:
            from kg.validate import ShapeViolation
            from kg.validate import validate as shacl

            problems = shacl(doc_graph, shared_graph)
            if problems:
                raise ShapeViolation(doc_id, problems)
        g = doc_graph_iri(doc_id)
        parts = [f"DROP SILENT GRAPH <{g}>", _insert_data(g, _nt(doc_graph))]
        if shared_graph is not None and len(shared_graph):
            parts.append(_insert_data(SHARED_GRAPH, _nt(shared_graph)))
        self._write_atomic(g, parts, doc_graph, shared_graph)
        return len(doc_graph)

    def _write_atomic(
        self, g: URIRef, parts: list[str], doc_graph: Graph, shared_graph: Graph | None
    ) -> None:
        self._update(" ;\n".join(parts))

    def load_ntriples(self, doc_id: str, doc_nt: str, shared_nt: str | None = None) -> None:
        """Replace a document's graph from N-Triples text (bulk loads, restores, benchmarks):
        the same single atomic update as ``replace_document``, without validation and without
        rdflib serialisation. The text must hold no blank nodes."""
        g = doc_graph_iri(doc_id)
        parts = [f"DROP SILENT GRAPH <{g}>", _insert_data(g, doc_nt)]
        if shared_nt and shared_nt.strip():
            parts.append(_insert_data(SHARED_GRAPH, shared_nt))
        self._update(" ;\n".join(parts))

    def remove_document(self, doc_id: str) -> bool:
        """Drop the document's graph; True if it was there. Shared nodes stay (see module doc)."""
        present = doc_id in self.document_ids()
        self._update(f"DROP SILENT GRAPH <{doc_graph_iri(doc_id)}>")
        return present

    # derived named graphs (lineage, …): replaced whole, never a document's or the shared graph

    def graph_names(self, prefix: str = "") -> list[str]:
        """Names of the store's non-empty named graphs, those starting with ``prefix``, sorted."""
        return sorted(n for n in self._graph_names() if n.startswith(prefix))

    def replace_graph(self, name: URIRef | str, graph: Graph) -> int:
        """Replace the named graph ``name`` with ``graph`` in one update (an empty ``graph``
        drops it); returns the number of triples written. For graphs derived from documents
        (lineage): a document's graph or the shared graph is refused, since those are written
        only by ``replace_document``."""
        name = self._derived_name(name)
        parts = [f"DROP SILENT GRAPH <{name}>"]
        if len(graph):
            parts.append(_insert_data(name, _nt(graph)))
        self._update(" ;\n".join(parts))
        return len(graph)

    def drop_graph(self, name: URIRef | str) -> bool:
        """Drop the named graph ``name`` (same refusal as ``replace_graph``); True if it was there."""
        name = self._derived_name(name)
        present = str(name) in set(self._graph_names())
        self._update(f"DROP SILENT GRAPH <{name}>")
        return present

    @staticmethod
    def _derived_name(name: URIRef | str) -> URIRef:
        text = str(name)
        if not text.startswith(("http://", "https://", "urn:")) or any(c in text for c in '<>"{}|^`\\ '):
            raise ValueError(f"graph name {text!r}: expected an absolute IRI")
        if text.startswith(DOC_GRAPH_PREFIX) or text in (str(SHARED_GRAPH), str(TOPICS_GRAPH), str(ONTOLOGY_GRAPH)):
            raise ValueError(f"graph name {text!r}: a document's or a built-in graph; "
                             "use replace_document / remove_document / ensure_topics")
        return URIRef(text)

    def prune_shared(self) -> None:
        """Remove shared regions and bodies that no document graph points at any more
        (a region still counts while a kept region or body points at it)."""
        self._update(
            f"""DELETE {{ GRAPH <{SHARED_GRAPH}> {{ ?n ?p ?o }} }}
            WHERE {{ GRAPH <{SHARED_GRAPH}> {{ ?n ?p ?o }}
              FILTER NOT EXISTS {{ GRAPH ?g {{ ?x ?q ?n }} FILTER(?g != <{SHARED_GRAPH}>) }}
              FILTER NOT EXISTS {{ GRAPH <{SHARED_GRAPH}> {{ ?m ?q2 ?n . ?m a ?t }}
                                   FILTER EXISTS {{ GRAPH ?g2 {{ ?y ?q3 ?m }} FILTER(?g2 != <{SHARED_GRAPH}>) }} }}
            }}"""
        )

    def ensure_topics(self, force: bool = False) -> None:
        """Load kg/topics.ttl into ``graph/topics`` and kg/ontology.ttl into
        ``graph/ontology`` (once; ``force`` reloads them)."""
        names = set(self._graph_names())
        for path, graph_iri in ((TOPICS_TTL, TOPICS_GRAPH), (ONTOLOGY_TTL, ONTOLOGY_GRAPH)):
            if not path.exists():
                raise StoreError(f"{path}: missing (the topic scheme / ontology ships with kg/)")
            if str(graph_iri) in names and not force:
                continue
            graph = Graph()
            graph.parse(path, format="turtle")
            self._update(f"DROP SILENT GRAPH <{graph_iri}> ;\n" + _insert_data(graph_iri, _nt(graph)))
        self._check_union()

    def _check_union(self) -> None:
        pass

    # ------------------------------------------------------------ reads

    def query(self, sparql: str) -> Result:
        """Run any query (the project's prefixes are predeclared); returns an rdflib Result."""
        return self._raw_query(with_prefixes(sparql))

    def select(self, sparql: str, **bindings: Any) -> list[dict[str, Any]]:
        """SELECT → list of dicts of plain Python values. Keyword bindings are injected as a
        VALUES block (``None`` leaves the variable free; a list gives alternatives)."""
        return rows_of(self.query(inject_values(sparql, bindings)))

    def ask(self, sparql: str, **bindings: Any) -> bool:
        return bool(self.query(inject_values(sparql, bindings)).askAnswer)

    def construct(self, sparql: str, **bindings: Any) -> Graph:
        """CONSTRUCT → rdflib Graph. Literals typed xsd:string (RDF 1.1's reading of a plain
        literal, which Oxigraph returns) come back plain, as rdflib writes them."""
        result = self.query(inject_values(sparql, bindings))
        graph = Graph()
        for s, p, o in result.graph if result.graph is not None else ():
            if isinstance(o, Literal) and o.datatype == XSD.string:
                o = Literal(str(o))
            graph.add((s, p, o))
        return graph

    def document_ids(self) -> list[str]:
        return sorted(d for d in (_doc_id_from_graph(n) for n in self._graph_names()) if d)

    def graph_of(self, doc_id: str) -> Graph:
        """The document's named graph as an rdflib Graph (empty if unknown)."""
        return self.construct(
            f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{doc_graph_iri(doc_id)}> {{ ?s ?p ?o }} }}"
        )

    def shared(self) -> Graph:
        return self.construct(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{SHARED_GRAPH}> {{ ?s ?p ?o }} }}")

    def triple_count(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
        return int(rows[0]["n"]) if rows else 0

    def dump(self) -> Graph:
        """Every triple of every graph (the union), as one rdflib Graph."""
        return self.construct("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# ---------------------------------------------------------------- embedded Oxigraph


class OxigraphKGStore(KGStore):
    """rdflib Dataset over Oxigraph (oxrdflib) in a folder; one writer per folder."""

    kind = "oxigraph"

    def __init__(self, path: Path | None, read_only: bool = False):
        import pyoxigraph as ox
        from oxrdflib import OxigraphStore

        self.path = path
        self.read_only = read_only
        try:
            if path is None:
                self._ox = ox.Store()
            elif read_only:
                if not path.is_dir():
                    raise StoreError(f"{path}: no store there to open read-only")
                self._ox = ox.Store.read_only(str(path))
            else:
                self._ox = ox.Store(str(path))
        except OSError as exc:
            raise StoreError(
                f"{path}: cannot open the Oxigraph store ({exc}); another process may hold it "
                "open for writing (one writer per folder; open_store(..., read_only=True) reads "
                "beside it)"
            ) from exc
        self.dataset = Dataset(store=OxigraphStore(store=self._ox), default_union=True)

    def _update(self, sparql: str) -> None:
        if self.read_only:
            raise StoreError(f"{self.path}: the store is open read-only")
        try:
            self._ox.update(sparql)
        except (SyntaxError, OSError, ValueError) as exc:
            raise StoreError(f"update failed, store unchanged: {exc}") from exc

    def _raw_query(self, sparql: str) -> Result:
        """The whole answer, read here: oxrdflib hands SELECT rows over as a generator over a
        pyoxigraph cursor, and a cursor may only be used (or dropped) on the thread that made
        it ("PyQuerySolutions is unsendable") — so no lazy result leaves this call."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            result = self.dataset.query(sparql)
            if result.type == "SELECT":
                result.bindings = list(result.bindings)  # drops the generator and its cursor
            return result

    def iter_rows(self, sparql: str) -> tuple[list[str], Iterator[list[Any]]] | Any:
        """Lazy pyoxigraph result (used by run_readonly to stop at a row limit)."""
        return self._ox.query(with_prefixes(sparql), use_default_graph_as_union=True)

    def _graph_names(self) -> list[str]:
        return [g.value for g in self._ox.named_graphs()]

    def triple_count(self) -> int:
        return len(self._ox)

    def flush(self) -> None:
        if self.path is not None and not self.read_only:
            self._ox.flush()

    def close(self) -> None:
        if getattr(self, "_ox", None) is not None:
            self.flush()
            del self.dataset
            self._ox = None  # type: ignore[assignment]


# ---------------------------------------------------------------- rdflib in memory


class MemoryKGStore(KGStore):
    """rdflib's in-memory Dataset: the same API, for tests and as the benchmark baseline.
    Writes are applied through the graph API (rdflib's SPARQL parser is slow on big INSERT
    DATA texts); a single thread has no partial state to observe."""

    kind = "memory"

    def __init__(self) -> None:
        self.dataset = Dataset(default_union=True)

    def replace_document(self, doc_id, doc_graph, shared_graph=None, *, validate=True):  # type: ignore[override]
        if validate:
            from kg.validate import ShapeViolation
            from kg.validate import validate as shacl

            problems = shacl(doc_graph, shared_graph)
            if problems:
                raise ShapeViolation(doc_id, problems)
        for graph in (doc_graph, shared_graph):
            if graph is not None:
                _refuse_bnodes(graph)  # same rule as the SPARQL-writing stores
        self._replace_graph(doc_graph_iri(doc_id), doc_graph)
        if shared_graph is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                shared = self.dataset.graph(SHARED_GRAPH)
                shared += shared_graph
        return len(doc_graph)

    def load_ntriples(self, doc_id: str, doc_nt: str, shared_nt: str | None = None) -> None:
        name = doc_graph_iri(doc_id)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            self.dataset.remove_graph(self.dataset.graph(name))
            self.dataset.graph(name).parse(data=doc_nt, format="nt")  # rdflib's native loader
            if shared_nt and shared_nt.strip():
                self.dataset.graph(SHARED_GRAPH).parse(data=shared_nt, format="nt")

    def _replace_graph(self, name: URIRef, graph: Graph) -> None:
        with warnings.catch_warnings():  # rdflib 7.6 warns about its own default_context use
            warnings.simplefilter("ignore", DeprecationWarning)
            self.dataset.remove_graph(self.dataset.graph(name))
            target = self.dataset.graph(name)
            target += graph

    def replace_graph(self, name, graph):  # type: ignore[override]
        name = self._derived_name(name)
        _refuse_bnodes(graph)
        self._replace_graph(name, graph)  # the graph API: rdflib's SPARQL parser is slow
        return len(graph)

    def _update(self, sparql: str) -> None:
        self.dataset.update(sparql)

    def ensure_topics(self, force: bool = False) -> None:
        names = set(self._graph_names())
        for path, graph_iri in ((TOPICS_TTL, TOPICS_GRAPH), (ONTOLOGY_TTL, ONTOLOGY_GRAPH)):
            if str(graph_iri) in names and not force:
                continue
            graph = Graph()
            graph.parse(path, format="turtle")
            self._replace_graph(graph_iri, graph)

    def remove_document(self, doc_id: str) -> bool:
        present = doc_id in self.document_ids()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            self.dataset.remove_graph(self.dataset.graph(doc_graph_iri(doc_id)))
        return present

    def _raw_query(self, sparql: str) -> Result:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            result = self.dataset.query(sparql)
            if result.type == "SELECT":
                _ = result.bindings  # evaluate now, inside the filter (rdflib warns about itself)
            return result

    def _graph_names(self) -> list[str]:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            return [
                str(g.identifier)
                for g in self.dataset.contexts()
                if isinstance(g.identifier, URIRef) and len(g)
            ]

    def triple_count(self) -> int:
        return len(self.dataset)


# ---------------------------------------------------------------- remote SPARQL 1.1


@dataclass
class RemoteKGStore(KGStore):
    """A SPARQL 1.1 Protocol endpoint (query + update URLs), plain HTTP via urllib."""

    query_url: str
    update_url: str
    timeout_s: float = 60.0
    batch_bytes: int = 8_000_000
    headers: dict[str, str] = field(default_factory=dict)
    kind: str = "remote"
    _union_checked: bool = False

    def _post(self, url: str, data: bytes, content_type: str, accept: str | None, timeout: float | None) -> tuple[bytes, str]:
        """POST and read the whole answer within ``timeout`` seconds in total (a streaming
        answer that takes longer is abandoned, which also stops the server's work)."""
        headers = {"Content-Type": content_type, **self.headers}
        if accept:
            headers["Accept"] = accept
        request = urllib.request.Request(url, data=data, headers=headers, method="POST")
        limit = timeout or self.timeout_s
        deadline = time.monotonic() + limit
        try:
            with urllib.request.urlopen(request, timeout=limit) as response:
                chunks = []
                while chunk := response.read(1 << 16):
                    chunks.append(chunk)
                    if time.monotonic() > deadline:
                        raise QueryTimeout(f"{url}: answer not complete within {limit} s")
                return b"".join(chunks), response.headers.get("Content-Type", "")
        except QueryTimeout:
            raise
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:500]
            raise StoreError(f"{url}: HTTP {exc.code}: {detail}") from exc
        except (TimeoutError, OSError) as exc:
            if "timed out" in str(exc):
                raise QueryTimeout(f"{url}: no answer within {timeout or self.timeout_s} s") from exc
            raise StoreError(f"{url}: {exc}") from exc

    def _update(self, sparql: str) -> None:
        self._post(self.update_url, sparql.encode("utf-8"), "application/sparql-update; charset=utf-8", None, None)

    def _write_atomic(self, g: URIRef, parts: list[str], doc_graph: Graph, shared_graph: Graph | None) -> None:
        text = " ;\n".join(parts)
        if len(text.encode("utf-8")) <= self.batch_bytes:
            self._update(text)
            return
        # Large document: stage in batches, then one atomic MOVE (see module docstring).
        staging = URIRef(f"{g}/staging")
        self._update(f"DROP SILENT GRAPH <{staging}>")
        lines = _nt(doc_graph).splitlines()
        batch: list[str] = []
        size = 0
        for line in lines:
            batch.append(line)
            size += len(line.encode("utf-8")) + 1
            if size >= self.batch_bytes:
                self._update(_insert_data(staging, "\n".join(batch)))
                batch, size = [], 0
        if batch:
            self._update(_insert_data(staging, "\n".join(batch)))
        final = [f"MOVE SILENT GRAPH <{staging}> TO <{g}>"]
        if shared_graph is not None and len(shared_graph):
            final.append(_insert_data(SHARED_GRAPH, _nt(shared_graph)))
        self._update(" ;\n".join(final))

    def raw_query(self, sparql: str, timeout: float | None = None) -> Result:
        body, content_type = self._post(
            self.query_url,
            sparql.encode("utf-8"),
            "application/sparql-query; charset=utf-8",
            "application/sparql-results+json, application/n-triples;q=0.9",
            timeout,
        )
        if "json" in content_type:
            return Result.parse(io.BytesIO(body), format="json")
        graph = Graph()
        graph.parse(data=body.decode("utf-8"), format="nt")
        result = Result("CONSTRUCT")
        result.graph = graph
        return result

    def _raw_query(self, sparql: str) -> Result:
        if not self._union_checked and query_form(sparql) == "SELECT":
            self._check_union()
        return self.raw_query(sparql)

    def _check_union(self) -> None:
        if self._union_checked:
            return
        named = self.raw_query("ASK { GRAPH ?g { ?s ?p ?o } }").askAnswer
        if not named:
            return  # empty store: nothing to tell yet
        union = self.raw_query("ASK { ?s ?p ?o }").askAnswer
        if not union:
            raise StoreError(
                f"{self.query_url}: the endpoint's default graph is not the union of its named "
                "graphs; start oxigraph with `serve --union-default-graph` (Fuseki: "
                "tdb2:unionDefaultGraph true)"
            )
        self._union_checked = True

    def _graph_names(self) -> list[str]:
        result = self.raw_query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return [str(row[0]) for row in result]


# ---------------------------------------------------------------- opening


def _update_url_for(query_url: str) -> str:
    if query_url.rstrip("/").endswith("/query"):
        return query_url.rstrip("/")[: -len("/query")] + "/update"
    if query_url.rstrip("/").endswith("/sparql"):
        return query_url  # Virtuoso and Fuseki datasets accept updates on the same path
    raise StoreError(
        f"{query_url}: cannot derive the update endpoint; pass update_url= (POLICYKG_STORE_UPDATE)"
    )


def open_store(
    data_dir: Path | str | None = None,
    url: str | None = None,
    *,
    update_url: str | None = None,
    memory: bool = False,
    read_only: bool = False,
    timeout_s: float = 60.0,
) -> KGStore:
    """Open the knowledge-graph store.

    - ``url``: a SPARQL 1.1 query endpoint; the update endpoint is ``update_url`` or derived
      (``…/query`` → ``…/update``). (The environment is read by the caller, api/settings.py.)
    - otherwise ``data_dir``: an embedded Oxigraph store in ``{data_dir}/store`` (created if
      missing, persistent across runs, one writer process at a time). A ``data_dir`` that is
      itself named ``store`` (the workspace's store folder) is used as is.
      ``read_only=True`` opens an existing store beside a writer in another process.
    - ``memory=True`` (or neither given): an in-memory store (rdflib Dataset) for tests."""
    if url:
        if not url.startswith(("http://", "https://")):
            raise StoreError(f"store URL must be http(s): {url!r}")
        update = update_url or _update_url_for(url)
        return RemoteKGStore(query_url=url, update_url=update, timeout_s=timeout_s)
    if memory or data_dir is None:
        return MemoryKGStore()
    base = Path(data_dir)
    path = base if base.name == "store" else base / "store"
    if path.exists() and not path.is_dir():
        raise StoreError(f"{path}: exists and is not a directory")
    if read_only:
        return OxigraphKGStore(path, read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return OxigraphKGStore(path)


def open_store_read_only(data_dir: Path | str) -> KGStore:
    """An existing embedded store opened for reading only (works while a writer holds it)."""
    return open_store(data_dir, None, read_only=True)


# ---------------------------------------------------------------- read-only entry point


@dataclass
class ReadOnlyResult:
    """What ``run_readonly`` returns: ``form`` is SELECT/ASK/CONSTRUCT/DESCRIBE; ``vars`` and
    ``bindings`` (rdflib terms, for serialisers) for SELECT, ``rows`` the same as plain values;
    ``boolean`` for ASK; ``graph`` for CONSTRUCT/DESCRIBE. ``truncated`` when the answer was
    cut, ``reason`` says why (``row limit: …`` or ``time limit: …``)."""

    form: str
    vars: list[str] = field(default_factory=list)
    bindings: list[dict[str, Any]] = field(default_factory=list)
    boolean: bool | None = None
    graph: Graph | None = None
    truncated: bool = False
    reason: str | None = None
    elapsed_s: float = 0.0

    @property
    def rows(self) -> list[dict[str, Any]]:
        from kg.sparql import to_python

        return [{n: to_python(b.get(n)) for n in self.vars} for b in self.bindings]

    def to_sparql_json(self) -> dict[str, Any]:
        """SPARQL 1.1 Query Results JSON (SELECT/ASK), by rdflib's serialiser."""
        from rdflib import Variable

        res = Result(self.form)
        if self.form == "ASK":
            res.askAnswer = bool(self.boolean)
        else:
            res.vars = [Variable(v) for v in self.vars]
            res.bindings = [{Variable(k): v for k, v in b.items() if v is not None} for b in self.bindings]
        data = res.serialize(format="json")
        return json.loads(data if isinstance(data, (bytes, str)) else bytes(data))


def _cut(result: ReadOnlyResult, limit: int, what: str) -> None:
    result.truncated = True
    result.reason = f"row limit: only the first {limit} {what} are returned"


def _collect(store: KGStore, text: str, form: str, limit: int, cancel: threading.Event,
             result: ReadOnlyResult) -> None:
    """Fill ``result`` row by row (the caller may read it after a timeout), stopping at
    ``limit`` (+1 to know there were more) or when ``cancel`` is set."""
    if isinstance(store, OxigraphKGStore):
        # pyoxigraph evaluates lazily: stop pulling rows at limit+1 or when cancelled.
        import pyoxigraph as ox
        from oxrdflib._converter import from_ox  # the converter oxrdflib itself uses

        raw = store.iter_rows(text)
        try:
            if isinstance(raw, ox.QueryBoolean):
                result.boolean = bool(raw)
            elif isinstance(raw, ox.QuerySolutions):
                result.vars = [v.value for v in raw.variables]
                for solution in raw:
                    if cancel.is_set():
                        break
                    if len(result.bindings) >= limit:
                        _cut(result, limit, "rows")
                        break
                    result.bindings.append(
                        {n: from_ox(v) if v is not None else None for n, v in zip(result.vars, solution)})
            else:
                graph = Graph()
                for triple in raw:
                    if cancel.is_set():
                        break
                    if len(graph) >= limit:
                        _cut(result, limit, "triples")
                        break
                    graph.add(from_ox(triple))
                result.graph = graph
        finally:
            # a pyoxigraph cursor may only be dropped on the thread that made it: drop it
            # here, not later from a traceback that keeps this frame alive
            raw = None
        return
    if isinstance(store, MemoryKGStore):
        raw_result = store.dataset.query(with_prefixes(text))  # lazy: the loop below can stop it
    else:
        raw_result = store.query(text)
    if form == "ASK":
        result.boolean = bool(raw_result.askAnswer)
    elif form == "SELECT":
        result.vars = [str(v) for v in (raw_result.vars or [])]
        for row in raw_result:
            if cancel.is_set():
                break
            if len(result.bindings) >= limit:
                _cut(result, limit, "rows")
                break
            result.bindings.append({n: row[i] for i, n in enumerate(result.vars)})
    else:
        graph = Graph()
        for triple in raw_result.graph or Graph():
            if len(graph) >= limit:
                _cut(result, limit, "triples")
                break
            graph.add(triple)
        result.graph = graph


def run_readonly(store: KGStore, query_text: str, timeout_s: float = 10.0, limit: int = 1000,
                 *, partial: bool = False) -> ReadOnlyResult:
    """Run a user's SPARQL query safely: updates raise :class:`ReadOnlyQueryError`, text that
    does not parse :class:`SparqlSyntaxError`; at most ``limit`` rows/triples are returned
    (``truncated``/``reason`` say if there were more); a query that has not finished within
    ``timeout_s`` raises :class:`QueryTimeout` — or, with ``partial`` (the /sparql endpoint),
    a SELECT that has produced rows by then returns those rows, truncated with the reason.

    The query runs in a worker thread (pyoxigraph releases the GIL). On timeout the caller
    gets its answer at once; an embedded query still evaluating in Oxigraph runs on in the
    background until it yields its next row (it cannot be interrupted mid-evaluation). For a
    remote store the HTTP request itself is given the timeout."""
    if limit < 1:
        raise ValueError(f"limit must be >= 1, got {limit}")
    if timeout_s <= 0:
        raise ValueError(f"timeout_s must be > 0, got {timeout_s}")
    form = query_form(query_text)
    cancel = threading.Event()
    box: dict[str, Any] = {}
    result = ReadOnlyResult(form=form)

    def work() -> None:
        try:
            if isinstance(store, RemoteKGStore):
                raw = store.raw_query(with_prefixes(query_text), timeout=timeout_s)
                _collect(_Prefetched(raw), query_text, form, limit, cancel, result)
            else:
                _collect(store, query_text, form, limit, cancel, result)
        except BaseException as exc:  # noqa: BLE001 - handed over to the caller's thread
            box["error"] = exc

    started = time.perf_counter()
    worker = threading.Thread(target=work, name="policykg-sparql", daemon=True)
    worker.start()
    worker.join(timeout_s)
    elapsed = time.perf_counter() - started
    if worker.is_alive():
        cancel.set()  # a lazily evaluated query stops at its next row
        # what cannot be stopped (a sort or an aggregate before its first row) is counted by
        # the HTTP app's request limit under this name until it ends
        worker.name = "policykg-sparql-abandoned"
        if partial and form == "SELECT" and result.vars and "error" not in box:
            cut = ReadOnlyResult(form=form, vars=list(result.vars), bindings=list(result.bindings),
                                 truncated=True, elapsed_s=elapsed)
            cut.reason = (f"time limit: the query ran longer than {timeout_s:g} s; "
                          f"only the {len(cut.bindings)} rows found by then are returned")
            return cut
        raise QueryTimeout(f"query cut: it ran longer than the time limit of {timeout_s:g} s")
    if "error" in box:
        error = box.pop("error")
        if isinstance(error, SyntaxError):
            raise SparqlSyntaxError(store_syntax_error(str(error), query_text)) from None
        raise error
    result.elapsed_s = elapsed
    return result


class _Prefetched(KGStore):
    """Adapter: a remote result already fetched, read through the generic collector."""

    def __init__(self, result: Result):
        self._result = result

    def query(self, sparql: str) -> Result:  # type: ignore[override]
        return self._result
