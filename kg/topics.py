"""Load the SKOS topic scheme (kg/topics.ttl) into ``TopicConcept`` dataclasses."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, SKOS

from ingest.model import TopicConcept

TOPICS_TTL = Path(__file__).resolve().parent / "topics.ttl"
TOPIC_BASE = "https://policykg.org/topic/"


def _labels(graph: Graph, subject: URIRef, predicate: URIRef, lang: str) -> list[str]:
    values = [
        str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal) and o.language == lang
    ]
    return sorted(values)


def parse_topic_scheme(path: Path) -> list[TopicConcept]:
    """Parse a SKOS Turtle file; every skos:Concept under TOPIC_BASE becomes a TopicConcept."""
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several parser exception types
        raise ValueError(f"{path}: cannot parse topic scheme: {exc}") from exc
    concepts: list[TopicConcept] = []
    for subject in sorted(graph.subjects(RDF.type, SKOS.Concept)):
        iri = str(subject)
        if not iri.startswith(TOPIC_BASE):
            raise ValueError(f"{path}: concept {iri} is outside {TOPIC_BASE}")
        pref_zh = _labels(graph, subject, SKOS.prefLabel, "zh")
        pref_en = _labels(graph, subject, SKOS.prefLabel, "en")
        if not pref_zh or not pref_en:
            raise ValueError(f"{path}: concept {iri} needs a prefLabel in zh and en")
        definitions = _labels(graph, subject, SKOS.definition, "en") or _labels(
            graph, subject, SKOS.definition, "zh"
        )
        concepts.append(
            TopicConcept(
                id=iri[len(TOPIC_BASE):],
                label_zh=pref_zh[0],
                label_en=pref_en[0],
                alt_zh=_labels(graph, subject, SKOS.altLabel, "zh"),
                alt_en=_labels(graph, subject, SKOS.altLabel, "en"),
                definition=definitions[0] if definitions else None,
            )
        )
    if not concepts:
        raise ValueError(f"{path}: no skos:Concept found")
    return concepts


@lru_cache(maxsize=1)
def _cached_scheme() -> tuple[TopicConcept, ...]:
    return tuple(parse_topic_scheme(TOPICS_TTL))


def load_topic_scheme() -> list[TopicConcept]:
    """The project's topic scheme (a fresh list; the parse is cached)."""
    return list(_cached_scheme())
