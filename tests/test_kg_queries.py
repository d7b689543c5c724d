"""Named queries: exact rows on the hand-made documents (every store kind), and rows written by
reading the five seed plans (embedded Oxigraph and a real oxigraph server)."""

from __future__ import annotations

import json

import pytest
from conftest import GOLD, SEED_FILES
from kg_fixtures import all_fixtures, fresh_store, load, oxigraph_server

from kg.mapping import document_graph, shared_graph
from kg.queries import get_named, list_named, render_named, run_named
from kg.sparql import BindingError
from kg.validate import validate

NAMED = [
    "regions_with_targets_on_topic",
    "targets_by_deadline",
    "bodies_for_topic",
    "documents_in_region",
    "citations",
    "forwarding_chains",
]
R = "https://policykg.org/region/"
D = "https://policykg.org/doc/"
B = "https://policykg.org/body/"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-queries")) as url:
        yield url


@pytest.fixture(scope="module", params=["memory", "oxigraph", "remote"])
def made(request, tmp_path_factory, server):
    store = fresh_store(request.param, tmp_path_factory.mktemp(f"made-{request.param}"), server)
    load(store, all_fixtures(), validate=True)
    yield store
    store.close()


def pick(rows, *keys):
    return [tuple(r[k] for k in keys) for r in rows]


# ---------------------------------------------------------------- loader


def test_every_named_query_is_listed_with_its_parameters():
    names = list_named()
    for name in NAMED:
        assert name in names
        assert get_named(name).description
    assert [p.name for p in get_named("regions_with_targets_on_topic").params if p.required] == ["topic"]


def test_missing_unknown_and_bad_bindings_are_clear_errors():
    with pytest.raises(BindingError, match="'topic' is required"):
        render_named("regions_with_targets_on_topic")
    with pytest.raises(BindingError, match="unknown parameter"):
        render_named("citations", colour="red")
    with pytest.raises(BindingError, match="expected a year"):
        render_named("targets_by_deadline", year="next year")
    with pytest.raises(KeyError, match="no named query"):
        get_named("no_such_query")


def test_optional_filters_are_left_out_when_unbound():
    text = render_named("targets_by_deadline")
    assert "VALUES ?year" not in text and "?from_year" not in text.split("WHERE", 1)[1]
    assert "FILTER(?deadline >= ?from_year)" in render_named("targets_by_deadline", from_year=2020)
    assert '"2027"^^<http://www.w3.org/2001/XMLSchema#gYear>' in render_named("targets_by_deadline", year=2027)


# ---------------------------------------------------------------- hand-made documents, exact rows


def test_regions_with_targets_on_topic_exact(made):
    rows = run_named(made, "regions_with_targets_on_topic", topic="teacher-training")
    assert pick(rows, "code", "province", "anonymised", "value", "placeholder", "unit", "deadline", "path", "quote") == [
        ("370400", "山东省", False, 1000, False, "名", 2025, "1.1", "到2025年，全市培训骨干教师1000名"),
        ("anon-anon-prefecture", None, True, None, True, "名", 2027, "1.1", "到2027年，培育xx名市级名师"),
    ]
    assert rows[0]["clause"] == D + "zz/clause/1.1" and rows[0]["region_name"] == "枣庄市"
    # with a year filter only the 2027 placeholder remains
    rows = run_named(made, "regions_with_targets_on_topic", topic="teacher-training", year=2027)
    assert pick(rows, "code") == [("anon-anon-prefecture",)]
    # a topic nobody set a target on gives no rows
    assert run_named(made, "regions_with_targets_on_topic", topic="funding") == []


def test_targets_by_deadline_exact(made):
    rows = run_named(made, "targets_by_deadline", year=2027)
    assert pick(rows, "deadline", "code", "value", "unit", "object") == [
        (2027, "anon-anon-prefecture", None, "名", "市级名师"),
        (2027, "370100", 97, "%", "适龄残疾儿童入学率"),
    ]
    assert pick(run_named(made, "targets_by_deadline", from_year=2020, to_year=2026), "deadline", "code") == [
        (2025, "370400")
    ]
    assert len(run_named(made, "targets_by_deadline")) == 3  # every target with a deadline


def test_bodies_for_topic_exact(made):
    rows = run_named(made, "bodies_for_topic", topic="teacher-training")
    assert sorted(pick(rows, "body", "name", "kind", "measures", "lead_measures", "documents")) == [
        (B + "anon-edu", "xx市教育局", "education-bureau", 1, 0, 1),
        (B + "zaozhuang-edu", "枣庄市教育局", "education-bureau", 1, 1, 1),
        (B + "zaozhuang-finance", "枣庄市财政局", "finance", 1, 0, 1),
    ]
    assert pick(run_named(made, "bodies_for_topic", topic="special-education"), "name") == [("济南市教育局",)]


def test_documents_in_region_includes_sub_regions(made):
    rows = run_named(made, "documents_in_region", region="370000")  # 山东省
    assert pick(rows, "id", "code") == [("jn", "370100"), ("zz", "370400")]
    assert pick(run_named(made, "documents_in_region", region="370400"), "id") == [("zz",)]
    assert run_named(made, "documents_in_region", region="370481") == []  # 滕州市 only forwarded it


def test_citations_resolve_documents_in_the_store(made):
    rows = run_named(made, "citations")
    assert pick(rows, "doc", "n", "cited_title", "cited_number", "cited") == [
        (D + "jn", 1, "枣庄市初中教育质量提升行动计划", None, D + "zz"),
        (D + "zz", 1, "xx市义务教育质量提升实施方案", None, D + "anon"),
        (D + "zz", 2, "山东省教育现代化规划", "鲁政发〔2020〕1号", None),
    ]
    assert len(run_named(made, "citations", doc="jn")) == 1


