"""Read models over the store for the service: documents, clause trees, targets, regions,
bodies, topics and clause metadata for search hits, as JSON-ready dicts.

kg/read.py (the contract in docs/architecture.md) had not landed when the API was wired, so
these queries live here, written against kg/mapping.py's vocabulary (kg/ontology.ttl). They
go through ``store.select`` (the project's prefixes are predeclared; bindings are injected as
VALUES by kg.sparql, never by string formatting). ``Catalog`` caches the small, frequently
joined tables (documents, regions, targets, measures) and is rebuilt after every write.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kg.namespaces import BASE, clause_iri, doc_iri, topic_iri

TOPIC_PREFIX = BASE + "topic/"
REGION_PREFIX = BASE + "region/"

Q_DOCUMENTS = """
SELECT ?d ?id ?title ?issuer ?fwd ?date ?num ?period ?file ?sha ?region ?kind WHERE {
  ?d a eli:LegalResource ; dcterms:identifier ?id .
  OPTIONAL { ?d eli:title ?title } OPTIONAL { ?d pkg:issuerName ?issuer }
  OPTIONAL { ?d pkg:forwarderName ?fwd } OPTIONAL { ?d eli:date_document ?date }
  OPTIONAL { ?d eli:id_local ?num } OPTIONAL { ?d pkg:period ?period }
  OPTIONAL { ?d dcterms:source ?file } OPTIONAL { ?d pkg:sha256 ?sha }
  OPTIONAL { ?d pkg:appliesTo ?region } OPTIONAL { ?d pkg:documentKind ?kind }
}"""
Q_CLAUSE_COUNTS = """
SELECT ?d (COUNT(?c) AS ?n) WHERE { ?c a eli:LegalResourceSubdivision ; pkg:inDocument ?d ; pkg:text ?t } GROUP BY ?d"""
Q_REGIONS = """
SELECT ?r ?code ?name ?level ?province ?full ?anon ?parent ?lat ?lon WHERE {
  ?r a pkg:Region ; pkg:adcode ?code .
  OPTIONAL { ?r skos:prefLabel ?name } OPTIONAL { ?r pkg:level ?level }
  OPTIONAL { ?r pkg:province ?province } OPTIONAL { ?r pkg:fullName ?full }
  OPTIONAL { ?r pkg:anonymised ?anon } OPTIONAL { ?r skos:broader ?parent }
  OPTIONAL { ?r geo:lat ?lat } OPTIONAL { ?r geo:long ?lon }
}"""
Q_TARGETS = """
SELECT ?t ?d ?n ?ph ?cmp ?value ?vmax ?unit ?obj ?deadline ?freq ?period ?clause ?cpath ?quote ?start ?end WHERE {
  ?t a pkg:Target ; pkg:inDocument ?d ; pkg:order ?n .
  OPTIONAL { ?t pkg:placeholder ?ph } OPTIONAL { ?t pkg:comparator ?cmp }
  OPTIONAL { ?t pkg:quantity ?q . OPTIONAL { ?q schema:value ?value } OPTIONAL { ?q schema:maxValue ?vmax }
             OPTIONAL { ?q schema:unitText ?unit } }
  OPTIONAL { ?t pkg:countedObject ?obj } OPTIONAL { ?t pkg:deadline/time:inXSDgYear ?deadline }
  OPTIONAL { ?t pkg:frequency ?freq } OPTIONAL { ?t pkg:period ?period }
  OPTIONAL { ?t prov:wasDerivedFrom ?clause . OPTIONAL { ?clause pkg:path ?cpath } }
  OPTIONAL { ?t pkg:evidence/oa:hasSelector ?sel . OPTIONAL { ?sel oa:exact ?quote }
             OPTIONAL { ?sel oa:start ?start } OPTIONAL { ?sel oa:end ?end } }
}"""
Q_TOPIC_LINKS = """SELECT ?s ?topic WHERE { ?s pkg:topic ?topic . ?s a ?type . VALUES ?type { pkg:Target pkg:Measure } }"""
Q_MEASURES = """
SELECT ?m ?d ?mpath ?heading WHERE {
  ?m a pkg:Measure ; pkg:inDocument ?d .
  OPTIONAL { ?m prov:wasDerivedFrom ?mc . ?mc pkg:path ?mpath } OPTIONAL { ?m pkg:heading ?heading }
}"""
Q_MEASURE_TARGETS = """SELECT ?m ?t WHERE { ?m a pkg:Measure ; pkg:hasTarget ?t }"""
Q_BODY_LINKS = """
SELECT ?s ?b ?lead WHERE {
  ?s pkg:responsibleBody ?b . BIND(EXISTS { ?s pkg:leadBody ?b } AS ?lead)
}"""
Q_BODIES = """
SELECT ?b ?name ?kind ?region WHERE {
  ?b a org:Organization . OPTIONAL { ?b skos:prefLabel ?name }
  OPTIONAL { ?b org:classification ?kind } OPTIONAL { ?b pkg:jurisdiction ?region }
}"""
Q_DOC_BODIES = """
SELECT ?d ?b ?role WHERE {
  { ?d eli:passed_by ?b . BIND("issuer" AS ?role) } UNION { ?d pkg:forwardedBy ?b . BIND("forwarder" AS ?role) }
}"""
Q_TREE = """
SELECT ?c ?parent ?path ?label ?heading ?text ?order ?kind ?start ?end WHERE {
  ?c pkg:inDocument ?d ; a eli:LegalResourceSubdivision ; pkg:path ?path .
  OPTIONAL { ?c eli:is_part_of ?parent } OPTIONAL { ?c pkg:label ?label } OPTIONAL { ?c pkg:heading ?heading }
  OPTIONAL { ?c pkg:text ?text } OPTIONAL { ?c pkg:order ?order } OPTIONAL { ?c pkg:clauseKind ?kind }
  OPTIONAL { ?c pkg:start ?start } OPTIONAL { ?c pkg:end ?end }
} ORDER BY ?order"""
Q_CITED = """
SELECT ?title ?num ?order WHERE { ?d pkg:citation ?c . OPTIONAL { ?c pkg:citedTitle ?title }
  OPTIONAL { ?c pkg:citedNumber ?num } OPTIONAL { ?c pkg:order ?order } } ORDER BY ?order"""
Q_CLAUSES = """
SELECT ?c ?d ?path ?text ?heading WHERE {
  ?c pkg:inDocument ?d ; pkg:path ?path . OPTIONAL { ?c pkg:text ?text } OPTIONAL { ?c pkg:heading ?heading }
}"""
Q_CLAUSE_TOPICS = """SELECT ?c ?topic WHERE { ?c a eli:LegalResourceSubdivision ; pkg:topic ?topic }"""
Q_DOC_CLAUSES = """SELECT ?c ?path ?text WHERE { ?c pkg:inDocument ?d ; a eli:LegalResourceSubdivision ;
  pkg:path ?path ; pkg:text ?text }"""


def _s(v: Any) -> str | None:
    return None if v is None else str(v)


def _topic_id(iri: Any) -> str:
    s = str(iri)
    return s.removeprefix(TOPIC_PREFIX)


def _num(v: Any) -> float | int | None:
    if v is None:
        return None
    try:
        f = float(v)
    except (TypeError, ValueError):
        return None
    return int(f) if f.is_integer() else f


def _bool(v: Any) -> bool:
    return v is True or str(v).lower() in ("true", "1")


@dataclass
class Catalog:
    """The small tables every read joins with, loaded once per store state."""

    documents: dict[str, dict[str, Any]] = field(default_factory=dict)  # doc IRI → row
    regions: dict[str, dict[str, Any]] = field(default_factory=dict)  # code → region dict
    targets: list[dict[str, Any]] = field(default_factory=list)
    measures: dict[str, dict[str, Any]] = field(default_factory=dict)  # measure IRI → row
    bodies: dict[str, dict[str, Any]] = field(default_factory=dict)  # body IRI → row

    @classmethod
    def load(cls, store: Any) -> Catalog:
        cat = cls()
        for r in store.select(Q_REGIONS):
            code = _s(r["code"])
            parent = _s(r.get("parent"))
            cat.regions[code] = {
                "code": code,
                "name": _s(r.get("name")),
                "level": _s(r.get("level")),
                "province": _s(r.get("province")),
                "full_name": _s(r.get("full")),
                "anonymised": _bool(r.get("anon")),
                "parent": parent[len(REGION_PREFIX):] if parent and parent.startswith(REGION_PREFIX) else parent,
                "lon": _num(r.get("lon")),
                "lat": _num(r.get("lat")),
                "iri": _s(r["r"]),
            }
        counts = {_s(r["d"]): int(r["n"]) for r in store.select(Q_CLAUSE_COUNTS)}
        for r in store.select(Q_DOCUMENTS):
            d = _s(r["d"])
            if d in cat.documents:
                continue
            region_iri = _s(r.get("region"))
            code = region_iri[len(REGION_PREFIX):] if region_iri else None
            region = cat.regions.get(code) if code else None
            cat.documents[d] = {
                "id": _s(r["id"]),
                "iri": d,
                "title": _s(r.get("title")),
                "issuer": _s(r.get("issuer")),
                "forwarded_by": _s(r.get("fwd")),
                "date": _s(r.get("date")),
                "doc_number": _s(r.get("num")),
                "region": cat.region_ref(region),
                "anonymised": bool(region and region["anonymised"]),
                "period": _s(r.get("period")),
                "kind": _s(r.get("kind")),
                "source": {"file": _s(r.get("file")), "sha256": _s(r.get("sha"))},
                "clauses": counts.get(d, 0),
            }
        topics: dict[str, list[str]] = {}
        for r in store.select(Q_TOPIC_LINKS):
            topics.setdefault(_s(r["s"]), []).append(_topic_id(r["topic"]))
        body_links: dict[str, list[dict[str, Any]]] = {}
        for r in store.select(Q_BODIES):
            cat.bodies[_s(r["b"])] = {
                "iri": _s(r["b"]),
                "name": _s(r.get("name")),
                "kind": (_s(r.get("kind")) or "").rsplit("/", 1)[-1] or None,
                "region": _s(r.get("region")),
            }
        for r in store.select(Q_BODY_LINKS):
            b = cat.bodies.get(_s(r["b"]), {"iri": _s(r["b"]), "name": _s(r["b"])})
            body_links.setdefault(_s(r["s"]), []).append(
                {"id": b["iri"], "name": b.get("name"), "kind": b.get("kind"),
                 "role": "lead" if _bool(r.get("lead")) else "responsible"}
            )
        measure_targets: dict[str, list[str]] = {}
        target_measure: dict[str, str] = {}
        for r in store.select(Q_MEASURE_TARGETS):
            measure_targets.setdefault(_s(r["m"]), []).append(_s(r["t"]))
            target_measure[_s(r["t"])] = _s(r["m"])
        for r in store.select(Q_MEASURES):
            m = _s(r["m"])
            cat.measures[m] = {
                "id": m,
                "doc_iri": _s(r["d"]),
                "path": _s(r.get("mpath")),
                "heading": _s(r.get("heading")),
                "topics": sorted(set(topics.get(m, []))),
                "bodies": body_links.get(m, []),
                "targets": measure_targets.get(m, []),
            }
        for r in store.select(Q_TARGETS):
            d = _s(r["d"])
            doc = cat.documents.get(d, {})
            t = _s(r["t"])
            measure = cat.measures.get(target_measure.get(t, ""))
            cat.targets.append({
                "id": t,
                "n": int(r["n"]),
                "doc": doc.get("id"),
                "title": doc.get("title"),
                "source_file": (doc.get("source") or {}).get("file"),
                "region": doc.get("region"),
                "value": None if _bool(r.get("ph")) else _num(r.get("value")),
                "value_max": _num(r.get("vmax")),
                "placeholder": _bool(r.get("ph")),
                "unit": _s(r.get("unit")),
                "object": _s(r.get("obj")),
                "comparator": _s(r.get("cmp")) or "=",
                "deadline": int(str(r["deadline"])[:4]) if r.get("deadline") is not None else None,
                "frequency": _s(r.get("freq")),
                "period": _s(r.get("period")),
                "topics": sorted(set(topics.get(t, []))),
                "clause_id": _s(r.get("clause")),
                "measure": {"id": measure["id"], "path": measure["path"], "heading": measure["heading"]} if measure else None,
                "bodies": measure["bodies"] if measure else [],
                "evidence": {
                    "clause": _s(r.get("cpath")),
                    "quote": _s(r.get("quote")),
                    "start": _num(r.get("start")),
                    "end": _num(r.get("end")),
                },
            })
        cat.targets.sort(key=lambda t: (t["doc"] or "", t["n"]))
        return cat

    # ---------------------------------------------------------------- regions

    def region_ref(self, region: dict[str, Any] | None) -> dict[str, Any] | None:
        if not region:
            return None
        return {k: region.get(k) for k in ("code", "name", "level", "province", "anonymised")}

    def ancestors(self, code: str) -> list[str]:
        """``code`` and its parents up the chain, as far as the graph knows them."""
        chain: list[str] = []
        while code and code not in chain:
            chain.append(code)
            code = (self.regions.get(code) or {}).get("parent")
        return chain

    def within(self, code: str | None, ancestor: str) -> bool:
        return bool(code) and ancestor in self.ancestors(code)  # type: ignore[arg-type]

    def doc_by_id(self, doc_id: str) -> dict[str, Any] | None:
        return self.documents.get(str(doc_iri(doc_id)))

    # ---------------------------------------------------------------- measures for a clause

    def measure_of(self, doc_iri_: str, path: str | None) -> dict[str, Any] | None:
        """The measure of a clause: the one on the clause itself or its nearest ancestor."""
        if not path:
            return None
        best = None
        for m in self.measures.values():
            if m["doc_iri"] != doc_iri_ or not m["path"]:
                continue
            if path == m["path"] or path.startswith(m["path"] + "."):
                if best is None or len(m["path"]) > len(best["path"]):
                    best = m
        return best


def document_tree(store: Any, doc_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(clause tree, cited documents) of one document."""
    d = str(doc_iri(doc_id))
    rows = store.select(Q_TREE, d=doc_iri(doc_id))
    nodes: dict[str, dict[str, Any]] = {}
    parents: dict[str, str | None] = {}
    for r in rows:
        c = _s(r["c"])
        if c in nodes:
            continue
        nodes[c] = {
            "id": c,
            "path": _s(r.get("path")),
            "label": _s(r.get("label")),
            "heading": _s(r.get("heading")),
            "kind": _s(r.get("kind")),
            "text": _s(r.get("text")),
            "start": _num(r.get("start")),
            "end": _num(r.get("end")),
            "children": [],
        }
        parents[c] = _s(r.get("parent"))
    roots: list[dict[str, Any]] = []
    for c, node in nodes.items():
        parent = parents.get(c)
        if parent and parent != d and parent in nodes:
            nodes[parent]["children"].append(node)
        else:
            roots.append(node)
    cited = [{"title": _s(r.get("title")), "doc_number": _s(r.get("num"))}
             for r in store.select(Q_CITED, d=doc_iri(doc_id))]
    return roots, cited


