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

General rules over the words (data, not phrases of one document): a department takes every
form plans write it in (``bodies.department_forms``, from the ingest lexicon); a word takes its
synonyms of the genre (``data/synonyms_zh.txt``: 中考/中招); a parenthesis's items are whole
alternatives (（高中阶段学校招生录取）, not 学校 alone); a scope remark (，包括探索和试点) is
ignored; 或 between two verb phrases makes two alternative requirements (``branches``); an
English glossary phrase is one concept (into schools → 进校园). Light words (``Group.tail``:
the word after a list's last item, a level such as 县级, a dictionary's guess no close clause
uses) weigh less and are never the words a unit must state.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

VERB_WEIGHT = 0.5
GAP_WORDS = 2  # at most this many words inside a glossary phrase (a modifier)
GLOSSARY_WORDS = 4  # the longest glossary phrase read as one concept (intangible cultural heritage inheritor)
EN_VERB_WEIGHT = 0.25  # an English verb's renderings are a dictionary's guesses at what plans vary most
SPECIFIC_SHARE = 0.5  # a group this heavy (share of the heaviest) is specific: a NEAR unit must state it
PART_CREDIT = 0.8  # a word found only by its prefix earns this share of its length
NOUN_SUFFIX = frozenset("人员者库室馆站团")  # 负责人 is a person, 负责 a verb; 资源库 a repository, 资源 any resource: no prefix credit across such a suffix
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
    tail: bool = False  # a light word, never one a unit must state: the word after a list's last item
    # (校长、教师或分管干部: maybe shared, maybe not), a level (县级), a dictionary's guess (marked → 马克)
    after_list: bool = False  # light as the word after a list's last item (maybe the list's head)
    body: bool = False  # a department the question names (文化部门, 共青团组织): a unit must name it
    guess: bool = False  # an English word rendered by the general dictionary alone (no glossary or
    # topic phrase): the corpus must show it is its word (``adapt``) before a unit must state it

    def to_dict(self) -> dict[str, Any]:
        out = {"asked": self.asked, "alternatives": list(self.alternatives), "weight": round(self.weight, 3)}
        if self.tail:
            out["light"] = True
        if self.body:
            out["department"] = True
        return out


@dataclass
class Requirement:
    groups: list[Group] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # words nothing in the corpus states
    branches: list[list[Group]] = field(default_factory=list)  # A或B of two verb phrases: either answers

    def alternatives(self) -> list[list[Group]]:
        """The requirements any of which answers (one, unless the question joins two verb phrases)."""
        return self.branches or [self.groups]

    @property
    def total(self) -> float:
        return sum(g.weight for g in self.groups)


@lru_cache(maxsize=8)
def word_list(name: str, lang: str) -> tuple[str, ...]:
    """The words of ``data/{name}_{lang}.txt``, longest first (a line's condition, after a tab, dropped)."""
    return tuple(w for w, _ in _word_rows(name, lang))


def _word_rows(name: str, lang: str) -> tuple[tuple[str, str | None], ...]:
    """(word, the words one of which must come before it in the same clause, or None): a line
    ``指标<TAB>after<TAB>设定|设置`` counts 指标 only after 设定 or 设置 (设定了教师培训指标, not
    作为评价的重要指标)."""
    text = resources.files("api.ask").joinpath(f"data/{name}_{lang}.txt").read_text(encoding="utf-8")
    rows: dict[str, str | None] = {}
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        word, *cond = [c.strip() for c in line.split("\t")]
        if cond and (len(cond) != 2 or cond[0] != "after" or not cond[1]):
            raise ValueError(f"api/ask/data/{name}_{lang}.txt line {n}: expected 'word' or 'word<TAB>after<TAB>a|b'")
        rows[word] = cond[1] if cond else None
    return tuple(sorted(rows.items(), key=lambda r: (-len(r[0]), r[0])))


