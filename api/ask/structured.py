"""Questions in Chinese or English → an answer from the graph, with evidence.

``interpret(question, concepts, regions, encoder)`` reads the question with a few patterns and
the topic scheme's zh/en labels (the encoder is only a fallback for the topic when no label is
in the question); ``answer(question, service)`` answers it from the graph through the service's
read methods (targets, clauses, bodies), which run kg's queries. Every answer states how the
question was interpreted and carries its evidence (document, clause path, exact quote).

Patterns (zh / en):
- which regions / documents / bodies … — 哪些地区/文件/部门, which regions/plans/bodies;
  qualified by a topic, "with targets" (指标/quota/target), a deadline year (2027), funding
  amounts (经费/资金/funding), or a requirement (要求消除大班额, a quoted phrase);
- how many X (each region plans) — 多少/几个 X, how many X;
- list the targets of R / on T — 列出…指标, list/show targets.
When nothing fits, the answer is the search results grouped by region and document, flagged
``"fallback": true`` — never an invented answer. Regions come only from the documents the
evidence belongs to (a region is never inferred from the question), so an answer cannot name a
region the graph does not tie to the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from typing import Any

YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20\d\d)(?!\d)")
HAN = re.compile(r"[\u4e00-\u9fff]")
HAN_RUN = re.compile(r"[\u4e00-\u9fff][\u4e00-\u9fff（）()“”]*[\u4e00-\u9fff]")

INTENT_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("count", re.compile(r"\bhow many\b|\bhow much\b|多少|几[个所名项次家]|数量是|共有几", re.IGNORECASE)),
    ("bodies", re.compile(
        r"\bwhich (?:bodies|organi[sz]ations|departments|agencies|units|offices|institutions)\b|"
        r"\bwho (?:is|are) responsible\b|哪些(?:部门|单位|机构|组织|主体)|哪个(?:部门|单位|机构)|谁负责|责任单位",
        re.IGNORECASE)),
    ("documents", re.compile(
        r"\bwhich (?:documents?|plans?|policies|polices|programmes|programs|notices)\b|"
        r"哪些(?:文件|方案|计划|政策|规划|通知|行动计划)|哪个(?:文件|方案|计划)", re.IGNORECASE)),
    ("regions", re.compile(
        r"\bwhich (?:regions?|cities|city|counties|county|districts?|places?|areas?|provinces?|localities)\b|"
        r"\bwhere\b|哪些(?:地区|地方|城市|区县|县区|市|区|省|地市)|哪个(?:地区|地方|城市|市|区|县)|哪里|哪儿",
        re.IGNORECASE)),
    ("targets", re.compile(
        r"\b(?:list|show|give|what are)\b.*\b(?:targets?|quotas?|indicators?)\b|"
        r"列出|列举|有哪些(?:指标|目标)|(?:的|哪些)(?:量化)?(?:指标|目标)(?:有哪些|是什么)?[?？]?$", re.IGNORECASE)),
]
TARGET_WORDS = re.compile(r"\bquotas?\b|\btargets?\b|\bindicators?\b|\bnumbers?\b|指标|数量|目标|定量|量化", re.IGNORECASE)
FUNDING_WORDS = re.compile(r"\bfunding\b|\bfunds?\b|\bmoney\b|\bbudgets?\b|\bamounts?\b|经费|资金|金额|万元|投入", re.IGNORECASE)
DEADLINE_WORDS = re.compile(r"\bdeadlines?\b|\bby (?:the year )?\d{4}\b|截止|到\d{4}年|\d{4}年(?:前|底|之前)", re.IGNORECASE)
REQUIREMENT = re.compile(r"(?:要求|提出|规定|提到|涉及|包含)(?:了)?[“\"「『]?([\u4e00-\u9fff]{2,20})[”\"」』]?")
QUOTED = re.compile(r"[“\"「『]([^”\"」』]{2,30})[”\"」』]")
FUNDING_UNITS = {"元", "万元", "亿元", "千元"}
STOP_RUNS = {"哪些", "地区", "文件", "部门", "单位", "设定", "数量", "指标", "目标", "多少", "哪个", "城市", "计划"}


@dataclass
class Interpretation:
    intent: str  # regions, documents, bodies, count, targets, search
    language: str  # zh or en
    topic: str | None = None
    topic_label: str | None = None
    topic_via: str | None = None  # label (the words matched) or embedding
    year: int | None = None
    region: dict[str, Any] | None = None  # {code, name} of a region named in the question
    with_targets: bool = False
    funding: bool = False
    requirement: str | None = None
    object: str | None = None
    matched: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, [], False) or k in ("intent",)}


def _labels(concepts: Sequence[Any]) -> list[tuple[str, str, bool]]:
    """(label, topic id, is_chinese) for every label, longest first."""
    out: list[tuple[str, str, bool]] = []
    for c in concepts:
        for lab in [c.label_zh, *c.alt_zh]:
            if lab:
                out.append((lab, c.id, True))
        for lab in [c.label_en, *c.alt_en, c.id.replace("-", " ")]:
            if lab:
                out.append((lab.lower(), c.id, False))
    return sorted(set(out), key=lambda t: (-len(t[0]), t[0], t[1]))  # a stable order: no set order


@lru_cache(maxsize=8)
def _label_patterns(labels: tuple[tuple[str, str, bool], ...]) -> tuple[tuple[str, str, bool, Any], ...]:
    """Each label with its compiled pattern (English: a whole word, plural allowed), once per scheme."""
    out = []
    for label, topic, zh in labels:
        pattern = None
        if not zh:
            variants = sorted({label, label.replace("-", " ")})
            pattern = re.compile("|".join(rf"(?<![a-z]){re.escape(v)}(?:s|es)?(?![a-z])" for v in variants))
        out.append((label, topic, zh, pattern))
    return tuple(out)


def find_topic(question: str, concepts: Sequence[Any]) -> tuple[str | None, str | None]:
    """The topic whose longest label occurs in the question, and that label."""
    lowered = question.lower().replace("-", " ").replace("_", " ")
    for label, topic, zh, pattern in _label_patterns(tuple(_labels(concepts))):
        if zh:
            if label in question:
                return topic, label
        elif pattern.search(lowered):
            return topic, label
    return None, None


def topic_by_embedding(question: str, concepts: Sequence[Any], encoder: Any, margin: float = 0.015) -> str | None:
    """The closest topic by the encoder (embeddings.topics: the classifier's own concept
    vectors), only when it stands clearly above the runner-up."""
    if encoder is None or not concepts:
        return None
    from embeddings.topics import closest_topic

    return closest_topic(question, concepts, encoder, margin)


def find_region(question: str, regions: Sequence[dict[str, Any]]) -> dict[str, Any] | None:
    """A region of the graph named in the question (full or short name), longest first."""
    names: list[tuple[str, dict[str, Any]]] = []
    for r in regions:
        if r.get("anonymised") or not r.get("name"):
            continue
        name = r["name"]
        names.append((name, r))
        short = re.sub(r"(?:特别行政区|自治区|自治州|地区|省|市|区|县|旗|盟)$", "", name)
        if len(short) >= 2 and short != name:
            names.append((short, r))
    for name, r in sorted(names, key=lambda t: -len(t[0])):
        if name in question:
            return {"code": r.get("code"), "name": r.get("name")}
    return None


def _object_of_count(question: str) -> str | None:
    m = re.search(r"(?:多少|几)[个所名项次家节期人条间]?([\u4e00-\u9fff（）“”]{2,20})", question)
    if m:
        return m.group(1).strip("“”") or None
    m = re.search(r"([\u4e00-\u9fff“”]{2,20}?)(?:有|共有|一共有|总共)?(?:多少|几)", question)
    if m:
        obj = re.sub(r"^(?:各地区?|各地|每个地区|各市|计划|建设|设立)+", "", m.group(1)).strip("“”")
        return obj or None
    if re.search(r"\bhow many\b", question, re.IGNORECASE):
        runs = [r for r in HAN_RUN.findall(question) if r not in STOP_RUNS]
        if runs:
            return max(runs, key=len).strip("“”")
    return None


def interpret(
    question: str,
    concepts: Sequence[Any],
    regions: Sequence[dict[str, Any]] = (),
    encoder: Any = None,
) -> Interpretation:
    q = question.strip()
    lang = "en" if len(re.findall(r"[A-Za-z]{2,}", q)) >= 2 else "zh"
    intent = "search"
    for name, pattern in INTENT_PATTERNS:
        if pattern.search(q):
            intent = name
            break
    interp = Interpretation(intent=intent, language=lang)
    years = YEAR.findall(q)
    if years:
        interp.year = int(years[0])
    interp.with_targets = bool(TARGET_WORDS.search(q))
    interp.funding = bool(FUNDING_WORDS.search(q))
    interp.region = find_region(q, regions)
    if intent == "count":
        interp.object = _object_of_count(q)
    req = REQUIREMENT.search(q) or QUOTED.search(q)
    if req and intent not in ("count",):
        interp.requirement = req.group(1)
    elif lang == "en" and intent in ("regions", "documents", "bodies"):
        named = {(interp.region or {}).get("name")}
        runs = [r for r in HAN_RUN.findall(q) if r not in STOP_RUNS and r not in named
                and not (len(r) <= 4 and any(lab == r for lab, _, _ in _labels(concepts)))]
        if runs:
            interp.requirement = max(runs, key=len)
    topic, label = find_topic(q, concepts)
    if topic:
        interp.topic, interp.topic_via, interp.matched = topic, "label", [label]
    elif intent != "search" and not (interp.requirement or interp.object or interp.funding):
        topic = topic_by_embedding(q, concepts, encoder)
        if topic:
            interp.topic, interp.topic_via = topic, "embedding"
    if interp.topic:
        concept = next((c for c in concepts if c.id == interp.topic), None)
        if concept is not None:
            interp.topic_label = f"{concept.label_zh} / {concept.label_en}"
    if interp.intent == "search" and (interp.year or interp.with_targets) and (interp.topic or interp.region):
        interp.intent = "targets"
    return interp


# ---------------------------------------------------------------------- answering


def _evidence_of_target(t: dict[str, Any]) -> dict[str, Any]:
    ev = t.get("evidence") or {}
    return {
        "kind": "target",
        "target": t.get("id"),
        "value": t.get("value"),
        "placeholder": t.get("placeholder"),
        "unit": t.get("unit"),
        "object": t.get("object"),
        "comparator": t.get("comparator"),
        "deadline": t.get("deadline"),
        "frequency": t.get("frequency"),
        "topics": t.get("topics") or [],
        "doc": t.get("doc"),
        "title": t.get("title"),
        "source_file": t.get("source_file"),
        "path": ev.get("clause"),
        "clause_id": t.get("clause_id"),
        "quote": ev.get("quote"),
        "start": ev.get("start"),
        "end": ev.get("end"),
    }


def _evidence_of_clause(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "kind": "clause",
        "doc": r.get("doc"),
        "title": r.get("title"),
        "source_file": r.get("source_file"),
        "path": r.get("path"),
        "clause_id": r.get("clause_id"),
        "quote": r.get("quote") or r.get("text"),
        "score": r.get("score"),
    }


def _region_key(region: dict[str, Any] | None) -> str:
    return (region or {}).get("code") or "(no region)"


def _group_by_region(items: list[tuple[dict[str, Any] | None, dict[str, Any]]]) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for region, ev in items:
        key = _region_key(region)
        g = groups.setdefault(key, {"region": region, "documents": [], "evidence": []})
        doc = {"id": ev.get("doc"), "title": ev.get("title"), "source_file": ev.get("source_file")}
        if doc["id"] and doc not in g["documents"]:
            g["documents"].append(doc)
        g["evidence"].append(ev)
    return sorted(groups.values(), key=lambda g: (-len(g["evidence"]), _region_key(g["region"])))


def _group_by_document(items: list[tuple[dict[str, Any] | None, dict[str, Any]]]) -> list[dict[str, Any]]:
    groups: dict[str, dict[str, Any]] = {}
    for region, ev in items:
        g = groups.setdefault(ev.get("doc") or "", {
            "id": ev.get("doc"), "title": ev.get("title"), "source_file": ev.get("source_file"),
            "region": region, "evidence": []})
        g["evidence"].append(ev)
    return sorted(groups.values(), key=lambda g: (-len(g["evidence"]), g["id"] or ""))


def _target_matches(t: dict[str, Any], interp: Interpretation) -> bool:
    if interp.year and t.get("deadline") != interp.year:
        return False
    if interp.funding and not ((t.get("unit") or "") in FUNDING_UNITS or "funding" in (t.get("topics") or [])):
        return False
    if interp.object:
        text = f"{t.get('object') or ''} {(t.get('evidence') or {}).get('quote') or ''}"
        if interp.object not in text:
            return False
    return True


def _summary_regions(groups: list[dict[str, Any]], what: str) -> str:
    names = [(g["region"] or {}).get("name") or "(no region)" for g in groups]
    return f"{len(groups)} region(s) {what}: {', '.join(names)}" if groups else f"no region {what}"


def answer(question: str, service: Any, interp: Interpretation | None = None,
           keep: Any = None) -> dict[str, Any]:
    """Answer ``question`` from the graph's targets, bodies and topic clauses (see the module
    docstring); ``interp`` when the caller has read the question already."""
    if interp is None:
        interp = interpret(question, service.topic_concepts, service.regions(),
                           getattr(service, "encoder_if_loaded", None))
    about = []
    if interp.topic:
        about.append(f"topic {interp.topic_label or interp.topic}")
    if interp.requirement:
        about.append(f"requirement “{interp.requirement}”")
    if interp.year:
        about.append(f"deadline {interp.year}")
    if interp.funding:
        about.append("funding amounts")
    if interp.region:
        about.append(f"in {interp.region['name']}")
    what = " and ".join(about)
    region_code = (interp.region or {}).get("code")

    result: dict[str, Any] = {"question": question, "interpretation": interp.to_dict(), "fallback": False}

    uses_targets = (
        interp.intent in ("count", "targets")
        or interp.with_targets or interp.year is not None or interp.funding
    ) and not interp.requirement
    if interp.intent in ("regions", "documents", "count", "targets") and uses_targets and (
        interp.topic or interp.year or interp.funding or interp.object or region_code
    ):
        # "how many 名师工作室": the object decides (``keep``: the caller's test of a target's object)
        topic = None if (interp.object or keep) else interp.topic
        rows = service.targets(topic=topic, region=region_code, year=interp.year)
        rows = [t for t in rows if _target_matches(t, interp) and (keep is None or keep(t))]
        items = [(t.get("region"), _evidence_of_target(t)) for t in rows]
        if interp.intent == "documents":
            docs = _group_by_document(items)
            result.update(answer=docs, summary=f"{len(docs)} document(s) set targets on {what}")
        else:
            groups = _group_by_region(items)
            if interp.intent == "count":
                for g in groups:
                    totals: dict[str, float] = {}
                    for ev in g["evidence"]:
                        if ev.get("value") is not None:
                            totals[ev.get("unit") or ""] = totals.get(ev.get("unit") or "", 0) + float(ev["value"])
                    g["count"] = {u: (int(v) if float(v).is_integer() else v) for u, v in totals.items()}
                label = interp.object or interp.topic_label or what
                result.update(answer=groups, summary=_summary_regions(groups, f"plan {label}"))
            elif interp.intent == "targets":
                result.update(answer=groups, summary=f"{len(rows)} target(s) on {what}")
            else:
                result.update(answer=groups, summary=_summary_regions(groups, f"set targets on {what}"))
        result["interpretation"]["source"] = "targets"
        return result

    if interp.intent == "bodies" and interp.topic:
        rows = service.bodies_for_topic(interp.topic)
        result["interpretation"]["source"] = "bodies-for-topic"
        if rows:
            result.update(answer=rows, summary=f"{len(rows)} bodies responsible for measures on {what}")
            return result
        # No measure on the topic names a body. Say so, and offer — labelled as such, never
        # as the answer — the bodies that issued, forwarded or received the documents whose
        # clauses are on the topic.
        doc_level = service.document_bodies_for_topic(interp.topic)
        label = interp.topic_label or interp.topic
        zh_label = label.split(" / ")[0]
        if interp.language == "zh":
            note = (f"图谱中没有哪项“{zh_label}”措施写明了责任部门。" + (
                "下列为涉及该主题条款的文件在文件层面的发文、转发或主送单位，并非措施的责任部门。"
                if doc_level else "涉及该主题的文件也没有记录发文或主送单位。"))
        else:
            note = (f"No measure on {label} in the graph names a responsible body."
                    + (" Listed separately are the bodies tied to the documents with clauses on that "
                       "topic at document level (issuer, forwarder or addressee); they are not named "
                       "as responsible for those measures." if doc_level else
                       " The documents on the topic record no issuer or addressee either."))
        result.update(
            answer=[],
            document_level_bodies=doc_level,
            note=note,
            summary=f"no body is named responsible for a measure on {what}"
            + (f"; {len(doc_level)} bodies issued, forwarded or received the documents on it "
               "(document level, not measure-level responsibility)" if doc_level else ""),
        )
        result["interpretation"]["source"] = "bodies-for-topic, then document-level bodies"
        return result

    if interp.intent in ("regions", "documents") and (interp.requirement or interp.topic):
        if interp.requirement:
            hits = service.clauses_containing(interp.requirement)
        else:
            hits = service.clauses_on_topic(interp.topic)
        items = [(h.get("region"), _evidence_of_clause(h)) for h in hits]
        if interp.intent == "documents":
            docs = _group_by_document(items)
            result.update(answer=docs, summary=f"{len(docs)} document(s) on {what}")
        else:
            groups = _group_by_region(items)
            result.update(answer=groups, summary=_summary_regions(groups, f"with clauses on {what}"))
        result["interpretation"]["source"] = "clauses"
        return result

    # nothing fits: grouped search results, flagged as such
    found = service.search(question, k=10)
    items = [(r.get("region"), _evidence_of_clause(r)) for r in found.get("results", [])]
    result.update(
        fallback=True,
        answer=[],
        groups=_group_by_region(items),
        results=found.get("results", []),
        summary="the question fits no pattern this service understands; here are the most "
        "similar clauses, grouped by region",
    )
    result["interpretation"]["intent"] = "search"
    return result
