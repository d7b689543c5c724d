"""The answer to a question: structured facts, then every clause verified against what was asked.

``answer(question, service)``:

1. **Interpret** (``structured.interpret``): intent, language, topic; then the places
   (``places.PlaceIndex``: Chinese or pinyin, sub-regions rolled up), deadline years,
   frequencies and quantities (``numbers``), and the requirement's words (``terms``) once
   the question's scaffolding is taken out. The interpretation states each part it used and
   the words it ignored.
2. **Structured paths** stay where they fit: bodies responsible for a topic, "how many X",
   "list the targets of R / on T", and questions about a whole topic (its main label, nothing
   narrower): the graph's targets, measures and bodies.
3. **Verified clauses** for every other question: every unit (a ；-provision of a sentence) of
   every clause in the allowed documents is read; a unit answers when it states the
   requirement's words (IDF-weighted coverage, ``MATCH``; or ``NEAR`` when the dense search
   also ranks its clause among the closest to the question and every specific word asked is
   stated) and every frequency, quantity and
   deadline asked, close to those words. Evidence is the whole sentence, with the target the
   graph extracted from it when there is one (value, value_max, unit, comparator, deadline,
   period, frequency). One best piece of evidence per document; the others are counted
   (``more``). Regions come from the documents' own region only. With ``per_region`` each
   region lists its best documents only (``paging``): which are shown is decided from the
   documents and their regions alone, and evidence is built for those (at 100 copies of the
   corpus, most of an answer's work is the evidence of documents nobody reads).
4. **No region** only after all units were read; the closest units are then shown as
   ``closest``, labelled as such.

Everything is ordered by stable keys (units by source file and clause path; groups by the
number of documents, then region code), so the same question gets the same answer in every
process.
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from typing import Any

import numpy as np

from . import numbers as nb
from .corpus import AskCorpus
from .paging import cap_of, listed, page
from .places import PlaceIndex
from .structured import (
    Interpretation,
    _evidence_of_target,
    _group_by_document,
    _region_key,
)
from .structured import (
    answer as structured_answer,
)
from .structured import (
    interpret as structured_interpret,
)
from .terms import (
    Requirement,
    Scorer,
    adapt,
    coverage,
    group_hits,
    in_glossary_phrase,
    requirement_terms,
    strip_scaffold,
    strip_words,
    without_shares,
    word_spans,
)

MATCH = {"zh": 0.7, "en": 0.7}  # coverage that answers by the words alone (English renderings
# are a dictionary's guesses, so an English question asks for more of them)
NEAR = 0.5  # coverage that answers when the dense search agrees
# coverage that answers when a number, frequency or year asked is verified beside the words: an
# English question's words are renderings, so a verified constraint stands in for those the
# dictionary missed; a Chinese question's words are the plans' own, so below MATCH they are missing
VERIFIED_NEAR = {"zh": 0.7, "en": NEAR}
DENSE_K = 40  # clauses the dense search proposes
ADAPT_K = 10  # closest clauses an English question's renderings adapt to
DENSE_NEAR = 15  # a NEAR unit's clause must rank this high in the dense search
CLOSEST = 5
SCOPE_PIECES = 2  # a constraint must sit within this many comma-pieces of the words it qualifies
PIECE = re.compile(r"[，,：:]")
QUESTION = re.compile(r"[？?]|怎么|怎样|如何|多久|多少|哪|是否|\b(?:what|which|how|where|who|whether|does|do|is|are)\b",
                      re.IGNORECASE)  # a question, not a pasted statement (that falls back to search)
REGIONS_ASKED = re.compile(r"哪些(?:地区|地方|城市|省份|省市|区县|县区|地市)|哪个(?:地区|城市)|\bwhich (?:regions?|cities|provinces|places)\b",
                           re.IGNORECASE)


class AskContext:
    """What answering needs beyond the catalog, built once per store state (``warm``)."""

    def __init__(self, service: Any) -> None:
        catalog = service.catalog()
        self.catalog = catalog
        index = service.index
        self.index = index
        self.tokenizer = index.tokenizer
        self.expander = index.expander
        self.corpus = AskCorpus.build(index.passages(), catalog.documents)
        self.places = PlaceIndex.build(catalog.regions.values())
        self.targets_by_clause: dict[str, list[dict[str, Any]]] = {}
        for t in catalog.targets:
            self.targets_by_clause.setdefault(t.get("clause_id") or "", []).append(t)
        self.docs = {d["id"]: d for d in catalog.documents.values()}
        self.renderings: dict[str, tuple[list[str], bool]] = {}  # English phrase → its renderings in the corpus, all guesses?
        self.units_of_clause: dict[str, list[int]] = {}
        for u in self.corpus.units:
            self.units_of_clause.setdefault(u.clause_id, []).append(u.key)
        # what each unit states (frequencies, quantities in its text; years in its sentence),
        # read the first time a question needs it and kept with the unit: the same for every question
        self._stated: dict[tuple[str, int], list[Any]] = {}

    def allowed_units(self, allowed_docs: set[str] | None) -> np.ndarray | None:
        """A mask over the units: those of the allowed documents (None: every document)."""
        if allowed_docs is None:
            return None
        return np.isin(self.corpus.unit_docs, self.corpus.doc_numbers(allowed_docs))

    def stated(self, unit: Any, kind: str) -> list[Any]:
        """What ``unit``'s text states (kept per distinct text: the same for every copy)."""
        got = self._stated.get((kind, unit.distinct))
        if got is None:
            if kind == "years":
                got = nb.years(unit.sentence, stated=True)
            elif kind == "start_years":
                got = nb.start_years(unit.sentence)
            elif kind == "deadline":  # the one deadline its sentence states, or none
                got = [d for d in [nb.deadline(unit.sentence)] if d is not None]
            elif kind == "frequencies":  # as a plan states them (年度报告: every year)
                got = nb.frequencies(unit.text, stated=True)
            else:
                got = getattr(nb, kind)(unit.text)
            self._stated[(kind, unit.distinct)] = got
        return got


