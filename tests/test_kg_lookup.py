"""kg.lookup.find_nodes: regions, bodies, topics and documents by the names people use."""

from __future__ import annotations

import pytest
from kg_fixtures import all_fixtures, fresh_store, load

from kg.lookup import find_nodes
from kg.projection import build

D = "https://policykg.org/doc/"
R = "https://policykg.org/region/"
B = "https://policykg.org/body/"
T = "https://policykg.org/topic/"


@pytest.fixture(scope="module")
def G(tmp_path_factory):
    s = fresh_store("oxigraph", tmp_path_factory.mktemp("lookup"))
    load(s, all_fixtures(), validate=True)
    G = build(s)
    s.close()
    return G


def test_a_region_name_finds_the_region_first_then_what_bears_its_name(G):
    found = find_nodes(G, "枣庄市")
    assert (found[0].id, found[0].kind, found[0].match, found[0].label) == (R + "370400", "region", "exact", "枣庄市")
    ids = [m.id for m in found]
    assert B + "zaozhuang-edu" in ids and D + "zz" in ids  # 枣庄市教育局, the 枣庄市 plan
    assert all(m.match != "exact" for m in found[1:])
    assert found[0].detail == "山东省枣庄市"


def test_full_names_english_labels_and_kinds(G):
    assert find_nodes(G, "山东省枣庄市")[0].id == R + "370400"
    teacher = find_nodes(G, "Teacher Training", kinds=["topic"])
    assert teacher and teacher[0].id == T + "teacher-training" and teacher[0].label == "教师培训"
    assert {m.kind for m in find_nodes(G, "教育局", kinds=["body"])} == {"body"}
    assert find_nodes(G, "枣庄市", kinds=["document"])[0].id == D + "zz"


def test_a_longer_phrase_still_finds_the_names_inside_it(G):
    found = find_nodes(G, "枣庄市教育局的文件")
    assert found and found[0].id == B + "zaozhuang-edu" and found[0].match == "within"


def test_nothing_matches_and_bad_input(G):
    assert find_nodes(G, "乌鲁木齐市") == []
    assert len(find_nodes(G, "市", limit=2)) == 2
    with pytest.raises(ValueError, match="q must name"):
        find_nodes(G, "  ")
    with pytest.raises(ValueError, match="unknown node kind 'clause'"):
        find_nodes(G, "枣庄市", kinds=["clause"])
