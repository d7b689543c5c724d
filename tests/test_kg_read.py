"""Read models for the API (kg.read) on the hand-made documents, in embedded Oxigraph."""

from __future__ import annotations

import pytest
from kg_fixtures import all_fixtures, fresh_store, load

from kg import read

D = "https://policykg.org/doc/"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = fresh_store("oxigraph", tmp_path_factory.mktemp("read"))
    load(s, all_fixtures(), validate=True)
    yield s
    s.close()


def test_documents_list_with_region_and_counts(store):
    rows = {r["id"]: r for r in read.documents(store)}
    assert set(rows) == {"zz", "anon", "jn"}
    zz = rows["zz"]
    assert (zz["title"], zz["code"], zz["province"], zz["clauses"], zz["targets"]) == (
        "枣庄市初中教育质量提升行动计划", "370400", "山东省", 4, 2)
    assert (zz["doc_number"], zz["date"], zz["forwarder_name"], zz["source"]) == (
        "枣教发〔2024〕3号", "2024-03-01", "滕州市教育和体育局", "zz.txt")
    assert rows["anon"]["anonymised"] is True


def test_document_tree_nests_clauses_in_order(store):
    doc = read.document(store, "zz")
    assert [c["path"] for c in doc["clauses"]] == ["1", "2"]
    assert [c["path"] for c in doc["clauses"][1]["children"]] == ["2.1"]
    assert doc["clauses"][1]["children"][0]["heading"] == "加强教师培训"
    assert [t["n"] for t in doc["targets"]] == [1, 2]
    assert {(b["name"], b["role"]) for b in doc["bodies"]} >= {("枣庄市教育局", "issuer"), ("滕州市教育和体育局", "forwarder")}
    assert doc["measures"][0]["path"] == "2.1"
    assert read.document(store, "nope") is None
    assert read.document(store, D + "jn")["id"] == "jn"  # an IRI works too


def test_clause_with_measure_bodies_and_targets(store):
    c = read.clause(store, D + "zz/clause/2.1")
    assert c["id"] == "zz" and c["path"] == "2.1" and c["code"] == "370400"
    assert c["topics"] == ["principal-development", "teacher-training"]
    (measure,) = c["measures"]
    assert {(b["name"], b["role"]) for b in measure["bodies"]} == {
        ("枣庄市教育局", "lead"), ("枣庄市财政局", "participant")}
    assert [(t["value"], t["unit"], t["comparator"], t["frequency"]) for t in c["targets"]] == [(200, "人", ">=", "每年")]
    assert read.clause(store, D + "zz/clause/9.9") is None
    with pytest.raises(ValueError):
        read.clause(store, "not-an-iri")


def test_targets_filters(store):
    assert {t["id"] for t in read.targets(store)} == {"zz", "anon", "jn"}
    assert [t["quote"] for t in read.targets(store, topic="special-education")] == ["到2027年，适龄残疾儿童入学率达到97%以上"]
    assert {(t["id"], t["n"]) for t in read.targets(store, region="山东省")} == {("zz", 1), ("zz", 2), ("jn", 1)}
    assert {(t["id"], t["n"]) for t in read.targets(store, region="370000", year=2025)} == {("zz", 1)}
    assert read.targets(store, region="北京市") == []  # a region the graph does not know
    assert [t["topics"] for t in read.targets(store, doc="jn")] == [["special-education"]]


def test_regions_bodies_topics_with_counts(store):
    regions = {r["code"]: r for r in read.regions(store)}
    assert regions["370000"]["documents"] == 0 and regions["370000"]["documents_incl_sub"] == 2
    assert regions["370000"]["targets"] == 3
    assert regions["370400"]["parent_code"] == "370000"
    bodies = {b["slug"]: b for b in read.bodies(store)}
    assert bodies["zaozhuang-edu"]["issued_documents"] == 1 and bodies["zaozhuang-edu"]["lead_measures"] == 1
    assert bodies["tengzhou-edu"]["forwarded_documents"] == 1
    topics = {t["id"]: t for t in read.topics(store)}
    assert topics["teacher-training"]["targets"] == 2 and topics["teacher-training"]["label_zh"] == "教师培训"
    assert topics["funding"]["targets"] == 0


def test_clause_metadata_and_texts_for_the_search_index(store):
    meta = read.clause_metadata(store, [D + "zz/clause/2.1", D + "jn/clause/1", D + "zz/clause/9.9"])
    assert set(meta) == {D + "zz/clause/2.1", D + "jn/clause/1"}
    assert (meta[D + "jn/clause/1"]["id"], meta[D + "jn/clause/1"]["source"], meta[D + "jn/clause/1"]["code"]) == (
        "jn", "jn.txt", "370100")
    texts = read.clause_texts(store, "jn")
    assert [(t["clause_id"], t["text"]) for t in texts] == [
        (D + "jn/clause/1", "一、办好特殊教育"), (D + "jn/clause/1.1", "到2027年，适龄残疾儿童入学率达到97%以上。")]


def test_allowed_clauses_by_filters(store):
    assert read.allowed_clauses(store) is None
    assert read.allowed_clauses(store, province="山东省", topic="teacher-training") == {
        D + "zz/clause/1.1", D + "zz/clause/2.1"}
    assert read.allowed_clauses(store, has_target=True, deadline=2027) == {D + "anon/clause/1.1", D + "jn/clause/1.1"}
    assert read.allowed_clauses(store, doc="jn") == {D + "jn/clause/1", D + "jn/clause/1.1"}
    assert read.allowed_clauses(store, year=2025) == {D + f"zz/clause/{p}" for p in ("1", "1.1", "2", "2.1")}
    assert read.allowed_clauses(store, region="枣庄市", has_target=False) == {D + "zz/clause/1", D + "zz/clause/2"}
