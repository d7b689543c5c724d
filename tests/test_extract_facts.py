"""extract_facts on whole documents: regions, bodies across documents, statutes."""

from __future__ import annotations

import pytest

from ingest import load_document
from ingest.extract import extract_facts
from kg.topics import load_topic_scheme


@pytest.fixture(scope="module")
def facts(seed_files):
    concepts = load_topic_scheme()
    return {k: (load_document(p), extract_facts(load_document(p), concepts)) for k, p in seed_files.items()}


def test_document_regions(facts):
    assert facts["xiangan"][1].region.code == "350213"
    assert facts["zaozhuang"][1].region.code == "370400"
    assert facts["chengde"][1].region.code == "130800"
    assert facts["ouhai"][1].region.code == "330304"


def test_anonymised_region_is_never_guessed(facts):
    doc, f = facts["anon"]
    assert f.region.anonymised and f.region.name == "xx市"
    assert f.region.code == f"anon-{doc.id}-prefecture"
    assert f.targets and all(t.value is None for t in f.targets if t.placeholder)


def test_pilots_and_subregions(facts):
    roles = {m.region.name: m.role for m in facts["zaozhuang"][1].regions_mentioned}
    assert roles.get("滕州市") == "pilot" and roles.get("山亭区") == "pilot"
    ouhai = {m.region.name: m.region for m in facts["ouhai"][1].regions_mentioned}
    assert ouhai["泽雅镇"].level == "township" and ouhai["泽雅镇"].parent == "330304"


def test_body_normalised_in_jurisdiction_and_one_slug_across_documents(facts):
    xiangan = {b.name: b for b in facts["xiangan"][1].bodies}
    assert "厦门市翔安区教师进修学校" in xiangan
    chengde = {b.name: b for b in facts["chengde"][1].bodies}
    assert "承德市教育局" in chengde
    # the same body named by two plans is one node: see tests/test_extract_bodies.py
    issuers = {r.body for r in facts["chengde"][1].document_bodies if r.role == "issuer"}
    assert chengde["承德市教育局"].slug in issuers


def test_evidence_is_an_exact_span(facts):
    for doc, f in facts.values():
        for t in f.targets:
            assert doc.text[t.evidence.start:t.evidence.end] == t.evidence.quote


def test_statute_jurisdiction(corpus_files):
    concepts = load_topic_scheme()
    seen = {}
    for path in corpus_files:
        doc = load_document(path)
        if doc.kind != "statute":
            continue
        title = doc.title or ""
        if title.startswith("中华人民共和国") and "national" not in seen:
            seen["national"] = extract_facts(doc, concepts).region.code
        elif title.startswith("浙江省") and "zhejiang" not in seen:
            seen["zhejiang"] = extract_facts(doc, concepts).region.code
    assert seen.get("national") == "100000"
    assert seen.get("zhejiang") == "330000"
