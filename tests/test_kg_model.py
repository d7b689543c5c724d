"""The model: ontology and shapes files, IRIs, the facts-to-RDF mapping and SHACL validation
(hand-made documents from kg_fixtures, independent of the parser and extractor)."""

from __future__ import annotations

from dataclasses import replace

import pytest
import rdflib.namespace as rns
from kg_fixtures import all_fixtures, anonymised, jinan, zaozhuang
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.mapping import document_graph, shared_graph
from kg.namespaces import (
    ELI,
    OA,
    PKG,
    SCHEMA,
    body_iri,
    clause_iri,
    doc_id_of,
    doc_iri,
    region_iri,
    segment,
    target_iri,
    topic_iri,
)
from kg.validate import ONTOLOGY_TTL, SHAPES_TTL, validate, validation_warnings


def test_iris_are_readable_and_stable():
    assert str(doc_iri("ef00")) == "https://policykg.org/doc/ef00"
    assert str(clause_iri("ef00", "3.2.12")) == "https://policykg.org/doc/ef00/clause/3.2.12"
    assert str(target_iri("ef00", 4)) == "https://policykg.org/doc/ef00/target/4"
    assert str(region_iri("370400")) == "https://policykg.org/region/370400"
    assert str(topic_iri("teacher-training")) == "https://policykg.org/topic/teacher-training"
    # Chinese stays readable; characters that would break an IRI are escaped.
    assert str(body_iri("枣庄市教育局")) == "https://policykg.org/body/枣庄市教育局"
    assert segment('a b/c<d>') == "a%20b%2Fc%3Cd%3E"
    assert doc_id_of("https://policykg.org/doc/ef00/clause/1.2") == "ef00"
    with pytest.raises(ValueError):
        segment("  ")


def test_ontology_and_shapes_parse_and_declare_every_own_term_used():
    ontology = Graph().parse(ONTOLOGY_TTL)
    Graph().parse(SHAPES_TTL)
    declared = {s for s in ontology.subjects() if str(s).startswith(str(PKG))}
    for s in declared:
        if (s, RDF.type, OWL.Class) in ontology or (s, RDF.type, OWL.ObjectProperty) in ontology:
            labels = {o.language for o in ontology.objects(s, RDFS.label)}
            assert {"zh", "en"} <= labels, f"{s} needs zh and en labels"
    used = set()
    for doc, facts in all_fixtures():
        for graph in (document_graph(doc, facts), shared_graph(doc, facts)):
            for s, p, o in graph:
                used |= {t for t in (p, o) if isinstance(t, URIRef) and str(t).startswith(str(PKG))}
    assert used - declared == set(), f"pkg: terms used but not declared: {used - declared}"


def test_no_blank_nodes_anywhere():
    for doc, facts in all_fixtures():
        for graph in (document_graph(doc, facts), shared_graph(doc, facts)):
            assert not any(isinstance(t, BNode) for triple in graph for t in triple)


def test_mapping_is_deterministic():
    doc, facts = zaozhuang()
    first = set(document_graph(doc, facts))
    again = set(document_graph(*zaozhuang()))
    assert first == again


def test_document_clauses_and_tree():
    doc, facts = zaozhuang()
    g = document_graph(doc, facts)
    d = doc_iri("zz")
    assert (d, RDF.type, ELI.LegalResource) in g
    assert g.value(d, ELI.id_local) == Literal("枣教发〔2024〕3号")
    assert g.value(d, ELI.date_document) == Literal("2024-03-01", datatype=rns.XSD.date)
    assert g.value(d, ELI.passed_by) == body_iri("zaozhuang-edu")
    assert g.value(d, PKG.forwardedBy) == body_iri("tengzhou-edu")
    assert g.value(d, PKG.appliesTo) == region_iri("370400")
    c = clause_iri("zz", "2.1")
    assert g.value(c, ELI.is_part_of) == clause_iri("zz", "2")
    assert g.value(clause_iri("zz", "1"), ELI.is_part_of) == d
    assert g.value(c, PKG.inDocument) == d
    text = str(g.value(c, PKG.text))
    start, end = int(g.value(c, PKG.start)), int(g.value(c, PKG.end))
    assert doc.text[start:end] == text
    orders = sorted(int(g.value(clause_iri("zz", p), PKG.order)) for p in ("1", "1.1", "2", "2.1"))
    assert orders == [1, 2, 3, 4]


