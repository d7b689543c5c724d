"""The typed API contract (api/schemas.py) and the service dependency, without a workspace:
the routers get a stand-in service through ``app.dependency_overrides[get_service]``."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.http import create_app, get_service
from api.schemas import AskAnswer, dump

REGION = {"code": "370400", "name": "枣庄市", "level": "prefecture", "province": "山东省", "anonymised": False}
ROW = {"id": "d1", "title": "方案", "issuer": "枣庄市教育局", "forwarded_by": None, "date": "2024-03-11",
       "doc_number": None, "region": REGION, "anonymised": False, "period": None, "kind": "plan",
       "source": {"file": "a.txt", "sha256": "0" * 64}, "clauses": 3}


class StandIn:
    def __init__(self, rows):
        self.rows = rows

    def documents(self):
        return self.rows


def app_with(service):
    app = create_app(lambda: (_ for _ in ()).throw(AssertionError("the real service was built")))
    app.dependency_overrides[get_service] = lambda: service
    return app


def test_the_service_dependency_can_be_overridden_and_the_contract_is_enforced():
    with TestClient(app_with(StandIn([ROW]))) as client:
        r = client.get("/documents")
        assert r.status_code == 200 and r.json()[0]["region"]["level"] == "prefecture"
    bad = dict(ROW, region=dict(REGION, level="galaxy"))  # not a RegionLevel
    with TestClient(app_with(StandIn([bad])), raise_server_exceptions=False) as client:
        assert client.get("/documents").status_code == 500


def test_openapi_shows_the_response_models():
    spec = TestClient(create_app(lambda: None)).get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    assert {"DocumentRow", "DocumentDetail", "ClauseHit", "Target", "Region", "BodyRow", "Neighbourhood",
            "IngestReport", "RegionsAnswer", "BodiesAnswer", "SearchAnswer"} <= set(schemas)
    assert schemas["RegionLevel"]["enum"] == ["country", "province", "prefecture", "county", "township"]
    assert {"deadline", "frequency", "period", "value_max"} <= set(schemas["Target"]["properties"])
    ok = spec["paths"]["/search"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert ok["$ref"].endswith("/SearchResponse")


def test_ask_answers_are_read_by_their_intent():
    base = {"question": "q", "fallback": False, "summary": None}
    bodies = dump(AskAnswer, {**base, "interpretation": {"intent": "bodies", "language": "zh"},
                             "answer": [{"id": "b", "name": "局", "kind": "government", "region": None,
                                         "level": "measure", "evidence": [{"kind": "measure", "role": "lead"}]}]})
    assert bodies["answer"][0]["evidence"][0]["role"] == "lead"
    count = dump(AskAnswer, {**base, "interpretation": {"intent": "count", "language": "en"},
                            "answer": [{"region": REGION, "documents": [], "evidence": [], "count": {"个": 3}}]})
    assert count["answer"][0]["count"] == {"个": 3}
