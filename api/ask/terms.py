"""What a question asks for, as weighted word groups, and how well a unit of text states it.

``requirement_terms(core, lang, corpus, expander)``: the words left of a question once its
scaffolding (``data/scaffold_zh.txt``, ``data/scaffold_en.txt``: question words and reporting
verbs), places, years, frequencies and quantities are taken out. Chinese: jieba words (with the
search index's domain dictionary); English: phrases of up to three words rendered into Chinese
by the search index's expander (topic labels, glossary, CC-CEDICT), each phrase one group of
alternative renderings. A group weighs its inverse document frequency over the corpus's units
(a verb's weight is lowered: plans share verbs, the object decides).

``coverage(groups, text)``: the weighted share of the groups a text states; a long word found
only in part (中小学 for 中小学生) earns part of its credit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

VERB_WEIGHT = 0.5
PART_CREDIT = 0.8  # a word found only by its prefix earns this share of its length
HAN = re.compile(r"[\u4e00-\u9fff]")
_WORD = re.compile(r"[A-Za-z][A-Za-z\-']*")


@lru_cache(maxsize=2)
def scaffold(lang: str) -> tuple[str, ...]:
    text = resources.files("api.ask").joinpath(f"data/scaffold_{lang}.txt").read_text(encoding="utf-8")
    rows = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return tuple(sorted(set(rows), key=lambda w: (-len(w), w)))


@dataclass
class Group:
    asked: str  # as the question says it
    alternatives: tuple[str, ...]  # Chinese forms any of which states it
    weight: float

    def to_dict(self) -> dict[str, Any]:
        return {"asked": self.asked, "alternatives": list(self.alternatives), "weight": round(self.weight, 3)}


@dataclass
class Requirement:
    groups: list[Group] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # words nothing in the corpus states

    @property
    def total(self) -> float:
        return sum(g.weight for g in self.groups)


def strip_scaffold(text: str, lang: str) -> tuple[str, list[str]]:
    removed = []
    for phrase in scaffold(lang):
        if lang == "en":
            pattern = re.compile(rf"(?<![a-z]){re.escape(phrase)}(?![a-z])", re.IGNORECASE)
        else:
            pattern = re.compile(re.escape(phrase))
        if pattern.search(text):
            removed.append(phrase)
            text = pattern.sub(" ", text)
    return text, removed


def _pos_table() -> dict[str, str]:
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab if jieba.posseg.dt.word_tag_tab else {}


def warm() -> None:
    """Load jieba's part-of-speech table (once, at service start)."""
    import jieba.posseg

    jieba.posseg.dt.initialize()
    _ = jieba.posseg.dt.word_tag_tab


def _is_verb(word: str) -> bool:
    return _pos_table().get(word, "n") in ("v", "vd", "vi")


def zh_words(text: str, tokenizer: Any) -> list[str]:
    from embeddings.bm25 import _jieba, stopwords

    stop = stopwords()
    out: list[str] = []
    for chunk in re.findall(r"[\u4e00-\u9fff]+", text):
        for w in _jieba(tokenizer.words).cut(chunk):
            w = w.strip()
            if len(w) >= 2 and w not in stop and w not in out:
                out.append(w)
    return out


def requirement_terms(core: str, lang: str, corpus: Any, tokenizer: Any, expander: Any = None) -> Requirement:
    req = Requirement()
    if lang == "zh" or expander is None:
        for w in zh_words(core, tokenizer):
            if corpus.doc_frequency(w) == 0:
                # a word the corpus never writes: try its halves (名师工作室 → 名师, 工作室)
                parts = [p for p in zh_words(w, tokenizer) if p != w] or (
                    [w[:2], w[2:]] if len(w) >= 4 else [])
                parts = [p for p in parts if len(p) >= 2 and corpus.doc_frequency(p) > 0]
                if not parts:
                    req.ignored.append(w)
                    continue
                for p in parts:
                    req.groups.append(Group(p, (p,), corpus.idf(p) * (VERB_WEIGHT if _is_verb(p) else 1.0)))
                continue
            req.groups.append(Group(w, (w,), corpus.idf(w) * (VERB_WEIGHT if _is_verb(w) else 1.0)))
        return req
    words = [w.lower() for w in _WORD.findall(core)]
    i = 0
    while i < len(words):
        taken = 0
        for n in range(min(3, len(words) - i), 0, -1):
            phrase = " ".join(words[i:i + n])
            terms = [t for t in expander.expand(phrase).terms if HAN.search(t) and corpus.doc_frequency(t) > 0]
            if terms:
                weight = max(corpus.idf(t) for t in terms)
                req.groups.append(Group(phrase, tuple(dict.fromkeys(terms)), weight))
                taken = n
                break
        if not taken:
            if len(words[i]) > 2:
                req.ignored.append(words[i])
            taken = 1
        i += taken
    for chunk in re.findall(r"[\u4e00-\u9fff]{2,}", core):
        sub = requirement_terms(chunk, "zh", corpus, tokenizer)
        req.groups.extend(sub.groups)
        req.ignored.extend(sub.ignored)
    return req


def credit(word: str, text: str) -> float:
    if word in text:
        return 1.0
    n = len(word)
    for k in range(n - 1, 1, -1):  # the head of a compound may vary (中小学生, 中小学), its modifier not
        if word[:k] in text:
            return PART_CREDIT * k / n
    return 0.0


def coverage(groups: list[Group], text: str) -> float:
    total = sum(g.weight for g in groups)
    if total <= 0:
        return 0.0
    got = sum(g.weight * max(credit(a, text) for a in g.alternatives) for g in groups)
    return got / total


def group_hits(groups: list[Group], text: str) -> list[str]:
    """The forms of the groups ``text`` states in full (for the interpretation and highlights)."""
    return [next(a for a in g.alternatives if a in text) for g in groups if any(a in text for a in g.alternatives)]
