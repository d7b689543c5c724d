"""Facts → triples. Pure functions from the ingest dataclasses to rdflib graphs.

``document_graph`` holds everything the document owns (it lives in the named graph
``graph/doc/{id}`` and is replaced as a whole on re-ingest); ``shared_graph`` holds the nodes
several documents point at (regions with their parent chain, bodies), which live in
``graph/shared``. Topics come from kg/topics.ttl (``graph/topics``). See kg/ontology.ttl for
the meaning of each term. No blank nodes are ever created.
"""

from __future__ import annotations

import json
from decimal import Decimal

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, RDF, SKOS, TIME, XSD

from ingest.model import Body, BodyRole, Clause, Document, DocumentFacts, Region, Target
from kg.namespaces import (
    ELI,
    GEO,
    OA,
    PKG,
    PREFIXES,
    SCHEMA,
    attachment_iri,
    body_iri,
    body_kind_iri,
    citation_iri,
    clause_iri,
    doc_iri,
    measure_iri,
    region_iri,
    table_iri,
    target_iri,
    topic_iri,
)

_ROLE_PREDICATES: dict[str, tuple[URIRef, ...]] = {
    # Sub-properties are materialised so that queries need no inference.
    "lead": (PKG.leadBody, PKG.responsibleBody),
    "responsible": (PKG.responsibleBody,),
    "participant": (PKG.participantBody, PKG.responsibleBody),
}


def new_graph() -> Graph:
    graph = Graph()
    for prefix, ns in PREFIXES.items():
        graph.bind(prefix, ns)
    return graph


def _zh(text: str) -> Literal:
    return Literal(text, lang="zh")


def _int(value: int) -> Literal:
    return Literal(int(value), datatype=XSD.integer)


def _decimal(value: float) -> Literal:
    # str() first: Decimal(0.1) would carry the binary float's noise into the graph.
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


def _check(doc: Document, facts: DocumentFacts | None) -> None:
    if not doc.id:
        raise ValueError(f"{doc.source.file}: document has no id")
    if facts is not None and facts.doc_id != doc.id:
        raise ValueError(
            f"{doc.source.file}: facts belong to document {facts.doc_id!r}, not {doc.id!r}"
        )


# ---------------------------------------------------------------- document graph


def document_graph(doc: Document, facts: DocumentFacts | None = None) -> Graph:
    """Everything owned by ``doc``: the document, its clauses, attachments, citations,
    measures, targets with their value, deadline and evidence nodes, and the role links to
    shared nodes. ``facts=None`` maps the document and its clauses only."""
    _check(doc, facts)
    g = new_graph()
    d = doc_iri(doc.id)
    _add_document(g, d, doc)
    _add_clauses(g, d, doc)
    if facts is not None:
        _add_document_facts(g, d, doc, facts)
    return g


def _add_document(g: Graph, d: URIRef, doc: Document) -> None:
    g.add((d, RDF.type, ELI.LegalResource))
    g.add((d, DCTERMS.identifier, Literal(doc.id)))
    if doc.title:
        g.add((d, ELI.title, _zh(doc.title)))
        g.add((d, DCTERMS.title, _zh(doc.title)))
    if doc.doc_number:
        g.add((d, ELI.id_local, Literal(doc.doc_number)))
    if doc.date:
        g.add((d, ELI.date_document, Literal(doc.date, datatype=XSD.date)))
    if doc.period:
        g.add((d, PKG.period, Literal(doc.period)))
    for name in dict.fromkeys([doc.issuer, *doc.issuers]):  # joint issuers, the first first
        if name:
            g.add((d, PKG.issuerName, _zh(name)))
    if doc.notice_title:
        g.add((d, PKG.noticeTitle, _zh(doc.notice_title)))
    if doc.source_id:
        g.add((d, PKG.sourceId, Literal(doc.source_id)))
    if doc.source_url:
        g.add((d, PKG.sourceUrl, Literal(doc.source_url, datatype=XSD.anyURI)))
    if doc.forwarded_by:
        g.add((d, PKG.forwarderName, _zh(doc.forwarded_by)))
    g.add((d, DCTERMS.source, Literal(doc.source.file)))
    g.add((d, PKG.sha256, Literal(doc.source.sha256)))
    g.add((d, DCTERMS["format"], Literal(doc.source.format)))
    if doc.public is not None:
        g.add((d, PKG.public, Literal(bool(doc.public))))
    g.add((d, PKG.documentKind, Literal(doc.kind)))
    if doc.notice:
        g.add((d, PKG.notice, _zh(doc.notice)))
    for line in doc.history:
        g.add((d, PKG.history, _zh(line)))
    for n, cited in enumerate(doc.cited, start=1):
        c = citation_iri(doc.id, n)
        g.add((d, PKG.citation, c))
        g.add((c, RDF.type, PKG.Citation))
        g.add((c, PKG.order, _int(n)))
        if cited.title:
            g.add((c, PKG.citedTitle, _zh(cited.title)))  # @zh like eli:title: joins directly
        if cited.doc_number:
            g.add((c, PKG.citedNumber, Literal(cited.doc_number)))
        if cited.issuer:
            g.add((c, PKG.citedIssuer, Literal(cited.issuer)))