def test_forwarding_chains_exact(made):
    rows = run_named(made, "forwarding_chains")
    assert pick(rows, "doc", "issuer_name", "forwarder_name", "forwarder_region", "region_name") == [
        (D + "zz", "枣庄市教育局", "滕州市教育和体育局", R + "370481", "枣庄市")
    ]


# ---------------------------------------------------------------- the five seed plans


@pytest.fixture(scope="session")
def seed_pairs(seed_files):
    from ingest import load_document
    from ingest.extract import extract_facts
    from kg.topics import load_topic_scheme

    topics = load_topic_scheme()
    pairs = {}
    for key, path in seed_files.items():
        doc = load_document(path)
        pairs[key] = (doc, extract_facts(doc, topics))
    return pairs


@pytest.fixture(scope="module", params=["oxigraph", "remote"])
def seeds(request, tmp_path_factory, server, seed_pairs):
    store = fresh_store(request.param, tmp_path_factory.mktemp(f"seeds-{request.param}"), server)
    load(store, seed_pairs.values(), validate=False)
    yield store
    store.close()


def test_seeds_validate(seed_pairs):
    for key, (doc, facts) in seed_pairs.items():
        assert validate(document_graph(doc, facts), shared_graph(doc, facts)) == [], key


def test_seed_regions_with_teacher_training_targets(seeds, seed_pairs):
    rows = run_named(seeds, "regions_with_targets_on_topic", topic="teacher-training")
    by_region = {}
    for r in rows:
        by_region.setdefault(r["code"], []).append(r)
    # 承德: 年内认定100名市级名师 (3.2); 枣庄: 差额培养枣庄名师人选40人 (3.4); xx市: 定向培养师范生 xx名
    assert any(r["value"] == 100 and "100名市级名师" in r["quote"] for r in by_region["130800"])
    assert any(r["value"] == 40 and r["unit"] == "人" for r in by_region["370400"])
    anon_code = f"anon-{seed_pairs['anon'][0].id}-prefecture"
    assert any(r["placeholder"] and r["value"] is None for r in by_region[anon_code])
    provinces = {r["code"]: (r["province"], r["anonymised"]) for r in rows}
    assert provinces["130800"] == ("河北省", False)
    assert provinces["370400"] == ("山东省", False)
    assert provinces[anon_code] == (None, True)
    # every answer carries its evidence: the quote is the exact span of the seed text
    texts = {doc.id: doc.text for doc, _ in seed_pairs.values()}
    for r in rows:
        assert texts[r["doc"].rsplit("/", 1)[-1]][r["start"]:r["end"]] == r["quote"]


def test_seed_targets_due_in_2027_are_the_anonymised_plans(seeds, seed_pairs):
    rows = run_named(seeds, "targets_by_deadline", year=2027)
    anon_id = seed_pairs["anon"][0].id
    # only the xx市 plan sets 2027 deadlines (到2027年 … xx%以上 …); its numbers are placeholders
    assert rows and {r["doc"] for r in rows} == {D + anon_id}
    assert any(r["placeholder"] and r["unit"] == "%" for r in rows)
    assert all(r["deadline"] == 2027 for r in rows)


def test_seed_bodies_for_teacher_training(seeds):
    rows = run_named(seeds, "bodies_for_topic", topic="teacher-training")
    names = {r["name"]: r for r in rows}
    # 枣庄: 全面实施与枣庄学院共建教师… (teacher education with the local university)
    assert names["枣庄学院"]["kind"] == "university"
    assert all(r["measures"] >= 1 for r in rows)


def test_seed_documents_in_province_find_city_and_county_plans(seeds, seed_pairs):
    ids = {k: d.id for k, (d, _) in seed_pairs.items()}
    def docs(region):
        return [r["id"] for r in run_named(seeds, "documents_in_region", region=region)]
    assert docs("370000") == [ids["zaozhuang"]]  # 山东省 → 枣庄市's plan
    assert docs("130000") == [ids["chengde"]]  # 河北省 → 承德市
    assert docs("330000") == [ids["ouhai"]]  # 浙江省 → 温州市瓯海区
    assert docs("350200") == [ids["xiangan"]]  # 厦门市 → 翔安区
    assert docs("370481") == []  # 滕州市 forwarded 枣庄's plan; the plan is not 滕州's


def test_seed_citations_match_the_gold_lists(seeds, seed_pairs):
    gold = {d["doc"]: d for d in json.loads((GOLD / "docs_003_004.json").read_text(encoding="utf-8"))}
    for key in ("chengde", "ouhai"):
        doc = seed_pairs[key][0]
        rows = run_named(seeds, "citations", doc=doc.id)
        expected = [(c["title"], c["doc_number"]) for c in gold[SEED_FILES[key].name]["cited_documents"]]
        assert pick(rows, "cited_title", "cited_number") == expected


def test_seed_forwarding_chain_zaozhuang_by_tengzhou(seeds, seed_pairs):
    rows = run_named(seeds, "forwarding_chains")
    assert len(rows) == 1
    row = rows[0]
    assert row["doc"] == D + seed_pairs["zaozhuang"][0].id
    assert (row["issuer_name"], row["forwarder_name"]) == ("枣庄市教育局", "滕州市教育和体育局")
    assert row["applies_to"] == R + "370400"
