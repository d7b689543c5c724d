"""The graph for people on the seed workspace: nodes by name, Chinese labels, plumbing folded
into its parents in the neighbourhood and in GraphML."""

from __future__ import annotations

import re

import pytest

from api.errors import InvalidParameter

pytestmark = pytest.mark.slow

R = "https://policykg.org/region/"


def test_find_nodes_by_name(seed_service):
    found = seed_service.find_nodes("枣庄市")
    assert found[0]["id"] == R + "370400" and found[0]["kind"] == "region" and found[0]["match"] == "exact"
    assert {"body", "document"} <= {m["kind"] for m in found}
    topic = seed_service.find_nodes("美育", kind="topic")[0]
    assert topic["label"] != topic["id"].rsplit("/", 1)[-1]  # a Chinese label, not the English id
    assert seed_service.find_nodes("新时代基础教育扩优提质", kind="document")
    with pytest.raises(InvalidParameter, match="kind"):
        seed_service.find_nodes("枣庄市", kind="clause")
    with pytest.raises(InvalidParameter, match="q"):
        seed_service.find_nodes(" ")


def test_neighbourhood_takes_a_name(seed_service):
    assert seed_service.neighbourhood("枣庄市")["center"] == R + "370400"
    with pytest.raises(InvalidParameter, match="did you mean 枣庄市"):
        seed_service.neighbourhood("枣庄")


def test_a_documents_neighbourhood_shows_facts_not_plumbing(seed_service):
    doc = next(d for d in seed_service.documents() if d["region"] and d["region"]["name"] == "枣庄市")
    hood = seed_service.neighbourhood(doc["id"], depth=1)
    kinds = {n["kind"] for n in hood["nodes"]}
    assert {"document", "measure", "region", "body"} <= kinds
    assert not kinds & {"clause", "citation", "other"}
    assert len(hood["nodes"]) < 60  # it was ~90 with every clause, target and citation
    assert all(n["label"] and "/" not in n["label"] for n in hood["nodes"])
    measure = next(n for n in hood["nodes"] if n["kind"] == "measure" and n.get("text"))
    assert measure["path"] and measure["clause"].endswith("/clause/" + measure["path"])
    topics = [n for n in seed_service.neighbourhood(doc["id"], depth=2)["nodes"] if n["kind"] == "topic"]
    assert topics and all(re.search(r"[\u4e00-\u9fff]", t["label"]) for t in topics)  # Chinese labels
    # a clause IRI (a search hit's) centres on the measure holding it
    hit = seed_service.search("加强培训体系建设", k=1, doc=doc["id"])["results"][0]
    assert seed_service.neighbourhood(hit["clause_id"])["center"] != hit["clause_id"]