def _add_clause(
    g: Graph, d: URIRef, doc_id: str, clause: Clause, parent: URIRef, order: list[int]
) -> None:
    c = clause_iri(doc_id, clause.path)
    order[0] += 1
    g.add((c, RDF.type, ELI.LegalResourceSubdivision))
    g.add((c, ELI.is_part_of, parent))
    g.add((parent, ELI.has_part, c))
    g.add((c, PKG.inDocument, d))
    g.add((c, PKG.path, Literal(clause.path)))
    if clause.label:
        g.add((c, PKG.label, Literal(clause.label)))
    if clause.heading:
        g.add((c, PKG.heading, _zh(clause.heading)))
    g.add((c, PKG.text, _zh(clause.text)))
    g.add((c, PKG.start, _int(clause.start)))
    g.add((c, PKG.end, _int(clause.end)))
    g.add((c, PKG.endAll, _int(clause.end_all)))
    g.add((c, PKG.order, _int(order[0])))
    g.add((c, PKG.clauseKind, Literal(clause.kind)))
    for child in clause.children:
        _add_clause(g, d, doc_id, child, c, order)


def _add_clauses(g: Graph, d: URIRef, doc: Document) -> None:
    order = [0]
    for clause in doc.clauses:
        _add_clause(g, d, doc.id, clause, d, order)
    for att in doc.attachments:
        a = attachment_iri(doc.id, att.number)
        order[0] += 1
        g.add((a, RDF.type, PKG.Attachment))
        g.add((a, RDF.type, ELI.LegalResourceSubdivision))
        g.add((a, ELI.is_part_of, d))
        g.add((d, ELI.has_part, a))
        g.add((a, PKG.inDocument, d))
        g.add((a, PKG.path, Literal(f"A{att.number}")))
        g.add((a, PKG.label, Literal(f"附件{att.number}")))
        if att.title:
            g.add((a, PKG.heading, _zh(att.title)))
        g.add((a, PKG.start, _int(att.start)))
        g.add((a, PKG.end, _int(att.end)))
        g.add((a, PKG.order, _int(order[0])))
        g.add((a, PKG.clauseKind, Literal("attachment")))
        for k, table in enumerate(att.tables, start=1):
            t = table_iri(doc.id, att.number, k)
            g.add((a, PKG.table, t))
            g.add((t, RDF.type, PKG.Table))
            g.add((t, PKG.order, _int(k)))
            g.add((t, PKG.header, Literal(json.dumps(table.header, ensure_ascii=False), datatype=RDF.JSON)))
            g.add((t, PKG.rows, Literal(json.dumps(table.rows, ensure_ascii=False), datatype=RDF.JSON)))
        for clause in att.clauses:
            _add_clause(g, d, doc.id, clause, a, order)


def _add_role_links(g: Graph, subject: URIRef, roles: list[BodyRole]) -> None:
    for role in roles:
        for predicate in _ROLE_PREDICATES.get(role.role, (PKG.responsibleBody,)):
            g.add((subject, predicate, body_iri(role.body)))


def _add_target(g: Graph, d: URIRef, doc: Document, t: Target) -> URIRef:
    node = target_iri(doc.id, t.n)
    g.add((node, RDF.type, PKG.Target))
    g.add((node, PKG.order, _int(t.n)))
    g.add((node, PKG.inDocument, d))
    g.add((node, PKG.placeholder, Literal(bool(t.placeholder))))
    g.add((node, PKG.comparator, Literal(t.comparator)))
    value = URIRef(f"{node}/value")
    g.add((node, PKG.quantity, value))
    g.add((value, RDF.type, SCHEMA.QuantitativeValue))
    if t.unit is not None:
        g.add((value, SCHEMA.unitText, Literal(t.unit)))
    if t.value is not None and not t.placeholder:
        g.add((value, SCHEMA.value, _decimal(t.value)))
        if t.value_max is not None:
            g.add((value, SCHEMA.minValue, _decimal(t.value)))
            g.add((value, SCHEMA.maxValue, _decimal(t.value_max)))
    if t.object:
        g.add((node, PKG.countedObject, _zh(t.object)))
    if t.deadline is not None:
        instant = URIRef(f"{node}/deadline")
        g.add((node, PKG.deadline, instant))
        g.add((instant, RDF.type, TIME.Instant))
        g.add((instant, TIME.inXSDgYear, Literal(f"{int(t.deadline):04d}", datatype=XSD.gYear)))
    if t.frequency:
        g.add((node, PKG.frequency, _zh(t.frequency)))
    if t.period:
        g.add((node, PKG.period, _zh(t.period)))
    for topic in t.topics:
        g.add((node, PKG.topic, topic_iri(topic)))
    ev = t.evidence
    g.add((node, PROV.wasDerivedFrom, clause_iri(doc.id, ev.clause)))
    evidence = URIRef(f"{node}/evidence")
    selector = URIRef(f"{evidence}/selector")
    g.add((node, PKG.evidence, evidence))
    g.add((evidence, RDF.type, OA.SpecificResource))
    g.add((evidence, OA.hasSource, d))
    g.add((evidence, OA.hasSelector, selector))
    g.add((selector, RDF.type, OA.TextPositionSelector))
    g.add((selector, RDF.type, OA.TextQuoteSelector))
    g.add((selector, OA.start, _int(ev.start)))
    g.add((selector, OA.end, _int(ev.end)))
    g.add((selector, OA.exact, Literal(ev.quote)))
    return node


