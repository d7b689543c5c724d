"""Lineage triples: a real (local, source) pair aligned, mapped to RDF (kg/lineage.py), valid
against the shapes, written to its own named graph (re-running replaces it) and read back
through the named queries."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import PROV, RDF

from tests.conftest import SHARED

AESTHETIC = SHARED / "corpus" / "aesthetic"
LOCAL = AESTHETIC / "local_009_2343c9cb.txt"
SOURCE = AESTHETIC / "local_056_b88ad7c2.txt"


@pytest.fixture(params=["memory", "oxigraph"])
def stored(request, tmp_path):
    """Both documents in a store, and the lineage of the first (wording-only alignment)."""
    from embeddings.align import AlignClause, align
    from ingest import load_document
    from kg.lineage import ClauseLink, DocumentLineage, SourceLineage
    from kg.mapping import document_graph, shared_graph
    from kg.namespaces import clause_iri
    from kg.store import open_store

    store = open_store(memory=True) if request.param == "memory" else open_store(tmp_path)
    local, source = load_document(LOCAL), load_document(SOURCE)
    for doc in (local, source):
        store.replace_document(doc.id, document_graph(doc), shared_graph(doc), validate=False)
    lc = [c for c in local.walk() if c.text.strip()]
    sc = [c for c in source.walk() if c.text.strip()]
    alignment = align([AlignClause(str(clause_iri(local.id, c.path)), c.text) for c in lc],
                      [AlignClause(str(clause_iri(source.id, c.path)), c.text) for c in sc])
    links = [ClauseLink(label=x.label,
                        local_clause=str(clause_iri(local.id, lc[x.local].path)) if x.local is not None else None,
                        source_clause=str(clause_iri(source.id, sc[x.source].path)) if x.source is not None else None,
                        score=x.score, wording=x.char if x.local is not None and x.source is not None else None)
             for x in alignment.links]
    lineage = DocumentLineage(local.id, [SourceLineage(source.id, "based_on", links)])
    yield store, local, source, lineage
    store.close()


def test_graph_is_valid_and_carries_derivations(stored):
    from kg.lineage import lineage_graph, validate_lineage
    from kg.namespaces import ELI, PKG, doc_iri

    _store, local, source, lineage = stored
    g = lineage_graph(lineage)
    assert validate_lineage(g) == []
    assert (doc_iri(local.id), ELI.based_on, doc_iri(source.id)) in g
    assert (doc_iri(local.id), ELI.cites, doc_iri(source.id)) in g
    pairs = [x for x in lineage.sources[0].links if x.local_clause and x.source_clause]
    for x in pairs:
        assert (URIRef(x.local_clause), PROV.wasDerivedFrom, URIRef(x.source_clause)) in g
        assert ((URIRef(x.local_clause), PKG.adapts, URIRef(x.source_clause)) in g) == (x.label == "adapted")
    nodes = set(g.subjects(RDF.type, PKG.ClauseAlignment))
    assert len(nodes) == len(lineage.sources[0].links)
    labels = {str(o) for o in g.objects(None, PKG.alignmentLabel)}
    assert {"adopted", "adapted", "added", "dropped"} <= labels


def test_shapes_catch_a_broken_alignment(stored):
    from kg.lineage import alignment_iri, lineage_graph, validate_lineage
    from kg.namespaces import PKG

    _store, local, _source, lineage = stored
    g = lineage_graph(lineage)
    node = alignment_iri(local.id, 1)
    g.remove((node, PKG.alignmentLabel, None))
    g.add((node, PKG.alignmentLabel, Literal("borrowed")))
    assert any("adopted, adapted, added or dropped" in v for v in validate_lineage(g))


def test_bad_input_is_refused(stored):
    from kg.lineage import ClauseLink, DocumentLineage, SourceLineage, lineage_graph

    _store, local, source, _lineage = stored
    with pytest.raises(ValueError, match="label"):
        lineage_graph(DocumentLineage(local.id, [SourceLineage(source.id, "cites", [ClauseLink("copied", "x", "y")])]))
    with pytest.raises(ValueError, match="relation"):
        lineage_graph(DocumentLineage(local.id, [SourceLineage(source.id, "inspired_by", [])]))


def test_write_replaces_and_queries_read_it(stored):
    from kg.lineage import (
        DocumentLineage,
        SourceLineage,
        lineage_documents,
        lineage_graph,
        write_lineage,
    )
    from kg.read import document, lineage_alignments, lineage_provision, lineage_sources

    store, local, source, lineage = stored
    before = store.triple_count()
    written = write_lineage(store, local.id, lineage_graph(lineage))
    assert store.triple_count() == before + written
    assert write_lineage(store, local.id, lineage_graph(lineage)) == written  # again: replaced, not added
    assert store.triple_count() == before + written
    assert lineage_documents(store) == [local.id]
    assert store.document_ids() == sorted([local.id, source.id])  # not a document graph
    assert document(store, local.id)["clause_count"] == len([c for c in local.walk()])

    rows = lineage_alignments(store, local.id)
    assert [r["label"] for r in rows] == [x.label for x in lineage.sources[0].links]
    adopted = next(r for r in rows if r["label"] == "adopted")
    assert adopted["local_text"] and adopted["source_text"] and adopted["source_id"] == source.id
    assert lineage_sources(store, local.id)[0]["based_on"] is True

    carriers = lineage_provision(store, adopted["source_clause"])
    assert any(r["local_id"] == local.id and r["label"] == "adopted" for r in carriers)
    dropped = next(r for r in rows if r["label"] == "dropped")
    assert any(r["label"] == "dropped" and r["local_id"] == local.id
               for r in lineage_provision(store, dropped["source_clause"]))

    # a lineage with fewer links replaces the whole graph
    fewer = DocumentLineage(local.id, [SourceLineage(source.id, "cites", lineage.sources[0].links[:3])])
    write_lineage(store, local.id, lineage_graph(fewer))
    assert len(lineage_alignments(store, local.id)) == 3
    assert lineage_sources(store, local.id)[0]["based_on"] is False


def test_derived_graphs_go_through_the_public_store_api(stored):
    """Lineage is written with ``replace_graph`` / ``drop_graph``, which refuse a document's
    graph or the shared graph (and a name that is no IRI) and leave the store unchanged."""
    from kg.lineage import (
        LINEAGE_GRAPH_PREFIX,
        lineage_graph,
        lineage_graph_iri,
        lineages_citing,
        remove_lineage,
        write_lineage,
    )
    from kg.namespaces import SHARED_GRAPH, doc_graph_iri

    store, local, source, lineage = stored
    write_lineage(store, local.id, lineage_graph(lineage))
    assert store.graph_names(LINEAGE_GRAPH_PREFIX) == [str(lineage_graph_iri(local.id))]
    assert lineages_citing(store, [source.id]) == [local.id]  # stale if the source goes
    assert lineages_citing(store, [local.id]) == []
    before = store.triple_count()
    for name in (doc_graph_iri(source.id), SHARED_GRAPH, "not an iri", "http://x/a b"):
        with pytest.raises(ValueError, match="graph name"):
            store.replace_graph(name, lineage_graph(lineage))
        with pytest.raises(ValueError, match="graph name"):
            store.drop_graph(name)
    assert store.triple_count() == before
    assert store.document_ids() == sorted([local.id, source.id])
    assert remove_lineage(store, local.id) is True
    assert remove_lineage(store, local.id) is False
    assert lineages_citing(store, [source.id]) == []