def context(service: Any) -> AskContext:
    """The service's AskContext for its current catalog (rebuilt after a write)."""
    catalog = service.catalog()
    cached = service.__dict__.get("_ask_context")
    if cached is None or cached.catalog is not catalog:
        with service._lock:
            cached = service.__dict__.get("_ask_context")
            if cached is None or cached.catalog is not catalog:
                cached = AskContext(service)
                service.__dict__["_ask_context"] = cached
    return cached


def warm(service: Any) -> None:
    """Load everything a question needs (encoder, index, expander dictionaries, jieba's tables,
    the unit table, the romanised gazetteer), so that no request loads a model or dictionary."""
    from . import terms

    ctx = context(service)
    terms.warm()
    nb.number("三十五")  # imports cn2an (half a second)
    ctx.expander.expand("teacher training every three years")
    ctx.tokenizer.tokens("教师培训")
    ctx.index.document_frequency("教师")  # the token table English renderings are ranked by
    from embeddings.topics import concept_vectors

    concept_vectors(service.encoder, service.topic_concepts)
    service.index.search("教师培训", k=1, mode="dense")


# ---------------------------------------------------------------------- interpretation


def _core(question: str, interp: Interpretation, places: list[Any], spans: list[tuple[int, int]]) -> str:
    """The question without places, constraint spans and scaffolding."""
    chars = list(question)
    for a, b in spans:
        for i in range(a, b):
            chars[i] = " "
    core = "".join(chars)
    for p in places:
        core = core.replace(p.via, " ")
    return core


# what opens an example in a question: the values after it illustrate what is asked
EXAMPLE_OPENER = re.compile(r"比如|例如|譬如|诸如|\b(?:e\.g\.|for example|for instance|such as)", re.IGNORECASE)


