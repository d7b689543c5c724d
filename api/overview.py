"""What the analyst's page shows beside search: the corpus overview, the topic × region
matrix and documents side by side.

Pure functions over the service's read methods (``documents()``, ``targets()``,
``regions()``, ``topics()``, ``bodies()``, ``catalog()``), so they work on whatever is loaded
and hold nothing between calls. The HTTP routers (``api/routers/views.py``) call them; the
models of their answers are in ``api/schemas.py`` (``Overview``, ``CompareMatrix``,
``CompareDocuments``). Finding graph nodes by name is ``PolicyKG.find_nodes`` (kg.lookup).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from kg.namespaces import doc_iri

#: Questions the ask engine answers from the graph, filled with a topic that has targets (or
#: measures) in the loaded documents. Templates only: nothing here names a document or region.
QUESTION_TEMPLATES = (
    ("targets", "哪些地区设定了{zh}的数量指标"),
    ("targets", "which regions set {en} targets"),
    ("measures", "哪些部门负责{zh}"),
    ("measures", "哪些文件涉及{zh}"),
)
NEWEST = 5


def _year(date: str | None) -> int | None:
    try:
        return int(str(date)[:4]) if date else None
    except ValueError:
        return None


def _region_key(region: Mapping[str, Any] | None) -> str:
    return (region or {}).get("code") or "—"


def overview(documents: Sequence[Mapping[str, Any]], targets: Sequence[Mapping[str, Any]],
             topics: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Counts, documents by region and by year, the newest documents and example questions
    built from the topics the loaded documents have most targets (and measures) on."""
    by_region: dict[str, dict[str, Any]] = {}
    for d in documents:
        r = d.get("region") or {}
        row = by_region.setdefault(_region_key(r), {"region": r or None, "documents": 0, "targets": 0})
        row["documents"] += 1
    for t in targets:
        key = _region_key(t.get("region"))
        if key in by_region:
            by_region[key]["targets"] += 1
    years = Counter(y for y in (_year(d.get("date")) for d in documents) if y)
    kinds = Counter(d.get("kind") or "unknown" for d in documents)
    newest = sorted((d for d in documents if d.get("date")), key=lambda d: d["date"], reverse=True)[:NEWEST]
    return {
        "counts": {
            "documents": len(documents),
            "clauses": sum(int(d.get("clauses") or 0) for d in documents),
            "targets": len(targets),
            "regions": len([k for k in by_region if k != "—"]),
            "provinces": len({(d.get("region") or {}).get("province") for d in documents} - {None}),
            "anonymised": sum(1 for d in documents if d.get("anonymised")),
        },
        "by_region": sorted(by_region.values(), key=lambda r: (-r["documents"], _region_key(r["region"]))),
        "by_year": [{"year": y, "documents": n} for y, n in sorted(years.items())],
        "by_kind": [{"kind": k, "documents": n} for k, n in kinds.most_common()],
        "newest": [_doc_ref(d) for d in newest],
        "examples": example_questions(topics),
    }


def _doc_ref(d: Mapping[str, Any]) -> dict[str, Any]:
    return {"id": d["id"], "title": d.get("title") or (d.get("source") or {}).get("file"),
            "date": d.get("date"), "region": d.get("region"), "issuer": d.get("issuer")}


def example_questions(topics: Sequence[Mapping[str, Any]], n: int = 4) -> list[dict[str, Any]]:
    """Up to ``n`` questions over the topics with most targets / measures (none when nothing
    is loaded): ``{question, topic}``."""
    by = {
        "targets": [t for t in sorted(topics, key=lambda t: -int(t.get("targets") or 0)) if t.get("targets")],
        "measures": [t for t in sorted(topics, key=lambda t: -int(t.get("measures") or 0)) if t.get("measures")],
    }
    out: list[dict[str, Any]] = []
    used: Counter[str] = Counter()
    for need, template in QUESTION_TEMPLATES:
        pool = by[need]
        if not pool:
            continue
        topic = pool[min(used[need], len(pool) - 1)]
        used[need] += 1
        label_en = str(topic.get("label_en") or topic["id"]).lower()
        out.append({"question": template.format(zh=topic.get("label_zh") or topic["id"], en=label_en),
                    "topic": topic["id"]})
    return out[:n]