def test_target_value_unit_deadline_and_evidence():
    doc, facts = zaozhuang()
    g = document_graph(doc, facts)
    t = target_iri("zz", 1)
    value = g.value(t, PKG.quantity)
    assert value == URIRef(f"{t}/value")
    assert g.value(value, SCHEMA.value).toPython() == 1000
    assert str(g.value(value, SCHEMA.unitText)) == "名"
    assert str(g.value(g.value(t, PKG.deadline), rns.TIME.inXSDgYear)) == "2025"
    assert g.value(t, rns.PROV.wasDerivedFrom) == clause_iri("zz", "1.1")
    selector = g.value(g.value(t, PKG.evidence), OA.hasSelector)
    start, end = int(g.value(selector, OA.start)), int(g.value(selector, OA.end))
    assert doc.text[start:end] == str(g.value(selector, OA.exact)) == "到2025年，全市培训骨干教师1000名"
    # the measure links its bodies by role, with the lead also a responsible body
    m = URIRef(f"{doc_iri('zz')}/measure/2.1")
    assert (m, PKG.leadBody, body_iri("zaozhuang-edu")) in g
    assert (m, PKG.responsibleBody, body_iri("zaozhuang-edu")) in g
    assert (m, PKG.participantBody, body_iri("zaozhuang-finance")) in g
    assert (m, PKG.hasTarget, target_iri("zz", 2)) in g


def test_placeholder_target_has_no_number():
    doc, facts = anonymised()
    g = document_graph(doc, facts)
    t = target_iri("anon", 1)
    assert g.value(t, PKG.placeholder) == Literal(True)
    assert g.value(g.value(t, PKG.quantity), SCHEMA.value) is None


def test_shared_graph_regions_chain_and_bodies():
    doc, facts = zaozhuang()
    g = shared_graph(doc, facts)
    assert g.value(region_iri("370400"), SKOS.broader) == region_iri("370000")
    assert g.value(region_iri("370481"), SKOS.broader) == region_iri("370400")
    assert str(g.value(region_iri("370400"), PKG.province)) == "山东省"
    assert g.value(body_iri("tengzhou-edu"), PKG.jurisdiction) == region_iri("370481")
    anon_doc, anon_facts = anonymised()
    ga = shared_graph(anon_doc, anon_facts)
    assert ga.value(region_iri("anon-anon-prefecture"), PKG.anonymised) == Literal(True)
    assert ga.value(region_iri("anon-anon-prefecture"), SKOS.broader) is None


def test_facts_of_another_document_are_refused():
    doc, _ = zaozhuang()
    _, other = jinan()
    with pytest.raises(ValueError, match="facts belong to document 'jn'"):
        document_graph(doc, other)


def test_hand_made_documents_conform():
    for doc, facts in all_fixtures():
        assert validate(document_graph(doc, facts), shared_graph(doc, facts)) == []


def test_documents_without_facts_conform():
    for doc, _ in all_fixtures():
        assert validate(document_graph(doc), shared_graph(doc)) == []


def _violations_for(**changes) -> list[str]:
    doc, facts = zaozhuang()
    target = facts.targets[0]
    evidence_changes = changes.pop("evidence", {})
    bad = replace(target, evidence=replace(target.evidence, **evidence_changes), **changes)
    facts = replace(facts, targets=[bad, *facts.targets[1:]])
    return validate(document_graph(doc, facts), shared_graph(doc, facts))


def test_bad_comparator_is_a_violation():
    violations = _violations_for(comparator="~")
    assert any("comparator" in v and "doc/zz/target/1" in v for v in violations), violations


def test_missing_unit_is_a_warning_not_a_rejection():
    doc, facts = zaozhuang()
    facts = replace(facts, targets=[replace(facts.targets[0], unit=None), *facts.targets[1:]])
    doc_graph, shared = document_graph(doc, facts), shared_graph(doc, facts)
    assert validate(doc_graph, shared) == []
    assert any("unit" in w and "doc/zz/target/1" in w for w in validation_warnings(doc_graph, shared))


def test_target_from_a_clause_that_does_not_exist_is_a_violation():
    violations = _violations_for(evidence={"clause": "9.9"})
    assert any("derives from" in v for v in violations), violations


def test_unknown_topic_is_a_violation():
    violations = _violations_for(topics=["no-such-topic"])
    assert any("topic" in v and "no-such-topic" in v for v in violations), violations


def test_missing_value_without_placeholder_is_a_violation():
    violations = _violations_for(value=None, placeholder=False)
    assert any("numeric value or is a placeholder" in v for v in violations), violations


def test_document_without_title_or_id_is_a_violation():
    doc, facts = zaozhuang()
    g = document_graph(doc, facts)
    from rdflib.namespace import DCTERMS

    g.remove((doc_iri("zz"), ELI.title, None))
    g.remove((doc_iri("zz"), DCTERMS.identifier, None))
    assert any("title or an identifier" in v for v in validate(g, shared_graph(doc, facts)))