def read_question(question: str, service: Any, ctx: AskContext) -> tuple[Interpretation, dict[str, Any]]:
    q = question.strip()
    places = ctx.places.find(q)
    interp = structured_interpret(q, service.topic_concepts, [], getattr(service, "encoder_if_loaded", None))
    if places:
        interp.region = {"code": places[0].code, "name": places[0].name}
    if interp.intent == "bodies" and REGIONS_ASKED.search(q):
        interp.intent = "regions"  # 哪些地区把…列为责任单位: regions are asked, bodies are the condition
    # 在某一年份前 asks for a deadline: the 一年 inside it is neither a quantity nor a frequency
    asked_when = word_spans(q, interp.language, "asks_deadline") + word_spans(q, interp.language, "asks_year")

    def inside(start: int, end: int) -> bool:
        return any(a <= start and end <= b for a, b in asked_when)

    freqs = [f for f in nb.frequencies(q) if not in_glossary_phrase(q, f.start, f.end) and not inside(f.start, f.end)]
    qtys = [x for x in nb.quantities(q) if not inside(x.start, x.end)]
    if freqs:  # 每三年举办一次（一届）: the count belongs to the frequency
        qtys = [x for x in qtys if x.unit not in ("次", "届", "轮", "回") or x.comparator != "="]
    # a year the question starts from (starting in 2016, 2016年起) is not a deadline asked
    starts = nb.start_years(q)
    yrs = [y for y in nb.years(q) if not any(a <= y[1] < b for _, a, b in starts)]
    examples: set[int] = set()
    if asked_when and (example := EXAMPLE_OPENER.search(q)):
        # 哪些地区明确了…的年份，比如从2017年起或到2019年: the years are examples of the year asked
        examples = {y for y, a, _ in yrs + starts if a >= example.start()}
        yrs = [y for y in yrs if y[1] < example.start()]
        starts = [y for y in starts if y[1] < example.start()]
    spans = [(f.start, f.end) for f in freqs] + [(x.start, x.end) for x in qtys] + [(a, b) for _, a, b in yrs]
    spans += [(a, b) for _, a, b in starts]
    core = _core(q, interp, places, spans)
    core, asks_number = strip_words(core, interp.language, "asks_number")
    core, asks_frequency = strip_words(core, interp.language, "asks_frequency")
    core, asks_deadline = strip_words(core, interp.language, "asks_deadline")
    core, asks_year = strip_words(core, interp.language, "asks_year")  # after 某一年份前
    asks_deadline = asks_deadline + asks_year
    core, removed = strip_scaffold(core, interp.language)
    removed = asks_number + asks_frequency + asks_deadline + removed
    if asks_number:
        interp.with_targets = True
    if asks_frequency:  # 多久举办一次: the count belongs to the frequency asked, and the
        # frequencies the question names are its examples (how often … e.g. every 2 years)
        qtys = [x for x in qtys if x.unit not in ("次", "届", "轮", "回") or x.comparator != "="]
        freqs = []
    req: Requirement = requirement_terms(core, interp.language, ctx.corpus, ctx.tokenizer,
                                         ctx.expander if interp.language == "en" else None, ctx.renderings)
    if asks_number:
        req = without_shares(req)
    if yrs:
        interp.year = yrs[0][0]
    elif interp.year in examples:
        interp.year = None
    elif starts and interp.year in {y for y, _, _ in starts}:
        interp.year = None  # the year it starts from, not a deadline
    extra = {
        "places": [p.to_dict() for p in places],
        "frequency": [f.label() for f in freqs],
        "quantities": [x.label() for x in qtys],
        "years": [y for y, _, _ in yrs],
        "from_year": [y for y, _, _ in starts[:1]],
        "terms": [g.to_dict() for g in req.groups],
        "either": [" + ".join(g.asked for g in b) for b in req.branches],  # A或B: either answers
        "ignored": req.ignored + removed,
        "asks": [w for w, on in (("a number", bool(asks_number)), ("a frequency", bool(asks_frequency)),
                                 ("a deadline", bool(asks_deadline) and not yrs)) if on],
        "_needs_number": bool(asks_number), "_any_deadline": bool(asks_deadline) and not yrs,
        "_from_year": starts[0][0] if starts else None,
        "_any_year": bool(asks_year) and not yrs,
        "_freqs": freqs, "_qtys": qtys, "_req": req, "_places": places, "_any_frequency": bool(asks_frequency),
    }
    return interp, extra


def _whole_topic(interp: Interpretation, req: Requirement, concepts: list[Any]) -> bool:
    """The question asks about a whole topic: every word it asks is (part of) the topic's
    main label, nothing narrower (名师工作室 is an altLabel of teacher training, and asks
    for less than the topic)."""
    if not interp.topic or not req.groups:
        return False
    concept = next((c for c in concepts if c.id == interp.topic), None)
    if concept is None:
        return False
    return all(any(a in concept.label_zh for a in g.alternatives) for g in req.groups)


