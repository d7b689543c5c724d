"""Topic assignment quality on the dev-gold targets (承德 003, 瓯海 004).

    .venv/bin/python bench/topic_eval.py

Each core gold target's clause (the parser's clause containing the quote, else the quote) is
classified; predicted topic ids are compared with the target's gold ``topics`` (micro
precision / recall / F1 over (target, topic) pairs). Rows: cues only (a zh label/altLabel
occurs), embeddings only (z-score over concepts ≥ threshold), and the blend at a few
settings, with the default marked; last, the default on whole-text vectors against vectors
composed from sentences (what ingest runs: a text of several sentences is never encoded whole). Also prints the z-score distribution of gold vs other
concepts, from which the thresholds were chosen.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import numpy as np
from retrieval_eval import CACHE, GOLD, SEEDS, load_concepts

from embeddings.cache import VectorCache
from embeddings.encoders import get_encoder
from embeddings.sentences import Segmenter
from embeddings.topics import EmbeddingTopicClassifier


def gold_items() -> list[tuple[str, set[str]]]:
    """(clause text containing the quote, gold topics) per core target."""
    from ingest import load_document

    items = []
    for path in sorted(GOLD.glob("targets_*.jsonl")):
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip()]
        doc = load_document(SEEDS / rows[0]["doc"])
        clauses = [c.text for c in doc.walk()]
        for row in rows:
            if not row.get("core", True):
                continue
            text = next((c for c in clauses if row["quote"] in c), row["quote"])
            items.append((text, set(row["topics"])))
    return items


def prf(pred: list[list[str]], gold: list[set[str]]) -> tuple[float, float, float, float]:
    tp = sum(len(set(p) & g) for p, g in zip(pred, gold))
    n_pred = sum(len(p) for p in pred)
    n_gold = sum(len(g) for g in gold)
    precision = tp / n_pred if n_pred else 0.0
    recall = tp / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1, n_pred / max(1, len(pred))


def main() -> None:
    from rich.console import Console
    from rich.table import Table

    encoder = get_encoder()
    concepts = load_concepts()
    items = gold_items()
    texts = [t for t, _ in items]
    gold = [g for _, g in items]
    clf = EmbeddingTopicClassifier(encoder, concepts, VectorCache(CACHE, encoder.name, encoder.dim))
    z, cues = clf.scores(texts)
    ids = clf.ids
    gold_mask = np.array([[i in g for i in ids] for g in gold], dtype=bool)

    console = Console(width=160)
    dist = Table(title=f"z-score of clause vs concept ({len(items)} core targets, "
                       f"{encoder.name}) — percentiles")
    dist.add_column("pairs")
    for p in (10, 25, 50, 75, 90, 99):
        dist.add_column(f"p{p}", justify="right")
    for name, mask in (("gold topic", gold_mask), ("other topic", ~gold_mask)):
        dist.add_row(name, *[f"{np.percentile(z[mask], p):.2f}" for p in (10, 25, 50, 75, 90, 99)])
    console.print(dist)

    def run(threshold: float, bonus: float, use_z: bool = True, max_topics: int = 3):
        combined = (z if use_z else np.full_like(z, -99.0)) + bonus * cues
        if not use_z:
            combined = np.where(cues, 1.0, -99.0)
        pred = []
        for row in combined:
            order = np.argsort(-row)[:max_topics]
            pred.append([ids[i] for i in order if row[i] >= threshold])
        return prf(pred, gold)

    table = Table(title="topic assignment on dev-gold targets (micro over target×topic)")
    for col in ("method", "precision", "recall", "F1", "topics/clause"):
        table.add_column(col, justify="left" if col == "method" else "right")
    rows = [("cues only (label/altLabel in text, top 3)", run(0.5, 0.0, use_z=False))]
    for thr in (1.5, 2.0, 2.5):
        rows.append((f"embeddings only, z ≥ {thr}", run(thr, 0.0)))
    for thr, bonus in ((2.0, 1.0), (2.0, 1.5), (2.5, 1.0), (2.5, 1.5), (2.5, 2.0), (3.0, 2.0)):
        mark = " (default)" if (thr, bonus) == (clf.threshold, clf.cue_bonus) else ""
        rows.append((f"blend z + {bonus}·cue ≥ {thr}{mark}", run(thr, bonus)))
    # what ingest runs: multi-sentence texts never encoded whole (embeddings/topics.py)
    composed = EmbeddingTopicClassifier(encoder, concepts, clf.cache, segmenter=Segmenter())
    zc, _ = composed.scores(texts)
    for label, zz in (("whole-text vectors", z), ("composed from sentences (ingest's default)", zc)):
        combined = zz + clf.cue_bonus * cues
        pred = [[ids[i] for i in np.argsort(-row, kind="stable")[:3] if row[i] >= clf.threshold]
                for row in combined]
        rows.append((f"{label}, z + {clf.cue_bonus}·cue ≥ {clf.threshold}", prf(pred, gold)))
    for name, (p, r, f, n) in rows:
        table.add_row(name, f"{p:.2f}", f"{r:.2f}", f"{f:.2f}", f"{n:.2f}")
    console.print(table)


if __name__ == "__main__":
    main()
