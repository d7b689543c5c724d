"""Namespaces and IRI helpers: every node policykg mints is a readable, stable IRI.

Layout under ``BASE`` (no blank nodes anywhere: remote SPARQL stores reject them and a
replace-by-graph needs every node to be addressable):

- ``doc/{id}``                          a document (eli:LegalResource)
- ``doc/{id}/clause/{path}``            a clause (eli:LegalResourceSubdivision)
- ``doc/{id}/attachment/{n}``           an attachment (pkg:Attachment)
- ``doc/{id}/attachment/{n}/table/{k}`` a table of an attachment
- ``doc/{id}/measure/{path}``           a measure (pkg:Measure), path = its clause path
- ``doc/{id}/target/{n}``               a target (pkg:Target); its value node ``…/value``,
  its deadline ``…/deadline`` (time:Instant), its evidence ``…/evidence`` (oa:SpecificResource)
  and selector ``…/evidence/selector``
- ``doc/{id}/citation/{n}``             a document cited by this one (pkg:Citation)
- ``region/{adcode}``, ``body/{slug}``, ``topic/{id}``, ``body-kind/{kind}``   shared nodes
- ``graph/doc/{id}``, ``graph/shared``, ``graph/topics``, ``graph/ontology``   named graphs
"""

from __future__ import annotations

import re

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, ORG, OWL, PROV, RDF, RDFS, SKOS, TIME, XSD

BASE = "https://policykg.org/"
PKG = Namespace(BASE + "ontology#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
GEO = Namespace("http://www.w3.org/2003/01/geo/wgs84_pos#")
TOPIC = Namespace(BASE + "topic/")

SHARED_GRAPH = URIRef(BASE + "graph/shared")
TOPICS_GRAPH = URIRef(BASE + "graph/topics")
ONTOLOGY_GRAPH = URIRef(BASE + "graph/ontology")
DOC_GRAPH_PREFIX = BASE + "graph/doc/"
DOC_PREFIX = BASE + "doc/"

PREFIXES: dict[str, str] = {
    "pkg": str(PKG),
    "eli": str(ELI),
    "dcterms": str(DCTERMS),
    "skos": str(SKOS),
    "org": str(ORG),
    "prov": str(PROV),
    "oa": str(OA),
    "schema": str(SCHEMA),
    "time": str(TIME),
    "geo": str(GEO),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "topic": str(TOPIC),
}

# Characters that may not appear in an IRI (RFC 3987 / SPARQL IRIREF); everything else,
# including Chinese characters, stays readable. '/' is escaped too so that a segment stays one
# segment; '#' and '?' would end the path.
_UNSAFE = re.compile(r'[\x00-\x20<>"{}|\\^`/#?%]')


class IRISegmentError(ValueError):
    """An id that is empty or only whitespace cannot name a node."""


def segment(value: str) -> str:
    """One IRI path segment: readable text with only unsafe characters percent-encoded."""
    value = str(value).strip()
    if not value:
        raise IRISegmentError(f"an IRI segment cannot be empty (got {value!r})")
    return _UNSAFE.sub(lambda m: "".join(f"%{b:02X}" for b in m.group().encode("utf-8")), value)


def doc_iri(doc_id: str) -> URIRef:
    return URIRef(DOC_PREFIX + segment(doc_id))


def clause_iri(doc_id: str, path: str) -> URIRef:
    return URIRef(f"{doc_iri(doc_id)}/clause/{segment(path)}")


def attachment_iri(doc_id: str, number: int) -> URIRef:
    return URIRef(f"{doc_iri(doc_id)}/attachment/{int(number)}")


def table_iri(doc_id: str, attachment: int, k: int) -> URIRef:
    return URIRef(f"{attachment_iri(doc_id, attachment)}/table/{int(k)}")


def measure_iri(doc_id: str, path: str) -> URIRef:
    return URIRef(f"{doc_iri(doc_id)}/measure/{segment(path)}")


def target_iri(doc_id: str, n: int) -> URIRef:
    return URIRef(f"{doc_iri(doc_id)}/target/{int(n)}")


def citation_iri(doc_id: str, n: int) -> URIRef:
    return URIRef(f"{doc_iri(doc_id)}/citation/{int(n)}")


def region_iri(code: str) -> URIRef:
    return URIRef(BASE + "region/" + segment(code))


def body_iri(slug: str) -> URIRef:
    return URIRef(BASE + "body/" + segment(slug))


def body_kind_iri(kind: str) -> URIRef:
    return URIRef(BASE + "body-kind/" + segment(kind))


def topic_iri(topic_id: str) -> URIRef:
    return URIRef(str(TOPIC) + segment(topic_id))


def doc_graph_iri(doc_id: str) -> URIRef:
    return URIRef(DOC_GRAPH_PREFIX + segment(doc_id))


def doc_id_of(iri: str) -> str | None:
    """The document id inside any IRI minted under ``doc/{id}`` (clause, target, …)."""
    for prefix in (DOC_PREFIX, DOC_GRAPH_PREFIX):
        if str(iri).startswith(prefix):
            rest = str(iri)[len(prefix):]
            return rest.split("/", 1)[0] or None
    return None


def local_id(iri: str, prefix: str) -> str | None:
    """The last part of ``iri`` after ``BASE + prefix`` (``topic/``, ``region/``, ``body/``)."""
    full = BASE + prefix
    return str(iri)[len(full):] if str(iri).startswith(full) else None
