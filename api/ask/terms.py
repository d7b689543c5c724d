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


@lru_cache(maxsize=2)
def _scaffold_patterns(lang: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    if lang == "en":
        return tuple((p, re.compile(rf"(?<![a-z]){re.escape(p)}(?![a-z])", re.IGNORECASE)) for p in scaffold(lang))
    return tuple((p, re.compile(re.escape(p))) for p in scaffold(lang))


def strip_scaffold(text: str, lang: str) -> tuple[str, list[str]]:
    removed = []
    for phrase, pattern in _scaffold_patterns(lang):
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
    return _pos_table().get(word, "n") in ("v", "vd", "vi", "vn")


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


def requirement_terms(core: str, lang: str, corpus: Any, tokenizer: Any, expander: Any = None,
                      renderings: dict[str, list[str]] | None = None) -> Requirement:
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
    from embeddings.expand import EN_STOPWORDS, PHRASE_ONLY

    from .numbers import EN_NUMBERS

    skip = EN_STOPWORDS | PHRASE_ONLY | set(EN_NUMBERS)  # numbers count only with a unit (numbers.py)
    words = [w.lower() for w in _WORD.findall(core) if w.lower() not in skip]

    cache = renderings if renderings is not None else {}

    def rendered(phrase: str) -> list[str]:
        if phrase not in cache:
            cache[phrase] = [t for t in expander.expand(phrase).terms
                             if len(t) >= 2 and HAN.search(t) and corpus.doc_frequency(t) > 0]
        return cache[phrase]

    single = {w: rendered(w) for w in words}
    i = 0
    while i < len(words):
        taken = 0
        for n in range(min(3, len(words) - i), 1, -1):
            span = words[i:i + n]
            by_word = {t for w in span for t in single[w]}
            if n > 2:  # what a shorter phrase inside renders is that phrase's, not this span's
                by_word |= set(rendered(" ".join(span[1:]))) | set(rendered(" ".join(span[:-1])))
            whole = [t for t in rendered(" ".join(span)) if t not in by_word]
            if whole:  # the phrase as a whole has renderings its words do not: one group
                req.groups.append(_phrase_group(" ".join(span), whole, [single[w] for w in span], corpus))
                taken = n
                break
        if not taken:
            terms = single[words[i]]
            if terms:
                verb = VERB_WEIGHT if all(_is_verb(t) for t in terms) else 1.0
                req.groups.append(Group(words[i], tuple(terms), verb * max(corpus.idf(t) for t in terms)))
            elif len(words[i]) > 2:
                req.ignored.append(words[i])
            taken = 1
        i += taken
    for chunk in re.findall(r"[\u4e00-\u9fff]{2,}", core):
        sub = requirement_terms(chunk, "zh", corpus, tokenizer)
        req.groups.extend(sub.groups)
        req.ignored.extend(sub.ignored)
    return req


def _phrase_group(phrase: str, terms: list[str], per_word: list[list[str]], corpus: Any) -> Group:
    """A phrase's renderings, keeping those that best carry its words' own renderings
    (famous teacher studios → 名师工作室 rather than the topic's other labels 教师培训, 名师)."""
    def aligned(term: str) -> float:
        chars = set(term)
        return sum(max((len(set(r) & chars) / len(set(r)) for r in renders), default=0.0) for renders in per_word)

    best = max(aligned(t) for t in terms)
    kept = tuple(t for t in terms if aligned(t) >= best - 1e-9)
    return Group(phrase, kept, max(corpus.idf(t) for t in kept))


ADAPT_MIN_TEXTS = 3  # a rendering the corpus uses must occur in this many of the closest clauses
ADAPT_LIFT = 30.0  # ... and be this many times more frequent there than in the corpus at large


def _lift(n: int, n_texts: int, df: int, n_units: int) -> float:
    return (n / max(n_texts, 1)) / (max(df, 1) / max(n_units, 1))


def adapt(req: Requirement, texts: list[str], tokenizer: Any, corpus: Any) -> Requirement:
    """An English group takes the corpus's own word for it: a word of the clauses closest to
    the question (dense search), as long as a rendering and sharing its first or last
    character, found in more of those clauses than any rendering, in at least
    ``ADAPT_MIN_TEXTS``, and ``ADAPT_LIFT`` times more often there than in the corpus at large
    (a word typical of the answer, not of the genre): exhibition → 展览, 表演; the clauses write
    展演. Chinese groups are as the question wrote them."""
    if not texts:
        return req
    seen: dict[str, int] = {}
    for text in texts:
        for w in set(zh_words(text, tokenizer)):
            seen[w] = seen.get(w, 0) + 1
    groups = []
    for g in req.groups:
        if g.asked and not HAN.search(g.asked):
            used = max(sum(1 for text in texts if a in text) for a in g.alternatives)
            extra = [w for w, n in sorted(seen.items()) if n >= ADAPT_MIN_TEXTS and n > used
                     and _lift(n, len(texts), corpus.doc_frequency(w), len(corpus)) >= ADAPT_LIFT
                     and w not in g.alternatives and not any(w in a or a in w for a in g.alternatives)
                     and any(len(w) == len(a) and (w[0] == a[0] or w[-1] == a[-1]) for a in g.alternatives)]
            g = Group(g.asked, g.alternatives + tuple(extra), g.weight)
        groups.append(g)
    return Requirement(groups, req.ignored)


def credit(word: str, text: str) -> float:
    if word in text:
        return 1.0
    n = len(word)
    for k in range(n - 1, 1, -1):  # the head of a compound may vary (中小学生, 中小学), its modifier not
        if word[:k] in text:
            return PART_CREDIT * k / n
    return 0.0


def candidates(groups: list[Group], corpus: Any) -> set[int]:
    """Keys of the units that state at least part of one group (the only ones worth scoring)."""
    keys: set[int] = set()
    for g in groups:
        for a in g.alternatives:
            keys |= corpus.units_with(a if len(a) <= 2 else a[:2])
    return keys


def unit_credit(word: str, key: int, corpus: Any) -> float:
    """``credit`` of ``word`` in the unit ``key``, from the corpus's term index."""
    if key in corpus.units_with(word):
        return 1.0
    n = len(word)
    for k in range(n - 1, 1, -1):
        if key in corpus.units_with(word[:k]):
            return PART_CREDIT * k / n
    return 0.0


def unit_coverage(groups: list[Group], key: int, corpus: Any) -> float:
    total = sum(g.weight for g in groups)
    if total <= 0:
        return 0.0
    return sum(g.weight * max(unit_credit(a, key, corpus) for a in g.alternatives) for g in groups) / total


def group_credits(group: Group, corpus: Any) -> dict[int, float]:
    """Unit key → the group's ``credit`` in that unit, for every unit that earns any (from the
    corpus's term index: proportional to the postings, not to the corpus)."""
    out: dict[int, float] = {}
    for a in group.alternatives:
        n = len(a)
        forms = [(a, 1.0)] + [(a[:k], PART_CREDIT * k / n) for k in range(n - 1, 1, -1)]
        for form, value in forms:
            for key in corpus.units_with(form):
                if out.get(key, 0.0) < value:
                    out[key] = value
    return out


class Scorer:
    """Coverage of the requirement's groups in any unit, from precomputed group credits."""

    def __init__(self, groups: list[Group], corpus: Any) -> None:
        self.groups = groups
        self.credits = [group_credits(g, corpus) for g in groups]
        self.total = sum(g.weight for g in groups)
        self.heavy = max(range(len(groups)), key=lambda i: (groups[i].weight, -i)) if groups else None

    def candidates(self) -> set[int]:
        keys: set[int] = set()
        for c in self.credits:
            keys.update(c)
        return keys

    def coverage(self, key: int) -> float:
        if self.total <= 0:
            return 0.0
        return sum(g.weight * c.get(key, 0.0) for g, c in zip(self.groups, self.credits)) / self.total

    def heaviest_stated(self, key: int) -> bool:
        """The most specific word asked (the heaviest group) is stated, at least by half."""
        return self.heavy is None or self.credits[self.heavy].get(key, 0.0) >= 0.5


def heaviest_stated(groups: list[Group], key: int, corpus: Any) -> bool:
    """The most specific word asked (the heaviest group) is stated, at least by half."""
    if not groups:
        return True
    heavy = max(groups, key=lambda g: g.weight)
    return max(unit_credit(a, key, corpus) for a in heavy.alternatives) >= 0.5


def coverage(groups: list[Group], text: str) -> float:
    total = sum(g.weight for g in groups)
    if total <= 0:
        return 0.0
    got = sum(g.weight * max(credit(a, text) for a in g.alternatives) for g in groups)
    return got / total


def group_hits(groups: list[Group], text: str) -> list[str]:
    """The forms of the groups ``text`` states in full (for the interpretation and highlights)."""
    return [next(a for a in g.alternatives if a in text) for g in groups if any(a in text for a in g.alternatives)]
