"""A real uvicorn server on a loopback port, queried by SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest
from conftest import serve_app

from api.http import create_app

pytestmark = pytest.mark.slow

REGION_Q = """PREFIX pkg: <https://policykg.org/ontology#>
SELECT ?r ?code WHERE { ?r a pkg:Region ; pkg:adcode ?code } ORDER BY ?code"""


@pytest.fixture(scope="module")
def server(seed_service):
    app = create_app(lambda: seed_service, close_service=False, sparql_time_limit=0.3, sparql_row_limit=100_000)
    with serve_app(app) as url:
        yield url


def test_sparqlwrapper_select_json_and_xml(server):
    from SPARQLWrapper import JSON, XML, SPARQLWrapper

    sw = SPARQLWrapper(f"{server}/sparql")
    sw.setQuery(REGION_Q)
    sw.setReturnFormat(JSON)
    rows = sw.query().convert()["results"]["bindings"]
    codes = [b["code"]["value"] for b in rows]
    assert {"350213", "370400", "130800", "330304"} <= set(codes)
    sw.setReturnFormat(XML)
    doc = sw.query().convert()  # xml.dom.minidom Document
    values = [n.firstChild.data for n in doc.getElementsByTagName("literal")]
    assert "350213" in values


def test_sparqlwrapper_ask_and_construct(server):
    from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

    sw = SPARQLWrapper(f"{server}/sparql")
    sw.setQuery("PREFIX pkg: <https://policykg.org/ontology#> ASK { ?t a pkg:Target }")
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True
    sw.setQuery("PREFIX pkg: <https://policykg.org/ontology#> "
                "CONSTRUCT { ?r a pkg:Region } WHERE { ?r a pkg:Region }")
    sw.setReturnFormat(TURTLE)
    data = sw.query().convert()
    import rdflib

    g = rdflib.Graph().parse(data=data, format="turtle")
    assert (rdflib.URIRef("https://policykg.org/region/350213"), rdflib.RDF.type,
            rdflib.URIRef("https://policykg.org/ontology#Region")) in g
    sw.setReturnFormat("xml")  # SPARQLWrapper's default for CONSTRUCT: RDF/XML → rdflib Graph
    g2 = sw.query().convert()
    assert len(g2) == len(g)


def test_sparqlwrapper_update_is_refused(server):
    from SPARQLWrapper import POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

    sw = SPARQLWrapper(f"{server}/sparql", updateEndpoint=f"{server}/sparql")
    sw.setMethod(POST)
    sw.setQuery("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    with pytest.raises(QueryBadFormed):
        sw.query()
    sw.setQuery("ASK { <urn:a> <urn:b> <urn:c> }")
    sw.setReturnFormat("json")
    assert sw.query().convert()["boolean"] is False


def test_rdflib_sparqlstore(server):
    from rdflib import Graph
    from rdflib.plugins.stores.sparqlstore import SPARQLStore

    g = Graph(store=SPARQLStore(query_endpoint=f"{server}/sparql"))
    rows = list(g.query(REGION_Q))
    assert "350213" in {str(r.code) for r in rows}


def test_slow_query_is_cut(server):
    q = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
    url = f"{server}/sparql?" + urllib.parse.urlencode({"query": q})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(url, timeout=30)
    assert info.value.code == 503
    assert "time limit" in json.loads(info.value.read())["error"]["message"]
    # the server still answers afterwards
    with urllib.request.urlopen(f"{server}/health", timeout=30) as r:
        assert json.loads(r.read())["status"] == "ok"
