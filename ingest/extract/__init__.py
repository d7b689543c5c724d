"""Fact extraction: Document (clause tree with offsets) → DocumentFacts.

``extract_facts(doc, topics, classifier=None, gazetteer=None)`` finds the region the document
applies to and the regions it names, the measures, their quantitative targets and
responsible bodies, and the topics of clauses, measures and targets. Every fact carries
evidence: a clause path and an exact span of ``doc.text``.
"""

from __future__ import annotations

import re

from ingest.extract.bodies import Jurisdiction, attach_bodies
from ingest.extract.measures import measure_clauses, measure_of
from ingest.extract.regions_in_text import document_region, regions_mentioned
from ingest.extract.targets import extract_target_candidates
from ingest.extract.topics import (
    LexicalTopicClassifier,
    TopicClassifier,
    heading_cue_topics,
    merge_topics,
    target_cue_topics,
)
from ingest.model import Document, DocumentFacts, Evidence, Measure, Target, TopicConcept
from ingest.regions import Gazetteer, default_gazetteer

__all__ = ["LexicalTopicClassifier", "TopicClassifier", "extract_facts"]

_SENTENCE_RE = re.compile(r"[^。！？!?；;\n]*[。！？!?；;\n]?")


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(ch, 0, start) for ch in "。！？!?；;\n") + 1
    rights = [j for j in (text.find(ch, end) for ch in "。！？!?；;\n") if j != -1]
    return left, (min(rights) + 1 if rights else len(text))


_LEAD_IN_YEAR_RE = re.compile(r"(?:到|至)\s*(20\d{2})\s*年[^。；]*[：:]\s*$")


def _list_deadlines(doc: Document) -> dict[str, int]:
    """Clause path → deadline year stated once before a list (到2020年：⏎1. …25所 ⏎2. …): a
    clause whose own text ends with a 到20XX年…： lead-in gives the year to every clause under it."""
    out: dict[str, int] = {}

    def visit(clause, year: int | None) -> None:
        m = _LEAD_IN_YEAR_RE.search(clause.text.strip())
        here = int(m.group(1)) if m else year
        if year is not None:
            out[clause.path] = year
        for child in clause.children:
            visit(child, here)

    for clause in doc.clauses:
        visit(clause, None)
    for attachment in doc.attachments:
        for clause in attachment.clauses:
            visit(clause, None)
    return out


def _bodies(doc: Document, facts: DocumentFacts, juris: Jurisdiction, gazetteer: Gazetteer,
            measures_by_path: dict[str, Measure], measure_paths: list) -> None:
    attach_bodies(doc, facts, juris, gazetteer, measures_by_path,
                  lambda path: measure_of(measure_paths, path))


def extract_facts(
    doc: Document,
    topics: list[TopicConcept],
    classifier: TopicClassifier | None = None,
    gazetteer: Gazetteer | None = None,
) -> DocumentFacts:
    if classifier is None:
        if not topics:
            raise ValueError("extract_facts: topics is empty and no classifier was given")
        classifier = LexicalTopicClassifier(topics)
    gazetteer = gazetteer or default_gazetteer()
    region = document_region(doc, gazetteer)
    facts = DocumentFacts(doc_id=doc.id, region=region)
    if region is not None:
        facts.region_chain = [region] if region.anonymised else gazetteer.chain(region.code)
    facts.regions_mentioned = regions_mentioned(doc, region, gazetteer)

    clauses = list(doc.walk())
    # topics of every clause (the clause's own text) in one classifier call
    clause_topic_lists = classifier.classify([c.text for c in clauses])
    facts.clause_topics = {c.path: t for c, t in zip(clauses, clause_topic_lists)}

    measure_cls = measure_clauses(doc)
    measure_texts = [doc.text[c.start:max(c.end, c.end_all)] for c in measure_cls]
    measure_topics = classifier.classify(measure_texts) if measure_texts else []
    measures_by_path: dict[str, Measure] = {}
    for c, t in zip(measure_cls, measure_topics):
        m = Measure(clause=c.path, heading=c.heading, topics=t)
        measures_by_path[c.path] = m
        facts.measures.append(m)

    # targets
    raw_targets: list[tuple[str, object, int, int]] = []
    lead_in = _list_deadlines(doc)
    for c in clauses:
        for cand in extract_target_candidates(c.text, skip_until=len(c.label)):
            if cand.deadline is None:
                cand.deadline = lead_in.get(c.path)
            raw_targets.append((c.path, cand, c.start + cand.start, c.start + cand.end))
    raw_targets.sort(key=lambda t: t[2])
    sentences = [doc.text[slice(*_sentence_around(doc.text, s, e))] for _, _, s, e in raw_targets]
    target_topics = classifier.classify(sentences) if sentences else []
    for n, ((path, cand, start, end), t, sentence) in enumerate(
            zip(raw_targets, target_topics, sentences), 1):
        mpath = measure_of(measure_cls, path)
        # what the target counts first (师范生xx名 is teacher training), then the sentence's
        # topics from the classifier, then a training heading over the measure
        heading = measures_by_path[mpath].heading if mpath else None
        t = merge_topics(target_cue_topics(cand.object, sentence), t, heading_cue_topics(heading))
        if not t:
            t = list(measures_by_path[mpath].topics[:1]) if mpath else list(facts.clause_topics.get(path, [])[:1])
        target = Target(
            n=n, value=cand.value, placeholder=cand.placeholder, unit=cand.unit, object=cand.object,
            comparator=cand.comparator, deadline=cand.deadline, frequency=cand.frequency,
            period=cand.period, topics=t, evidence=Evidence(path, doc.text[start:end], start, end),
            value_max=cand.value_max, measure=mpath,
        )
        facts.targets.append(target)
        if mpath:
            measures_by_path[mpath].targets.append(n)

    year = int(doc.date[:4]) if doc.date and doc.date[:4].isdigit() else None
    juris = Jurisdiction(region, gazetteer, year)
    _bodies(doc, facts, juris, gazetteer, measures_by_path, measure_cls)
    return facts