# ---------------------------------------------------------------------- verification


def _pieces(text: str) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in PIECE.finditer(text):
        out.append((pos, m.end()))
        pos = m.end()
    out.append((pos, len(text)))
    return out


def _scope(text: str, start: int, end: int) -> str:
    """The comma-pieces around a span (the words a frequency or quantity qualifies)."""
    pieces = _pieces(text)
    idx = [i for i, (a, b) in enumerate(pieces) if a < end and b > start] or [0]
    lo, hi = max(0, idx[0] - SCOPE_PIECES), min(len(pieces) - 1, idx[-1] + SCOPE_PIECES)
    return text[pieces[lo][0]:pieces[hi][1]]


def _constraints_met(unit: Any, extra: dict[str, Any], req: Requirement, with_targets: bool,
                     year: int | None, ctx: AskContext) -> tuple[bool, dict[str, Any]]:
    unit_text = unit.text
    found: dict[str, Any] = {}
    heads = [g for g in req.groups if not g.tail] or req.groups
    heavy = max(heads, key=lambda g: g.weight) if heads else None

    def near(start: int, end: int, asked: bool = True) -> bool:
        # the number's comma-piece states the heaviest word, or, for a value the question names,
        # most of what was asked (有条件的要增设每周一课时…地方特色的美育课程, after 在开设音乐、
        # 美术课程的基础上); any number (with_targets) must stand by the heaviest word
        if heavy is None:
            return True
        scope = _scope(unit_text, start, end)
        return coverage([heavy], scope) >= 0.5 or (asked and coverage(heads, scope) >= 0.5)

    if extra["_freqs"] or extra["_any_frequency"]:  # any of the frequencies asked (每学期（每学年）)
        # an annual report (年度报告) answers "every year" only when a report is what was asked
        asked_words = {a for g in req.groups for a in g.alternatives}
        stated = [f for f in ctx.stated(unit, "frequencies") if near(f.start, f.end)
                  and (f.of is None or any(f.of in a for a in asked_words))]
        ok = [f for f in stated if not extra["_freqs"] or any(f.satisfies(a) for a in extra["_freqs"])]
        if not ok:
            return False, {}
        found["frequency"] = ok[0].label()
    if extra["_qtys"]:
        ok = [x for x in ctx.stated(unit, "quantities") if any(x.satisfies(a) for a in extra["_qtys"]) and near(x.start, x.end)]
        if not ok:
            return False, {}
        found["quantity"] = ok[0].label()
    if year is not None:
        if not any(y == year for y, _, _ in ctx.stated(unit, "years")):
            return False, {}
        found["deadline"] = year
    elif extra.get("_from_year") is not None:  # starting in 2016: the sentence starts then
        if not any(y == extra["_from_year"] for y, _, _ in ctx.stated(unit, "start_years")):
            return False, {}
        found["from_year"] = extra["_from_year"]
    elif extra.get("_any_deadline"):  # 完成年限, 年份, by what year: any deadline the sentence states
        due = ctx.stated(unit, "deadline")
        if due:
            found["deadline"] = due[0]
        else:  # 年份, which year: or the year it starts (2017年开始, 从2018年起)
            starts = ctx.stated(unit, "start_years") if extra.get("_any_year") else []
            if not starts:
                return False, {}
            found["from_year"] = starts[0][0]
    if with_targets and not (extra["_freqs"] or extra["_qtys"]):
        stated = [x for x in ctx.stated(unit, "quantities") if near(x.start, x.end, asked=False)]
        if not stated:
            return False, {}
        found["quantity"] = stated[0].label()
    return True, found


def _allowed_docs(ctx: AskContext, places: list[Any]) -> set[str] | None:
    if not places:
        return None
    cat = ctx.catalog
    inside: dict[Any, bool] = {}  # per region code, not per document (100 copies share a region)
    out = set()
    for doc_id, doc in ctx.docs.items():
        code = (doc.get("region") or {}).get("code")
        if code not in inside:
            inside[code] = any(cat.within(code, p.code) for p in places)
        if inside[code]:
            out.add(doc_id)
    return out


