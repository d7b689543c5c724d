"""The analyst's page's endpoints: /overview, /compare, /compare/documents, /graph/find, the
table downloads (``format=csv|xlsx``) and a graph node given by name. The pure functions of
``api/overview.py`` on invented rows; the endpoints over the seed workspace."""

from __future__ import annotations

import csv as csv_module
from io import BytesIO, StringIO
from urllib.parse import quote

import pytest

from api import overview as ov

REGION_A = {"code": "370400", "name": "甲市", "level": "prefecture", "province": "甲省", "anonymised": False}
REGION_B = {"code": "350213", "name": "乙区", "level": "county", "province": "乙省", "anonymised": False}
TOPICS = [{"id": "teacher-training", "label_zh": "教师培训", "label_en": "Teacher training", "targets": 2, "measures": 3,
           "alt_zh": ["师资培训"]},
          {"id": "preschool", "label_zh": "学前教育", "label_en": "Preschool", "targets": 0, "measures": 1, "alt_zh": []}]
DOCS = [{"id": "d1", "title": "甲市行动计划", "date": "2024-03-01", "region": REGION_A, "clauses": 10, "anonymised": False},
        {"id": "d2", "title": "乙区工作要点", "date": "2023-09-01", "region": REGION_B, "clauses": 5, "anonymised": False}]
TARGETS = [
    {"doc": "d1", "region": REGION_A, "topics": ["teacher-training"], "value": 100, "unit": "人", "object": "骨干教师"},
    {"doc": "d1", "region": REGION_A, "topics": ["teacher-training"], "value": 2, "unit": "次", "object": "集中培训"},
    {"doc": "d2", "region": REGION_B, "topics": ["teacher-training"], "value": 30, "unit": "名", "object": "美育教师"},
]


def test_overview_counts_what_is_loaded_and_asks_about_its_topics() -> None:
    o = ov.overview(DOCS, TARGETS, TOPICS)
    assert o["counts"]["documents"] == 2 and o["counts"]["targets"] == 3 and o["counts"]["clauses"] == 15
    assert [y["year"] for y in o["by_year"]] == [2023, 2024]
    assert o["newest"][0]["id"] == "d1"
    questions = [e["question"] for e in o["examples"]]
    assert "哪些地区设定了教师培训的数量指标" in questions
    assert ov.overview([], [], [{**t, "targets": 0, "measures": 0} for t in TOPICS])["examples"] == []


def test_compare_matrix_counts_and_values_for_one_object() -> None:
    m = ov.compare_matrix(TARGETS, TOPICS)
    assert [r["code"] for r in m["regions"]] == ["370400", "350213"]
    assert [c["count"] for c in m["rows"][0]["cells"]] == [2, 1]
    one = ov.compare_matrix(TARGETS, TOPICS, obj="美育教师")
    assert [r["code"] for r in one["regions"]] == ["350213"]
    assert one["rows"][0]["cells"][0]["targets"][0]["value"] == 30


# ------------------------------------------------------------------ over the seeds


@pytest.fixture(scope="module")
def client(seed_service):
    from fastapi.testclient import TestClient

    from api.http import create_app

    with TestClient(create_app(seed_service, close_service=False, warm_service=False)) as c:
        yield c


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/targets", "/documents", "/ask?q=" + quote("哪些地区设定了教师培训的数量指标")])
def test_tables_download_as_csv_and_xlsx(client, path) -> None:
    from openpyxl import load_workbook

    sep = "&" if "?" in path else "?"
    rows = client.get(path).json()
    n = len(rows) if isinstance(rows, list) else sum(len(g["evidence"]) for g in rows["answer"])
    csv = client.get(f"{path}{sep}format=csv")
    assert csv.status_code == 200 and csv.headers["content-type"] == "text/csv; charset=utf-8"
    assert 'attachment; filename="policykg-' in csv.headers["content-disposition"]
    lines = list(csv_module.reader(StringIO(csv.content.decode("utf-8-sig"))))
    assert len(lines) == n + 1
    xlsx = client.get(f"{path}{sep}format=xlsx")
    assert xlsx.headers["content-type"].startswith("application/vnd.openxmlformats")
    assert ".xlsx" in xlsx.headers["content-disposition"]
    assert load_workbook(BytesIO(xlsx.content)).active.max_row == n + 1
    bad = client.get(f"{path}{sep}format=pdf")
    assert bad.status_code == 422 and "format" in bad.json()["error"]["message"]


@pytest.mark.slow
def test_targets_filter_by_province_and_object(client) -> None:
    rows = client.get("/targets", params={"province": "山东省"}).json()
    assert rows and all(r["region"]["province"] == "山东省" for r in rows)
    rows = client.get("/targets", params={"object": "名师"}).json()
    assert rows and all("名师" in (r["object"] or "") + (r["evidence"] or {}).get("quote", "") for r in rows)


@pytest.mark.slow
def test_overview_compare_and_find_over_the_seeds(client, seed_service) -> None:
    o = client.get("/overview").json()
    assert o["counts"]["documents"] == len(seed_service.documents())
    assert any(e["question"].startswith("哪些地区") for e in o["examples"])
    m = client.get("/compare").json()
    assert m["rows"] and len(m["regions"]) >= 4
    assert client.get("/compare", params={"topic": "nosuch"}).status_code == 422
    ids = [d["id"] for d in seed_service.documents()[:2]]
    side = client.get("/compare/documents", params={"ids": ",".join(ids)}).json()
    assert [d["id"] for d in side["documents"]] == ids and side["rows"]
    assert client.get("/compare/documents", params={"ids": ids[0]}).status_code == 422
    missing = client.get("/compare/documents", params={"ids": f"{ids[0]},nosuch"})
    assert missing.status_code == 404 and "nosuch" in missing.json()["error"]["message"]
    found = client.get("/graph/find", params={"q": "枣庄市"}).json()
    assert found[0]["kind"] == "region" and found[0]["id"].endswith("/region/370400")
    # the neighbourhood of a node given by its Chinese name: no 422
    hood = client.get("/graph/neighbourhood", params={"node": "枣庄市"})
    assert hood.status_code == 200 and hood.json()["center"].endswith("/region/370400")
    assert client.get("/favicon.ico").headers["content-type"].startswith("image/svg")