@lru_cache(maxsize=8)
def _word_patterns(name: str, lang: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """Each word's pattern; the word itself is its group ``w``."""
    out = []
    for word, after in _word_rows(name, lang):
        w = rf"(?<![a-z])(?P<w>{re.escape(word)})(?![a-z])" if lang == "en" else rf"(?P<w>{re.escape(word)})"
        if after:
            alts = "|".join(re.escape(a) for a in after.split("|") if a)
            w = rf"(?:{alts})[^，,。；;？?]*?" + w
        out.append((word, re.compile(w, re.IGNORECASE if lang == "en" else 0)))
    return tuple(out)


def word_spans(text: str, lang: str, name: str) -> list[tuple[int, int]]:
    """Where the words of the list ``data/{name}_{lang}.txt`` stand in ``text``."""
    return [m.span("w") for _, pattern in _word_patterns(name, lang) for m in pattern.finditer(text)]


def strip_words(text: str, lang: str, name: str) -> tuple[str, list[str]]:
    """``text`` without the words of the list ``data/{name}_{lang}.txt``, and those found."""
    found = []
    for phrase, pattern in _word_patterns(name, lang):
        spans = [m.span("w") for m in pattern.finditer(text)]
        if spans:
            found.append(phrase)
            for a, b in reversed(spans):
                text = text[:a] + " " + text[b:]
    return text, found


@lru_cache(maxsize=2)
def _scaffold_patterns(lang: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    if lang == "en":
        from embeddings.expand import glossary

        known = glossary()

        def longer(p: str) -> str:  # built into: a glossary phrase the scaffold word begins is kept
            ends = sorted({k[len(p) + 1:] for k in known if k.startswith(p.lower() + " ")}, key=len, reverse=True)
            return r"(?!\s+(?:{})(?![a-z]))".format("|".join(re.escape(e) for e in ends)) if ends else ""
        return tuple((p, re.compile(rf"(?<![a-z]){re.escape(p)}(?![a-z]){longer(p)}", re.IGNORECASE))
                     for p in scaffold(lang))
    # a framing verb right after 或 / 、 / 并 begins the other side of the requirement (配备艺术专干或
    # 明确专人负责美育): it is the requirement's verb, not the question's frame
    return tuple((p, re.compile((r"(?<![或、并])" if _is_verb(p) else "") + re.escape(p))) for p in scaffold(lang))


def strip_scaffold(text: str, lang: str) -> tuple[str, list[str]]:
    removed = []
    kept = _glossary_with_scaffold().finditer(text) if lang == "en" and _glossary_with_scaffold() else ()
    # a glossary phrase that holds a scaffold word (rural teacher support plan) is kept whole:
    # its spaces are masked (by letters) while the scaffold is taken out
    for m in reversed(list(kept)):
        text = text[:m.start()] + re.sub(r"\s+", MASK, m.group(0)) + text[m.end():]
    for phrase, pattern in _scaffold_patterns(lang):
        if pattern.search(text):
            removed.append(phrase)
            text = pattern.sub(" ", text)
    return text.replace(MASK, " "), removed


MASK = "qzxq"  # letters, so that no scaffold word matches inside a masked phrase


@lru_cache(maxsize=1)
def _glossary_with_scaffold() -> re.Pattern[str] | None:
    """Glossary phrases of two or more words one of which is English scaffolding (plan, set, …)."""
    from embeddings.expand import glossary

    words = {p.lower() for p in scaffold("en") if " " not in p}  # a scaffold word, not a phrase's part
    phrases = sorted((k for k in glossary() if " " in k and words & set(k.split())), key=len, reverse=True)
    if not phrases:
        return None
    forms = [r"\s+".join(re.escape(w) + (r"s?" if i == len(p.split()) - 1 else "") for i, w in enumerate(p.split()))
             for p in phrases]
    return re.compile(r"(?<![A-Za-z])(?:" + "|".join(forms) + r")(?![A-Za-z])", re.IGNORECASE)


def _pos_table() -> dict[str, str]:
    import jieba.posseg

    return jieba.posseg.dt.word_tag_tab if jieba.posseg.dt.word_tag_tab else {}


def warm() -> None:
    """Load jieba's part-of-speech table (once, at service start)."""
    import jieba.posseg

    jieba.posseg.dt.initialize()
    _ = jieba.posseg.dt.word_tag_tab


VERB_TAGS = frozenset({"v", "vd", "vi", "vn"})


@lru_cache(maxsize=4096)
def _tag(word: str) -> str:
    """jieba's part of speech of ``word``: its dictionary tag, or for a word the dictionary does
    not hold (修满, 自评, 评课) the tagger's reading of it when it reads it as one word."""
    tag = _pos_table().get(word)
    if tag:
        return tag
    import jieba.posseg

    pairs = jieba.posseg.dt.lcut(word)
    return pairs[0].flag if len(pairs) == 1 else "n"


def _is_verb(word: str) -> bool:
    return (_tag(word) in VERB_TAGS and word not in policy_nouns()) or word in policy_verbs()


@lru_cache(maxsize=1)
def policy_nouns() -> frozenset[str]:
    """``data/nouns_zh.txt``: verbal nouns of jieba's that plans write as nouns only (美育)."""
    return frozenset(word_list("nouns", "zh"))


@lru_cache(maxsize=1)
def policy_verbs() -> frozenset[str]:
    """``data/verbs_zh.txt``: words that open a verb phrase in plans whatever jieba tags them."""
    return frozenset(word_list("verbs", "zh"))


def zh_words(text: str, tokenizer: Any) -> list[str]:
    """The Chinese words of ``text`` (two characters or more, no stopword), each once, in order.
    Kept per tokenizer (the closest clauses of one question are often those of the next)."""
    cache = tokenizer.__dict__.setdefault("_zh_words_cache", {})
    got = cache.get(text)
    if got is None:
        if len(cache) >= ZH_WORDS_CACHE:
            cache.clear()
        got = cache[text] = _zh_words(text, tokenizer.words)
    return list(got)


ZH_WORDS_CACHE = 50_000


def _zh_words(text: str, words: tuple[str, ...]) -> tuple[str, ...]:
    from embeddings.bm25 import _jieba, stopwords

    stop = stopwords()
    out: dict[str, None] = {}
    for chunk in re.findall(r"[\u4e00-\u9fff]+", text):
        for w in _jieba(words).cut(chunk):
            w = w.strip()
            if len(w) >= 2 and w not in stop:
                out.setdefault(w)
    return tuple(out)


# 市、县级, 全市: a level or a scope plans write many ways (两级, 各县区, 省级 for 全省): a light word
LEVEL = re.compile(r"(?:[省市县区校乡镇]|[一两二三四]|各)级|全[国省市县区州盟]")
TAIL_WEIGHT = 0.5  # a word after the last item of a list (分管干部 in 校长、教师或分管干部) may qualify
# that item only: it weighs less and is never the word a unit must state
PHRASE_END = frozenset("，,。；;：:？?！!")
JOIN_ZH = frozenset({"、", "或", "或者", "或是", "/", "／", "和", "及", "与", "以及", "及其"})
EXAMPLE_ZH = frozenset({"如", "含", "包括", "包含", "例如", "比如", "等", "即", "或"})
OPEN, CLOSE = frozenset("（(［[【"), frozenset("）)］]】")
JOIN_EN = frozenset({"or", "and", "/", ","})
EXAMPLE_EN = frozenset({"e.g.", "eg", "incl", "incl.", "including", "includes", "include", "such", "as", "i.e.", "ie",
                        "or", "and", "etc", "etc."})


def _zh_weight(word: str, corpus: Any) -> float:
    return corpus.idf(word) * (VERB_WEIGHT if _is_verb(word) else 1.0)


def _department_tokens(tokens: list[str]) -> list[str]:
    """jieba's words with a department it cut in two joined again (共青团 + 组织)."""
    from .bodies import department_key

    out: list[str] = []
    for tok in tokens:
        if out and out[-1].strip() and tok.strip() and department_key(out[-1] + tok) and not department_key(tok):
            out[-1] += tok
        else:
            out.append(tok)
    return out


def _zh_forms(word: str, corpus: Any, tokenizer: Any) -> list[str]:
    """The word, or — when the corpus never writes it — its halves (名师工作室 → 名师, 工作室);
    a department in the forms the corpus writes it (``with_departments`` adds the others)."""
    from .bodies import department_forms

    if corpus.doc_frequency(word) > 0:
        return [word]
    written = [f for f in department_forms(word) if corpus.doc_frequency(f) > 0]
    written = written or [f for f in synonym_sets().get(word, ()) if corpus.doc_frequency(f) > 0]
    if written:
        return written
    parts = [p for p in zh_words(word, tokenizer) if p != word] or ([word[:2], word[2:]] if len(word) >= 4 else [])
    return [p for p in parts if len(p) >= 2 and corpus.doc_frequency(p) > 0]


COUNT_WORD = re.compile(r"[\d零〇一二两三四五六七八九十百千万]+[次届项个名所节轮回批种门类遍]?")  # 一届, 两项: numbers, not words
PLAN_PERIOD = re.compile(r"十[一二三四五六七八九]五")  # 十三五, 十四五: a five-year plan's period, a name (not 13 and 5)


def _count_word(token: str) -> bool:
    return bool(COUNT_WORD.fullmatch(token)) and not PLAN_PERIOD.fullmatch(token)
PREPOSITIONS = frozenset("对把将在为向从由给被")
EXAMPLE_OPENERS_ZH = ("如", "含", "包括", "包含", "例如", "比如", "诸如", "即")


SCOPE_REMARK = re.compile(r"[，,]\s*(?:包括|包含|也包括|含)[^，,。；;？?]*")
# a parenthesis that opens with a preposition explains how (（在…中单列美育课题）, （通过…）): no alternatives
EXPLAINING = re.compile(r"(?:在|对|把|将|由|从|通过|按照|根据|依托|结合|围绕)[\u4e00-\u9fff]")
# ，比如创作校歌、传唱校歌: a clause of examples illustrates what was asked before it
# what the asker rules out (…, rather than only listing film as a subject; beyond simply calling
# for …; (not just quality monitoring)): no requirement, up to the end of its clause
EXCLUSION_EN = re.compile(r",?\s*\b(?:rather than|instead of|other than|beyond(?:\s+(?:simply|merely|just))?|"
                          r"not\s+(?:just|only|merely|simply)|as opposed to|apart from|excluding)\b[^,;?()]*",
                          re.IGNORECASE)
EXCLUSION_ZH = re.compile(r"[，,（(]\s*(?:而不(?:仅仅|只|仅)?是|而非|不包括|不含|不只是|不仅仅是)[^。；;？?，,）)]*[）)]?")
EXAMPLE_REMARK = re.compile(r"[，,]\s*(?:比如|例如|譬如|诸如)[^。；;？?]*")
PAREN_ITEM = re.compile(r"[、，,/／]|或者|或是|或|以及|及|和")


def _item_forms(item: str, corpus: Any, tokenizer: Any) -> list[str]:
    """An item of a parenthesis (高中阶段学校招生录取, 团市委) as one alternative: the item as
    written when the corpus writes it, else its longest written beginning (of three characters
    or more), else its most specific word; never each of its words (学校 alone is not 中考)."""
    item = re.sub(r"[^\u4e00-\u9fff]", "", item)
    if len(item) < 2 or _count_word(item):
        return []
    if corpus.doc_frequency(item) > 0:
        return [item]
    for k in range(len(item) - 1, 2, -1):
        if corpus.doc_frequency(item[:k]) > 0:
            return [item[:k]]
    words = [w for w in zh_words(item, tokenizer) if corpus.doc_frequency(w) > 0]
    return [max(words, key=lambda w: (corpus.idf(w), w))] if words else []


def _alternatives_of_phrase(groups: list[list[str]], start: int, items: list[str], corpus: Any,
                            spans: list[tuple[int, int]] | None = None, opened: int | None = None,
                            tokens: list[str] | None = None) -> None:
    """A parenthesis's items join a group of the compound written right before it (the words
    that touch the parenthesis). An item longer than the compound's last word names the whole
    compound (特岗计划（农村义务教育学校教师特设岗位计划）, 顶岗实习（顶岗支教）): the compound,
    when the corpus writes it, becomes one group with the items. Otherwise the nearest word
    that shares a character with an item (学业水平考试（测试）: 考试; 共青团组织（团委）: 共青团),
    else the nearest (美育（或学科）; 美育（艺术）课时). When no word touches the parenthesis, the
    heaviest group of the phrase before."""
    run: list[int] = []
    if spans is not None and opened is not None:
        edge = opened
        for i in range(len(groups) - 1, start - 1, -1):
            if not groups[i]:
                break
            if spans[i][1] != edge - 1 or (run and _is_verb(groups[i][0])):
                break  # 组织高校（师范、艺术院校）: the verb is not part of the compound
            run.append(i)
            edge = spans[i][0]
    if len(run) >= 2 and tokens is not None and max(map(len, items)) > len(groups[run[0]][0]):
        for n in range(len(run), 1, -1):  # the longest compound the corpus writes (学校美育研究中心 → 美育研究中心)
            compound = "".join(tokens[spans[run[n - 1]][0]:spans[run[0]][1] + 1])
            if corpus.doc_frequency(compound) > 0:
                for i in run[1:n]:
                    groups[i] = []
                groups[run[0]] = [compound] + [f for f in items if f != compound]
                return
    if run:
        chars = set("".join(items))
        target = next((i for i in run if chars & set("".join(groups[i]))), run[0])
    else:
        live = [i for i in range(start, len(groups)) if groups[i]] or [i for i in range(len(groups)) if groups[i]][-1:]
        target = max(live, key=lambda i: (max(corpus.idf(a) for a in groups[i]), -i))
    groups[target].extend(f for f in items if f not in groups[target])


QUOTE_GAP = re.compile(r"[”」』\"]\s*(?:[、，,]|或者|或是|或|和|及)?\s*[“「『\"]")
QUOTED = re.compile(r"[“「『\"]([\u4e00-\u9fff\d+＋·、]{3,20})[”」』\"]")


LIST_SEP = re.compile(r"、|或者|或是|或|以及")
LIST_PIECE = re.compile(r"[^，,。；;：:？?！!\s]+")
COMPOUND_ITEM = 4  # characters: an item this long is a phrase of its own (优质课评比), not a word


def _phrase_lists(core: str, corpus: Any, cut: Any) -> list[tuple[int, int, list[str]]]:
    """Lists whose items are phrases the corpus writes whole (优质课评比、赛课（赛教）、课堂教学评选
    或优质课展示等活动): (start, end, items) of each, so that the items, not their first words,
    are the alternatives. Only when every item is written whole and an item between two
    separators is a phrase (合唱、舞蹈、器乐比赛 stays as it is); the first item is an ending of
    its piece the corpus writes, the last the longest beginning; a parenthesis's items are
    items too."""

    def written(text: str) -> bool:
        return len(text) >= 2 and corpus.doc_frequency(text) > 0

    found = []
    for m in LIST_PIECE.finditer(core):
        piece = m.group(0)
        if "（" in piece.replace("(", "（") and not re.fullmatch(r"[^（(]*(?:[（(][^（）()]*[）)][^（(]*)*", piece):
            continue
        if re.search(r"[）)](?![、或等]|$)", piece):
            continue  # 停上美育（艺术）课时: the parenthesis glosses a word inside an item, not an item
        flat = re.sub(r"[（(]或?([^）)]*)[）)]", r"、\1", piece)
        parts = LIST_SEP.split(flat)
        if len(parts) < 3:
            continue
        first, last, middle = parts[0], parts[-1], parts[1:-1]
        # the first item starts, the last ends, at a word boundary, and neither with the verb
        # before it (组织高雅艺术、戏曲: the items are 高雅艺术, 戏曲)
        words = list(cut(first))
        heads = [(first[i:], _is_verb(w)) for i, w in ((sum(map(len, words[:k])), words[k]) for k in range(len(words)))
                 if len(first) - i <= 10 and written(first[i:])]
        # items are parallel: a head that begins as another item does (美育研究中心、美育研究指导中心),
        # else one that does not begin with a verb (高雅艺术 of 组织高雅艺术), else the longest
        openings = {x[0] for x in parts[1:] if x}
        head = next((h for h, _ in heads if h[0] in openings), None) or next((h for h, verb in heads if not verb), None) \
            or next((h for h, _ in heads), None)
        words = list(cut(last))
        ends = [sum(map(len, words[:i])) for i in range(len(words), 0, -1)]
        tail = next((last[:j] for j in ends if 2 <= j <= 10 and written(last[:j])), None)
        if head is None or tail is None or not all(written(x) for x in middle):
            continue
        items = list(dict.fromkeys([head, *middle, tail]))
        if not any(len(x) >= COMPOUND_ITEM for x in middle):
            continue  # an item written between two separators is a phrase (合唱、舞蹈、器乐比赛 stays words)
        # the span in ``core``: from the first item's start to the last item's end
        a = m.start() + len(first) - len(head)
        b = m.start() + piece.rfind(tail) + len(tail)
        if b < len(core) and core[b] in "）)":
            b += 1  # 在线课堂（或同频互动课堂、双师课堂）: the parenthesis closes with its items
        found.append((a, b, items))
    return found


def _tokens(core: str, corpus: Any, tokenizer: Any) -> tuple[list[str], set[str]]:
    """The question's tokens; a name in quotation marks (“三队两组”, “名师大篷车”) that the corpus
    writes is one token: a programme's name, not its words."""
    from embeddings.bm25 import _jieba

    cut = _jieba(tokenizer.words).cut
    out: list[str] = []
    names: set[str] = set()
    pos = 0
    spans: list[tuple[int, int, list[str]]] = []
    for m in QUOTED.finditer(core):
        name = m.group(1)
        if len(re.findall(r"[\u4e00-\u9fff]", name)) >= 3 and corpus.doc_frequency(name) > 0:
            names.add(name)
            # names quoted one after the other (“送教下乡”“送课下乡”、“送培下乡”) are a list: alternatives
            if spans and QUOTE_GAP.fullmatch(core[spans[-1][1]:m.start(1)]):
                a, _, words = spans[-1]
                spans[-1] = (a, m.end(1), [*words, "、", name])
            else:
                spans.append((m.start(1), m.end(1), [name]))
    for a, b, items in _phrase_lists(core, corpus, cut):
        if not any(a < e and s < b for s, e, _ in spans):
            spans.append((a, b, [t for item in items for t in ("、", item)][1:]))
    for a, b, words in sorted(spans):
        out.extend(cut(core[pos:a]))
        out.extend(words)
        pos = b
    out.extend(cut(core[pos:]))
    # a list item cut in two whose second half ends the item before (同步课堂、在线 + 课堂): one word
    joined: list[str] = []
    i = 0
    while i < len(out):
        tok = out[i]
        if (len(joined) >= 2 and joined[-1] in JOIN_ZH and i + 1 < len(out) and len(out[i + 1]) >= 2
                and HAN.search(tok) and len(joined[-2]) > len(out[i + 1]) and joined[-2].endswith(out[i + 1])
                and corpus.doc_frequency(tok + out[i + 1]) > 0):
            joined.append(tok + out[i + 1])
            i += 2
            continue
        joined.append(tok)
        i += 1
    return _department_tokens(joined), names


def _zh_requirement(core: str, corpus: Any, tokenizer: Any) -> Requirement:
    """Chinese words in question order. Words joined by 、/或/和, or written in parentheses after
    a phrase (美术（艺术）, 中小学生（或大中小学生）, 共青团组织（团委、团市委）), are alternatives of one
    group: the heaviest of the phrase before. Parentheses that give examples (（如…）, （含…）)
    only illustrate and are left out."""
    from embeddings.bm25 import stopwords

    core = re.sub(r"[（(]\s*(?:{})[^）)]*[）)]".format("|".join(EXAMPLE_OPENERS_ZH)), " ", core)
    stop = stopwords()
    req = Requirement()
    for m in SCOPE_REMARK.finditer(core):  # ，包括探索和试点: how far the question reaches, not what it asks
        req.ignored.append(m.group(0).strip("，, "))
    core = SCOPE_REMARK.sub(" ", core)
    for m in EXAMPLE_REMARK.finditer(core):
        if HAN.search(core[:m.start()]):
            req.ignored.append(m.group(0).strip("，, "))
    core = EXAMPLE_REMARK.sub(lambda m: " " if HAN.search(core[:m.start()]) else m.group(0), core)
    paren = ""
    pending: tuple[list[str], int, str] | None = None  # a parenthesis's items, not yet placed
    groups: list[list[str]] = []
    tails: set[int] = set()  # groups that follow the last item of a coordination in the same phrase
    manner: set[int] = set()  # adverbs of manner (a word before 地): light words
    phrase_start = 0  # index of the first group of the current phrase
    join = False
    joined = False  # a coordination was joined in this phrase (its last item may run on)
    dangling = False  # the word before was dropped (one character, a stopword)
    depth = 0
    spans: list[tuple[int, int]] = []  # per group: its first and last token's index
    opened = 0  # index of the last opening parenthesis
    tokens, quoted = _tokens(core, corpus, tokenizer)
    named: set[int] = set()  # groups that are a quoted name
    for n_tok, raw in enumerate(tokens):
        token = raw.strip()
        if not token:
            joined = dangling = False  # scaffolding taken out: a new phrase
            if pending is not None:
                _alternatives_of_phrase(groups, pending[1], pending[0], corpus, spans, opened, tokens)
                pending = None
            continue
        if token in PHRASE_END:
            joined = False
        if token in OPEN or token in CLOSE:
            if token in OPEN:
                depth += 1
                paren = ""
                opened = n_tok
            else:
                depth = max(depth - 1, 0)
                items = [f for item in PAREN_ITEM.split(paren) for f in _item_forms(item, corpus, tokenizer)]
                if groups and len(groups) - 1 in named and spans[-1][1] >= opened - 2:
                    items = []  # “三队两组”（合唱队、器乐队…）: the parenthesis explains the name
                if EXPLAINING.match(paren.strip()):
                    req.ignored.append(paren.strip())  # （在教育科学规划…中单列美育课题）: a clause, not names
                    items = []
                if items and groups:  # alternatives of the phrase before the parenthesis, each item whole
                    pending = (items, phrase_start, paren)  # unless a word goes on right after it
                phrase_start = len(groups)
            join = joined = False
            continue
        if pending is not None:
            items, start, written = pending
            pending = None
            # 示范（特色）学校: the word before and the parenthesis both run on into the word after
            # it, so the compounds are the alternatives (示范学校|特色学校)
            before, item = groups[-1][0], written.strip()
            parallel = (len(items) == 1 and len(item) == len(before) >= 2 and re.fullmatch(r"[\u4e00-\u9fff]+", item) is not None
                        and raw == token and len(token) >= 2 and token not in stop and depth == 0
                        and not any(_is_verb(w) for w in (before, item, token)))
            # (only when the word before runs on into a compound the corpus writes: 大中小（各学段）美育
            # is 大中小幼 cut short, not 大中小美育)
            whole = [w for w in dict.fromkeys((before + token, item + token)) if corpus.doc_frequency(w) > 0] \
                if parallel and corpus.doc_frequency(before + token) > 0 else []
            if whole:
                groups[-1] = whole
                spans[-1] = (spans[-1][0], n_tok)
                continue
            _alternatives_of_phrase(groups, start, items, corpus, spans, opened, tokens)
        if depth:
            paren += raw
            continue
        if token in JOIN_ZH or (depth and token in EXAMPLE_ZH):
            join = bool(groups) and not dangling  # 市、县级: 市 was dropped, 县级 joins nothing
            continue
        if not HAN.search(token):
            join = False
            phrase_start = len(groups)
            continue
        if len(token) == 2 and token[0] in PREPOSITIONS:
            token = token[1:]  # 对县（区）级: jieba glued the preposition to a one-character word
        if len(token) < 2 or token in stop or _count_word(token):
            dangling = len(token) < 2 and token not in stop  # 市 of 市、县级 (not 的 of 课的节数或课时)
            continue
        dangling = False
        forms = _zh_forms(token, corpus, tokenizer)
        if not forms:
            req.ignored.append(token)
            continue
        if depth and groups:  # an alternative of the phrase before the parenthesis
            target = max(range(phrase_start, len(groups)) or [len(groups) - 1],
                         key=lambda i: (max(corpus.idf(a) for a in groups[i]), -i))
            groups[target].extend(f for f in forms if f not in groups[target])
        elif join and groups:
            groups[-1].extend(f for f in forms if f not in groups[-1])
            spans[-1] = (spans[-1][0], n_tok)
            joined = not depth
        elif len(forms) > 1 and corpus.doc_frequency(token) == 0:
            groups.extend([f] for f in forms)  # halves of an unknown word: each required
            spans.extend((n_tok, n_tok) for _ in forms)
        else:
            if joined and not depth and not _is_verb(token):
                tails.add(len(groups))  # the word right after a list's last noun
            if n_tok + 1 < len(tokens) and tokens[n_tok + 1] == "地" and not _is_verb(token):
                manner.add(len(groups))  # 科学合理地计算: how it is done, which plans word freely
            joined = False
            if raw in quoted:
                named.add(len(groups))
            groups.append(list(forms))
            spans.append((n_tok, n_tok))
        join = False
    if pending is not None:
        _alternatives_of_phrase(groups, pending[1], pending[0], corpus, spans, opened, tokens)
    # a concept the question names twice (建立集体备课（或学区备课）制度、组织学科集体备课活动) is
    # asked once: a group whose forms an earlier group has is that group
    merged: list[list[str]] = []
    for alts in groups:
        merged.append([] if alts and any(m and set(alts) <= set(m) for m in merged) else alts)
    seen: set[tuple[str, ...]] = set()
    for i, alts in enumerate(merged):
        key = tuple(alts)
        if not key or key in seen:
            continue
        seen.add(key)
        verb = all(_is_verb(a) for a in alts)
        weight = max(corpus.idf(a) for a in alts) * (VERB_WEIGHT if verb else 1.0)
        tail = i in tails or i in manner or all(LEVEL.fullmatch(a) for a in alts)
        req.groups.append(Group("|".join(alts), key, weight * (TAIL_WEIGHT if tail else 1.0), tail,
                                i in tails and not all(LEVEL.fullmatch(a) for a in alts)))
    return req


@lru_cache(maxsize=1)
def _conjoined_phrases() -> re.Pattern[str] | None:
    """Glossary phrases with "and" / "or" inside (primary and secondary schools, rewards and
    punishments): one concept, not two alternatives."""
    from embeddings.expand import glossary

    phrases = sorted((p for p in glossary() if re.search(r"\b(?:and|or)\b", p)), key=len, reverse=True)
    if not phrases:
        return None
    forms = [r"\s+".join(re.escape(w) + (r"s?" if i == len(p.split()) - 1 else "") for i, w in enumerate(p.split()))
             for p in phrases]
    return re.compile(r"\b(?:" + "|".join(forms) + r")\b", re.IGNORECASE)


def _split_conjunctions(text: str) -> list[str | None]:
    """``re.split(r"\b(or|and)\b|,", text)``, except inside a conjoined glossary phrase or a
    range of numbers (one or two)."""
    from .numbers import EN_NUM

    pattern = _conjoined_phrases()
    kept = [m.span() for m in pattern.finditer(text)] if pattern else []
    # one or two projects, two or three times: a range of numbers, not two alternatives
    kept += [m.span() for m in re.finditer(rf"{EN_NUM}\s+or\s+{EN_NUM}\b", text, flags=re.IGNORECASE)]
    parts: list[str | None] = []
    at = 0
    for m in re.finditer(r"\b(or|and)\b|,", text):
        if any(a <= m.start() < b for a, b in kept):
            continue
        parts.extend([text[at:m.start()], m.group(1)])
        at = m.end()
    parts.append(text[at:])
    return parts


def _en_chunks(core: str) -> list[tuple[str, str]]:
    """The English core cut at or/and/commas and parentheses: (chunk, how it joins the chunk
    before: "paren" inside parentheses, "conj" after or/and, "" otherwise)."""
    out: list[tuple[str, str]] = []
    core = re.sub(r"\(\s*(?:e\.g\.|eg\b|for example|such as|i\.e\.)[^)]*\)", " ", core, flags=re.IGNORECASE)
    # an example outside parentheses (…, for example at least once a year): up to the next comma
    core = re.sub(r"(?<![a-z])(?:e\.g\.|for example|for instance)[^(),;?]*", " ", core, flags=re.IGNORECASE)
    # …courses, such as MOOCs, micro-lectures or open lessons: the examples name what the
    # words before them ask (``example``: alternatives of the heaviest of them), to the end
    examples: list[str] = []
    such = re.search(r",?\s*\bsuch as\b([^;?()]*)", core, flags=re.IGNORECASE)
    if such and core[:such.start()].strip():
        examples = [p.strip() for p in re.split(r"\b(?:or|and)\b|,", such.group(1)) if p and p.strip()]
        core = core[:such.start()] + " " + core[such.end():]
    for m in re.finditer(r"\(([^)]*)\)|([^(),]+)", core):
        inside = m.group(1) is not None
        text = m.group(1) if inside else m.group(2)
        parts = _split_conjunctions(text)
        alt = "paren" if inside else ""
        for part in parts:
            if part is None:
                continue
            if part.strip().lower() in ("or", "and"):
                alt = alt or "conj"
                continue
            # an "and" / "or" left in a part is inside a conjoined glossary phrase: kept
            words = [w for w in part.split() if w.lower().strip(".") not in EXAMPLE_EN - {"and", "or"}]
            if words:
                out.append((" ".join(words), alt if out else ""))
            alt = "paren" if inside else ""
    for item in examples:
        words = [w for w in item.split() if w.lower().strip(".") not in EXAMPLE_EN]
        if words and out:
            out.append((" ".join(words), "example"))
    return out


def with_departments(req: Requirement, corpus: Any) -> Requirement:
    """A group that names a department (文化部门; or two groups that together do: 文化 + 部门)
    takes every form plans write it in (``bodies.department_forms``) that the corpus uses."""
    from .bodies import department_forms

    groups = list(req.groups)
    out: list[Group] = []
    i = 0
    while i < len(groups):
        g = groups[i]
        forms: list[str] = []
        paired = False
        if i + 1 < len(groups):
            nxt = groups[i + 1]
            pair = next((a + b for a in g.alternatives for b in nxt.alternatives if department_forms(a + b)), None)
            if pair:
                forms = list(department_forms(pair))
                g = Group(f"{g.asked} {nxt.asked}".strip() if g.asked != nxt.asked else g.asked, (pair,), g.weight)
                paired = True
                i += 1
        if not forms and not g.guess:  # compile → 编制 is not 编办: a department is named, not guessed
            for a in g.alternatives:
                forms.extend(f for f in department_forms(a) if f not in forms)
        if forms:
            # named as a department (文化部门, a pair 文化 + 部门, 共青团组织), not a bare two-character
            # word that is mostly something else (传统文化, 财政投入)
            named = paired or any(len(a) > 2 and department_forms(a) for a in g.alternatives)
            alts = g.alternatives + tuple(f for f in forms if f not in g.alternatives and corpus.doc_frequency(f) > 0)
            alts = tuple(a for a in alts if corpus.doc_frequency(a) > 0) or alts
            weight = max(corpus.idf(a) for a in alts[:1]) if alts else g.weight
            if named and _implicit_actor(forms[0]):
                # the education department acts in every education plan, mostly unnamed (各地要配齐…):
                # asked as the subject, it is a light word, not a department a unit must name
                g = Group(g.asked, alts, weight * TAIL_WEIGHT, tail=True)
            else:
                g = Group(g.asked, alts, weight, body=named)
        out.append(g)
        i += 1
    return Requirement(out, req.ignored)


def _implicit_actor(form: str) -> bool:
    from .bodies import department_key

    return (department_key(form) or "").split("-")[0] == "education"


DISJUNCTION_ZH = re.compile(r"或者|或是|或")


def verb_phrases(core: str, tokenizer: Any) -> list[str]:
    """A Chinese core cut at 或 where 或 joins two verb phrases (配齐专职教师或解决教师短缺):
    each side has a verb of its own. Outside parentheses only; otherwise the core whole."""
    from embeddings.bm25 import _jieba

    depth, cuts = 0, []
    for i, ch in enumerate(core):
        if ch in OPEN:
            depth += 1
        elif ch in CLOSE:
            depth = max(depth - 1, 0)
        elif depth == 0 and ch == "或" and (i + 1 >= len(core) or core[i + 1] not in "者是"):
            cuts.append(i)
    if not cuts:
        return [core]
    sides, pos = [], 0
    for c in cuts:
        sides.append(core[pos:c])
        pos = c + 1
    sides.append(core[pos:])
    # ，或 starts a clause of its own (…纳入课后服务，或对参与的教师计工作量): a comma never joins two nouns
    clause_level = all(core[:c].rstrip().endswith(CLAUSE_END) for c in cuts)
    sides = [re.sub(r"^(?:者|是)", "", side).strip().rstrip("".join(CLAUSE_END)).strip() for side in sides]

    def first_word(text: str) -> str:
        return next((w for w in _jieba(tokenizer.words).cut(text) if HAN.search(w)), "")

    def has_verb(text: str) -> bool:
        return any(_is_verb(w) for w in _jieba(tokenizer.words).cut(text) if len(w) >= 2)

    if not clause_level and DISPOSAL.search(sides[0]):
        return [core]  # 把妇联列为责任单位或参与力量: 或 joins what the one verb makes of its object
    def words_of(text: str) -> list[str]:
        return [w for w in _jieba(tokenizer.words).cut(text) if HAN.search(w)]

    # 推行校长职级制或校长聘任制: 或 joins two compounds that begin with the same word; each is a
    # whole alternative of what the words before them ask (not 校长 alone beside 校长职级制)
    # (美育教研室、美育教研组或美育研究所: after a list, 或 joins its last item, not two phrases)
    if len(sides) == 2 and not clause_level and all(sides) and "、" not in re.sub(r"[（(][^）)]*[）)]", "", sides[0]):
        before, after = words_of(sides[0]), words_of(sides[1])
        head = after[0] if len(after) >= 2 else ""
        if head and len(head) >= 2 and not _is_verb(head) and any(w.startswith(head) for w in before[1:]) \
                and not any(_is_verb(w) for w in after):
            first = sides[0].find(before[0]) + len(before[0])
            lead = sides[0][:sides[0].find(head, first)]
            return [sides[0], lead + sides[1]]
    # a verb phrase after 或 has its verb and more (教学或活动: 活动 alone is a noun of the list)
    if all(sides) and (clause_level or (all(has_verb(side) for side in sides)
                                        and all(_is_verb(first_word(side)) and len(words_of(side)) > 1
                                                for side in sides[1:]))):
        resolved = _resolve_pronouns(sides, first_word)
        # a clause after ，或 is whole: the side before it ends in a noun the tagger calls a
        # verb (…师德师风建设，或提升…) more often than in a verb waiting for an object
        return resolved if clause_level else _shared_objects(resolved, tokenizer)
    return [core]


# 把 X 列为 (作为, 纳入 …; the verb may be scaffolding already taken out): the complements after
# the verb are alternatives of one phrase; 将 only with its verb (将 is also "will")
DISPOSAL = re.compile(r"把[\u4e00-\u9fff]|将[\u4e00-\u9fff]{1,12}?(?:列为|列入|作为|纳入|确定为|认定为|定为)")


def _shared_objects(sides: list[str], tokenizer: Any) -> list[str]:
    """A side that ends in its verb (设立或依托研究中心; 推进、依托或推广…工作; 由文化部门支持或组织
    …进校园) takes the object of the side after it: the verbs are alternatives, the object is
    asked of each."""
    from embeddings.bm25 import _jieba

    out = list(sides)
    for i in range(len(out) - 2, -1, -1):
        words = [w for w in _jieba(tokenizer.words).cut(out[i]) if HAN.search(w)]
        if words and _is_verb(words[-1]):
            after = [w for w in _jieba(tokenizer.words).cut(out[i + 1])]
            lead = next((j for j, w in enumerate(after) if HAN.search(w)), None)
            if lead is not None and _is_verb(after[lead]):
                out[i] = out[i] + "".join(after[lead + 1:])
    return out


CLAUSE_END = ("，", ",", "；", ";")
PRONOUN_ZH = re.compile(r"它们|它")


def _resolve_pronouns(sides: list[str], first_word: Any) -> list[str]:
    """它 in a later verb phrase is the object of the one before (成立艺术教育委员会，或依托它推进…):
    the earlier phrase without its leading verb stands in for it."""
    out = [sides[0]]
    for side in sides[1:]:
        if PRONOUN_ZH.search(side):
            before = out[-1]
            verb = first_word(before)
            thing = before[len(verb):] if verb and before.startswith(verb) and _is_verb(verb) else before
            side = PRONOUN_ZH.sub(lambda _, thing=thing: thing, side)
        out.append(side)
    return out


@lru_cache(maxsize=1)
def synonym_sets() -> dict[str, tuple[str, ...]]:
    """Word → the forms a question's word also accepts (``data/synonyms_zh.txt``): each word of
    a ``a|b|c`` line takes the whole line (the terms the genre writes for one thing); a
    ``broad > narrow|narrow`` line gives only the broad word its narrower kinds (职业院校 takes
    中等职业学校; a question about 中职 does not take 高职). A word on several lines takes all."""
    text = resources.files("api.ask").joinpath("data/synonyms_zh.txt").read_text(encoding="utf-8")
    out: dict[str, dict[str, None]] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        broad, _, narrow = line.partition(">") if ">" in line else ("", "", line)
        heads = [t.strip() for t in broad.split("|") if t.strip()]
        terms = [t.strip() for t in narrow.split("|") if t.strip()]
        if len(heads + terms) < 2 or not all(HAN.search(t) for t in heads + terms) or (">" in line and not heads):
            raise ValueError(f"api/ask/data/synonyms_zh.txt line {n}: expected two or more Chinese terms "
                             "joined by |, or 'broad > narrow|narrow'")
        for t in heads or terms:
            out.setdefault(t, {}).update(dict.fromkeys([t, *heads, *terms]))
    return {t: tuple(forms) for t, forms in out.items()}


def with_synonyms(req: Requirement, corpus: Any) -> Requirement:
    """Each group takes the synonyms (``synonym_sets``) of its words that the corpus writes."""
    sets = synonym_sets()

    def widen(groups: list[Group]) -> list[Group]:
        out = []
        for g in groups:
            extra = [t for a in g.alternatives for t in sets.get(a, ())
                     if t not in g.alternatives and corpus.doc_frequency(t) > 0]
            out.append(replace(g, alternatives=g.alternatives + tuple(dict.fromkeys(extra))) if extra else g)
        return out

    return Requirement(widen(req.groups), req.ignored, [widen(b) for b in req.branches])


SHARE_WORDS = frozenset({"比例", "占比", "比重", "百分比"})  # a share asked: plans state it as a word or as a percentage
PERCENT = ("%", "％")


def with_shares(req: Requirement) -> Requirement:
    """A group asking for a share (比例, 占比; share, proportion) is also stated by a percentage
    (不低于总课时的9%): plans give the figure rather than the word. It is a light word (the
    framing of a number, like 指标), never one a unit must state."""
    def widen(groups: list[Group]) -> list[Group]:
        return [replace(g, alternatives=g.alternatives + tuple(p for p in PERCENT if p not in g.alternatives),
                        weight=g.weight * (1.0 if g.tail else TAIL_WEIGHT), tail=True, after_list=False)
                if any(a in SHARE_WORDS for a in g.alternatives) else g for g in groups]

    return Requirement(widen(req.groups), req.ignored, [widen(b) for b in req.branches])


def without_shares(req: Requirement) -> Requirement:
    """The requirement without its share words, for a question that asks for a number anyway
    (a numeric target, number or share of schools): the share is the number's framing."""
    def keep(groups: list[Group]) -> list[Group]:
        return [g for g in groups if not any(a in SHARE_WORDS for a in g.alternatives)] or groups

    return Requirement(keep(req.groups), req.ignored, [keep(b) for b in req.branches])


def requirement_terms(core: str, lang: str, corpus: Any, tokenizer: Any, expander: Any = None,
                      renderings: dict[str, tuple[list[str], bool]] | None = None) -> Requirement:
    req = with_shares(with_synonyms(_terms(core, lang, corpus, tokenizer, expander, renderings), corpus))
    codes = literal_codes(core, corpus)
    if codes:
        req = Requirement(req.groups + codes, req.ignored, [b + codes for b in req.branches])
    return req


# a programme's code (体育艺术2+1项目, the "1+X" certificate): written the same in any language,
# with an ASCII or a full-width plus
CODE = re.compile(r"(?<![0-9A-Za-z])(\d{1,2})\s*[+＋]\s*([0-9A-Za-z]{1,2})(?![0-9A-Za-z])")


def literal_codes(core: str, corpus: Any) -> list[Group]:
    """The codes ``core`` names, as groups of their written forms the corpus holds."""
    out = []
    for m in CODE.finditer(core):
        forms = tuple(f for f in dict.fromkeys(f"{m.group(1)}{plus}{m.group(2)}" for plus in "+＋")
                      if corpus.doc_frequency(f) > 0)
        if forms and not any(forms == g.alternatives for g in out):
            out.append(Group(m.group(0), forms, max(corpus.idf(f) for f in forms)))
    return out


def _jieba_cut(text: str, tokenizer: Any) -> list[str]:
    from embeddings.bm25 import _jieba

    return list(_jieba(tokenizer.words).cut(text))


def _terms(core: str, lang: str, corpus: Any, tokenizer: Any, expander: Any = None,
           renderings: dict[str, tuple[list[str], bool]] | None = None) -> Requirement:
    if lang == "zh" or expander is None:
        examples = [m.group(0).strip("，, ") for m in EXAMPLE_REMARK.finditer(core) if HAN.search(core[:m.start()])]
        core = EXAMPLE_REMARK.sub(lambda m: " " if HAN.search(core[:m.start()]) else m.group(0), core)
        examples += [m.group(0).strip("，,（()） ") for m in EXCLUSION_ZH.finditer(core)]  # what is ruled out
        core = EXCLUSION_ZH.sub(" ", core)
        if examples:
            req = _terms(core, lang, corpus, tokenizer, expander, renderings)
            req.ignored.extend(examples)
            return req
        sides = verb_phrases(core, tokenizer)
        if len(sides) > 1:
            parts = [with_departments(_zh_requirement(side, corpus, tokenizer), corpus) for side in sides]
            # a side that lent its object to the side before (挤占、削减或停上美育课时 → 挤占、削减…美育
            # 课时) and asks nothing that side does not (停上 unwritten: 美育课时 alone) is that side
            # loosened, not an alternative
            keys = [frozenset(g.alternatives for g in p.groups) for p in parts]

            def lent(i: int) -> bool:
                return any(j != i and len(sides[i]) - k >= 2 and sides[j].endswith(sides[i][k:])
                           for j in range(len(sides)) for k in (1, 2, 3))

            parts = [p for i, p in enumerate(parts)
                     if p.groups and not (lent(i) and any(keys[i] < k for k in keys))]
            # the department named in one verb phrase is the subject of the others too
            # (文化部门支持或组织…: the department organises as well)
            bodies = [g for p in parts for g in p.groups if g.body]
            for p in parts:
                if bodies and not any(g.body for g in p.groups):
                    p.groups = bodies[:1] + p.groups
            if len(parts) > 1:
                union: list[Group] = []
                for p in parts:
                    union.extend(g for g in p.groups if g.alternatives not in [u.alternatives for u in union])
                return Requirement(union, [w for p in parts for w in p.ignored], [p.groups for p in parts])
    return with_departments(_requirement_terms(core, lang, corpus, tokenizer, expander, renderings), corpus)


def _requirement_terms(core: str, lang: str, corpus: Any, tokenizer: Any, expander: Any = None,
                       renderings: dict[str, tuple[list[str], bool]] | None = None) -> Requirement:
    if lang == "zh" or expander is None:
        return _zh_requirement(core, corpus, tokenizer)
    req = Requirement()
    req.ignored.extend(m.group(0).strip(" ,") for m in EXCLUSION_EN.finditer(core))
    core = EXCLUSION_EN.sub(" ", core)
    glosses, glossed = _glosses(core)
    chunk_start = 0  # where the groups of the last chunk that is not an example begin
    prev_start = 0  # ... and of the chunk before it
    for chunk, alternative in _en_chunks(re.sub(r"[\u4e00-\u9fff]+", " ", core)):
        sub = _en_requirement(chunk, corpus, expander, renderings)
        req.ignored.extend(sub.ignored)
        sub.groups = [g for g in sub.groups if not glossed & set(g.asked.lower().split())]
        if alternative == "example":
            if sub.groups and len(req.groups) > chunk_start:
                i = max(range(chunk_start, len(req.groups)), key=lambda k: req.groups[k].weight)
                head, best = req.groups[i], max(sub.groups, key=lambda g: g.weight)
                extra = tuple(a for a in best.alternatives if a not in head.alternatives)
                req.groups[i] = Group(f"{head.asked} / {chunk}", head.alternatives + extra, head.weight,
                                      head.tail, guess=head.guess and best.guess)
            continue
        if alternative != "paren":
            prev_start, chunk_start = chunk_start, len(req.groups)
        if alternative == "paren" and req.groups and sub.groups:
            last = req.groups[-1]
            best = max(sub.groups, key=lambda g: g.weight)  # local operas: the operas, not "local"
            extra = tuple(a for a in best.alternatives if a not in last.alternatives)
            req.groups[-1] = Group(f"{last.asked} / {chunk}", last.alternatives + extra, last.weight,
                                   guess=last.guess and best.guess)
        elif alternative == "conj" and req.groups and sub.groups:
            # music and art teaching researchers: "art" is an alternative of "music", the words
            # after it (teaching researchers) are asked of both
            # (one full-time music teacher and one full-time art teacher: a word asked already
            # is not asked again)
            fresh = [g for g in sub.groups if not any(set(g.alternatives) & set(h.alternatives) for h in req.groups)]
            head = req.groups[-1]
            # professional associations or arts-education associations: the chunks share their
            # head, so the words before it are alternatives of the modifier before it
            # (professional / arts education), not of the head; what follows the head is asked too
            at = next((k for k, g in enumerate(sub.groups) if set(g.alternatives) & set(head.alternatives)), 0)
            # (a verb before the head is no modifier: provide spot checks or third-party sampling)
            if (fresh and at and len(req.groups) - prev_start >= 2 and all(g in fresh for g in sub.groups[:at])
                    and not all(_is_verb(a) for a in req.groups[-2].alternatives)):
                mod, first = req.groups[-2], sub.groups[0]
                req.groups[-2] = Group(f"{mod.asked} / {first.asked}",
                                       mod.alternatives + tuple(a for a in first.alternatives if a not in mod.alternatives),
                                       mod.weight, mod.tail, guess=mod.guess and first.guess)
                req.groups[-1:-1] = sub.groups[1:at]
                req.groups.extend(g for g in sub.groups[at + 1:] if g in fresh)
            elif fresh:
                last, first = req.groups[-1], fresh[0]
                req.groups[-1] = Group(f"{last.asked} / {first.asked}",
                                       last.alternatives + tuple(a for a in first.alternatives if a not in last.alternatives),
                                       last.weight, last.tail, guess=last.guess and first.guess)
                req.groups.extend(fresh[1:])
        else:
            req.groups.extend(sub.groups)
    for pieces in glosses:  # the asker's own Chinese for the words before it: one group
        written = tuple(dict.fromkeys(p for p in pieces if corpus.doc_frequency(p) > 0))
        if written:
            req.groups.append(Group(" / ".join(pieces), written, max(corpus.idf(p) for p in written)))
            continue
        for piece in pieces:
            sub = _zh_requirement(piece, corpus, tokenizer)
            req.groups.extend(sub.groups)
            req.ignored.extend(sub.ignored)
    return req


GLOSS = re.compile(r"(?P<before>(?:[A-Za-z][\w'’-]*\W{0,3}){1,2})[（(](?P<zh>[^()（）]*[\u4e00-\u9fff][^()（）]*)[)）]")
GLOSS_PIECE = re.compile(r"[\u4e00-\u9fff]{2,}")


def _glosses(core: str) -> tuple[list[list[str]], set[str]]:
    """The Chinese an English question writes beside its words (the staffing authority
    (机构编制部门 / 编办)): the asker's own rendering, trusted over a dictionary's. Returns the
    Chinese pieces of each gloss (alternatives of one another) and the English words glossed
    (the two before it), whose dictionary renderings are dropped. Chinese written outside
    parentheses is a gloss of nothing: each piece is a group of its own."""
    glosses, glossed = [], set()
    taken = []
    for m in GLOSS.finditer(core):
        pieces = GLOSS_PIECE.findall(m.group("zh"))
        if pieces:
            glosses.append(pieces)
            glossed |= {w.lower() for w in re.findall(r"[A-Za-z]+", m.group("before"))}
            taken.append((m.start("zh"), m.end("zh")))
    rest = "".join(" " if any(a <= i < b for a, b in taken) else ch for i, ch in enumerate(core))
    glosses.extend([p] for p in GLOSS_PIECE.findall(rest))
    return glosses, glossed


def in_glossary_phrase(question: str, start: int, end: int) -> bool:
    """The English words of ``question[start:end]`` begin a longer glossary phrase (an annual
    report → 年度报告): a frequency there is part of a name the plans write, not one asked."""
    from embeddings.expand import POSSESSIVE, _norm_phrase, glossary

    own = len(_WORD.findall(question[start:end]))
    words = [POSSESSIVE.sub("", w.lower()) for w in _WORD.findall(question[start:])[:GLOSSARY_WORDS]]
    if not own or not words or HAN.search(words[0]):
        return False
    known = glossary()
    return any(_norm_phrase(" ".join(words[:n])) in known for n in range(own + 1, len(words) + 1))


def _en_requirement(core: str, corpus: Any, expander: Any,
                    renderings: dict[str, tuple[list[str], bool]] | None) -> Requirement:
    req = Requirement()
    from embeddings.expand import EN_STOPWORDS, PHRASE_ONLY

    from .numbers import EN_NUMBERS

    skip = EN_STOPWORDS | PHRASE_ONLY | set(EN_NUMBERS)  # numbers count only with a unit (numbers.py)
    from embeddings.expand import POSSESSIVE, _norm_phrase, glossary

    known = glossary()
    raw = [POSSESSIVE.sub("", w) for word in _WORD.findall(core) for w in word.lower().split("-") if w]  # art-into-school: three words
    words: list[str] = []  # the words, a glossary phrase (into schools, traditional opera) as one
    phrases: dict[str, tuple[str, ...]] = {}
    def written_as(phrase: str) -> tuple[str, ...]:
        return tuple(t for t in known.get(_norm_phrase(phrase), ()) if corpus.doc_frequency(t) > 0)

    j = 0
    while j < len(raw):
        for n in range(min(GLOSSARY_WORDS, len(raw) - j), 1, -1):
            phrase = " ".join(raw[j:j + n])
            written = written_as(phrase)
            if written:
                phrases[phrase] = written
                words.append(phrase)
                j += n
                break
        else:
            # a phrase with a modifier inside it (joint inter-departmental meeting system: joint
            # meeting system, and inter-departmental on its own)
            def binds(k: int, j: int = j) -> bool:  # a skipped word makes a phrase with the words after it
                return any(written_as(" ".join(raw[i:i + n])) for i in range(j + 1, k)
                           for n in range(k - i + 1, min(GLOSSARY_WORDS, len(raw) - i) + 1))

            gapped = next(((k, n) for k in range(j + 2, min(j + 2 + GAP_WORDS, len(raw)))
                           for n in range(min(GLOSSARY_WORDS - 1, len(raw) - k), 0, -1)
                           if raw[j] not in skip and written_as(" ".join([raw[j], *raw[k:k + n]]))
                           # the words inside modify the phrase (joint [inter-departmental] meeting
                           # system); a function word among two or more starts another phrase (teachers for
                           # improving education quality is no "teacher education")
                           and not (k - j > 2 and any(w in skip for w in raw[j + 1:k]))
                           and not binds(k)), None)
            if gapped:
                k, n = gapped
                phrase = " ".join([raw[j], *raw[k:k + n]])
                phrases[phrase] = written_as(phrase)
                words.append(phrase)
                words.extend(w for w in raw[j + 1:k] if w not in skip)
                j = k + n
                continue
            if raw[j] not in skip:
                words.append(raw[j])
            j += 1

    cache = renderings if renderings is not None else {}

    def expanded(phrase: str) -> tuple[list[str], bool]:
        """The phrase's renderings the corpus writes, and whether they are all the dictionary's."""
        if phrase not in cache:
            got = expander.expand(phrase)
            terms = [t for t in got.terms if len(t) >= 2 and HAN.search(t) and corpus.doc_frequency(t) > 0]
            cache[phrase] = (terms, bool(terms) and all(got.sources.get(t) == "cedict" for t in terms))
        return cache[phrase]

    def rendered(phrase: str) -> list[str]:
        return expanded(phrase)[0]

    single = {w: rendered(w) for w in words if w not in phrases}
    i = 0
    while i < len(words):
        taken = 0
        if words[i] in phrases:  # a glossary phrase is one concept, in all its renderings
            req.groups.append(Group(words[i], phrases[words[i]], max(corpus.idf(t) for t in phrases[words[i]])))
            i += 1
            continue
        for n in range(min(3, len(words) - i), 1, -1):
            span = words[i:i + n]
            if any(w in phrases for w in span):
                continue
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
                verb = EN_VERB_WEIGHT if all(_is_verb(t) for t in terms) else 1.0
                req.groups.append(Group(words[i], tuple(terms), verb * max(corpus.idf(t) for t in terms),
                                        guess=expanded(words[i])[1]))
            elif len(words[i]) > 2:
                req.ignored.append(words[i])
            taken = 1
        i += taken
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
UNUSED_WEIGHT = 0.3  # a rendering none of the closest clauses uses is likely the dictionary's, not the corpus's
ADAPT_LIFT = 30.0  # ... and be this many times more frequent there than in the corpus at large
GUESS_MIN_TEXTS = 2  # a dictionary's guess (``Group.guess``) counts as used in this many of them


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
    from embeddings.expand import _norm_phrase, glossary

    known = glossary()
    groups = []
    for g in req.groups:
        if g.asked and not HAN.search(g.asked):
            used = max(sum(1 for text in texts if a in text) for a in g.alternatives)
            if _norm_phrase(g.asked) in known and used:
                groups.append(g)  # a glossary phrase the closest clauses write: its renderings are curated
                continue
            if g.guess and used < GUESS_MIN_TEXTS:
                used = 0  # one close clause that happens to write a dictionary's guess is not the corpus's usage
            extra = [w for w, n in sorted(seen.items()) if n >= ADAPT_MIN_TEXTS and n > used
                     and _lift(n, len(texts), corpus.doc_frequency(w), len(corpus)) >= ADAPT_LIFT
                     and w not in g.alternatives and not any(w in a or a in w for a in g.alternatives)
                     and any(len(w) == len(a) and (w[0] == a[0] or w[-1] == a[-1]) for a in g.alternatives)]
            # a rendering none of the closest clauses uses is the dictionary's guess (marked →
            # 马克): it weighs less and is never a word a unit must state; a month asked (by the
            # end of November → 11月) is a date, as exact as a year, whatever the dense search found
            unused = not (used or extra) and not any(MONTH.fullmatch(a) for a in g.alternatives)
            weight = g.weight * UNUSED_WEIGHT if unused else g.weight
            g = replace(g, alternatives=g.alternatives + tuple(extra), weight=weight, tail=g.tail or unused)
        groups.append(g)
    return Requirement(groups, req.ignored)


MONTH = re.compile(r"(?:1[0-2]|[1-9])月")
SPLIT_CREDIT = 0.9  # a compound written around a coordination (音乐教师 in 音乐、美术专职教师)
SPLIT_GAP = 8  # at most this many characters between its two halves, within one comma-piece
_PIECE_END = re.compile(r"[，,。；;：:！？!?]")


def _halves(word: str) -> list[tuple[str, str]]:
    """The two-word readings of a compound of four or more characters (音乐|教师, 公共艺术|课程)."""
    if len(word) < 4 or not HAN.search(word):
        return []
    cuts = sorted({2, len(word) - 2})
    return [(word[:k], word[k:]) for k in cuts if k >= 2 and len(word) - k >= 2]


def _split_stated(word: str, text: str) -> bool:
    """``word``'s halves stated in order, close together, in one comma-piece of ``text``
    (音乐教师 in 配备音乐、美术专职教师): a coordination of the genre splits its compounds."""
    for head, tail in _halves(word):
        i = text.find(head)
        while i >= 0:
            j = text.find(tail, i + len(head))
            if j >= 0 and j - i - len(head) <= SPLIT_GAP and not _PIECE_END.search(text, i, j):
                return True
            i = text.find(head, i + 1)
    return False


def _prefix_lengths(word: str) -> range:
    """Lengths of the prefixes of ``word`` that earn part of its credit, longest first: at least
    two characters, and none when the word ends in a suffix that makes it a person or a thing
    (负责人 is not 负责, 资源库 not 资源, 工作室 not 工作)."""
    if word and word[-1] in NOUN_SUFFIX:
        return range(0)
    return range(len(word) - 1, 1, -1)


def credit(word: str, text: str) -> float:
    if word in text:
        return 1.0
    if _split_stated(word, text):
        return SPLIT_CREDIT
    n = len(word)
    for k in _prefix_lengths(word):  # the head of a compound may vary (中小学生, 中小学), its modifier not
        if word[:k] in text:
            return PART_CREDIT * k / n
    return 0.0


def candidates(groups: list[Group], corpus: Any) -> set[int]:
    """Keys of the distinct texts that state at least part of one group (the only ones worth scoring)."""
    keys: set[int] = set()
    for g in groups:
        for a in g.alternatives:
            keys |= corpus.texts_with(a if len(a) <= 2 else a[:2])
    return keys


def unit_credit(word: str, key: int, corpus: Any) -> float:
    """``credit`` of ``word`` in the unit ``key``, from the corpus's term index."""
    if key in corpus.texts_with(word):
        return 1.0
    if any(key in corpus.texts_with(h) and key in corpus.texts_with(t) for h, t in _halves(word)) \
            and _split_stated(word, corpus.distinct[key].text):
        return SPLIT_CREDIT
    n = len(word)
    for k in _prefix_lengths(word):
        if key in corpus.texts_with(word[:k]):
            return PART_CREDIT * k / n
    return 0.0


def unit_coverage(groups: list[Group], key: int, corpus: Any) -> float:
    total = sum(g.weight for g in groups)
    if total <= 0:
        return 0.0
    return sum(g.weight * max(unit_credit(a, key, corpus) for a in g.alternatives) for g in groups) / total


def group_credits(group: Group, corpus: Any) -> dict[int, float]:
    """Distinct-text key → the group's ``credit`` in that text, for every text that earns any (from the
    corpus's term index: proportional to the postings, not to the corpus; the best form of
    each text taken in numpy)."""
    keys, values = [], []
    for a in group.alternatives:
        n = len(a)
        forms = [(a, 1.0)] + [(a[:k], PART_CREDIT * k / n) for k in _prefix_lengths(a)]
        for form, value in forms:
            found = corpus.keys_with(form)
            keys.append(found)
            values.append(np.full(len(found), value, dtype=np.float64))
        for head, tail in _halves(a):  # 音乐教师 in 音乐、美术专职教师
            both = sorted(k for k in corpus.texts_with(head) & corpus.texts_with(tail)
                          if _split_stated(a, corpus.distinct[k].text))
            keys.append(np.asarray(both, dtype=np.int64))
            values.append(np.full(len(both), SPLIT_CREDIT, dtype=np.float64))
    if not keys:
        return {}
    k, v = np.concatenate(keys), np.concatenate(values)
    if not len(k):
        return {}
    order = np.lexsort((-v, k))  # by unit, the best credit first
    k, v = k[order], v[order]
    first = np.concatenate(([True], k[1:] != k[:-1]))
    return dict(zip(k[first].tolist(), v[first].tolist()))


# a department written by its stem alone (市、县财政设立专项经费; 文化和旅游): the stem followed by
# what follows a subject or a list item, not by more of a noun (传统文化艺术, 财政投入)
STEM_AS_BODY = r"(?=等|和|与|及|、|，|,|要|应|须|负责|牵头|配合|设立|安排|加大|支持|统筹|会同|落实|保障|部门|局|厅|委)"


class Scorer:
    """Coverage of the requirement's groups in any distinct text (``AskCorpus.distinct``: a
    provision however many units copy it), from precomputed group credits."""

    def __init__(self, groups: list[Group], corpus: Any) -> None:
        self.groups = groups
        self.credits = [group_credits(g, corpus) for g in groups]
        self.total = sum(g.weight for g in groups)
        heads = [i for i in range(len(groups)) if not groups[i].tail] or list(range(len(groups)))
        self.heavy = max(heads, key=lambda i: (groups[i].weight, -i)) if groups else None
        self._coverage: dict[int, float] | None = None  # every unit's coverage (``reaching``)
        # a department written by its stem as the subject (市、县财政设立…) states it in full
        for g, credits in zip(groups, self.credits):
            if not g.body:
                continue
            for a in g.alternatives:
                stem = a.removesuffix("部门")
                if stem == a or len(stem) < 2:
                    continue
                pattern = re.compile(re.escape(stem) + STEM_AS_BODY)
                for key in corpus.texts_with(stem):
                    if credits.get(key, 0.0) < 1.0 and pattern.search(corpus.distinct[key].text):
                        credits[key] = 1.0

    def candidates(self) -> set[int]:
        keys: set[int] = set()
        for c in self.credits:
            keys.update(c)
        return keys

    def reaching(self, floor: float) -> set[int]:
        """Keys of the distinct texts whose ``coverage`` is at least ``floor`` (minus a rounding margin):
        the sum over groups done once per group in numpy, not once per unit, so a question
        over a large corpus scores only the units that can answer."""
        if self.total <= 0:
            return set()
        keys_of = [np.fromiter(c.keys(), dtype=np.int64, count=len(c)) for c in self.credits]
        every = np.sort(np.concatenate(keys_of)) if keys_of else np.zeros(0, np.int64)
        if not len(every):
            return set()
        every = every[np.concatenate(([True], every[1:] != every[:-1]))]  # np.unique hashes: slower
        acc = np.zeros(len(every), dtype=np.float64)
        for g, c, keys in zip(self.groups, self.credits, keys_of):
            if len(keys):
                values = np.fromiter(c.values(), dtype=np.float64, count=len(c))
                acc[np.searchsorted(every, keys)] += g.weight * values
        # the same sums in the same order as ``coverage`` (IEEE: one value per key either way)
        share = acc / self.total
        self._coverage = dict(zip(every.tolist(), share.tolist()))
        return set(every[share >= floor - 1e-9].tolist())

    def coverage(self, key: int) -> float:
        if self.total <= 0:
            return 0.0
        if self._coverage is not None:
            return self._coverage.get(key, 0.0)
        return sum(g.weight * c.get(key, 0.0) for g, c in zip(self.groups, self.credits)) / self.total

    def bodies_stated(self, key: int) -> bool:
        """Every department the question names is named by the unit (in any of its forms)."""
        return all(c.get(key, 0.0) >= 1.0 for g, c in zip(self.groups, self.credits) if g.body)

    def heaviest_stated(self, key: int) -> bool:
        """The most specific word asked (the heaviest group) is stated, at least by half."""
        return self.heavy is None or self.credits[self.heavy].get(key, 0.0) >= 0.5

    def specific_stated(self, key: int, share: float = SPECIFIC_SHARE, strict: bool = False) -> bool:
        """Every specific word asked (a group weighing at least ``share`` of the heaviest; not a
        list's tail, not a verb: plans vary their verbs, 消除/化解) is stated, at least by half: a unit that only resembles the question (the
        dense search's closest) may miss light words, not specific ones."""
        if self.heavy is None:
            return True
        top = self.groups[self.heavy].weight
        # strict: also the word after a list (校长、教师或分管干部培训: maybe the list's head)
        return all(c.get(key, 0.0) >= 0.5 for g, c in zip(self.groups, self.credits)
                   if (not g.tail or (strict and g.after_list))
                   and (g.weight >= share * top or (strict and g.after_list))
                   and not all(_is_verb(a) for a in g.alternatives))


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