def _dense_clauses(service: Any, query: str, allowed_docs: set[str] | None) -> tuple[dict[str, int], list[str]]:
    """Clause rank by the dense search (the DENSE_K closest), and the texts of the closest."""
    allowed = None
    if allowed_docs is not None:
        with getattr(service, "_index_lock", nullcontext()):
            allowed = [p.id for d in sorted(allowed_docs) for p in service.index.passages(d)]
        if not allowed:
            return {}, []
    with getattr(service, "_index_lock", nullcontext()):
        hits = service.index.search(query, k=DENSE_K, allowed=allowed, mode="dense", highlight=False)
    return {h.id: i + 1 for i, h in enumerate(hits)}, [h.text for h in hits[:ADAPT_K]]


def _evidence(ctx: AskContext, unit: Any, cov: float, dense_rank: int | None, found: dict[str, Any],
              req: Requirement, memo: dict[Any, Any] | None = None) -> dict[str, Any]:
    """The evidence of one unit; ``memo`` keeps what depends on text alone across the units of
    one answer (a provision copied by many documents is read once)."""
    memo = {} if memo is None else memo
    doc = ctx.docs.get(unit.doc_id, {})
    hits = memo.get(("hits", unit.distinct))
    if hits is None:
        hits = memo[("hits", unit.distinct)] = group_hits(req.groups, unit.text)

    def target_coverage(t: dict[str, Any]) -> float:
        text = f"{t.get('object') or ''} {(t.get('evidence') or {}).get('quote') or ''}"
        got = memo.get(("target", text))
        if got is None:
            got = memo[("target", text)] = coverage(req.groups, text)
        return got

    ev: dict[str, Any] = {
        "kind": "clause",
        "doc": unit.doc_id,
        "title": doc.get("title"),
        "source_file": (doc.get("source") or {}).get("file"),
        "path": unit.path,
        "clause_id": unit.clause_id,
        "quote": unit.sentence,
        "provision": unit.text,
        "offset_in_clause": unit.sentence_start,
        "coverage": round(cov, 3),
        "dense_rank": dense_rank,
        "matched": list(hits),
        **found,
    }
    stated = [t for t in ctx.targets_by_clause.get(unit.clause_id, [])
              if (q := (t.get("evidence") or {}).get("quote") or "") and (q in unit.sentence or unit.text in q)]
    # the target that states what was asked (its object and quote), the first of equals
    stated.sort(key=lambda t: -target_coverage(t))
    for t in stated[:1]:
        tev = _evidence_of_target(t)
        ev.update({k: tev[k] for k in ("target", "value", "unit", "object", "comparator", "deadline",
                                        "frequency", "topics")})
        ev.update(kind="target", value_max=t.get("value_max"), period=t.get("period"))
    return ev


