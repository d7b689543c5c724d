"""The topic scheme and the lexical classifier."""

from __future__ import annotations

from ingest.extract.topics import LexicalTopicClassifier, TopicClassifier
from kg.topics import load_topic_scheme

GUIDE_IDS = {
    "teacher-training", "principal-development", "teacher-staffing", "teacher-evaluation",
    "moral-education", "pe-arts-labour", "science-education", "curriculum-classroom",
    "teaching-research", "quality-monitoring", "enrollment", "school-construction",
    "group-schooling", "special-education", "mental-health", "after-school", "digital-education",
    "family-school-society", "funding", "preschool", "high-school", "governance",
}


def test_scheme_has_the_guide_ids_with_both_languages():
    concepts = load_topic_scheme()
    assert GUIDE_IDS <= {c.id for c in concepts}
    for c in concepts:
        assert c.label_zh and c.label_en and c.alt_zh and c.alt_en and c.definition


def test_lexical_classifier_reads_domain_terms():
    clf = LexicalTopicClassifier(load_topic_scheme())
    assert isinstance(clf, TopicClassifier)
    got = clf.classify([
        "年内认定100名市级名师，建立100个市级名师工作室",
        "落实“双减”，做好课后服务工作",
        "推进县管校聘和教师交流轮岗",
        "今天天气很好",
    ])
    assert got[0][0] == "teacher-training"
    assert got[1][0] == "after-school"
    assert got[2][0] == "teacher-staffing"
    assert got[3] == []
