"""Topic classification of clause texts against the topic scheme.

``TopicClassifier`` is the protocol extraction depends on; ``LexicalTopicClassifier`` is the
dependency-free default built from the scheme's Chinese labels (prefLabel and altLabels), and
embeddings/topics.py provides an embedding-based one implementing the same protocol.
"""

from __future__ import annotations

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