def verified_answer(question: str, service: Any, ctx: AskContext, interp: Interpretation,
                    extra: dict[str, Any], per_region: int | None = None) -> dict[str, Any]:
    """Every unit verified (the module docstring, 3 and 4), grouped by region or document, at
    most ``per_region`` documents of each region (``paging.listed``): their evidence alone is built."""
    req: Requirement = extra["_req"]
    allowed = _allowed_docs(ctx, extra["_places"])
    has_constraints = bool(extra["_freqs"] or extra["_qtys"] or interp.year or extra.get("_any_deadline")
                           or extra.get("_from_year") is not None)
    if not req.groups and not has_constraints:
        return {}
    dense, closest_texts = _dense_clauses(service, question, allowed)
    if interp.language == "en":
        req = adapt(req, closest_texts, ctx.tokenizer, ctx.corpus)
        extra["_req"] = req
    corpus = ctx.corpus
    units, texts = corpus.units, corpus.distinct
    ranked_units = {k: rank for c, rank in dense.items() for k in ctx.units_of_clause.get(c, ())}
    scorers = [(Scorer(b, corpus), Requirement(b, req.ignored)) for b in req.alternatives()]
    if req.groups:
        # a text is read when it can reach NEAR or a unit of it is in a clause among the dense
        # search's closest (every other text is skipped before it is read)
        pool = set().union(*(sc.reaching(NEAR) for sc, _ in scorers))
        pool |= {units[k].distinct for k in ranked_units}
        pool = sorted(pool)
    else:
        pool = range(len(texts))
    in_dense = {units[k].distinct for k in ranked_units}
    doc_allowed = ctx.allowed_units(allowed)
    # each distinct text is verified once; which of its units answer depends on the unit (its
    # document allowed, its clause's dense rank): answering units and the others, as arrays
    answering: list[tuple[np.ndarray, float, int]] = []  # (unit keys, coverage, distinct key)
    missed: list[tuple[np.ndarray, float]] = []
    found_of: dict[int, dict[str, Any]] = {}
    for d in pool:
        members = corpus.members(d)
        if doc_allowed is not None:
            members = members[doc_allowed[members]]
        if not len(members):
            continue
        # the branch (A或B) that states most of itself
        cov, scorer, branch = max(((sc.coverage(d) if req.groups else 1.0, sc, r) for sc, r in scorers),
                                  key=lambda t: t[0])
        ranked = [k for k in members.tolist() if k in ranked_units] if d in in_dense else []
        if cov < NEAR and not ranked:
            continue
        # NEAR: most of the words and every specific one, and either the dense search ranks the
        # clause among the closest or a number, frequency or year asked is verified beside them
        stated = scorer.heaviest_stated(d) and scorer.bodies_stated(d)
        always = stated and (cov >= MATCH[interp.language]
                             or (cov >= VERIFIED_NEAR[interp.language] and has_constraints
                                 and scorer.specific_stated(d, strict=True)))
        close = [k for k in ranked if ranked_units[k] <= DENSE_NEAR]
        if_close = stated and not always and bool(close) and cov >= NEAR and scorer.specific_stated(d)
        ok = False
        if always or if_close:
            ok, found_of[d] = _constraints_met(texts[d], extra, branch, extra["_needs_number"], interp.year, ctx)
        yes = members if (ok and always) else np.asarray(close if ok else [], dtype=np.int64)
        if len(yes):
            answering.append((yes, cov, d))
        no = members if cov >= NEAR else np.asarray(ranked, dtype=np.int64)
        if len(yes):
            no = no[~np.isin(no, yes)]
        if len(no):
            missed.append((no, cov))
    best = _best_per_document(answering, ranked_units, corpus)
    cov_of = {d: c for _, c, d in answering}
    cap = cap_of(per_region)
    result: dict[str, Any] = {"per_region": cap, "documents_total": len(best)}
    if not best:
        closest = []
        for key, cov in _closest(missed, ranked_units, CLOSEST):
            ev = _evidence(ctx, units[key], cov, ranked_units.get(key), {}, req) | {"closest": True}
            ev["region"] = corpus.doc_region.get(ev["doc"])
            closest.append(ev)
        result.update(answer=[], closest=closest,
                      summary="no region states this (every clause was read); the closest clauses are "
                      "shown as closest, not as answers")
        return result
    # which documents are listed is decided from their regions alone (``paging.listed``, in the
    # answer's order: best first, or by id for a documents answer, as ``_group_by_document``
    # orders documents of one piece of evidence each); evidence is built for those only
    doc_ids = [units[key].doc_id for key, _ in best]
    regions = [corpus.doc_region.get(d) for d in doc_ids]
    order = sorted(range(len(best)), key=doc_ids.__getitem__) if interp.intent == "documents" else range(len(best))
    shown, totals = listed([_region_key(regions[i]) for i in order], cap)
    items, memo = [], {}
    for i in (order[j] for j in shown):
        key, more = best[i]
        unit = units[key]
        ev = _evidence(ctx, unit, cov_of[unit.distinct], ranked_units.get(key), found_of.get(unit.distinct, {}),
                       req, memo)
        ev["more"] = more
        items.append((regions[i], ev))
    if interp.intent == "documents":
        result.update(answer=_group_by_document(items), summary=f"{len(best)} document(s) state it")
    else:
        groups = _group_regions(items, totals)
        names = ", ".join((g["region"] or {}).get("name") or "(no region)" for g in groups)
        result.update(answer=groups, summary=f"{len(groups)} region(s) state it: {names}")
    return result


