"""The store API, identical over rdflib in memory, embedded Oxigraph and a real `oxigraph serve`
started on loopback: atomic replace, re-ingest, remove, rejection on shape violations, safe
bindings, the read-only entry point."""

from __future__ import annotations

from dataclasses import replace

import pytest
from kg_fixtures import (
    all_fixtures,
    anonymised,
    fresh_store,
    jinan,
    load,
    oxigraph_server,
    zaozhuang,
)
from rdflib import Graph, Literal, URIRef

import kg.store as kg_store
from kg.mapping import document_graph, shared_graph
from kg.namespaces import PKG, clause_iri, doc_graph_iri
from kg.store import (
    QueryTimeout,
    ReadOnlyQueryError,
    RemoteKGStore,
    SparqlSyntaxError,
    StoreError,
    open_store,
    run_readonly,
)
from kg.validate import ShapeViolation

KINDS = ["memory", "oxigraph", "remote"]
# rdflib 7.6 warns about its own Dataset.default_context while run_readonly iterates lazily.
pytestmark = pytest.mark.filterwarnings("ignore:Dataset.default_context:DeprecationWarning")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-server")) as url:
        yield url


@pytest.fixture(params=KINDS)
def store(request, tmp_path, server):
    s = fresh_store(request.param, tmp_path, server)
    yield s
    s.close()


def _snapshot(store) -> set:
    return set(store.dump())


def test_replace_then_read_back_the_same_triples(store):
    doc, facts = zaozhuang()
    dg = document_graph(doc, facts)
    written = store.replace_document("zz", dg, shared_graph(doc, facts))
    assert written == len(dg)
    assert store.document_ids() == ["zz"]
    assert set(store.graph_of("zz")) == set(dg)
    assert len(store.graph_of("unknown")) == 0


def test_reingest_changes_nothing(store):
    load(store, all_fixtures())
    before = _snapshot(store)
    count = store.triple_count()
    load(store, all_fixtures())
    assert store.triple_count() == count
    assert _snapshot(store) == before
    assert store.document_ids() == ["anon", "jn", "zz"]


def test_changed_document_replaces_only_its_own_graph(store):
    load(store, all_fixtures())
    others = {d: set(store.graph_of(d)) for d in ("anon", "jn")}
    doc, facts = zaozhuang()
    first = doc.clauses[0]
    doc.clauses[0] = replace(first, heading="新的目标")
    store.replace_document("zz", document_graph(doc, facts), shared_graph(doc, facts))
    zz = store.graph_of("zz")
    assert (clause_iri("zz", "1"), PKG.heading, Literal("新的目标", lang="zh")) in zz
    assert (clause_iri("zz", "1"), PKG.heading, Literal("总体目标", lang="zh")) not in zz
    assert {d: set(store.graph_of(d)) for d in ("anon", "jn")} == others


def test_remove_document_drops_only_its_graph(store):
    load(store, all_fixtures())
    jn_before = set(store.graph_of("jn"))
    assert store.remove_document("zz") is True
    assert store.remove_document("zz") is False
    assert store.document_ids() == ["anon", "jn"]
    assert len(store.graph_of("zz")) == 0
    assert set(store.graph_of("jn")) == jn_before
    # no clause of the removed document answers a query any more
    assert store.select("SELECT ?c WHERE { ?c pkg:inDocument ?d }", d=URIRef("https://policykg.org/doc/zz")) == []


def test_shape_violation_is_rejected_and_store_unchanged(store):
    load(store, [jinan(), zaozhuang()])
    before = _snapshot(store)
    doc, facts = zaozhuang()
    bad = replace(facts.targets[0], comparator="about")
    facts = replace(facts, targets=[bad, facts.targets[1]])
    with pytest.raises(ShapeViolation) as info:
        store.replace_document("zz", document_graph(doc, facts), shared_graph(doc, facts))
    assert info.value.doc_id == "zz"
    assert any("comparator" in v for v in info.value.violations)
    assert "comparator" in str(info.value)
    assert _snapshot(store) == before


@pytest.mark.parametrize("kind", ["oxigraph", "remote"])
def test_replace_is_one_atomic_update(kind, tmp_path, server, monkeypatch):
    """If any part of the replacement fails, the old graph is still there (one request)."""
    store = fresh_store(kind, tmp_path, server)
    load(store, [zaozhuang()])
    before = _snapshot(store)
    real_nt = kg_store._nt
    calls = []

    def broken_second_part(graph):
        calls.append(len(graph))
        text = real_nt(graph)
        return text if len(calls) == 1 else text + "\n<broken"  # the shared part is invalid

    monkeypatch.setattr(kg_store, "_nt", broken_second_part)
    doc, facts = zaozhuang()
    with pytest.raises(StoreError):
        store.replace_document("zz", document_graph(doc, facts), shared_graph(doc, facts), validate=False)
    assert _snapshot(store) == before
    store.close()


def test_blank_nodes_are_refused(store):
    from rdflib import BNode

    g = Graph()
    g.add((BNode(), PKG.text, Literal("x")))
    with pytest.raises(StoreError, match="blank nodes"):
        store.replace_document("bn", g, None, validate=False)


def test_bindings_cannot_inject_sparql(store):
    load(store, all_fixtures())
    before = _snapshot(store)
    evil = '"} } ; DROP ALL ; SELECT * WHERE { {"'
    rows = store.select("SELECT ?c WHERE { ?c pkg:path ?p }", p=evil)
    assert rows == []
    assert _snapshot(store) == before
    rows = store.select("SELECT ?c WHERE { ?c pkg:path ?p }", p="2.1")
    assert [r["c"] for r in rows] == [str(clause_iri("zz", "2.1"))]