def clause_rows(store: Any, clause_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Doc, path, text and topics of the given clause IRIs."""
    if not clause_ids:
        return {}
    from rdflib import URIRef

    out: dict[str, dict[str, Any]] = {}
    refs = [URIRef(c) for c in clause_ids]
    for r in store.select(Q_CLAUSES, c=refs):
        out[_s(r["c"])] = {"doc_iri": _s(r["d"]), "path": _s(r.get("path")), "text": _s(r.get("text")),
                           "heading": _s(r.get("heading")), "topics": []}
    for r in store.select(Q_CLAUSE_TOPICS, c=refs):
        if _s(r["c"]) in out:
            out[_s(r["c"])]["topics"].append(_topic_id(r["topic"]))
    return out


def clause_texts(store: Any, doc_id: str) -> list[dict[str, Any]]:
    return [{"clause_id": _s(r["c"]), "path": _s(r["path"]), "text": _s(r["text"])}
            for r in store.select(Q_DOC_CLAUSES, d=doc_iri(doc_id))]


def clauses_with_topic(store: Any, topic: str) -> set[str]:
    rows = store.select("SELECT ?c WHERE { ?c a eli:LegalResourceSubdivision ; pkg:topic ?topic }",
                        topic=topic_iri(topic))
    return {_s(r["c"]) for r in rows}


def clauses_of_documents(store: Any, doc_iris: list[str]) -> set[str]:
    from rdflib import URIRef

    if not doc_iris:
        return set()
    rows = store.select("SELECT ?c WHERE { ?c a eli:LegalResourceSubdivision ; pkg:inDocument ?d ; pkg:text ?t }",
                        d=[URIRef(d) for d in doc_iris])
    return {_s(r["c"]) for r in rows}


def clauses_containing(store: Any, phrase: str, limit: int = 200) -> list[dict[str, Any]]:
    rows = store.select(
        "SELECT ?c ?d ?path ?text WHERE { ?c a eli:LegalResourceSubdivision ; pkg:inDocument ?d ; "
        "pkg:path ?path ; pkg:text ?text . FILTER(CONTAINS(STR(?text), ?phrase)) } LIMIT " + str(int(limit)),
        phrase=phrase,
    )
    return [{"clause_id": _s(r["c"]), "doc_iri": _s(r["d"]), "path": _s(r["path"]), "text": _s(r["text"])}
            for r in rows]


def resolve_clause_id(clause_id: str) -> str:
    """A clause IRI, or ``{doc}/{path}`` → the clause IRI."""
    if clause_id.startswith(("http://", "https://")):
        return clause_id
    doc, _, path = clause_id.partition("/")
    if not doc or not path:
        raise ValueError(clause_id)
    return str(clause_iri(doc, path))
