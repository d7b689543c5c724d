"""The networkx projection and the exports (Turtle, JSON-LD, GraphML, GEXF)."""

from __future__ import annotations

import io
import json

import networkx as nx
import pytest
from kg_fixtures import all_fixtures, fresh_store, load
from rdflib import Graph

from kg.export import export, export_store
from kg.projection import build, central, from_rdf, neighbourhood, resolve, shortest_path

D = "https://policykg.org/doc/"
R = "https://policykg.org/region/"
B = "https://policykg.org/body/"
T = "https://policykg.org/topic/"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = fresh_store("oxigraph", tmp_path_factory.mktemp("projection"))
    load(s, all_fixtures(), validate=True)
    yield s
    s.close()


@pytest.fixture(scope="module")
def G(store):
    return build(store)


def test_nodes_have_kind_and_label_and_literals_are_attributes(G):
    assert G.nodes[D + "zz"]["kind"] == "document"
    assert G.nodes[D + "zz"]["label"] == "枣庄市初中教育质量提升行动计划"
    assert G.nodes[R + "370400"]["label"] == "枣庄市"
    assert G.nodes[T + "teacher-training"]["label"] == "教师培训"
    assert G.nodes[B + "zaozhuang-edu"]["body_kind"] == "education-bureau"
    target = G.nodes[D + "zz/target/1"]
    assert (target["kind"], target["value"], target["unit"], target["deadline"], target["quote"]) == (
        "target", 1000, "名", "2025", "到2025年，全市培训骨干教师1000名")
    assert not any(isinstance(n, str) and n.endswith(("/value", "/evidence", "/selector")) for n in G.nodes)
    assert "https://policykg.org/ontology#Target" not in G  # no class nodes, no literal nodes


def test_neighbourhood_by_depth(G):
    one = neighbourhood(G, R + "370400", 1)
    assert {D + "zz", R + "370000", R + "370481", B + "zaozhuang-edu"} <= set(one.nodes)
    assert D + "zz/target/1" not in one
    two = neighbourhood(G, R + "370400", 2)
    assert D + "zz/measure/2.1" in two and set(one.nodes) < set(two.nodes)
    with pytest.raises(KeyError):
        neighbourhood(G, "https://policykg.org/region/nowhere", 1)


def test_plumbing_is_folded_into_its_parents(G, store):
    kinds = {a["kind"] for _, a in G.nodes(data=True)}
    assert not kinds & {"clause", "citation", "other"}
    measure = G.nodes[D + "zz/measure/2.1"]  # the measure holds its clause's path and text
    assert (measure["label"], measure["path"], measure["clause"]) == ("加强教师培训", "2.1", D + "zz/clause/2.1")
    assert measure["text"].startswith("加强教师培训。每年培训校长不少于200人")
    doc = G.nodes[D + "zz"]
    assert set(doc["cites"].split("; ")) == {"xx市义务教育质量提升实施方案", "山东省教育现代化规划"}
    assert G.nodes[D + "zz/target/2"]["label"] == "校长培训 ≥200人"
    assert G.nodes[D + "anon/target/1"]["label"] == "市级名师 xx名"
    # a target with a measure hangs from the measure, one without from the document
    assert G.has_edge(D + "zz/measure/2.1", D + "zz/target/2") and not G.has_edge(D + "zz/target/2", D + "zz")
    assert G.has_edge(D + "zz/target/1", D + "zz")
    # a clause's topics move to its holder; a clause IRI still finds its place
    assert G.has_edge(D + "zz", T + "teacher-training")  # from clause 1.1, which has no measure
    assert resolve(G, D + "zz/clause/2.1") == D + "zz/measure/2.1" and resolve(G, D + "zz/clause/1") == D + "zz"
    assert not [n for n in neighbourhood(G, D + "zz", 2) if "/clause/" in n or "/citation/" in n]
    raw = from_rdf(store.construct("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }"), fold=False)
    assert D + "zz/clause/2.1" in raw and raw.nodes[D + "zz/citation/1"]["kind"] == "citation"


def test_graphml_is_folded_and_turtle_keeps_every_triple(store):
    graphml = nx.read_graphml(io.BytesIO(export_store(store, "graphml", node=D + "zz/clause/2.1", depth=1)))
    assert D + "zz/measure/2.1" in graphml and not [n for n in graphml if "/clause/" in n]
    assert graphml.nodes[D + "zz/measure/2.1"]["text"].startswith("加强教师培训")
    ttl = export_store(store, "ttl", node=D + "zz", depth=1).decode("utf-8")
    g = Graph().parse(data=ttl, format="turtle")
    assert D + "zz/clause/2.1" in {str(s) for s in g.subjects()}


def test_shortest_path_ignores_direction(G):
    path = shortest_path(G, R + "370100", R + "370400")  # 济南市 and 枣庄市 share 山东省
    assert path == [R + "370100", R + "370000", R + "370400"]
    assert shortest_path(G, D + "jn", D + "jn") == [D + "jn"]


def test_central_bodies_and_topics(G):
    bodies = central(G, "body", 2)
    assert bodies[0]["node"] == B + "zaozhuang-edu"  # issuer, lead body, forwarded plan's author
    topics = central(G, "topic", 1, measure="betweenness")
    assert topics[0]["node"] == T + "teacher-training"
    with pytest.raises(ValueError):
        central(G, "body", 3, measure="pagerank")


def test_exports_whole_graph_in_every_format(store):
    ttl = export_store(store, "ttl")
    g = Graph().parse(data=ttl.decode("utf-8"), format="turtle")
    assert len(g) == len(store.dump()) - len(store.construct(
        "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://policykg.org/graph/ontology> { ?s ?p ?o } }"))
    jsonld = json.loads(export_store(store, "jsonld"))
    assert "@context" in jsonld
    graphml = nx.read_graphml(io.BytesIO(export_store(store, "graphml")))
    gexf = nx.read_gexf(io.BytesIO(export_store(store, "gexf")))
    G = build(store)
    assert graphml.number_of_nodes() == gexf.number_of_nodes() == G.number_of_nodes()
    assert graphml.number_of_edges() == G.number_of_edges()
    for _, attrs in graphml.nodes(data=True):
        assert all(isinstance(v, (str, int, float)) for v in attrs.values())


def test_export_of_a_neighbourhood(store):
    ttl = export_store(store, "ttl", node=R + "370400", depth=1)
    g = Graph().parse(data=ttl.decode("utf-8"), format="turtle")
    subjects = {str(s) for s in g.subjects()}
    assert D + "zz" in subjects and R + "370400" in subjects
    assert not any(s.startswith(D + "jn") for s in subjects)
    gexf = nx.read_gexf(io.BytesIO(export_store(store, "gexf", node=R + "370400", depth=1)))
    assert D + "zz" in gexf and D + "jn" not in gexf


def test_unknown_format_is_a_clear_error(store):
    with pytest.raises(ValueError, match="choose one of"):
        export_store(store, "csv")
    with pytest.raises(ValueError, match="cannot be written as RDF"):
        export(build(store), "ttl")