def _add_document_facts(g: Graph, d: URIRef, doc: Document, facts: DocumentFacts) -> None:
    if facts.region is not None:
        r = region_iri(facts.region.code)
        g.add((d, PKG.appliesTo, r))
        g.add((d, ELI.jurisdiction, r))
    for mention in facts.regions_mentioned:
        if facts.region is None or mention.region.code != facts.region.code:
            g.add((d, PKG.mentionsRegion, region_iri(mention.region.code)))
    for role in facts.document_bodies:
        if role.role == "issuer":
            g.add((d, ELI.passed_by, body_iri(role.body)))
        elif role.role == "forwarder":
            g.add((d, PKG.forwardedBy, body_iri(role.body)))
        else:
            _add_role_links(g, d, [role])
    for path, topics in facts.clause_topics.items():
        c = clause_iri(doc.id, path)
        for topic in topics:
            g.add((c, PKG.topic, topic_iri(topic)))
    targets = {t.n: _add_target(g, d, doc, t) for t in facts.targets}
    for measure in facts.measures:
        m = measure_iri(doc.id, measure.clause)
        g.add((m, RDF.type, PKG.Measure))
        g.add((m, PKG.inDocument, d))
        g.add((m, PROV.wasDerivedFrom, clause_iri(doc.id, measure.clause)))
        if measure.heading:
            g.add((m, PKG.heading, _zh(measure.heading)))
        for topic in measure.topics:
            g.add((m, PKG.topic, topic_iri(topic)))
        _add_role_links(g, m, measure.bodies)
        for n in measure.targets:
            g.add((m, PKG.hasTarget, target_iri(doc.id, n)))
    for t in facts.targets:
        if t.measure:
            g.add((measure_iri(doc.id, t.measure), PKG.hasTarget, targets[t.n]))


# ---------------------------------------------------------------- shared graph


def _known_regions(facts: DocumentFacts) -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for region in [facts.region, *facts.region_chain, *(m.region for m in facts.regions_mentioned)]:
        if region is not None:
            regions.setdefault(region.code, region)
    return regions


def _add_region(g: Graph, region: Region, known: dict[str, Region]) -> None:
    r = region_iri(region.code)
    g.add((r, RDF.type, PKG.Region))
    g.add((r, PKG.adcode, Literal(region.code)))
    g.add((r, SKOS.prefLabel, _zh(region.name)))
    g.add((r, PKG.level, Literal(region.level)))
    g.add((r, PKG.anonymised, Literal(bool(region.anonymised))))
    if region.province:
        g.add((r, PKG.province, _zh(region.province)))
    if region.full_name:
        g.add((r, PKG.fullName, _zh(region.full_name)))
    if region.lat is not None and region.lon is not None:
        g.add((r, GEO.lat, _decimal(region.lat)))
        g.add((r, GEO.long, _decimal(region.lon)))
    # The parent link is stated only when the parent node itself is in the graph (the shapes
    # require a parent to be a described region).
    if region.parent and region.parent in known:
        g.add((r, SKOS.broader, region_iri(region.parent)))


def _add_body(g: Graph, body: Body, known: dict[str, Region]) -> None:
    b = body_iri(body.slug)
    g.add((b, RDF.type, ORG.Organization))
    g.add((b, SKOS.prefLabel, _zh(body.name)))
    for alias in body.aliases:
        if alias != body.name:
            g.add((b, SKOS.altLabel, _zh(alias)))
    g.add((b, ORG.classification, body_kind_iri(body.kind or "other")))
    if body.region and body.region in known:
        g.add((b, PKG.jurisdiction, region_iri(body.region)))
    if body.collective:
        g.add((b, PKG.collective, Literal(True)))


def shared_graph(doc: Document, facts: DocumentFacts | None = None) -> Graph:
    """The shared nodes ``doc`` points at: regions (with the parent chain, names, level,
    province, coordinates) and bodies (names, kind, jurisdiction)."""
    _check(doc, facts)
    g = new_graph()
    if facts is None:
        return g
    known = _known_regions(facts)
    for region in known.values():
        _add_region(g, region, known)
    for body in facts.bodies:
        _add_body(g, body, known)
    return g