def test_select_returns_plain_python_values(store):
    load(store, [zaozhuang()])
    rows = store.select(
        """SELECT ?value ?deadline ?placeholder ?date WHERE {
             ?t pkg:order 1 ; pkg:inDocument ?d ; pkg:quantity/schema:value ?value ;
                pkg:placeholder ?placeholder ; pkg:deadline/time:inXSDgYear ?deadline .
             ?d eli:date_document ?date }"""
    )
    assert rows == [{"value": 1000, "deadline": 2025, "placeholder": False, "date": "2024-03-01"}]


def test_topics_are_loaded_once_into_their_graph(store):
    store.ensure_topics()
    n = store.triple_count()
    store.ensure_topics()
    assert store.triple_count() == n
    assert store.ask("ASK { topic:teacher-training skos:prefLabel ?l }")
    assert store.document_ids() == []


def test_run_readonly_refuses_updates(store):
    load(store, [jinan()])
    before = _snapshot(store)
    for text in ("DROP ALL", "INSERT DATA { <a:b> <a:c> <a:d> }",
                 "PREFIX x: <http://x/> DELETE WHERE { ?s ?p ?o }", "CLEAR DEFAULT"):
        with pytest.raises(ReadOnlyQueryError):
            run_readonly(store, text, timeout_s=5, limit=10)
    assert _snapshot(store) == before
    # words inside strings and IRIs are not mistaken for updates
    result = run_readonly(store, 'SELECT ?x WHERE { BIND("DROP ALL" AS ?x) }', timeout_s=5, limit=10)
    assert result.rows == [{"x": "DROP ALL"}]
    # nor are variable names and local names that spell an update keyword
    result = run_readonly(store, "SELECT ?add WHERE { ?add schema:copy ?o }", timeout_s=5, limit=10)
    assert result.form == "SELECT" and result.vars == ["add"] and result.rows == []
    with pytest.raises(SparqlSyntaxError, match="line 1"):
        run_readonly(store, "SELECT WHERE {", timeout_s=5, limit=10)


def test_run_readonly_limits_rows_and_answers_ask_and_construct(store):
    load(store, all_fixtures())
    result = run_readonly(store, "SELECT ?c WHERE { ?c a eli:LegalResourceSubdivision }", timeout_s=10, limit=3)
    assert len(result.rows) == 3 and result.truncated and result.vars == ["c"]
    full = run_readonly(store, "SELECT ?c WHERE { ?c a eli:LegalResourceSubdivision }", timeout_s=10, limit=100)
    assert len(full.rows) == 8 and not full.truncated
    assert run_readonly(store, "ASK { ?d a eli:LegalResource }", timeout_s=10, limit=1).boolean is True
    graph = run_readonly(store, "CONSTRUCT { ?d ?p ?o } WHERE { ?d a eli:LegalResource ; ?p ?o }", timeout_s=10, limit=5).graph
    assert len(graph) == 5
    json_doc = full.to_sparql_json()
    assert json_doc["head"]["vars"] == ["c"] and len(json_doc["results"]["bindings"]) == 8


def test_run_readonly_times_out(store):
    load(store, all_fixtures())
    # about two million rows: far more than can be read in a quarter of a second
    with pytest.raises(QueryTimeout):
        run_readonly(store, "SELECT * WHERE { ?a ?p ?x . ?b ?q ?y }", timeout_s=0.25, limit=10_000_000)
    if isinstance(store, RemoteKGStore):
        return  # a remote answer arrives whole or not at all: no rows to return by the limit
    # the /sparql endpoint's way: the rows found by the time limit, marked as cut
    cut = run_readonly(store, "SELECT * WHERE { ?a ?p ?x . ?b ?q ?y }", timeout_s=0.25,
                       limit=10_000_000, partial=True)
    assert cut.truncated and cut.reason.startswith("time limit") and 0 < len(cut.bindings) < 10_000_000


def test_embedded_store_persists_and_opens_read_only_beside_the_writer(tmp_path):
    store = open_store(tmp_path / "ws")
    store.ensure_topics()
    load(store, all_fixtures())
    count = store.triple_count()
    reader = open_store(tmp_path / "ws", read_only=True)
    assert reader.document_ids() == ["anon", "jn", "zz"]
    with pytest.raises(StoreError, match="read-only"):
        reader.remove_document("zz")
    reader.close()
    store.close()
    again = open_store(tmp_path / "ws" / "store")  # the workspace's store folder itself
    assert again.document_ids() == ["anon", "jn", "zz"]
    assert again.triple_count() == count
    again.close()


def test_remote_store_requires_a_union_default_graph(tmp_path):
    with oxigraph_server(tmp_path / "plain", union=False) as url:
        store = open_store(url=url)
        load(store, [jinan()])
        with pytest.raises(StoreError, match="union-default-graph"):
            store.select("SELECT ?d WHERE { ?d a eli:LegalResource }")


def test_remote_large_document_is_staged_then_moved(tmp_path, server):
    store = fresh_store("remote", tmp_path, server)
    store.batch_bytes = 2_000  # force batching for a small document
    load(store, [anonymised(), zaozhuang()])
    doc, facts = zaozhuang()
    assert set(store.graph_of("zz")) == set(document_graph(doc, facts))
    graphs = set(store._graph_names())
    assert str(doc_graph_iri("zz")) in graphs
    assert not any(g.endswith("/staging") for g in graphs)


def test_bad_store_url_is_a_clear_error():
    with pytest.raises(StoreError, match="http"):
        open_store(url="ftp://example.org/sparql")
    with pytest.raises(StoreError, match="update endpoint"):
        open_store(url="http://127.0.0.1:9/whatever")