# ------------------------------------------------------------------ compare

def _matches(t: Mapping[str, Any], obj: str | None) -> bool:
    return not obj or obj in str(t.get("object") or "") or obj in str((t.get("evidence") or {}).get("quote") or "")


def compare_matrix(targets: Sequence[Mapping[str, Any]], topics: Sequence[Mapping[str, Any]],
                   obj: str | None = None, topic: str | None = None) -> dict[str, Any]:
    """Topic × region: the number of targets each region's documents set on each topic, or,
    with ``obj`` (a phrase of the target's object, e.g. 美育教师), the values side by side
    (each cell the targets themselves). ``topic`` keeps one topic's row."""
    labels = {t["id"]: t for t in topics}
    regions: dict[str, Mapping[str, Any]] = {}
    cells: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for t in targets:
        if not _matches(t, obj):
            continue
        key = _region_key(t.get("region"))
        for tp in t.get("topics") or ["—"]:
            if topic and tp != topic:
                continue
            regions.setdefault(key, t.get("region") or {"code": "—", "name": None, "level": None})
            cells[(tp, key)].append(t)
    topic_ids = sorted({tp for tp, _ in cells}, key=lambda tp: (-sum(len(v) for (a, _), v in cells.items() if a == tp), tp))
    region_keys = sorted(regions, key=lambda k: (-sum(len(v) for (_, b), v in cells.items() if b == k), k))
    rows = []
    for tp in topic_ids:
        label = labels.get(tp, {})
        row = {"topic": tp, "label_zh": label.get("label_zh") or ("未分类" if tp == "—" else tp),
               "label_en": label.get("label_en") or ("unclassified" if tp == "—" else tp), "cells": []}
        for key in region_keys:
            items = cells.get((tp, key), [])
            row["cells"].append({"region": key, "count": len(items),
                                 "targets": [_target_ref(t) for t in items] if obj else []})
        rows.append(row)
    return {"object": obj, "topic": topic, "regions": [regions[k] for k in region_keys], "rows": rows}


def _target_ref(t: Mapping[str, Any]) -> dict[str, Any]:
    keep = ("id", "doc", "title", "value", "value_max", "placeholder", "unit", "object", "comparator",
            "deadline", "frequency", "period", "clause_id", "evidence")
    return {k: t.get(k) for k in keep}


def compare_documents(doc_ids: Sequence[str], documents: Sequence[Mapping[str, Any]],
                      targets: Sequence[Mapping[str, Any]], measures: Iterable[Mapping[str, Any]],
                      topics: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Two or more documents side by side by topic: for each topic, each document's
    measures (clause path and heading) and targets on it. Unknown ids raise KeyError."""
    by_id = {d["id"]: d for d in documents}
    missing = [i for i in doc_ids if i not in by_id]
    if missing:
        raise KeyError(", ".join(missing))
    iris = {str(doc_iri(i)): i for i in doc_ids}
    cells: dict[tuple[str, str], dict[str, list[Any]]] = defaultdict(lambda: {"measures": [], "targets": []})
    for m in measures:
        doc = iris.get(m.get("doc_iri") or "")
        if doc:
            for tp in m.get("topics") or []:
                cells[(tp, doc)]["measures"].append({"path": m.get("path"), "heading": m.get("heading")})
    for t in targets:
        if t.get("doc") in by_id and t["doc"] in doc_ids:
            for tp in t.get("topics") or []:
                cells[(tp, t["doc"])]["targets"].append(_target_ref(t))
    order = {t["id"]: i for i, t in enumerate(topics)}
    labels = {t["id"]: t for t in topics}
    rows = []
    for tp in sorted({tp for tp, _ in cells}, key=lambda x: order.get(x, 999)):
        rows.append({"topic": tp, "label_zh": labels.get(tp, {}).get("label_zh") or tp,
                     "label_en": labels.get(tp, {}).get("label_en") or tp,
                     "cells": [{"doc": d, **cells.get((tp, d), {"measures": [], "targets": []})} for d in doc_ids]})
    return {"documents": [_doc_ref(by_id[i]) for i in doc_ids], "rows": rows}
