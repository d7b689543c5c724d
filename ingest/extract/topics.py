"""Topic classification of clause texts against the topic scheme.

``TopicClassifier`` is the protocol extraction depends on; ``LexicalTopicClassifier`` is the
dependency-free default built from the scheme's Chinese labels (prefLabel and altLabels), and
embeddings/topics.py provides an embedding-based one implementing the same protocol.
"""

from __future__ import annotations

import re
from typing import Protocol, runtime_checkable

from ingest.model import TopicConcept


@runtime_checkable
class TopicClassifier(Protocol):
    def classify(self, texts: list[str]) -> list[list[str]]:
        """For each text, the ids of its topics (best first; may be empty)."""
        ...


# Labels that are too general to decide a topic on their own (they occur in most clauses).
_WEAK = frozenset({"管理", "培训", "评估", "平台", "网络", "安全", "课程", "课堂", "作业", "考试",
                   "投入", "奖励", "引进", "结对", "帮扶", "联盟", "艺术", "体育", "宣传", "校长",
                   "高中", "学位", "招生", "经费", "名师", "编制", "新建", "扩建", "装备", "应急",
                   "财政", "基金", "资助", "预算", "入学", "社团", "研学", "培养", "民办", "班主任"})


class LexicalTopicClassifier:
    """Counts occurrences of each concept's Chinese labels; a concept is assigned when its
    score reaches ``min_score`` (a strong label counts 2, a general one 1), at most
    ``max_topics`` per text, best first."""

    def __init__(self, concepts: list[TopicConcept], min_score: int = 2, max_topics: int = 3):
        if not concepts:
            raise ValueError("concepts: the topic scheme is empty")
        self.min_score = min_score
        self.max_topics = max_topics
        self._labels: list[tuple[str, list[tuple[str, int]]]] = []
        for c in concepts:
            labels = {c.label_zh, *c.alt_zh}
            weighted = [(lab, 1 if lab in _WEAK or len(lab) < 2 else 2) for lab in labels if lab]
            # longest first so that 名师工作室 is counted before its part 名师
            weighted.sort(key=lambda t: len(t[0]), reverse=True)
            self._labels.append((c.id, weighted))

    def scores(self, text: str) -> dict[str, int]:
        out: dict[str, int] = {}
        for cid, labels in self._labels:
            score = 0
            masked = text
            for label, weight in labels:
                n = masked.count(label)
                if n:
                    score += weight * n
                    masked = masked.replace(label, "\0" * len(label))
            if score:
                out[cid] = score
        return out

    def classify(self, texts: list[str]) -> list[list[str]]:
        result: list[list[str]] = []
        for text in texts:
            scores = self.scores(text or "")
            ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
            result.append([cid for cid, s in ranked if s >= self.min_score][: self.max_topics])
        return result


# ---------------------------------------------------------------- topics of a target

# What a target counts decides its topic more surely than the words around it: a quota of
# 师范生/名师人选 is teacher training whatever else the sentence mentions, a count of
# 校长/园长 (培训班, 人选, 听评课) is principal development. Rules, because these cues are
# few and regular; the classifier still adds the topics of the sentence.
_PRINCIPAL_RE = re.compile(r"校长|园长|[校园][（(][校园][）)]长|书记|校级干部|校级领导|干部")
_TEACHER_RE = re.compile(r"师范生|名师|骨干|班主任|教师|教研员|学科带头人|名优|特级")
_TRAINING_RE = re.compile(r"培训|培养|研修|研训|进修|跟岗|轮训|人选|大讲堂|名师")


def target_cue_topics(obj: str | None, sentence: str) -> list[str]:
    """Topics a target's object (with the sentence it stands in) names outright:
    principal-development for 校长/园长 counts, teacher-training for 师范生, 名师 and teacher
    counts that are trained or cultivated (培训/培养/研修 in the object or the sentence)."""
    obj = obj or ""
    if _PRINCIPAL_RE.search(obj):
        return ["principal-development"]
    if _TEACHER_RE.search(obj) and (_TRAINING_RE.search(obj) or _TRAINING_RE.search(sentence)):
        return ["teacher-training"]
    if _TRAINING_RE.search(obj) and _TEACHER_RE.search(sentence):
        return ["teacher-training"]  # 3年内每名教师至少接受一次集中培训
    return []


_TRAINING_HEADING_RE = re.compile(
    r"培训|研修|研训|(?:教师|师资|名师|队伍).{0,6}培养|培养.{0,6}(?:教师|师资|名师|校长)")


def heading_cue_topics(heading: str | None) -> list[str]:
    """teacher-training for a measure headed as training (加强培训体系建设, 教师梯次培养);
    培养 alone is not enough (拔尖创新人才培养 is about students)."""
    return ["teacher-training"] if heading and _TRAINING_HEADING_RE.search(heading) else []


def merge_topics(*lists: list[str], limit: int = 3) -> list[str]:
    """Concatenate topic lists best first, without repeats, at most ``limit``."""
    out: list[str] = []
    for topics in lists:
        for t in topics:
            if t not in out:
                out.append(t)
    return out[:limit]