def _ordered(found: list[tuple[np.ndarray, float]], ranked_units: dict[int, int]) -> tuple[np.ndarray, np.ndarray]:
    """Units and their coverage, best first: coverage (to 6 places), then the clause's dense
    rank, then the unit key (a stable order in every process)."""
    keys = np.concatenate([k for k, _ in found])
    cov = np.concatenate([np.full(len(k), c, dtype=np.float64) for k, c in found])
    rounded = np.concatenate([np.full(len(k), round(c, 6), dtype=np.float64) for k, c in found])
    rank = np.fromiter((ranked_units.get(k, DENSE_K + 1) for k in keys.tolist()), dtype=np.int64, count=len(keys))
    order = np.lexsort((keys, rank, -rounded))
    return keys[order], cov[order]


def _best_per_document(answering: list[tuple[np.ndarray, float, int]], ranked_units: dict[int, int],
                       corpus: AskCorpus) -> list[tuple[int, int]]:
    """(the best unit key, how many more units answer) per document, best documents first."""
    if not answering:
        return []
    keys, _ = _ordered([(k, c) for k, c, _ in answering], ranked_units)
    docs = corpus.unit_docs[keys]
    _, first, counts = np.unique(docs, return_index=True, return_counts=True)
    order = np.argsort(first)
    return list(zip(keys[first[order]].tolist(), (counts[order] - 1).tolist()))


def _closest(missed: list[tuple[np.ndarray, float]], ranked_units: dict[int, int], n: int) -> list[tuple[int, float]]:
    if not missed:
        return []
    keys, cov = _ordered(missed, ranked_units)
    return list(zip(keys[:n].tolist(), cov[:n].tolist()))


def _group_regions(items: list[tuple[dict[str, Any] | None, dict[str, Any]]],
                   totals: dict[str, int]) -> list[dict[str, Any]]:
    """The listed documents by region; ``totals``: every region's documents, listed or not (the
    groups are ordered by it, so a paged answer has the complete answer's order)."""
    groups: dict[str, dict[str, Any]] = {}
    for region, ev in items:
        key = _region_key(region)
        g = groups.setdefault(key, {"region": region, "documents": [], "evidence": [], "documents_total": totals[key]})
        g["documents"].append({"id": ev["doc"], "title": ev["title"], "source_file": ev["source_file"]})
        g["evidence"].append(ev)
    return sorted(groups.values(), key=lambda g: (-g["documents_total"], _region_key(g["region"])))


# ---------------------------------------------------------------------- entry point


def _public(extra: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in extra.items() if not k.startswith("_") and v not in ([], None)}


def answer(question: str, service: Any, per_region: int | None = None) -> dict[str, Any]:
    """Answer ``question`` (see the module docstring); ``per_region`` (None or 0: everything)
    lists at most that many documents of each region, with their evidence (``paging``)."""
    cap_of(per_region)  # a bad cap is refused before any work
    ctx = context(service)
    interp, extra = read_question(question, service, ctx)
    req: Requirement = extra["_req"]
    structured = (
        interp.intent in ("bodies", "count", "targets")
        or (interp.intent in ("regions", "documents") and _whole_topic(interp, req, service.topic_concepts)
            and not (extra["_freqs"] or extra["_qtys"]))
        or (interp.intent == "search" and not QUESTION.search(question))
    )
    if structured:
        keep = None
        if interp.intent == "count" and not interp.object and req.groups:
            # "how many famous teacher studios": a target counts when its object and quote state
            # the words asked (the English question names no Chinese object)
            def keep(t: dict[str, Any]) -> bool:
                text = f"{t.get('object') or ''} {(t.get('evidence') or {}).get('quote') or ''}"
                return coverage(req.groups, text) >= MATCH[interp.language]
        result = structured_answer(question, service, interp, keep)
        result["interpretation"].update(_public(extra))
        if result.get("answer") or interp.intent not in ("count", "targets"):
            return page(result, per_region)
        # no extracted target answers a number question: every clause is read before
        # saying "no region"
    result = {"question": question, "interpretation": {**interp.to_dict(), **_public(extra)}, "fallback": False}
    found = verified_answer(question, service, ctx, interp, extra, per_region)
    if not found:
        return page(structured_answer(question, service, interp) | {"interpretation": result["interpretation"]},
                    per_region)
    result.update(found)
    result["interpretation"]["terms"] = [g.to_dict() for g in extra["_req"].groups]
    result["interpretation"]["source"] = "every clause, verified"
    return result
